package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// runExportAs runs desktop export with args as the account reportDataDir
// makes and returns what it printed.
func runExportAs(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	t.Setenv(envPassword, reportPassword)
	return captureStdout(t, func() error {
		return runExport(append(args, "--data", dir, "--account", reportAccount))
	})
}

// xlsxText returns every cell of the first sheet of path, tab-separated.
func xlsxText(t *testing.T, path string) string {
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
	var b strings.Builder
	for _, row := range rows {
		b.WriteString(strings.Join(row, "\t") + "\n")
	}
	return b.String()
}

func TestExportCommandMasked(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := reportDataDir(t, "clerk")
	file := filepath.Join(t.TempDir(), "名单.xlsx")
	out, err := runExportAs(t, dir, "people", file)
	if err != nil {
		t.Fatalf("export people: %v", err)
	}
	if want := "已导出 3 人到 " + file; !strings.Contains(out, want) {
		t.Errorf("output = %q, want it to contain %q", out, want)
	}
	text := xlsxText(t, file)
	if strings.Contains(text, "36012120020101099X") {
		t.Error("masked export contains the full ID number")
	}
	if !strings.Contains(text, "3601**********099X") {
		t.Errorf("masked export lacks the masked ID number:\n%s", text)
	}
	for _, p := range reportPeople {
		if !strings.Contains(text, p.Name) {
			t.Errorf("export lacks %s", p.Name)
		}
	}
}

func TestExportCommandUnmaskedAudited(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := reportDataDir(t, "clerk")
	file := filepath.Join(t.TempDir(), "full.xlsx")
	out, err := runExportAs(t, dir, "people", "--unmasked", file)
	if err != nil {
		t.Fatalf("export people --unmasked: %v", err)
	}
	if !strings.Contains(out, "已记入审计日志") {
		t.Errorf("output = %q, want it to say the export is audited", out)
	}
	if !strings.Contains(xlsxText(t, file), "36012120020101099X") {
		t.Error("unmasked export lacks the full ID number")
	}
	st := openReportStore(t, dir)
	changes, err := st.Outbox(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	exports := 0
	for _, c := range changes {
		if c.Kind == record.KindAccess && c.Field == record.FieldAction && c.Value == record.AccessExport {
			exports++
		}
	}
	if exports != len(reportPeople) {
		t.Errorf("%d export access events, want %d (one per person)", exports, len(reportPeople))
	}
}

func TestExportCommandFairMayNotUnmask(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := reportDataDir(t, "fair")
	file := filepath.Join(t.TempDir(), "full.xlsx")
	_, err := runExportAs(t, dir, "people", file, "--unmasked")
	if err == nil || !strings.Contains(err.Error(), "招聘会工作人员") || !strings.Contains(err.Error(), "不能导出完整的个人信息") {
		t.Errorf("fair --unmasked: %v, want the role message", err)
	}
	if _, statErr := os.Stat(file); statErr == nil {
		t.Error("the rejected export wrote the file")
	}
}

func TestExportCommandFileErrors(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := reportDataDir(t, "clerk")
	existing := filepath.Join(t.TempDir(), "old.xlsx")
	if err := os.WriteFile(existing, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "没有", "list.xlsx")
	cases := []struct {
		file, want string
	}{
		{existing, "已存在"},
		{missing, "不存在"},
	}
	for _, c := range cases {
		_, err := runExportAs(t, dir, "people", c.file)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("export to %s: %v, want a message with %q", c.file, err, c.want)
		}
	}
	if data, _ := os.ReadFile(existing); string(data) != "keep" {
		t.Errorf("existing file now holds %q, want it unchanged", data)
	}
}

func TestExportCommandUsageErrors(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := reportDataDir(t, "clerk")
	cases := []struct {
		args []string
		want string
	}{
		{nil, "缺少要导出的名单"},
		{[]string{"classes", "x.xlsx"}, "只能导出 people"},
		{[]string{"people"}, "缺少输出文件"},
		{[]string{"people", "list.csv"}, "必须以 .xlsx 结尾"},
		{[]string{"people", "a.xlsx", "b.xlsx"}, "多余的参数"},
	}
	for _, c := range cases {
		_, err := runExportAs(t, dir, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("export %q: %v, want a message with %q", c.args, err, c.want)
		}
	}
}
