package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"mobilefactory/shared/i18n"
	"mobilefactory/syncserver/pool"
)

// liveNames lists the files of the data folder that the server reads or
// writes while it runs. Writing a backup over one of them replaces the
// live file, and the running server goes on writing to the replaced one.
var liveNames = []string{"pool.db", pool.VaultFile, pool.MasterKeyFile, adminFile, tlsDir}

// resolvedPath returns path made absolute with the symbolic links of its
// folder resolved, so two spellings of one path compare equal even when
// the file itself does not exist yet.
func resolvedPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	dir, base := filepath.Split(abs)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		return filepath.Join(real, base)
	}
	return abs
}

// liveFileAt returns the live file of dataDir that target is or lies
// inside (for tls/). It returns false when target matches no live file. Files that
// exist are compared with os.SameFile, which also catches hard links and
// symbolic links; otherwise the resolved paths are compared.
func liveFileAt(dataDir, target string) (string, bool) {
	targetInfo, targetErr := os.Stat(target)
	resolvedTarget := resolvedPath(target)
	for _, name := range liveNames {
		live := filepath.Join(dataDir, name)
		if liveInfo, err := os.Stat(live); err == nil && targetErr == nil && os.SameFile(liveInfo, targetInfo) {
			return live, true
		}
		resolvedLive := resolvedPath(live)
		if resolvedTarget == resolvedLive {
			return live, true
		}
		if name == tlsDir && strings.HasPrefix(resolvedTarget, resolvedLive+string(filepath.Separator)) {
			return live, true
		}
	}
	// A target inside tls/ through another spelling of the folder.
	if tlsInfo, err := os.Stat(filepath.Join(dataDir, tlsDir)); err == nil {
		if parentInfo, err := os.Stat(filepath.Dir(target)); err == nil && os.SameFile(tlsInfo, parentInfo) {
			return filepath.Join(dataDir, tlsDir), true
		}
	}
	return "", false
}

// errLiveFile is wrapped by the error of a backup whose output would
// replace a live file of the data folder.
var errLiveFile = errors.New("backup output is a live file of the data folder")

// checkBackupTarget returns an error, in the user's words, when writing
// target would replace a file the server of dataDir uses.
func checkBackupTarget(dataDir, target string) error {
	live, ok := liveFileAt(dataDir, target)
	if !ok {
		return nil
	}
	return &messageError{msg: i18n.T("server.backup.live_file", target, live, dataDir), err: errLiveFile}
}

// sameFolder reports whether a and b name one folder.
func sameFolder(a, b string) bool {
	aInfo, aErr := os.Stat(a)
	bInfo, bErr := os.Stat(b)
	if aErr == nil && bErr == nil {
		return os.SameFile(aInfo, bInfo)
	}
	return resolvedPath(a) == resolvedPath(b)
}
