package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mobilefactory/desktop/importer"
	"mobilefactory/desktop/store"
	"mobilefactory/shared/record"
)

// resultsDataDir makes a data folder like importDataDir with 王建华 and
// 赵敏 stored and the class 2025 春季客服班 of a programme of one module,
// 客户沟通 of 40 hours. Neither person is a member yet.
func resultsDataDir(t *testing.T) string {
	t.Helper()
	dir := importDataDir(t)
	st, err := store.Open(storePath(dir), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Unlock(importAccount, importPassword); err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(t.TempDir(), "list.csv")
	data := "姓名,身份证号\r\n王建华,360403200202170219\r\n赵敏,360321200307300646\r\n"
	if err := os.WriteFile(list, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := importer.ImportFile(st, list, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	p, err := st.SaveProgramme(record.Programme{Title: "客服专员岗前培训",
		Modules: []record.Module{{Key: "客户沟通", Name: "客户沟通", Hours: 40, PassMark: 60}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveClass(record.Class{Title: "2025 春季客服班", Programme: p.ID, Start: "2025-03-01", End: "2025-06-30"}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runImportResultsIn runs desktop import-results in dir and returns what it
// printed.
func runImportResultsIn(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	return runSignedIn(t, runImportResults, dir, args...)
}

// classMembers opens the store in dir and returns the members of the
// class titled 2025 春季客服班.
func classMembers(t *testing.T, dir string) []record.Training {
	t.Helper()
	st, err := store.Open(storePath(dir), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Unlock(importAccount, importPassword); err != nil {
		t.Fatal(err)
	}
	c, err := findClass(st, "2025 春季客服班")
	if err != nil {
		t.Fatal(err)
	}
	members, err := st.ClassMembers(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return members
}

func TestImportResultsCommand(t *testing.T) {
	dir := resultsDataDir(t)
	file := filepath.Join(t.TempDir(), "results.csv")
	data := "姓名,身份证号,客户沟通出勤,客户沟通成绩\r\n" +
		"王建华,360403200202170219,32,85\r\n" +
		"赵敏,360321200307300646,41,90\r\n"
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	rejected := filepath.Join(t.TempDir(), "rejected.xlsx")

	out, err := runImportResultsIn(t, dir, file, "--class", "2025 春季客服班", "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"预览：新增 1、更新 0、跳过 0、拒绝 1", "第 3 行“客户沟通出勤”列：出勤学时“41”应为 0 至 40 之间的整数", "没有写入任何数据"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if got := classMembers(t, dir); len(got) != 0 {
		t.Fatalf("dry run enrolled %d members, want 0", len(got))
	}

	out, err = runImportResultsIn(t, dir, file, "--class", "2025 春季客服班", "--errors", rejected)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "共读取 2 行：更新 0 人的成绩，新加入本班 1 人，0 人成绩无变化，1 行有问题未导入") {
		t.Errorf("output lacks the summary:\n%s", out)
	}
	if _, err := os.Stat(rejected); err != nil {
		t.Errorf("rejected rows file: %v", err)
	}
	members := classMembers(t, dir)
	if len(members) != 1 {
		t.Fatalf("class has %d members, want 1", len(members))
	}
	m := members[0]
	if m.Results.Encode() != "客户沟通=32/85" || !m.Completed || m.Hours != 32 || m.Review.Current() != record.ReviewDraft {
		t.Errorf("member: results %q, completed %v, hours %d, review %q; want 客户沟通=32/85, true, 32, draft",
			m.Results.Encode(), m.Completed, m.Hours, m.Review.Current())
	}
}

func TestImportResultsCommandNeedsClass(t *testing.T) {
	dir := resultsDataDir(t)
	file := filepath.Join(t.TempDir(), "results.csv")
	if err := os.WriteFile(file, []byte("姓名,身份证号,客户沟通出勤\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := runImportResultsIn(t, dir, file)
	if err == nil || !strings.Contains(err.Error(), "缺少 --class") {
		t.Errorf("error = %v, want the missing --class message", err)
	}
	_, err = runImportResultsIn(t, dir, file, "--class", "2024 秋季班")
	if err == nil || !strings.Contains(err.Error(), "本机找不到班级“2024 秋季班”") {
		t.Errorf("error = %v, want the class not found", err)
	}
}

func TestImportResultsCommandPrintsChanges(t *testing.T) {
	dir := resultsDataDir(t)
	first := filepath.Join(t.TempDir(), "first.csv")
	if err := os.WriteFile(first, []byte("姓名,身份证号,客户沟通出勤,客户沟通成绩\r\n王建华,360403200202170219,20,85\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := runImportResultsIn(t, dir, first, "--class", "2025 春季客服班"); err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(t.TempDir(), "second.csv")
	data := "姓名,身份证号,客户沟通出勤,客户沟通成绩\r\n" +
		"王建华,360403200202170219,32,85\r\n" +
		"赵敏,360321200307300646,40,90\r\n"
	if err := os.WriteFile(second, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}

	out, err := runImportResultsIn(t, dir, second, "--class", "2025 春季客服班", "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"预览：新增 1、更新 1、跳过 0、拒绝 0",
		"第 2 行 王建华：客户沟通 出勤 20 → 32\n",
		"第 3 行 赵敏：还不是“2025 春季客服班”的学员，导入时将加入本班并记录这些成绩\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestImportResultsCommandAllRejected(t *testing.T) {
	dir := resultsDataDir(t)
	file := filepath.Join(t.TempDir(), "results.csv")
	if err := os.WriteFile(file, []byte("姓名,身份证号,客户沟通出勤\r\n王建华,360403200202170219,41\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := runImportResultsIn(t, dir, file, "--class", "2025 春季客服班")
	if err == nil || !strings.Contains(err.Error(), "全部 1 行都被拒绝") {
		t.Errorf("error = %v, want the all-rejected message", err)
	}
	if got := classMembers(t, dir); len(got) != 0 {
		t.Errorf("class has %d members, want 0", len(got))
	}
}
