package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"mobilefactory/desktop/report"
	"mobilefactory/desktop/store"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

const (
	reportAccount  = "wanglan"
	reportPassword = "review-password-2025"
	reportClass    = "2025届数控车工定制班"
)

// reportPerson is one member of the class reportDataDir makes.
type reportPerson struct {
	Name, StudentNo, IDNumber string
	Consent                   bool
}

var reportPeople = []reportPerson{
	{"陈思远", "2022050117", "36012120020101099X", true},
	{"刘芳", "2022050118", "", true},
	{"王磊", "2022050119", "", false},
}

// reportDataDir makes a data folder whose store has the reviewer account
// reportAccount and the members of reportPeople in the class reportClass,
// each with an approved training record in a job-tailored programme.
// The device is enrolled with role. It returns the folder and the
// persons' record ids.
func reportDataDir(t *testing.T, role string) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(storePath(dir), store.Options{Argon2: store.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.AddAccount(reportAccount, reportPassword, true); err != nil {
		t.Fatal(err)
	}
	setIdentityRole(t, st, "clerk")
	programme, err := st.SaveProgramme(record.Programme{Title: "数控车工岗位定制培训", Employer: "江西洪都数控机械有限公司",
		Position: "数控车工", Modules: []record.Module{{Key: "车床操作实训", Name: "车床操作实训", Hours: 80, PassMark: 70}}})
	if err != nil {
		t.Fatal(err)
	}
	class, err := st.SaveClass(record.Class{Title: reportClass, Programme: programme.ID, Start: "2024-03-01"})
	if err != nil {
		t.Fatal(err)
	}

	var ids []string
	var refs []store.ReviewRef
	for _, rp := range reportPeople {
		p, err := st.SavePerson(record.Person{Name: rp.Name, StudentNo: rp.StudentNo, IDNumber: rp.IDNumber, GradYear: 2025})
		if err != nil {
			t.Fatal(err)
		}
		if rp.Consent {
			if err := st.RecordConsent(p.ID, "written"); err != nil {
				t.Fatal(err)
			}
		}
		training := record.Training{Person: p.ID, Programme: programme.ID, Class: class.ID, Date: "2024-06-28",
			Results: record.Results{"车床操作实训": {Attended: 80, Score: 90}}}
		id, err := st.SaveHistory(record.KindTraining, "", training.Fields())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
		refs = append(refs, store.ReviewRef{Kind: record.KindTraining, ID: id})
	}
	setIdentityRole(t, st, "reviewer")
	if err := st.SetReview(refs, record.ReviewApproved, ""); err != nil {
		t.Fatal(err)
	}
	setIdentityRole(t, st, role)
	return dir, ids
}

func setIdentityRole(t *testing.T, st *store.Store, role string) {
	t.Helper()
	if err := st.SetIdentity(store.Identity{Device: st.Device(), College: testCollege, Role: role}); err != nil {
		t.Fatal(err)
	}
}

// pdfFileText returns the text of a PDF file as pdftotext extracts it,
// without whitespace. The Makefile installs pdftotext (poppler-utils).
func pdfFileText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v (make deps installs poppler-utils)", path, err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

func runReportAs(t *testing.T, dir string, args ...string) error {
	t.Helper()
	t.Setenv(envPassword, reportPassword)
	_, err := captureStdout(t, func() error {
		return runReport(append(args, "--data", dir, "--account", reportAccount))
	})
	return err
}

func TestReportCommandByIDNumber(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := reportDataDir(t, "clerk")
	file := filepath.Join(t.TempDir(), "陈思远.pdf")
	if err := runReportAs(t, dir, "36012120020101099x", "--out", file); err != nil {
		t.Fatalf("report: %v", err)
	}
	text := pdfFileText(t, file)
	for _, want := range []string{"就业推荐报告", "陈思远", "数控车工岗位定制培训", "江西财经职业学院", "审核人" + reportAccount, "3601**********099X"} {
		if !strings.Contains(text, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
}

func TestReportCommandUnmaskedByID(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, ids := reportDataDir(t, "clerk")
	file := filepath.Join(t.TempDir(), "report.pdf")
	if err := runReportAs(t, dir, "--out", file, "--unmasked", ids[0]); err != nil {
		t.Fatalf("report: %v", err)
	}
	if text := pdfFileText(t, file); !strings.Contains(text, "36012120020101099X") {
		t.Error("unmasked report lacks the full ID number")
	}
}

func TestReportCommandNoConsent(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, ids := reportDataDir(t, "clerk")
	file := filepath.Join(t.TempDir(), "report.pdf")
	err := runReportAs(t, dir, ids[2], "--out", file)
	if err == nil || !strings.Contains(err.Error(), "王磊 没有登记本人同意入库推荐") {
		t.Errorf("export without consent: %v, want the consent message", err)
	}
	if _, statErr := os.Stat(file); statErr == nil {
		t.Error("an export without consent wrote the file")
	}
}

func TestReportCommandPersonNotFound(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := reportDataDir(t, "clerk")
	err := runReportAs(t, dir, "360121200201010000", "--out", filepath.Join(t.TempDir(), "x.pdf"))
	if err == nil || !strings.Contains(err.Error(), "找不到人员“360121200201010000”") {
		t.Errorf("export of an unknown person: %v, want the not-found message", err)
	}
}

// A class export writes one file per consenting member and names the one
// without consent.
func TestReportCommandClass(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := reportDataDir(t, "clerk")
	outDir := filepath.Join(t.TempDir(), "报告")
	err := runReportAs(t, dir, "--class", reportClass, "--out", outDir)
	if err == nil || !strings.Contains(err.Error(), "已导出 2 份报告") || !strings.Contains(err.Error(), "另有 1 人未导出") {
		t.Errorf("class export with one person without consent: %v, want 2 written and 1 not", err)
	}
	entries, readErr := os.ReadDir(outDir)
	if readErr != nil {
		t.Fatal(readErr)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"2022050117-陈思远.pdf", "2022050118-刘芳.pdf"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("files = %v, want %v", names, want)
	}
	if text := pdfFileText(t, filepath.Join(outDir, want[1])); !strings.Contains(text, "刘芳") {
		t.Errorf("%s does not name 刘芳", want[1])
	}
}

func TestReportCommandUsageErrors(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--out", "x.pdf"}, "请给出要导出的人员"},
		{[]string{"陈思远", "--class", "一班", "--out", "x"}, "只能给出一个"},
		{[]string{"陈思远"}, "请用 --out 给出保存位置"},
		{[]string{"a", "b", "--out", "x.pdf"}, "b"},
	}
	for _, c := range cases {
		err := runReport(c.args)
		if !cli.IsUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("report %v: %v, want a usage error containing %q", c.args, err, c.want)
		}
	}
}

func TestSanitizeFileName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"2022050117-陈思远", "2022050117-陈思远"},
		{`a/b\c:d*e?f"g<h>i|j`, "a_b_c_d_e_f_g_h_i_j"},
		{"名字. ", "名字"},
		{"CON", "_CON"},
		{"com1.txt", "_com1.txt"},
		{"tab\there", "tab_here"},
		{"...", "_"},
	}
	for _, c := range cases {
		if got := report.SanitizeFileName(c.in); got != c.want {
			t.Errorf("report.SanitizeFileName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestReportFileNameLongName(t *testing.T) {
	name := report.FileName(record.Person{ID: "01JABCDEFGHJKMNPQRSTVWXYZ0", Name: strings.Repeat("欧阳", 100)})
	if len(name) > report.MaxFileNameBytes+len(".pdf") || !strings.HasPrefix(name, "01JABCDEFGHJKMNPQRSTVWXYZ0-欧阳") {
		t.Errorf("file name = %q (%d bytes), want the record id and at most %d bytes", name, len(name), report.MaxFileNameBytes+4)
	}
	if !utf8.ValidString(name) || !strings.HasSuffix(name, ".pdf") {
		t.Errorf("file name = %q, want valid UTF-8 ending in .pdf", name)
	}
}

func TestUniqueNameIgnoresCase(t *testing.T) {
	used := map[string]bool{}
	got := []string{report.UniqueName(used, "A-李.pdf"), report.UniqueName(used, "a-李.pdf"), report.UniqueName(used, "A-李.pdf")}
	want := []string{"A-李.pdf", "a-李-2.pdf", "A-李-3.pdf"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("name %d = %q, want %q", i, got[i], want[i])
		}
	}
}

// A report never overwrites the device's store: the tester's
// --out <data>/client.db replaced the store with a PDF.
func TestReportCommandRefusesStoreFile(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, ids := reportDataDir(t, "clerk")
	for _, out := range []string{storePath(dir), filepath.Join(dir, ".", "client.db")} {
		err := runReportAs(t, dir, ids[0], "--out", out)
		if err == nil || !strings.Contains(err.Error(), "是本机的人才库文件") || !strings.Contains(err.Error(), "请换一个文件名") {
			t.Errorf("report --out %s: %v, want the store-file message", out, err)
		}
	}
	// Signing in writes to the store, so the check is that it still opens
	// and holds the person.
	after, err := os.ReadFile(storePath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(after, []byte("%PDF-")) {
		t.Fatal("the store file was replaced by a PDF")
	}
	st := openReportStore(t, dir)
	if _, err := st.Person(ids[0]); err != nil {
		t.Errorf("the store lost person %s: %v", ids[0], err)
	}
}

// openReportStore opens the store of reportDataDir's folder dir and signs
// reportAccount in.
func openReportStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(storePath(dir), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Unlock(reportAccount, reportPassword); err != nil {
		t.Fatal(err)
	}
	return st
}

// An existing file that is not a PDF is kept; an earlier report and an
// empty file, as a save dialog leaves, are overwritten.
func TestReportCommandOverwriteOnlyPDF(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, ids := reportDataDir(t, "clerk")
	out := t.TempDir()
	notes := filepath.Join(out, "名单.xlsx")
	if err := os.WriteFile(notes, []byte("PK\x03\x04 spreadsheet"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := runReportAs(t, dir, ids[0], "--out", notes)
	if err == nil || !strings.Contains(err.Error(), notes+" 已存在，而且不是 PDF 文件") {
		t.Errorf("report over a spreadsheet: %v, want the not-a-PDF message", err)
	}
	if data, _ := os.ReadFile(notes); string(data) != "PK\x03\x04 spreadsheet" {
		t.Errorf("the spreadsheet was overwritten: it now holds %d bytes", len(data))
	}

	empty := filepath.Join(out, "empty.pdf")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{empty, empty} { // the second run replaces a report
		if err := runReportAs(t, dir, ids[0], "--out", file); err != nil {
			t.Fatalf("report --out %s: %v", file, err)
		}
	}
	if data, _ := os.ReadFile(empty); !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Errorf("%s does not begin with %%PDF-", empty)
	}
}

// A data folder without a store is not enrolled, and the command creates
// nothing in it.
func TestReportCommandNotEnrolled(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	missing := filepath.Join(t.TempDir(), "nonexist")
	err := runReportAs(t, missing, "36012120020101099X", "--out", filepath.Join(t.TempDir(), "x.pdf"))
	if err == nil || err.Error() != i18n.T("desktop.not_enrolled") {
		t.Errorf("report with a missing data folder: %v, want %q", err, i18n.T("desktop.not_enrolled"))
	}
	if _, statErr := os.Stat(missing); !os.IsNotExist(statErr) {
		t.Errorf("the missing data folder was created (stat: %v)", statErr)
	}

	// A store that was never enrolled gets the same message.
	dir := t.TempDir()
	st, err := store.Open(storePath(dir), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	err = runReportAs(t, dir, "36012120020101099X", "--out", filepath.Join(t.TempDir(), "x.pdf"))
	if err == nil || err.Error() != i18n.T("desktop.not_enrolled") {
		t.Errorf("report from a store never enrolled: %v, want the not-enrolled message", err)
	}
}

func TestReportCommandWriteErrors(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, ids := reportDataDir(t, "clerk")
	base := t.TempDir()
	plainFile := filepath.Join(base, "notes.txt")
	if err := os.WriteFile(plainFile, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(base, "missing")
	cases := []struct {
		out, want string
	}{
		{filepath.Join(missing, "r.pdf"), "文件夹 " + missing + " 不存在，请先创建它或换一个位置"},
		{filepath.Join(plainFile, "r.pdf"), plainFile + " 不是文件夹"},
		{base, base + " 是一个文件夹。导出一个人的报告时，--out 要给出 PDF 文件名"},
	}
	for _, c := range cases {
		err := runReportAs(t, dir, ids[0], "--out", c.out)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("report --out %s: %v, want %q", c.out, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), ".tmp") || strings.Contains(err.Error(), "rename") {
			t.Errorf("report --out %s: %q shows a temporary file or a Go error", c.out, err)
		}
	}
}

// A class export into a folder it cannot make stops once, before any
// member's report.
func TestReportCommandClassFolderChecked(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := reportDataDir(t, "clerk")
	plainFile := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(plainFile, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envPassword, reportPassword)
	var stdout, stderr bytes.Buffer
	st, err := openEnrolled(dir, reportAccount)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	outDir := filepath.Join(plainFile, "报告")
	err = exportClassReports(&stdout, &stderr, st, reportClass, outDir, report.Options{Locale: i18n.Chinese})
	if err == nil || !strings.Contains(err.Error(), " 不是文件夹") {
		t.Errorf("class export under a file: %v, want the not-a-folder message", err)
	}
	if stderr.Len() != 0 || stdout.Len() != 0 {
		t.Errorf("class export printed per-member lines:\n%s%s", stdout.String(), stderr.String())
	}
}

// Spaces around --class and a full-width ID number are accepted.
func TestReportCommandInputsNormalised(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := reportDataDir(t, "clerk")
	file := filepath.Join(t.TempDir(), "陈思远.pdf")
	if err := runReportAs(t, dir, "３６０１２１２００２０１０１０９９Ｘ", "--out", file); err != nil {
		t.Errorf("report by a full-width ID number: %v", err)
	}
	outDir := filepath.Join(t.TempDir(), "报告")
	err := runReportAs(t, dir, "--class", "  "+reportClass+" ", "--out", outDir)
	if err == nil || !strings.Contains(err.Error(), "已导出 2 份报告") {
		t.Errorf("class export with spaces around the title: %v, want 2 written", err)
	}
}

func TestReportCommandMoreUsageErrors(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	cases := []struct {
		args    []string
		want    string
		notWant string
	}{
		{[]string{"陈思远", "--out", "-"}, "--out 不能是 -", ""},
		{[]string{"a", "b", "--out", "x.pdf"}, "已给出“a”，又多给了“b”", "--out"},
		{[]string{"--out", "x.pdf", "a", "b"}, "又多给了“b”", "x.pdf"},
	}
	for _, c := range cases {
		err := runReport(c.args)
		if !cli.IsUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("report %v: %v, want a usage error containing %q", c.args, err, c.want)
			continue
		}
		if c.notWant != "" && strings.Contains(err.Error(), c.notWant) {
			t.Errorf("report %v: %q lists %q", c.args, err, c.notWant)
		}
	}
}

// A fair device keeps no college records, so it gets one message up
// front, with or without --unmasked.
func TestReportCommandFairDevice(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, ids := reportDataDir(t, "fair")
	for _, extra := range [][]string{nil, {"--unmasked"}} {
		file := filepath.Join(t.TempDir(), "report.pdf")
		err := runReportAs(t, dir, append([]string{ids[0], "--out", file}, extra...)...)
		if err == nil || !strings.Contains(err.Error(), "招聘会设备不保存人才档案，无法导出推荐报告") {
			t.Errorf("report %v on a fair device: %v, want the fair-device message", extra, err)
		}
		if _, statErr := os.Stat(file); statErr == nil {
			t.Error("a fair device wrote the file")
		}
	}
}

// An unmasked export queues an access event with action export for the
// server's audit log, not a reveal.
func TestReportCommandUnmaskedAuditedAsExport(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, ids := reportDataDir(t, "clerk")
	if err := runReportAs(t, dir, ids[0], "--unmasked", "--out", filepath.Join(t.TempDir(), "r.pdf")); err != nil {
		t.Fatalf("report: %v", err)
	}
	st := openReportStore(t, dir)
	changes, err := st.Outbox(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, c := range changes {
		if c.Kind == record.KindAccess && c.Field == record.FieldAction {
			actions = append(actions, c.Value)
		}
	}
	if len(actions) != 1 || actions[0] != record.AccessExport {
		t.Errorf("access event actions = %v, want [%s]", actions, record.AccessExport)
	}
}

func TestReportCommandListClasses(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := reportDataDir(t, "clerk")
	t.Setenv(envPassword, reportPassword)
	out, err := captureStdout(t, func() error {
		return runReport([]string{"--list-classes", "--data", dir, "--account", reportAccount})
	})
	if err != nil {
		t.Fatalf("report --list-classes: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("output = %q, want a header and one class", out)
	}
	if got := strings.Fields(lines[1]); strings.Join(got, " ") != reportClass+" 数控车工岗位定制培训 3" {
		t.Errorf("class line = %q, want title, programme and 3 members", lines[1])
	}
	// The second column starts at the same terminal column in both lines.
	header, row := lines[0], lines[1]
	headerCol := i18n.DisplayWidth(header[:strings.Index(header, "培训项目")])
	rowCol := i18n.DisplayWidth(row[:strings.Index(row, "数控车工岗位定制培训")])
	if headerCol != rowCol {
		t.Errorf("programme column starts at %d in the header and %d in the row:\n%s\n%s", headerCol, rowCol, header, row)
	}
}
