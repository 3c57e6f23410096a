package importer

import (
	"context"
	"crypto/ed25519"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/record"
)

// idLi is the ID number of the demo data's sample person 李志明. Its 17th
// digit, 9, is odd: male.
const idLi = "36012120020101099X"

func TestSameIDOtherNameRejected(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	mustImport(t, st, "old.csv", csvText("姓名,身份证号,性别,专业", "李志明,"+idLi+",男,计算机应用技术"))

	plan := previewBytes(t, st, "new.csv", csvText("姓名,身份证号,性别,专业", "李娜,"+idLi+",男,工业机器人技术"), Options{})
	if plan.Reject != 1 || plan.Update != 0 {
		t.Fatalf("Reject, Update = %d, %d, want 1, 0", plan.Reject, plan.Update)
	}
	errs := plan.Rows[0].Errors
	want := "第 2 行“姓名”列：身份证号 3601**********099X 在本机登记的姓名是 李志明，与本行的 李娜 不符，" +
		"本行未导入：请核对身份证号；如确需改名，请在人才页修改"
	if len(errs) != 1 || errs[0].Message != want {
		t.Fatalf("errors = %+v, want one %q", errs, want)
	}
	if errs[0].Column != "姓名" || errs[0].Value != "李娜" {
		t.Errorf("column, value = %q, %q, want 姓名, 李娜", errs[0].Column, errs[0].Value)
	}
	if _, err := plan.Apply(context.Background(), st, ModeValidRows, nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if p := personByIDNumber(t, st, idLi); p.Name != "李志明" || p.Major != "510201" {
		t.Errorf("stored name, major = %s, %s, want 李志明 and 计算机应用技术 (510201) kept", p.Name, p.Major)
	}
}

func TestSameIDNameWithOtherDotUpdates(t *testing.T) {
	// The middle dot and spaces are no change of name.
	st := openTemp(t, jiangxiFinance)
	mustImport(t, st, "old.csv", csvText("姓名,身份证号", "阿依古丽·买买提,"+idWang))
	plan := previewBytes(t, st, "new.csv", csvText("姓名,身份证号,手机号", "阿依古丽•买买提,"+idWang+",13870210021"), Options{})
	if plan.Update != 1 || plan.Reject != 0 {
		t.Errorf("Update, Reject = %d, %d, want 1, 0; errors %+v", plan.Update, plan.Reject, plan.Rows[0].Errors)
	}
}

func TestGenderAgainstIDLeftOut(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "list.csv", csvText("姓名,身份证号,性别", "王建华,"+idWang+",女", "赵敏,"+idZhao+",女"), Options{})
	if plan.Add != 2 {
		t.Fatalf("Add = %d, want 2", plan.Add)
	}
	wang, zhao := plan.Rows[0], plan.Rows[1]
	if wang.Person.Gender != "" {
		t.Errorf("gender of 王建华 = %q, want none: the ID number means male", wang.Person.Gender)
	}
	wantNote := "性别“女”与身份证号不符：身份证号第 17 位是单数，应为男。请核对性别和身份证号。这一行照常导入，但没有导入性别"
	if wang.Note != wantNote {
		t.Errorf("note = %q, want %q", wang.Note, wantNote)
	}
	if zhao.Person.Gender != record.GenderFemale || zhao.Note != "" {
		t.Errorf("赵敏 gender, note = %q, %q, want 2 and no note", zhao.Person.Gender, zhao.Note)
	}
}

func TestTotalsRowSkipped(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "list.csv", csvText(
		"序号,姓名,身份证号",
		"1,王建华,"+idWang,
		",合 计,",
		"总计：,2人,",
		",合计,"+idZhao,
	), Options{})
	// The totals rows are neither imported nor counted; a row with an ID
	// number is a person even when named 合计.
	if len(plan.Rows) != 2 || plan.Add != 2 || plan.Skip != 0 {
		t.Fatalf("rows, added, skipped = %d, %d, %d; want 2, 2, 0", len(plan.Rows), plan.Add, plan.Skip)
	}
	if got := plan.Rows[1].Row; got != 5 {
		t.Errorf("second row read = %d, want 5", got)
	}
}

func TestUnpairedQuoteNamed(t *testing.T) {
	// The tester's badquote.csv: the quote before 张三 is never closed, so
	// encoding/csv reads 李四's line into 张三's name cell.
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "badquote.csv", []byte(
		"姓名,身份证号,专业\n\"张三,"+idWang+",市场营销\n李四,"+idZhao+",市场营销\n"), Options{})
	if len(plan.Rows) != 1 || plan.Reject != 1 {
		t.Fatalf("rows, rejected = %d, %d, want 1, 1", len(plan.Rows), plan.Reject)
	}
	errs := plan.Rows[0].Errors
	want := "第 2 行的引号没有配对，第 2 行到第 3 行（共 2 行）被读成了一个单元格，这些行都没有导入：" +
		"请在文件中删除或配对该行的引号（\"）后重新导入"
	if len(errs) != 1 || errs[0].Message != want {
		t.Fatalf("errors = %+v, want one %q", errs, want)
	}
	if errs[0].Column != "姓名" {
		t.Errorf("column = %q, want 姓名", errs[0].Column)
	}
}

func TestLineBreakInCellKeepsRow(t *testing.T) {
	// A wrapped employer name (Alt+Enter) is no unpaired quote.
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "list.csv", []byte(
		"姓名,身份证号,工作单位\n王建华,"+idWang+",\"江西铜业\n贵溪冶炼厂\"\n"), Options{})
	if plan.Add != 1 || plan.Rows[0].Person.Employer != "江西铜业 贵溪冶炼厂" {
		t.Errorf("Add = %d, employer %q, want 1 and the two lines joined", plan.Add, plan.Rows[0].Person.Employer)
	}
}

func TestMaskedExportRejected(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "masked.csv", csvText(
		"姓名,身份证号,手机号",
		"王建华,3604**********0219,138****0021",
		"赵敏,3603**********0646,",
	), Options{})
	if plan.Reject != 2 {
		t.Fatalf("Reject = %d, want 2", plan.Reject)
	}
	wantID := "第 2 行“身份证号”列：身份证号 3604**********0219 是隐去部分数字的导出结果，无法导入：" +
		"请用完整信息导出（desktop export people --unmasked）后再导入"
	errs := plan.Rows[0].Errors
	if len(errs) != 1 || errs[0].Message != wantID {
		t.Errorf("errors = %+v, want only %q", errs, wantID)
	}
	wantWarning := "这个文件的身份证号都隐去了部分数字，是隐去信息的导出结果，无法导入：" +
		"请用完整信息导出（desktop export people --unmasked）后再导入"
	if len(plan.Warnings) != 1 || plan.Warnings[0] != wantWarning {
		t.Errorf("warnings = %q, want one %q", plan.Warnings, wantWarning)
	}
}

func TestMaskedPhoneRejected(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "list.csv", csvText("姓名,身份证号,手机号", "王建华,"+idWang+",138****0021"), Options{})
	want := "第 2 行“手机号”列：手机号 138****0021 是隐去部分数字的导出结果，无法导入：" +
		"请用完整信息导出（desktop export people --unmasked）后再导入"
	if errs := plan.Rows[0].Errors; len(errs) != 1 || errs[0].Message != want {
		t.Errorf("errors = %+v, want one %q", errs, want)
	}
}

func TestPartlyMaskedFileNoWarning(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "list.csv", csvText(
		"姓名,身份证号",
		"王建华,3604**********0219",
		"赵敏,"+idZhao,
	), Options{})
	if plan.Reject != 1 || plan.Add != 1 {
		t.Errorf("Reject, Add = %d, %d, want 1, 1", plan.Reject, plan.Add)
	}
	if len(plan.Warnings) != 0 {
		t.Errorf("warnings = %q, want none", plan.Warnings)
	}
}

func TestPhoneInScientificNotation(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "list.csv", csvText("姓名,身份证号,手机号码", "王建华,"+idWang+",1.38E+10"), Options{})
	errs := plan.Rows[0].Errors
	want := "第 2 行“手机号码”列：手机号被 Excel 存成了数字（文件中为 1.38E+10），后几位数字已丢失，无法还原，本行未导入：" +
		"请在 Excel 中把这一列的单元格格式设为“文本”，再按原件重新输入这些手机号"
	if len(errs) != 1 || errs[0].Message != want {
		t.Errorf("errors = %+v, want one %q", errs, want)
	}
}

func TestPrivateUseCharMessage(t *testing.T) {
	// Saving as UTF-8 keeps a 造字 character, so the message must not
	// send the user there.
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "list.csv", csvText("姓名,身份证号", "李\uE000,"+idWang), Options{})
	errs := plan.Rows[0].Errors
	if len(errs) != 1 {
		t.Fatalf("errors = %+v, want one", errs)
	}
	msg := errs[0].Message
	for _, part := range []string{"第 2 行“姓名”列", "造字", "不在任何标准字符集中",
		"请在文件中把该字换成标准汉字（可先用同音字，并在备注中说明），导入后再到人才页修改"} {
		if !strings.Contains(msg, part) {
			t.Errorf("message %q lacks %q", msg, part)
		}
	}
	if strings.Contains(msg, "另存为") {
		t.Errorf("message %q advises saving the file again, which keeps the character", msg)
	}
}

// openServerEnrolled opens a store enrolled with a server for college.
func openServerEnrolled(t *testing.T, college string) *store.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "client.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, key, _ := ed25519.GenerateKey(nil)
	ident := store.Identity{Device: st.Device(), College: college, Server: "ws://127.0.0.1:19800", PrivateKey: key}
	if err := st.SetIdentity(ident); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestNeverSyncedWarning(t *testing.T) {
	st := openServerEnrolled(t, jiangxiFinance)
	data := csvText("姓名,身份证号", "王建华,"+idWang)
	plan := previewBytes(t, st, "list.csv", data, Options{})
	want := "本机还没有与服务器同步过：先同步再导入，否则服务器上已有的人会被再登记一次"
	if len(plan.Warnings) != 1 || plan.Warnings[0] != want {
		t.Errorf("warnings before a sync = %q, want one %q", plan.Warnings, want)
	}

	if err := st.SetLastSync(time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	plan = previewBytes(t, st, "list.csv", data, Options{})
	if len(plan.Warnings) != 0 {
		t.Errorf("warnings after a sync = %q, want none", plan.Warnings)
	}
}

func TestNoServerNoSyncWarning(t *testing.T) {
	// A device enrolled without a server has nothing to sync first.
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "list.csv", csvText("姓名,身份证号", "王建华,"+idWang), Options{})
	if len(plan.Warnings) != 0 {
		t.Errorf("warnings = %q, want none", plan.Warnings)
	}
}

func TestRowCapRejectsWholeFile(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	var b strings.Builder
	b.WriteString("姓名,身份证号\n")
	for range MaxRows + 1 {
		b.WriteString("王建华," + idWang + "\n")
	}
	path := writeTemp(t, "big.csv", []byte(b.String()))

	plan, err := Preview(context.Background(), st, path, Options{})
	if plan != nil {
		t.Errorf("Preview returned a plan of %d rows, want none", len(plan.Rows))
	}
	fe := fileErrorOf(t, err, ErrTooManyRows)
	want := "文件有 200001 行数据，超过单次导入上限 200000 行，没有导入任何数据：请把名单拆成几个文件分批导入"
	if got := fe.Message(); got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	if !errors.Is(err, ErrTooManyRows) {
		t.Errorf("error %v does not wrap ErrTooManyRows", err)
	}
}

func TestRowBudgetBoundsRowsKept(t *testing.T) {
	var b strings.Builder
	b.WriteString("姓名,身份证号\n")
	for range MaxRows + 500 {
		b.WriteString("王建华," + idWang + "\n")
	}
	rows, total, err := parseDelimited(b.String())
	if err != nil {
		t.Fatal(err)
	}
	if total != MaxRows+501 {
		t.Errorf("total = %d, want %d", total, MaxRows+501)
	}
	if len(rows) != MaxRows+1+maxHeaderRow {
		t.Errorf("rows kept = %d, want %d", len(rows), MaxRows+1+maxHeaderRow)
	}
}

func TestResultsTotalsRowSkipped(t *testing.T) {
	rc := newResultsClass(t)
	plan := rc.preview(t, writeTemp(t, "results.csv", csvText(
		"姓名,身份证号,客户沟通出勤",
		"王建华,"+idWang+",90",
		"合计,,90",
	)))
	if len(plan.Rows) != 1 || plan.Skip != 0 {
		t.Errorf("rows = %+v, want only row 2: a totals row is not read", plan.Rows)
	}
}
