package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"mobilefactory/syncserver/hub"
)

func personCount(t *testing.T, data string) int {
	t.Helper()
	stdout, stderr, code := run(t, "stats", "--data", data, "--json")
	if code != 0 {
		t.Fatalf("stats: %s", stderr)
	}
	var rep hub.StatsReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	return rep.Total["person"]
}

// A backup taken while the server runs restores into a stopped server's
// folder with the same records, once that folder holds the keys copied by
// backup-keys. Restoring while the server runs, without the keys, or from
// a file that is no backup, changes nothing.
func TestBackupAndRestore(t *testing.T) {
	srv := &serverProcess{t: t, data: t.TempDir(), addr: freeAddr(t)}
	if _, stderr, code := run(t, "demo", "--data", srv.data, "--people", "50"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	srv.start()
	backup := filepath.Join(t.TempDir(), "pool-backup.db")
	_, stderr, code := run(t, "backup", "--data", srv.data, "--out", backup)
	if code != 0 {
		t.Fatalf("backup while serving: %s", stderr)
	}
	if !strings.Contains(stderr, "备份中不含密钥") || !strings.Contains(stderr, filepath.Join(srv.data, "keys.db")) {
		t.Errorf("backup output %q does not warn that keys.db is needed and where it is", stderr)
	}
	keys := filepath.Join(t.TempDir(), "keys")
	if _, stderr, code := run(t, "backup-keys", "--data", srv.data, "--out", keys); code != 0 {
		t.Fatalf("backup-keys while serving: %s", stderr)
	}
	_, stderr, code = run(t, "restore", backup, "--data", srv.data)
	if code == 0 || !strings.Contains(stderr, "服务器正在运行") {
		t.Errorf("restore while serving: exit %d, %q; want a refusal", code, stderr)
	}
	srv.stop()

	target := t.TempDir()
	_, stderr, code = run(t, "restore", backup, "--data", target)
	if code == 0 || !strings.Contains(stderr, "打不开备份") || !strings.Contains(stderr, "keys.db") {
		t.Errorf("restore without the keys: exit %d, %q; want a refusal naming keys.db", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(target, "pool.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a restore refused for missing keys left pool.db (stat: %v)", err)
	}

	for _, name := range []string{"keys.db", "master.key"} {
		info, err := os.Stat(filepath.Join(keys, name))
		if err != nil {
			t.Fatalf("backup-keys wrote no %s: %v", name, err)
		}
		if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
			t.Errorf("%s copy has mode %v, want 0600", name, info.Mode().Perm())
		}
		raw, err := os.ReadFile(filepath.Join(keys, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(target, name), raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, stderr, code = run(t, "restore", backup, "--data", target)
	if code != 0 || !strings.Contains(stderr, "新的纪元") {
		t.Fatalf("restore with the copied keys: exit %d, %q", code, stderr)
	}
	if got := personCount(t, target); got != 50 {
		t.Errorf("persons after restore = %d, want 50", got)
	}
	_, stderr, code = run(t, "restore", filepath.Join("testdata", "not-a-backup.db"), "--data", target)
	if code == 0 || !strings.Contains(stderr, "不是人才库备份") {
		t.Errorf("restore of a file that is no backup: exit %d, %q", code, stderr)
	}
	if got := personCount(t, target); got != 50 {
		t.Errorf("persons after a refused restore = %d, want 50", got)
	}
	stdout, _, _ := run(t, "audit", "--data", target, "--verify")
	if !strings.Contains(stdout, "审计日志完整") {
		t.Errorf("audit --verify after the restore: %q", stdout)
	}
}

// backup and backup-keys refuse an output that is a file the server uses,
// however the path is spelled, and leave the live files in place.
func TestBackupRefusesLiveFiles(t *testing.T) {
	srv := &serverProcess{t: t, data: t.TempDir(), addr: freeAddr(t)}
	if _, stderr, code := run(t, "demo", "--data", srv.data, "--people", "5"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	link := filepath.Join(t.TempDir(), "data-link")
	if err := os.Symlink(srv.data, link); err != nil {
		t.Fatal(err)
	}
	srv.start()
	defer srv.stop()
	liveNames := []string{"pool.db", "keys.db", "master.key", "admin.json"}
	before := map[string]os.FileInfo{}
	for _, name := range liveNames {
		info, err := os.Stat(filepath.Join(srv.data, name))
		if err != nil {
			t.Fatal(err)
		}
		before[name] = info
	}

	outs := []string{
		filepath.Join(srv.data, "pool.db"),
		filepath.Join(srv.data, ".", "pool.db"),
		filepath.Join(link, "pool.db"),
		filepath.Join(srv.data, "keys.db"),
		filepath.Join(srv.data, "master.key"),
		filepath.Join(srv.data, "admin.json"),
		filepath.Join(srv.data, "tls", "cert.pem"),
		filepath.Join(srv.data, "tls", "new.db"),
	}
	for _, out := range outs {
		_, stderr, code := run(t, "backup", "--data", srv.data, "--out", out)
		if code == 0 {
			t.Errorf("backup --out %s: exit 0, want a refusal", out)
		}
		if !strings.Contains(stderr, "服务器正在使用") {
			t.Errorf("backup --out %s: %q, want the live-file message", out, stderr)
		}
	}
	for _, out := range []string{srv.data, srv.data + string(filepath.Separator) + ".", link} {
		_, stderr, code := run(t, "backup-keys", "--data", srv.data, "--out", out)
		if code == 0 {
			t.Errorf("backup-keys --out %s: exit 0, want a refusal", out)
		}
		if !strings.Contains(stderr, "就是服务器的数据目录") {
			t.Errorf("backup-keys --out %s: %q, want the data-folder message", out, stderr)
		}
	}
	for _, name := range liveNames {
		info, err := os.Stat(filepath.Join(srv.data, name))
		if err != nil {
			t.Fatalf("%s after the refused backups: %v", name, err)
		}
		if !os.SameFile(before[name], info) {
			t.Errorf("%s was replaced by a refused backup", name)
		}
	}

	// A backup beside the live files, under another name, is allowed.
	beside := filepath.Join(srv.data, "pool-copy.db")
	if _, stderr, code := run(t, "backup", "--data", srv.data, "--out", beside); code != 0 {
		t.Errorf("backup --out %s: %s", beside, stderr)
	}
}
