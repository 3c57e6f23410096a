package main

import (
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

func TestReportCommandUnmaskedFairRejected(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, ids := reportDataDir(t, "fair")
	file := filepath.Join(t.TempDir(), "report.pdf")
	err := runReportAs(t, dir, ids[0], "--out", file, "--unmasked")
	if err == nil || !strings.Contains(err.Error(), "招聘会工作人员") || !strings.Contains(err.Error(), "去掉 --unmasked") {
		t.Errorf("unmasked export by fair staff: %v, want the role message", err)
	}
	if _, statErr := os.Stat(file); statErr == nil {
		t.Error("a rejected export wrote the file")
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
