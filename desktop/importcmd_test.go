package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mobilefactory/desktop/store"
)

const (
	importAccount  = "lihua"
	importPassword = "import-password-2025"
)

// importDataDir makes a data folder whose store is enrolled for
// testCollege with the clerk account importAccount.
func importDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(storePath(dir), store.Options{Argon2: store.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.AddAccount(importAccount, importPassword, true); err != nil {
		t.Fatal(err)
	}
	setIdentityRole(t, st, "clerk")
	return dir
}

// runImportIn runs desktop import in dir and returns what it printed.
func runImportIn(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	t.Setenv(envPassword, importPassword)
	return captureStdout(t, func() error {
		return runImport(append(args, "--data", dir, "--account", importAccount))
	})
}

// storedCount opens the store in dir and returns its persons and pending
// changes.
func storedCount(t *testing.T, dir string) (persons, pending int) {
	t.Helper()
	st, err := store.Open(storePath(dir), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Unlock(importAccount, importPassword); err != nil {
		t.Fatal(err)
	}
	return st.Count(), st.Pending()
}

// importListFile writes a list with one valid row, one rejected row and
// the unknown column 联络手机.
func importListFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "list.csv")
	data := "姓名,身份证号,联络手机\r\n" +
		"王建华,360403200202170219,13807912345\r\n" +
		"赵敏,360321200307300646x,13907971111\r\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportCommandDryRun(t *testing.T) {
	dir := importDataDir(t)
	out, err := runImportIn(t, dir, importListFile(t), "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"预览：新增 1、更新 0、跳过 0、拒绝 1", "第 3 行“身份证号”列", "联络手机", "--map", "phone（手机号）", "没有写入任何数据"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if persons, pending := storedCount(t, dir); persons != 0 || pending != 0 {
		t.Errorf("dry run stored %d persons, %d changes; want none", persons, pending)
	}
}

func TestImportCommandAllOrNothing(t *testing.T) {
	dir := importDataDir(t)
	_, err := runImportIn(t, dir, importListFile(t), "--all-or-nothing")
	if err == nil || !strings.Contains(err.Error(), "没有导入任何数据") {
		t.Fatalf("error = %v, want the all-or-nothing message", err)
	}
	if persons, _ := storedCount(t, dir); persons != 0 {
		t.Errorf("stored %d persons, want 0", persons)
	}
}

func TestImportCommandMapAndErrors(t *testing.T) {
	dir := importDataDir(t)
	rejected := filepath.Join(t.TempDir(), "rejected.xlsx")
	out, err := runImportIn(t, dir, importListFile(t), "--map", "联络手机=手机号", "--errors", rejected)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "未识别") {
		t.Errorf("mapped column listed as unknown:\n%s", out)
	}
	if !strings.Contains(out, "新增 1 人") {
		t.Errorf("output lacks the summary:\n%s", out)
	}
	if _, err := os.Stat(rejected); err != nil {
		t.Errorf("rejected rows file: %v", err)
	}
	if persons, pending := storedCount(t, dir); persons != 1 || pending == 0 {
		t.Errorf("stored %d persons, %d changes; want 1 person", persons, pending)
	}
}

func TestImportCommandBadMap(t *testing.T) {
	dir := importDataDir(t)
	_, err := runImportIn(t, dir, importListFile(t), "--map", "联络手机=remark")
	if err == nil || !strings.Contains(err.Error(), "remark") {
		t.Errorf("error = %v, want the unknown field named", err)
	}
}
