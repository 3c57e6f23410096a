package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/syncserver/pool"
)

func runBackup(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "backup", Summary: "server.backup.summary", Usage: "server.backup.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	out := fs.String("out", "", "server.flag.out")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join(*dataDir, "backup-"+time.Now().Format("20060102-150405")+".db")
	}

	// Write to a temporary name first so a failed backup never looks whole.
	tmp := *out + ".part"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("creating %s: %w", *out, err)
	}

	n, err := backupTo(*dataDir, f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, i18n.T("server.backup.done", *out, n>>10))
	return nil
}

// backupTo streams a backup from the running server, or from the pool file
// when no server runs.
func backupTo(dataDir string, w io.Writer) (int64, error) {
	raw, err := os.ReadFile(filepath.Join(dataDir, adminFile))
	if err == nil {
		n, err := adminDownload(raw, "/admin/backup", w)
		if !errors.Is(err, errNotRunning) {
			return n, err
		}
	}
	var n int64
	err = withPool(dataDir, func(p *pool.Pool) error {
		var err error
		n, err = p.Backup(w)
		return err
	})
	return n, err
}

func adminDownload(adminJSON []byte, path string, w io.Writer) (int64, error) {
	info, err := parseAdminInfo(adminJSON)
	if err != nil {
		return 0, errNotRunning
	}
	req, err := http.NewRequest(http.MethodGet, info.URL+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+info.Token)
	resp, err := info.client(0).Do(req)
	if err != nil {
		return 0, errNotRunning
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("server: %s", resp.Status)
	}
	return io.Copy(w, resp.Body)
}

func runRestore(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "restore", Summary: "server.restore.summary", Usage: "server.restore.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	file, err := cli.ParseFile(fs, args, "server.restore.no_file")
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(*dataDir, adminFile)); err == nil {
		if _, err := adminDownload(mustRead(filepath.Join(*dataDir, adminFile)), "/healthz", io.Discard); !errors.Is(err, errNotRunning) {
			return errors.New(i18n.T("server.restore.running"))
		}
	}
	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		return err
	}
	epoch, err := pool.Restore(file, poolPath(*dataDir))
	if errors.Is(err, pool.ErrNotPool) {
		return errors.New(i18n.T("server.restore.not_backup", file))
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, i18n.T("server.restore.done", file, epoch))
	return nil
}

func mustRead(path string) []byte {
	b, _ := os.ReadFile(path)
	return b
}
