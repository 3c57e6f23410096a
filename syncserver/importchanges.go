package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"time"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/transfer"
	"mobilefactory/syncserver/pool"
)

// errImportUnsupported is returned when the running server has no
// import-changes endpoint, because it is an older build.
var errImportUnsupported = errors.New("the running server does not serve import-changes")

// errNoPool is returned when the data folder holds no pool file.
var errNoPool = errors.New("no pool file in the data folder")

// importCodes maps the error codes of POST /admin/import-changes to their
// sentinels, in both directions.
var importCodes = map[string]error{
	"not_change_file": transfer.ErrNotChangeFile,
	"upgrade":         transfer.ErrNewerVersion,
	"old_version":     transfer.ErrOldVersion,
	"other_server":    transfer.ErrOtherServer,
	"truncated":       transfer.ErrTruncated,
	"corrupt":         transfer.ErrCorrupt,
	"too_large":       transfer.ErrTooLarge,
	"signature":       transfer.ErrSignature,
	"epoch":           transfer.ErrEpoch,
	"unknown_device":  pool.ErrUnknownDevice,
	"revoked":         pool.ErrRevoked,
	"scope":           pool.ErrScope,
	"sequence":        pool.ErrSequence,
	"invalid":         pool.ErrInvalid,
}

// importCode returns the code of err, "internal" when none fits.
func importCode(err error) string {
	for code, sentinel := range importCodes {
		if errors.Is(err, sentinel) {
			return code
		}
	}
	return "internal"
}

// ImportResult is the outcome of applying one change file.
type ImportResult struct {
	Device  string `json:"device"`
	College string `json:"college"`
	From    uint64 `json:"from"`
	To      uint64 `json:"to"`
	Applied int    `json:"applied"` // changes appended to the log; 0 when the file was imported before
	Acked   uint64 `json:"acked"`   // the device's high-water mark after the import, or when the file was rejected
	// Refused lists the changes of the file the pool refused, with the reason.
	Refused []protocol.Refusal `json:"refused,omitempty"`
}

// importReply is the JSON body of the reply to POST /admin/import-changes.
// For a rejected file it carries the error code and message too.
type importReply struct {
	ImportResult
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// importError is a rejected change file with the device's high-water mark,
// which the message for a sequence gap names.
type importError struct {
	err   error
	acked uint64
}

func (e *importError) Error() string { return e.err.Error() }

func (e *importError) Unwrap() error { return e.err }

// importChangeFile applies a change file to the pool with the checks of a
// push, and a few of its own before it. The file must parse within the
// default limits and be encrypted to the pool's transfer key. Its signature
// must match the device's current key or a key a re-enrolment with proof
// replaced. It must name the device's
// college and the pool's epoch. Then the change set is decrypted, and
// pool.ApplyPush checks scope, device and sequence, and acknowledges a
// repeated file without applying it twice.
func importChangeFile(p *pool.Pool, data []byte) (ImportResult, error) {
	f, err := transfer.Parse(data, changeset.DefaultLimits)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Device: f.Device, College: f.College, From: f.From, To: f.To}
	// A file for another server most often names a device unknown here, so
	// the recipient is checked first to report the real cause.
	if err := f.CheckRecipient(p.TransferKey().PublicKey()); err != nil {
		return res, err
	}
	if err := pool.CheckDeviceID(f.Device); err != nil {
		return res, err
	}
	d, err := p.Device(f.Device)
	if err != nil {
		return res, err
	}
	res.Acked = d.Acked
	if err := f.Verify(append([]ed25519.PublicKey{d.PublicKey}, d.PreviousKeys...)...); err != nil {
		return res, err
	}
	if f.College != d.College {
		return res, fmt.Errorf("%w: file names college %s, device %s is enrolled with %s", pool.ErrScope, f.College, d.ID, d.College)
	}
	if err := f.CheckEpoch(p.Epoch()); err != nil {
		return res, err
	}
	changes, err := f.Changes(p.TransferKey(), changeset.DefaultLimits)
	if err != nil {
		return res, err
	}
	pushed, err := p.ApplyPush(d.ID, f.From, f.To, changes)
	res.Acked, res.Applied, res.Refused = pushed.Acked, pushed.Applied, pushed.Refused
	return res, err
}

// importChangesHandler serves POST /admin/import-changes. The request body
// is a change file and the reply an importReply.
func importChangesHandler(p *pool.Pool, logger *slog.Logger) http.HandlerFunc {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		limit := int64(transfer.MaxSize(changeset.DefaultLimits))
		data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		if err != nil {
			logger.Warn("change file not read", "remote", r.RemoteAddr, "err", err)
			writeImportReply(w, http.StatusRequestEntityTooLarge, importReply{Code: "too_large",
				Message: fmt.Sprintf("change file over %d bytes", limit)})
			return
		}
		res, err := importChangeFile(p, data)
		if err != nil {
			code := importCode(err)
			status := http.StatusUnprocessableEntity
			if code == "internal" {
				status = http.StatusInternalServerError
				logger.Error("importing change file failed", "device", res.Device, "from", res.From, "to", res.To, "err", err)
			} else {
				logger.Warn("change file rejected", "device", res.Device, "from", res.From, "to", res.To, "code", code, "err", err)
			}
			writeImportReply(w, status, importReply{ImportResult: res, Code: code, Message: err.Error()})
			return
		}
		logger.Info("change file imported", "device", res.Device, "from", res.From, "to", res.To, "applied", res.Applied)
		writeImportReply(w, http.StatusOK, importReply{ImportResult: res})
	}
}

func writeImportReply(w http.ResponseWriter, status int, reply importReply) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(reply)
}

// postChangeFile sends a change file to the server running on dataDir. It
// returns errNotRunning when none runs there, and a rejection as an
// importError wrapping the code's sentinel.
func postChangeFile(dataDir string, data []byte) (ImportResult, error) {
	raw, err := os.ReadFile(filepath.Join(dataDir, adminFile))
	if err != nil {
		return ImportResult{}, errNotRunning
	}
	info, err := parseAdminInfo(raw)
	if err != nil {
		return ImportResult{}, errNotRunning
	}
	req, err := http.NewRequest(http.MethodPost, info.URL+"/admin/import-changes", bytes.NewReader(data))
	if err != nil {
		return ImportResult{}, err
	}
	req.Header.Set("Authorization", "Bearer "+info.Token)
	req.Header.Set("Content-Type", "application/octet-stream")

	resp, err := info.client(5 * time.Minute).Do(req)
	if err != nil {
		// A server killed without cleaning up leaves admin.json behind.
		return ImportResult{}, errNotRunning
	}
	defer resp.Body.Close()

	if resp.StatusCode == http.StatusNotFound {
		return ImportResult{}, errImportUnsupported
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return ImportResult{}, adminTokenError(dataDir)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return ImportResult{}, fmt.Errorf("reading the server's reply: %w", err)
	}

	var reply importReply
	if err := json.Unmarshal(body, &reply); err != nil {
		return ImportResult{}, fmt.Errorf("server: %s: %s", resp.Status, bytes.TrimSpace(body))
	}
	if resp.StatusCode == http.StatusOK {
		return reply.ImportResult, nil
	}
	sentinel, ok := importCodes[reply.Code]
	if !ok {
		return reply.ImportResult, &adminStatusError{status: resp.Status, code: reply.Code, message: reply.Message}
	}
	return reply.ImportResult, &importError{err: fmt.Errorf("%w (server: %s)", sentinel, reply.Message), acked: reply.Acked}
}

// importOne applies one change file through the running server, or opens
// the pool file when no server runs.
func importOne(dataDir string, data []byte) (ImportResult, error) {
	res, err := postChangeFile(dataDir, data)
	if !errors.Is(err, errNotRunning) {
		return res, err
	}
	// Opening a missing pool would create an empty one with no device enrolled.
	if _, err := os.Stat(poolPath(dataDir)); err != nil {
		return res, fmt.Errorf("%w: %v", errNoPool, err)
	}
	err = withExistingPool(dataDir, func(p *pool.Pool) error {
		var err error
		res, err = importChangeFile(p, data)
		return err
	})
	if err != nil && importCode(err) != "internal" {
		err = &importError{err: err, acked: res.Acked}
	}
	return res, err
}

type changeFile struct {
	path   string
	data   []byte
	header transfer.Header
}

func runImportChanges(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "import-changes", Summary: "server.import_changes.summary",
		Usage: "server.import_changes.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	paths, err := parseWithFiles(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return cli.Usagef("server.import_changes.no_file")
	}

	// Every file is read and its header checked before any is applied.
	files := make([]changeFile, 0, len(paths))
	for _, path := range paths {
		f, err := transfer.ReadFile(path, changeset.DefaultLimits)
		if err != nil {
			return errors.New(importMessage(path, *dataDir, transfer.Header{}, err))
		}
		files = append(files, changeFile{path: path, data: f.Bytes(), header: f.Header})
	}
	// Sorted by device and sequence, the parts of one export apply in order
	// whatever order the command line names them in.
	sort.SliceStable(files, func(i, j int) bool {
		if files[i].header.Device != files[j].header.Device {
			return files[i].header.Device < files[j].header.Device
		}
		return files[i].header.From < files[j].header.From
	})

	for _, f := range files {
		res, err := importOne(*dataDir, f.data)
		if err != nil {
			return errors.New(importMessage(f.path, *dataDir, f.header, err))
		}
		if len(res.Refused) > 0 {
			fmt.Println(i18n.T("server.import_changes.refused", f.path, len(res.Refused), res.Device))
		}
		if res.Applied == 0 {
			fmt.Println(i18n.T("server.import_changes.already", f.path, res.Device, res.From, res.To))
			continue
		}
		fmt.Println(i18n.T("server.import_changes.done", f.path, res.Applied, res.Device, res.College, res.From, res.To))
	}
	return nil
}

// parseWithFiles parses flags that may come before, between or after the
// file arguments, and returns the files.
func parseWithFiles(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, cli.Usagef("cli.extra_args", err.Error())
		}
		if fs.NArg() == 0 {
			return files, nil
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// importMessage returns the message for a change file that could not be
// imported, in the current locale, saying what to do next.
func importMessage(path, dataDir string, h transfer.Header, err error) string {
	var acked uint64
	var ie *importError
	if errors.As(err, &ie) {
		acked = ie.acked
	}
	switch {
	case errors.Is(err, errImportUnsupported):
		return i18n.T("server.import_changes.unsupported", path)
	case errors.Is(err, errAdminToken):
		return err.Error()
	case errors.Is(err, errNoPool):
		return i18n.T("server.import_changes.no_pool", dataDir)
	case errors.Is(err, os.ErrNotExist):
		return i18n.T("server.import_changes.not_found", path)
	case errors.Is(err, transfer.ErrNotChangeFile):
		return i18n.T("server.import_changes.not_change_file", path)
	case errors.Is(err, transfer.ErrNewerVersion):
		return i18n.T("server.import_changes.upgrade", path)
	case errors.Is(err, transfer.ErrOldVersion):
		return i18n.T("server.import_changes.old_version", path)
	case errors.Is(err, transfer.ErrOtherServer):
		return i18n.T("server.import_changes.other_server", path, h.Device)
	case errors.Is(err, transfer.ErrTruncated):
		return i18n.T("server.import_changes.truncated", path)
	case errors.Is(err, transfer.ErrTooLarge):
		return i18n.T("server.import_changes.too_large", path)
	case errors.Is(err, transfer.ErrCorrupt):
		return i18n.T("server.import_changes.corrupt", path)
	case errors.Is(err, transfer.ErrSignature):
		return i18n.T("server.import_changes.signature", path, h.Device)
	case errors.Is(err, transfer.ErrEpoch):
		return i18n.T("server.import_changes.epoch", path, h.Device)
	case errors.Is(err, pool.ErrUnknownDevice):
		return i18n.T("server.import_changes.unknown_device", path, h.Device)
	case errors.Is(err, pool.ErrRevoked):
		return i18n.T("server.import_changes.revoked", path, h.Device)
	case errors.Is(err, pool.ErrScope):
		return i18n.T("server.import_changes.scope", path, h.Device, h.College)
	case errors.Is(err, pool.ErrSequence):
		return i18n.T("server.import_changes.sequence", path, h.From, h.To, h.Device, acked, acked+1)
	case errors.Is(err, pool.ErrInvalid):
		return i18n.T("server.import_changes.invalid", path, err)
	default:
		return i18n.T("server.import_changes.failed", path, err)
	}
}
