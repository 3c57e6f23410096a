package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

// sheetRows returns the rows of the first sheet of an xlsx file.
func sheetRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestPersonListExportFiltered(t *testing.T) {
	st := openClockedStore(t, access.Clerk, newTestClock(time.Date(2026, 12, 5, 9, 0, 0, 0, time.Local)))
	li := savePerson(t, st, record.Person{Name: "李志明", IDNumber: "36012120020101099X", Phone: "13907971111", StudentNo: "JXCJ2024001"})
	savePerson(t, st, record.Person{Name: "李娜", IDNumber: validID(t, "36010420020315002"), StudentNo: "JXCJ2024003"})
	savePerson(t, st, record.Person{Name: "王芳", IDNumber: "360104200203150028", StudentNo: "JXCJ2024002"})
	h := newHarness(t, st, Options{})
	h.w.now = func() time.Time { return time.Date(2026, 12, 5, 9, 0, 0, 0, time.Local) }
	h.queue.flush()
	persons := h.w.main.persons

	test.Type(persons.search, "李")
	h.queue.flush()
	if len(persons.results) != 2 {
		t.Fatalf("search 李 lists %d persons, want 2", len(persons.results))
	}
	dir := t.TempDir()
	var path string
	var writeErr error
	done := false
	h.w.writeList(dir, "export.list.people", persons.listTable(), func(p string, err error) { path, writeErr, done = p, err, true })
	h.queue.flush()
	if !done {
		t.Fatal("the export did not finish")
	}
	if writeErr != nil {
		t.Fatalf("export: %v", writeErr)
	}
	if want := filepath.Join(dir, "人才名单-20261205.xlsx"); path != want {
		t.Errorf("exported to %s, want %s", path, want)
	}

	rows := sheetRows(t, path)
	if len(rows) != 3 {
		t.Fatalf("file has %d rows, want the header and the 2 persons found: %q", len(rows), rows)
	}
	if got := strings.Join(rows[0][:3], "|"); got != "姓名|学号|身份证号" {
		t.Errorf("first headers = %s, want the list's order 姓名|学号|身份证号", got)
	}
	names := rows[1][0] + "|" + rows[2][0]
	if names != persons.results[0].Name+"|"+persons.results[1].Name {
		t.Errorf("exported names = %s, want the list's order %s|%s", names, persons.results[0].Name, persons.results[1].Name)
	}
	all := strings.Join(append(rows[1], rows[2]...), "\t")
	if strings.Contains(all, "王芳") {
		t.Error("the export contains 王芳, whom the search hides")
	}
	if strings.Contains(all, li.IDNumber) || strings.Contains(all, li.Phone) {
		t.Error("a clerk's list export contains a full ID number or phone")
	}
	if !strings.Contains(all, "3601**********099X") || !strings.Contains(all, "139****1111") {
		t.Errorf("the export lacks the masked ID number or phone: %s", all)
	}

	// A second export the same day keeps the first file.
	var second string
	h.w.writeList(dir, "export.list.people", persons.listTable(), func(p string, err error) { second = p })
	h.queue.flush()
	if want := filepath.Join(dir, "人才名单-20261205-2.xlsx"); second != want {
		t.Errorf("second export went to %s, want %s", second, want)
	}
	if len(sheetRows(t, path)) != 3 {
		t.Error("the second export changed the first file")
	}
}

func TestReviewQueueExportFiltered(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	f.h.w.now = func() time.Time { return time.Date(2026, 3, 2, 15, 0, 0, 0, time.Local) }
	f.q.kind.SetSelected("培训")
	if len(f.q.shown) != 1 {
		t.Fatalf("kind 培训 shows %d rows, want 1", len(f.q.shown))
	}
	dir := t.TempDir()
	var path string
	var writeErr error
	f.h.w.writeList(dir, "export.list.review", f.q.listTable(), func(p string, err error) { path, writeErr = p, err })
	f.h.queue.flush()
	if writeErr != nil {
		t.Fatalf("export: %v", writeErr)
	}
	if want := filepath.Join(dir, "审核队列-20260302.xlsx"); path != want {
		t.Errorf("exported to %s, want %s", path, want)
	}
	rows := sheetRows(t, path)
	want := [][]string{
		{"类别", "姓名", "内容", "班级", "提交时间"},
		{"培训", "李志明", "基础模块 · 104 学时 · 成绩 85 · 已结业", "2026 数控定制班", "2026年3月2日 11:00"},
	}
	if len(rows) != len(want) {
		t.Fatalf("file rows = %q, want %d rows", rows, len(want))
	}
	for i := range want {
		if got := strings.Join(rows[i], "|"); got != strings.Join(want[i], "|") {
			t.Errorf("row %d = %s, want %s", i+1, got, strings.Join(want[i], "|"))
		}
	}
}

func TestListExportMissingFolder(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	dir := filepath.Join(t.TempDir(), "没有")
	var writeErr error
	f.h.w.writeList(dir, "export.list.review", f.q.listTable(), func(_ string, err error) { writeErr = err })
	f.h.queue.flush()
	if writeErr == nil || !strings.Contains(writeErr.Error(), "不存在") {
		t.Errorf("export into a missing folder: %v, want the folder-missing message", writeErr)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the export created the folder: %v", err)
	}
}
