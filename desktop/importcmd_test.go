package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mobilefactory/desktop/importer"
	"mobilefactory/desktop/store"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/record"
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
	return runSignedIn(t, runImport, dir, args...)
}

// runSignedIn runs a command in dir as importAccount and returns what it
// printed.
func runSignedIn(t *testing.T, run func([]string) error, dir string, args ...string) (string, error) {
	t.Helper()
	t.Setenv(envPassword, importPassword)
	return captureStdout(t, func() error {
		return run(append(args, "--data", dir, "--account", importAccount))
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

// validIDNumber returns the 18-character resident ID number that starts
// with the 17 digits of base, with its check character (GB 11643).
func validIDNumber(base string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(base[i]-'0') * w
	}
	return base + string("10X98765432"[sum%11])
}

// writeList writes a CSV list with the given lines, the header first, and
// returns its path.
func writeList(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runImportMain runs desktop import through cli.Main and returns its exit
// status and what it printed to standard error.
func runImportMain(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	t.Setenv(envPassword, importPassword)
	var stderr strings.Builder
	commands := []cli.Command{{Name: "import", Summary: "desktop.import.summary", Usage: "desktop.import.usage", Run: runImport}}
	var code int
	_, _ = captureStdout(t, func() error {
		code = cli.Main(program, "desktop.summary", commands, append([]string{"import"}, append(args, "--data", dir, "--account", importAccount)...), &stderr)
		return nil
	})
	return code, stderr.String()
}

func TestImportCommandPrintsChanges(t *testing.T) {
	dir := importDataDir(t)
	first := writeList(t, "姓名,身份证号,手机号码,毕业年份",
		"王建华,360403200202170219,13807912345,2024",
		"赵敏,360321200307300646,13907971111,2025")
	if _, err := runImportIn(t, dir, first); err != nil {
		t.Fatal(err)
	}
	second := writeList(t, "姓名,身份证号,手机号码,毕业年份",
		"王建华,360403200202170219,13907911234,2025",
		"赵敏,360321200307300646,13907971111,2025")

	out, err := runImportIn(t, dir, second, "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	want := "第 2 行 王建华：手机号码 138****2345 → 139****1234；毕业年份 2024 → 2025\n"
	if !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	for _, full := range []string{"13807912345", "13907911234"} {
		if strings.Contains(out, full) {
			t.Errorf("output shows the full phone %s:\n%s", full, out)
		}
	}
	if strings.Contains(out, "第 3 行") {
		t.Errorf("output lists the unchanged row 3:\n%s", out)
	}
}

func TestImportCommandCountsUnprintedChanges(t *testing.T) {
	dir := importDataDir(t)
	header := "姓名,身份证号,毕业年份"
	var before, after []string
	for i := range maxPrintedChanges + 2 {
		id := validIDNumber(fmt.Sprintf("36040320020217%03d", i))
		before = append(before, fmt.Sprintf("学生%d,%s,2024", i, id))
		after = append(after, fmt.Sprintf("学生%d,%s,2025", i, id))
	}
	if _, err := runImportIn(t, dir, writeList(t, append([]string{header}, before...)...)); err != nil {
		t.Fatal(err)
	}

	out, err := runImportIn(t, dir, writeList(t, append([]string{header}, after...)...), "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out, "毕业年份 2024 → 2025"); got != maxPrintedChanges {
		t.Errorf("printed %d change lines, want %d", got, maxPrintedChanges)
	}
	if !strings.Contains(out, "……还有 2 行的修改未显示。") {
		t.Errorf("output lacks the count of unprinted rows:\n%s", out)
	}
}

func TestRowNameIsStoredName(t *testing.T) {
	r := importer.RowPlan{Person: record.Person{Name: "李娜"},
		Changes: []importer.FieldChange{{Field: record.FieldName, Old: "李志明", New: "李娜"}}}
	if got := rowName(r); got != "李志明" {
		t.Errorf("rowName = %q, want the stored name 李志明", got)
	}
}

func TestPrintWarnings(t *testing.T) {
	var b strings.Builder
	printWarnings(&b, []string{"工作表“2025届”有 3 行未导入"})
	if got := b.String(); got != "注意：工作表“2025届”有 3 行未导入\n" {
		t.Errorf("printWarnings wrote %q", got)
	}
}

func TestImportCommandMapIgnoresColumn(t *testing.T) {
	dir := importDataDir(t)
	list := writeList(t, "姓名,身份证号,备注", "王建华,360403200202170219,班长")

	out, err := runImportIn(t, dir, list, "--map", "备注=")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "未识别") {
		t.Errorf("ignored column listed as unknown:\n%s", out)
	}
	// The import remembered the mapping, so the next run ignores 备注
	// without --map.
	out, err = runImportIn(t, dir, list, "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "备注") {
		t.Errorf("remembered ignored column listed:\n%s", out)
	}
}

func TestImportCommandMapColumnNotInFile(t *testing.T) {
	dir := importDataDir(t)
	_, err := runImportIn(t, dir, importListFile(t), "--map", "不存在的列=name")
	want := "--map 指定的列“不存在的列”在文件中没有：文件的列有 姓名、身份证号、联络手机。"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v, want %q", err, want)
	}
	if cli.IsUsage(err) {
		t.Errorf("error is a usage error, want exit status 1")
	}
	if persons, pending := storedCount(t, dir); persons != 0 || pending != 0 {
		t.Errorf("stored %d persons, %d changes; want none", persons, pending)
	}
}

func TestImportCommandMapSameFieldTwice(t *testing.T) {
	dir := importDataDir(t)
	list := writeList(t, "学生名字,证件编号", "王建华,360403200202170219")
	out, err := runImportIn(t, dir, list, "--map", "学生名字=name", "--map", "证件编号=姓名")
	want := "--map 把列“学生名字”和列“证件编号”都指定为字段 name（姓名）"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v, want %q", err, want)
	}
	if !cli.IsUsage(err) {
		t.Errorf("error is not a usage error, want exit status 2")
	}
	if out != "" {
		t.Errorf("printed before stopping:\n%s", out)
	}
}

func TestImportCommandMapWithoutEquals(t *testing.T) {
	dir := importDataDir(t)
	_, err := runImportIn(t, dir, importListFile(t), "--map", "学生名字")
	want := "--map 的值“学生名字”格式不对：请写成 列名=字段，如 --map 联络手机=phone"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v, want %q", err, want)
	}
}

func TestImportCommandMissingColumns(t *testing.T) {
	dir := importDataDir(t)
	_, err := runImportIn(t, dir, writeList(t, "学生名字,证件编号", "王建华,360403200202170219"))
	if err == nil {
		t.Fatal("import without 姓名 and 身份证号 columns succeeded")
	}
	for _, want := range []string{
		"表头缺少 2 列，没有导入任何数据：",
		"“姓名”列（可写作 姓名、学生姓名、毕业生姓名，或用 --map 列名=name 指定）；",
		"“身份证号”列（可写作 身份证号、证件号、身份证、证件号码、身份证件号、身份证号码、公民身份号码、身份证件号码，或用 --map 列名=id_number 指定）",
		"文件的列有：学生名字、证件编号。请在表头行加上这些列",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}

	_, err = runImportIn(t, dir, writeList(t, "姓名,证件编号", "王建华,360403200202170219"))
	want := "表头缺少“身份证号”列（可写作 身份证号、证件号、"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v, want %q", err, want)
	}
	if strings.Contains(err.Error(), "学生姓名") {
		t.Errorf("message for the ID number column lists name headers: %v", err)
	}
}

func TestImportCommandErrorsPathChecked(t *testing.T) {
	dir := importDataDir(t)
	folder := t.TempDir()
	existing := filepath.Join(folder, "old.xlsx")
	if err := os.WriteFile(existing, []byte("kept"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path, want string
		usage      bool
	}{
		{filepath.Join(folder, "e.csv"), "必须以 .xlsx 结尾，例如 --errors 未导入的行.xlsx", true},
		{existing, "已存在，导出不会覆盖已有文件", false},
		{filepath.Join(folder, "missing", "e.xlsx"), "不存在，请先创建它或换一个位置", false},
	}
	for _, c := range cases {
		out, err := runImportIn(t, dir, importListFile(t), "--errors", c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--errors %s: error = %v, want %q", c.path, err, c.want)
			continue
		}
		if cli.IsUsage(err) != c.usage {
			t.Errorf("--errors %s: usage error = %v, want %v", c.path, cli.IsUsage(err), c.usage)
		}
		if out != "" {
			t.Errorf("--errors %s: printed a preview before the check:\n%s", c.path, out)
		}
	}
	if b, err := os.ReadFile(existing); err != nil || string(b) != "kept" {
		t.Errorf("existing file = %q, %v; want it unchanged", b, err)
	}
}

func TestImportCommandErrorsWithoutRejected(t *testing.T) {
	dir := importDataDir(t)
	path := filepath.Join(t.TempDir(), "rejected.xlsx")
	out, err := runImportIn(t, dir, writeList(t, "姓名,身份证号", "王建华,360403200202170219"), "--errors", path)
	if err != nil {
		t.Fatal(err)
	}
	if want := "没有被拒绝的行，未生成 " + path + "。"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("stat %s: %v, want the file not created", path, err)
	}
}

func TestImportCommandExitStatus(t *testing.T) {
	allRejected := func(t *testing.T) string {
		return writeList(t, "姓名,身份证号", "赵敏,360321200307300646x", "王建华,36040320020217021")
	}
	cases := []struct {
		name string
		file func(t *testing.T) string
		args []string
		code int
		want string // in standard error
	}{
		{"dry run all or nothing", importListFile, []string{"--dry-run", "--all-or-nothing"}, 1, "有 1 行被拒绝，按 --all-or-nothing 正式导入时不会写入任何数据"},
		{"dry run valid rows", importListFile, []string{"--dry-run"}, 0, ""},
		{"all rejected", allRejected, nil, 1, "全部 2 行都被拒绝，没有可写入的数据"},
		{"all rejected dry run", allRejected, []string{"--dry-run"}, 1, "全部 2 行都被拒绝"},
		{"some rejected", importListFile, nil, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := importDataDir(t)
			code, stderr := runImportMain(t, dir, append([]string{c.file(t)}, c.args...)...)
			if code != c.code {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, c.code, stderr)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, stderr)
			}
		})
	}
}

func TestImportHelpShowsExitStatus(t *testing.T) {
	fs := cli.FlagSet(program, cli.Command{Name: "import", Summary: "desktop.import.summary", Usage: "desktop.import.usage"})
	addImportFlags(fs)
	var b strings.Builder
	fs.SetOutput(&b)
	fs.Usage()
	if !strings.Contains(b.String(), "退出状态：0 表示已导入") || !strings.Contains(b.String(), "--all-or-nothing 时有被拒绝的行") {
		t.Errorf("help lacks the exit statuses:\n%s", b.String())
	}
}

func TestImportCommandInputPath(t *testing.T) {
	dir := importDataDir(t)
	folder := filepath.Join(t.TempDir(), "dir.xlsx")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "none.xlsx")
	cases := map[string]string{
		missing: "找不到文件 " + missing + "：请检查路径和文件名。",
		folder:  folder + " 是文件夹，不是表格文件",
	}
	for path, want := range cases {
		_, err := runImportIn(t, dir, path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("import %s: error = %v, want %q", path, err, want)
		}
	}
}

func TestImportCommandUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	dir := importDataDir(t)
	path := importListFile(t)
	if err := os.Chmod(path, 0); err != nil {
		t.Fatal(err)
	}
	_, err := runImportIn(t, dir, path)
	if want := "没有权限读取 " + path; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestInputFileErrorPermission(t *testing.T) {
	err := inputFileError("名单.xlsx", &fs.PathError{Op: "open", Path: "名单.xlsx", Err: fs.ErrPermission})
	if want := "没有权限读取 名单.xlsx："; !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want %q", err, want)
	}
}

// A workbook's sheet without a list header is named in a warning above
// the counts, so the clerk knows it was not read.
func TestImportCommandPrintsWarnings(t *testing.T) {
	dir := importDataDir(t)
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "名单"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("填表说明"); err != nil {
		t.Fatal(err)
	}
	for cell, v := range map[string]string{"A1": "姓名", "B1": "身份证号", "A2": "王建华", "B2": "360403200202170219"} {
		if err := f.SetCellStr("名单", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellStr("填表说明", "A1", "身份证号请设为文本格式"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "名单.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}

	out, err := runImportIn(t, dir, path, "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	want := "注意：工作表“填表说明”的表头没有姓名和身份证号列，不是名单，没有读取\n预览：新增 1、"
	if !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}
