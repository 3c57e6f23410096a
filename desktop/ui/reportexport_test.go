package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mobilefactory/shared/record"
)

func TestExportReportsSkipsUnconsented(t *testing.T) {
	st := openStore(t, true)
	li := savePerson(t, st, record.Person{Name: "李志明", IDNumber: "36012120020101099X", StudentNo: "JXCJ2024001",
		Consent: record.ConsentGiven, ConsentAt: "2026-03-01", ConsentMethod: "written"})
	wang := savePerson(t, st, record.Person{Name: "王芳", IDNumber: "360104200203150028", StudentNo: "JXCJ2024002"})
	h := newHarness(t, st, Options{})
	h.w.progressDelay = 0
	dir := t.TempDir()

	var got *reportResult
	h.w.exportReports([]record.Person{li, wang}, dir, false, func(r reportResult) { got = &r })
	if top := h.win.Canvas().Overlays().Top(); top == nil {
		t.Fatal("no progress dialog shows while the export runs")
	}
	h.queue.flush()

	if got == nil {
		t.Fatal("the export did not finish")
	}
	want := filepath.Join(dir, "JXCJ2024001-李志明.pdf")
	if len(got.written) != 1 || got.written[0] != want {
		t.Errorf("written = %q, want [%s]", got.written, want)
	}
	if info, err := os.Stat(want); err != nil || info.Size() == 0 {
		t.Errorf("report file %s: %v", want, err)
	}
	if len(got.failed) != 1 || strings.Count(got.failed[0], "王芳") != 1 || !strings.Contains(got.failed[0], "没有登记本人同意") {
		t.Errorf("failed = %q, want one message naming 王芳 once and the missing consent", got.failed)
	}
	if _, err := os.Stat(filepath.Join(dir, "JXCJ2024002-王芳.pdf")); !os.IsNotExist(err) {
		t.Errorf("a report was written for a person without consent: %v", err)
	}
}

func TestReportButtonDisabledForNewPerson(t *testing.T) {
	st := openStore(t, true)
	li := savePerson(t, st, record.Person{Name: "李志明", IDNumber: "36012120020101099X"})
	h := newHarness(t, st, Options{})
	page := h.w.main.page

	page.clear()
	if !page.report.Disabled() {
		t.Error("推荐报告 is enabled on a blank new-person form")
	}
	h.w.main.persons.selectID(li.ID)
	if page.report.Disabled() {
		t.Error("推荐报告 is disabled for a saved person")
	}
}

func TestFreeReportPathSkipsExisting(t *testing.T) {
	dir := t.TempDir()
	p := record.Person{ID: "01JABCDEFGHJKMNPQRSTVWXYZ0", Name: "李志明", StudentNo: "JXCJ2024001"}
	first := freeReportPath(dir, p, map[string]bool{})
	if want := filepath.Join(dir, "JXCJ2024001-李志明.pdf"); first != want {
		t.Fatalf("first path = %s, want %s", first, want)
	}
	if err := os.WriteFile(first, []byte("%PDF-1.4"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, want := freeReportPath(dir, p, map[string]bool{}), filepath.Join(dir, "JXCJ2024001-李志明-2.pdf"); got != want {
		t.Errorf("path beside an existing report = %s, want %s", got, want)
	}
}

func TestExportReportsKeepsExistingFiles(t *testing.T) {
	st := openStore(t, true)
	li := savePerson(t, st, record.Person{Name: "李志明", IDNumber: "36012120020101099X", StudentNo: "JXCJ2024001",
		Consent: record.ConsentGiven, ConsentAt: "2026-03-01", ConsentMethod: "written"})
	h := newHarness(t, st, Options{})
	h.w.progressDelay = 0
	dir := t.TempDir()
	earlier := filepath.Join(dir, "JXCJ2024001-李志明.pdf")
	if err := os.WriteFile(earlier, []byte("%PDF-1.4 earlier"), 0o600); err != nil {
		t.Fatal(err)
	}

	var got *reportResult
	h.w.exportReports([]record.Person{li}, dir, false, func(r reportResult) { got = &r })
	h.queue.flush()
	if want := filepath.Join(dir, "JXCJ2024001-李志明-2.pdf"); got == nil || len(got.written) != 1 || got.written[0] != want {
		t.Fatalf("result = %+v, want the report written as %s", got, want)
	}
	if data, err := os.ReadFile(earlier); err != nil || string(data) != "%PDF-1.4 earlier" {
		t.Errorf("the earlier report was changed: %q, %v", data, err)
	}
}

func TestExportReportsMissingFolderOneMessage(t *testing.T) {
	st := openStore(t, true)
	li := savePerson(t, st, record.Person{Name: "李志明", IDNumber: "36012120020101099X",
		Consent: record.ConsentGiven, ConsentAt: "2026-03-01", ConsentMethod: "written"})
	wang := savePerson(t, st, record.Person{Name: "王芳", IDNumber: "360104200203150028",
		Consent: record.ConsentGiven, ConsentAt: "2026-03-01", ConsentMethod: "written"})
	h := newHarness(t, st, Options{})
	h.w.progressDelay = 0
	// A file where the folder should be: the folder cannot be made.
	blocker := filepath.Join(t.TempDir(), "reports")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}

	var got *reportResult
	h.w.exportReports([]record.Person{li, wang}, blocker, false, func(r reportResult) { got = &r })
	h.queue.flush()
	if got == nil {
		t.Fatal("the export did not finish")
	}
	if len(got.failed) != 1 || len(got.written) != 0 {
		t.Errorf("result = %d written, failures %q; want none written and one message", len(got.written), got.failed)
	}
}
