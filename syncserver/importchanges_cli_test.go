package main

import (
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/transfer"
	"mobilefactory/syncserver/pool"
)

// offlineDevice makes a pool file in dataDir with one device enrolled
// directly, and returns the device's store with the given persons saved.
func offlineDevice(t *testing.T, dataDir string, names ...string) *store.Store {
	t.Helper()
	p, err := pool.Open(poolPath(dataDir), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	st, err := store.Open(filepath.Join(t.TempDir(), "fair.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	code, err := p.CreateEnrolment(testCollege, "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Enrol(code, st.Device(), pub, "test"); err != nil {
		t.Fatal(err)
	}
	ident := store.Identity{Device: st.Device(), College: testCollege, Role: "clerk", PrivateKey: priv,
		TransferKey: p.TransferKey().PublicKey().Bytes()}
	if err := st.SetIdentity(ident); err != nil {
		t.Fatal(err)
	}
	savePeople(t, st, names...)
	return st
}

// writeExport writes st's outbox to path as one change file.
func writeExport(t *testing.T, st *store.Store, path string) []byte {
	t.Helper()
	data := exportOne(t, st)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return data
}

// With the server stopped, import-changes opens the pool file. A repeated
// import applies nothing, and a changed file is rejected with a message
// that names it.
func TestImportChangesCommand(t *testing.T) {
	data := t.TempDir()
	st := offlineDevice(t, data, "李娜", "王芳")
	n := st.Pending()
	file := filepath.Join(t.TempDir(), "招聘会.mfc")
	raw := writeExport(t, st, file)

	stdout, stderr, code := run(t, "import-changes", file, "--data", data)
	if code != 0 {
		t.Fatalf("import-changes exit code = %d, stderr %q", code, stderr)
	}
	want := fmt.Sprintf("已导入“%s”：%d 条修改", file, n)
	if !strings.Contains(stdout, want) {
		t.Errorf("import-changes output = %q, want it to contain %q", stdout, want)
	}

	stdout, _, code = run(t, "import-changes", "--data", data, file)
	if code != 0 || !strings.Contains(stdout, "之前已导入过，这次没有重复导入") {
		t.Errorf("repeated import-changes: exit %d, output %q; want 0 and the already-imported message", code, stdout)
	}
	stdout, _, _ = run(t, "import-changes", file, "--data", data, "--lang", "en")
	if !strings.Contains(stdout, "was imported before") {
		t.Errorf("repeated import-changes --lang en output = %q", stdout)
	}

	tampered := filepath.Join(t.TempDir(), "tampered.mfc")
	raw[len(raw)-ed25519.SignatureSize-1] ^= 0x40
	if err := os.WriteFile(tampered, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = run(t, "import-changes", tampered, "--data", data)
	if code != 1 {
		t.Errorf("import-changes of a tampered file exit code = %d, want 1", code)
	}
	if !strings.Contains(stderr, "文件签名不符") || !strings.Contains(stderr, tampered) {
		t.Errorf("import-changes of a tampered file output = %q", stderr)
	}

	stdout, _, _ = run(t, "stats", "--data", data, "--json")
	if want := fmt.Sprintf(`"log_changes": %d`, n); !strings.Contains(stdout, want) {
		t.Errorf("stats after imports = %s, want %s", stdout, want)
	}
}

// Parts given in any order on one command line are applied in sequence
// order, so no gap is reported.
func TestImportChangesCommandSortsParts(t *testing.T) {
	data := t.TempDir()
	st := offlineDevice(t, data, "李娜", "王芳")
	dir := t.TempDir()
	parts := exportFiles(t, st, 3)
	var paths []string
	for i, part := range parts {
		path := filepath.Join(dir, fmt.Sprintf("part-%d.mfc", i+1))
		if err := os.WriteFile(path, part, 0o600); err != nil {
			t.Fatal(err)
		}
		// Newest part first.
		paths = append([]string{path}, paths...)
	}
	args := append([]string{"import-changes", "--data", data}, paths...)
	stdout, stderr, code := run(t, args...)
	if code != 0 {
		t.Fatalf("import-changes of %d parts in reverse: exit %d, stderr %q", len(parts), code, stderr)
	}
	if got := strings.Count(stdout, "已导入"); got != len(parts) {
		t.Errorf("import-changes reported %d imported files, want %d:\n%s", got, len(parts), stdout)
	}
}

func TestImportChangesCommandErrors(t *testing.T) {
	data := t.TempDir()
	_, stderr, code := run(t, "import-changes", "--data", data)
	if code != 2 || !strings.Contains(stderr, "缺少要导入的修改文件") {
		t.Errorf("import-changes without a file: exit %d, output %q; want 2 and the missing-file message", code, stderr)
	}
	missing := filepath.Join(t.TempDir(), "none.mfc")
	_, stderr, code = run(t, "import-changes", missing, "--data", data)
	if code != 1 || !strings.Contains(stderr, "找不到文件") {
		t.Errorf("import-changes of a missing file: exit %d, output %q", code, stderr)
	}

	future := filepath.Join(t.TempDir(), "future.mfc")
	if err := os.WriteFile(future, append([]byte(transfer.Magic), transfer.Version+1, 1, 2, 3), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = run(t, "import-changes", future, "--data", data)
	if code != 1 || !strings.Contains(stderr, "由更新版本的移动工厂导出") {
		t.Errorf("import-changes of a newer file: exit %d, output %q", code, stderr)
	}

	cut := filepath.Join(t.TempDir(), "cut.mfc")
	if err := os.WriteFile(cut, append([]byte(transfer.Magic), transfer.Version, 5, 'a', 'b', 'c'), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = run(t, "import-changes", cut, "--data", data)
	if code != 1 || !strings.Contains(stderr, "不完整") {
		t.Errorf("import-changes of a truncated file: exit %d, output %q", code, stderr)
	}

	version1 := filepath.Join("..", "shared", "transfer", "testdata", "version1.mfc")
	_, stderr, code = run(t, "import-changes", version1, "--data", data)
	if code != 1 || !strings.Contains(stderr, "旧版桌面端导出的未加密修改文件") || !strings.Contains(stderr, "删除 U 盘上的这个旧文件") {
		t.Errorf("import-changes of a version 1 file: exit %d, output %q", code, stderr)
	}

	// A valid file and a data folder with no pool: nothing is created.
	st := offlineDevice(t, t.TempDir(), "李娜")
	good := filepath.Join(t.TempDir(), "good.mfc")
	writeExport(t, st, good)
	_, stderr, code = run(t, "import-changes", good, "--data", data)
	if code != 1 || !strings.Contains(stderr, "没有人才库文件") {
		t.Errorf("import-changes into a folder with no pool: exit %d, output %q", code, stderr)
	}
	if _, err := os.Stat(poolPath(data)); err == nil {
		t.Errorf("import-changes created %s, want no pool made", poolPath(data))
	}
}

// The pool file moved to a server with another master key, as after
// master.key was lost and made anew. The device is known there, but its
// file does not decrypt, and the message names the cause.
func TestImportChangesCommandOtherMasterKey(t *testing.T) {
	// Each data folder makes its own master.key only when the environment
	// gives none.
	t.Setenv(pool.MasterKeyEnv, "")
	os.Unsetenv(pool.MasterKeyEnv)
	data := t.TempDir()
	st := offlineDevice(t, data, "李娜")
	file := filepath.Join(t.TempDir(), "招聘会.mfc")
	writeExport(t, st, file)

	moved := t.TempDir()
	raw, err := os.ReadFile(poolPath(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(poolPath(moved), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, "import-changes", file, "--data", moved)
	if code != 1 {
		t.Errorf("import-changes on a server with another master key: exit %d, want 1", code)
	}
	ident, _ := st.Identity()
	if !strings.Contains(stderr, "是为另一台服务器加密的") || !strings.Contains(stderr, ident.Device) {
		t.Errorf("import-changes on a server with another master key: output %q, want the other-server message naming device %s", stderr, ident.Device)
	}
	stdout, _, _ := run(t, "stats", "--data", moved, "--json")
	if !strings.Contains(stdout, `"log_changes": 0`) {
		t.Errorf("stats after the rejected import = %s, want no change in the log", stdout)
	}

	// The server the file was written for imports it.
	if _, stderr, code := run(t, "import-changes", file, "--data", data); code != 0 {
		t.Errorf("import-changes on the right server: exit %d, stderr %q", code, stderr)
	}
}
