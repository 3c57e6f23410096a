package main

import (
	"encoding/json"
	"path/filepath"
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
// folder with the same records. Restoring while the server runs, or from a
// file that is no backup, changes nothing.
func TestBackupAndRestore(t *testing.T) {
	srv := &serverProcess{t: t, data: t.TempDir(), addr: freeAddr(t)}
	if _, stderr, code := run(t, "demo", "--data", srv.data, "--people", "50"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	srv.start()
	backup := filepath.Join(t.TempDir(), "pool-backup.db")
	if _, stderr, code := run(t, "backup", "--data", srv.data, "--out", backup); code != 0 {
		t.Fatalf("backup while serving: %s", stderr)
	}
	_, stderr, code := run(t, "restore", backup, "--data", srv.data)
	if code == 0 || !strings.Contains(stderr, "服务器正在运行") {
		t.Errorf("restore while serving: exit %d, %q; want a refusal", code, stderr)
	}
	srv.stop()

	target := t.TempDir()
	_, stderr, code = run(t, "restore", backup, "--data", target)
	if code != 0 || !strings.Contains(stderr, "新的纪元") {
		t.Fatalf("restore: exit %d, %q", code, stderr)
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
}
