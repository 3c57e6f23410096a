package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
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
	if err := checkBackupTarget(*dataDir, *out); err != nil {
		return err
	}

	var n int64
	err := writeAtomically(*out, func(w io.Writer) error {
		var err error
		n, err = backupTo(*dataDir, w)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, i18n.T("server.backup.done", *out, n>>10))
	fmt.Fprintln(os.Stderr, i18n.T("server.backup.no_keys", vaultPath(*dataDir), masterKeyPath(*dataDir), pool.MasterKeyEnv))
	return nil
}

func vaultPath(dataDir string) string     { return filepath.Join(dataDir, pool.VaultFile) }
func masterKeyPath(dataDir string) string { return filepath.Join(dataDir, pool.MasterKeyFile) }

// runBackupKeys copies keys.db and master.key into a folder the operator
// keeps apart from the pool's backups.
func runBackupKeys(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "backup-keys", Summary: "server.backup_keys.summary", Usage: "server.backup_keys.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	out := fs.String("out", "", "server.flag.keys_out")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New(i18n.T("server.backup_keys.no_out"))
	}
	if _, err := os.Stat(vaultPath(*dataDir)); err != nil {
		return errors.New(i18n.T("server.backup_keys.no_vault", vaultPath(*dataDir)))
	}
	if sameFolder(*out, *dataDir) {
		return &messageError{msg: i18n.T("server.backup_keys.data_folder", *out, *dataDir), err: errLiveFile}
	}
	for _, name := range []string{pool.VaultFile, pool.MasterKeyFile} {
		if err := checkBackupTarget(*dataDir, filepath.Join(*out, name)); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", *out, err)
	}

	err := writeAtomically(filepath.Join(*out, pool.VaultFile), func(w io.Writer) error {
		_, err := vaultBackupTo(*dataDir, w)
		return err
	})
	if err != nil {
		return err
	}
	master, err := os.ReadFile(masterKeyPath(*dataDir))
	switch {
	case errors.Is(err, os.ErrNotExist):
		// The server takes its master key from the environment.
		fmt.Fprintln(os.Stderr, i18n.T("server.backup_keys.master_from_env", masterKeyPath(*dataDir), pool.MasterKeyEnv))
	case err != nil:
		return fmt.Errorf("reading %s: %w", masterKeyPath(*dataDir), err)
	default:
		err := writeAtomically(filepath.Join(*out, pool.MasterKeyFile), func(w io.Writer) error {
			_, err := w.Write(master)
			return err
		})
		if err != nil {
			return err
		}
	}
	fmt.Fprintln(os.Stderr, i18n.T("server.backup_keys.done", *out))
	return nil
}

// vaultBackupTo streams a copy of keys.db from the running server, which
// holds the file locked, or from the file when no server runs.
func vaultBackupTo(dataDir string, w io.Writer) (int64, error) {
	raw, err := os.ReadFile(filepath.Join(dataDir, adminFile))
	if err == nil {
		n, err := adminDownload(raw, "/admin/backup-keys", w)
		if !errors.Is(err, errNotRunning) {
			return n, err
		}
	}
	return pool.CopyVaultFile(vaultPath(dataDir), w)
}

// writeAtomically writes a file with mode 0600 under a temporary name and
// renames it into place, so a failed write never looks whole.
func writeAtomically(path string, write func(io.Writer) error) error {
	tmp := path + ".part"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
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
	err = withExistingPool(dataDir, func(p *pool.Pool) error {
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
	// A malformed key would otherwise read as keys that do not open the backup.
	if _, err := pool.ReadMasterKey(*dataDir); errors.Is(err, pool.ErrMasterKeyFormat) {
		return masterKeyError(*dataDir, err)
	}
	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		return err
	}
	res, err := pool.RestoreFile(file, poolPath(*dataDir))
	if errors.Is(err, pool.ErrNotPool) {
		return errors.New(i18n.T("server.restore.not_backup", file))
	}
	if errors.Is(err, pool.ErrBackupKeys) {
		return errors.New(i18n.T("server.restore.wrong_keys", file, *dataDir, pool.VaultFile, pool.MasterKeyFile, pool.MasterKeyEnv))
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, i18n.T("server.restore.done", file, res.Epoch))
	if res.Reason == pool.RestoreNoLivePool {
		fmt.Fprintln(os.Stderr, i18n.T("server.restore.audit."+res.Reason))
	} else {
		fmt.Fprintln(os.Stderr, i18n.T("server.restore.audit."+res.Reason, res.Carried))
	}
	if len(res.Revoked) > 0 {
		fmt.Fprintln(os.Stderr, i18n.T("server.restore.revoked", len(res.Revoked), strings.Join(res.Revoked, ", ")))
	}
	return nil
}

func mustRead(path string) []byte {
	b, _ := os.ReadFile(path)
	return b
}
