package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"mobilefactory/desktop/safefile"
	"mobilefactory/desktop/store"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/transfer"
)

func runExportChanges(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "export-changes", Summary: "desktop.export_changes.summary",
		Usage: "desktop.export_changes.usage"})
	dataDir := fs.String("data", defaultDataDir(), "desktop.flag.data")
	account := fs.String("account", "", "desktop.flag.account")
	file, err := cli.ParseFile(fs, args, "desktop.export_changes.no_file")
	if err != nil {
		return err
	}

	st, err := openSignedIn(*dataDir, *account)
	if err != nil {
		return err
	}
	defer st.Close()
	exported, err := exportChanges(st, file, changeset.DefaultLimits, time.Now())
	if err != nil {
		return err
	}
	fmt.Println(exported.summary())
	return nil
}

// exportResult lists the files an export wrote.
type exportResult struct {
	Files    []string
	From, To uint64
	Changes  int
}

func (r exportResult) summary() string {
	switch len(r.Files) {
	case 0:
		return i18n.T("desktop.export_changes.empty")
	case 1:
		return i18n.T("desktop.export_changes.done", r.Changes, r.From, r.To, r.Files[0])
	default:
		return i18n.T("desktop.export_changes.done_parts", r.Changes, r.From, r.To, len(r.Files),
			strings.Join(r.Files, "\n  "))
	}
}

// exportChanges writes the store's unacknowledged outbox entries to file,
// encrypted to the server's transfer key and signed with the device's
// enrolled key. It deletes nothing, so the entries stay until a sync finds
// the server has them. An outbox too large for one file goes to file, then
// name-2.ext, name-3.ext and so on. It writes nothing while the identity
// lacks the server's transfer key, as one enrolled before change files were
// encrypted does until its next sync.
func exportChanges(st *store.Store, file string, limits changeset.Limits, now time.Time) (exportResult, error) {
	var res exportResult
	ident, ok := st.Identity()
	if !ok {
		return res, errors.New(i18n.T("desktop.not_enrolled"))
	}
	if st.Pending() == 0 {
		return res, nil
	}
	if len(ident.TransferKey) != transfer.KeySize {
		return res, errors.New(i18n.T("desktop.export_changes.no_transfer_key"))
	}
	h := transfer.Header{Device: ident.Device, College: ident.College, Epoch: st.Epoch(), Created: now}
	copy(h.Recipient[:], ident.TransferKey)
	_, err := transfer.Export(st, h, ident.PrivateKey, limits, func(p transfer.Part) error {
		path := partPath(file, len(res.Files)+1)
		if err := safefile.Write(path, p.Data); err != nil {
			return errors.New(i18n.T("desktop.export_changes.write_failed", path, err))
		}
		if len(res.Files) == 0 {
			res.From = p.From
		}
		res.Files = append(res.Files, path)
		res.To = p.To
		res.Changes += p.Changes
		return nil
	})
	return res, err
}

// partPath returns the name of the n-th file of an export. The first is
// file itself, and later ones add -n before the extension.
func partPath(file string, n int) string {
	if n == 1 {
		return file
	}
	ext := filepath.Ext(file)
	return fmt.Sprintf("%s-%d%s", strings.TrimSuffix(file, ext), n, ext)
}
