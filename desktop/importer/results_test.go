package importer

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/record"
)

// idUnknown is a valid ID number that no test store contains.
var idUnknown = idNumber("36010220040101002")

// resultsClass is a class of a programme of two modules: 客户沟通, 100
// hours, so that 80 hours is exactly the minimum attendance, and 办公软件,
// 24 hours.
type resultsClass struct {
	st        *store.Store
	class     record.Class
	programme record.Programme
	wang      record.Person // member
	zhao      record.Person // stored, not a member
}

// newResultsClass stores 王建华 and 赵敏, a programme, a class and 王建华
// as its member with results for 客户沟通.
func newResultsClass(t *testing.T) resultsClass {
	t.Helper()
	st := openTemp(t, jiangxiFinance)
	mustImport(t, st, "list.csv", csvText(
		"姓名,身份证号,学号",
		"王建华,"+idWang+",2022001",
		"赵敏,"+idZhao+",2022002",
	))
	p, err := st.SaveProgramme(record.Programme{Title: "客服专员岗前培训", Modules: []record.Module{
		{Key: "客户沟通", Name: "客户沟通", Hours: 100, PassMark: 60},
		{Key: "办公软件", Name: "办公软件", Hours: 24, PassMark: 60},
	}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.SaveClass(record.Class{Title: "2025 春季客服班", Programme: p.ID, Start: "2025-03-01", End: "2025-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	rc := resultsClass{st: st, class: c, programme: p,
		wang: personByIDNumber(t, st, idWang), zhao: personByIDNumber(t, st, idZhao)}
	rc.enrol(t, rc.wang, record.Results{"客户沟通": {Attended: 60, Score: 70}})
	return rc
}

// enrol saves a draft training record of person in the class.
func (rc resultsClass) enrol(t *testing.T, person record.Person, results record.Results) string {
	t.Helper()
	fields := record.Training{Person: person.ID, Programme: rc.programme.ID, Class: rc.class.ID,
		Results: results, Review: record.Review{State: record.ReviewDraft}}.Fields()
	id, err := rc.st.SaveHistory(record.KindTraining, "", fields)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// member returns the latest training record of person in the class.
func (rc resultsClass) member(t *testing.T, person record.Person) record.Training {
	t.Helper()
	members, err := rc.st.ClassMembers(rc.class.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if m.Person == person.ID {
			return m
		}
	}
	t.Fatalf("%s is not a member of the class", person.Name)
	return record.Training{}
}

// preview previews a results file for the class and fails on an error.
func (rc resultsClass) preview(t *testing.T, path string) *Plan {
	t.Helper()
	plan, err := PreviewResults(context.Background(), rc.st, path, rc.class.ID, Options{})
	if err != nil {
		t.Fatalf("PreviewResults(%s): %v", filepath.Base(path), err)
	}
	return plan
}

// apply applies plan in ModeValidRows and fails on an error.
func (rc resultsClass) apply(t *testing.T, plan *Plan) Result {
	t.Helper()
	res, err := plan.Apply(context.Background(), rc.st, ModeValidRows, nil)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return res
}

// oneRowResults is a one-row header file: 王建华 updated, 赵敏 enrolled, an
// unknown ID number, and attendance over the module's hours.
func oneRowResults() []byte {
	return csvText(
		"姓名,身份证号,客户沟通出勤,客户沟通成绩,办公软件-出勤,办公软件-成绩",
		"王建华,"+idWang+",80,75,20,88",
		"赵敏,"+idZhao+",79,90,24,95",
		"张三,"+idUnknown+",80,80,20,80",
		"王建华,"+idWang+",101,75,20,88",
	)
}

func TestPreviewResultsOneRowHeader(t *testing.T) {
	rc := newResultsClass(t)
	pending := rc.st.Pending()
	plan := rc.preview(t, writeTemp(t, "results.csv", oneRowResults()))

	if rc.st.Pending() != pending {
		t.Errorf("PreviewResults wrote %d changes", rc.st.Pending()-pending)
	}
	if plan.Kind != KindResults {
		t.Errorf("Kind = %q, want %q", plan.Kind, KindResults)
	}
	if plan.Add != 1 || plan.Update != 1 || plan.Skip != 0 || plan.Reject != 2 {
		t.Fatalf("Add, Update, Skip, Reject = %d, %d, %d, %d; want 1, 1, 0, 2", plan.Add, plan.Update, plan.Skip, plan.Reject)
	}
	want := []Outcome{OutcomeUpdate, OutcomeAdd, OutcomeReject, OutcomeReject}
	for i, r := range plan.Rows {
		if r.Outcome != want[i] {
			t.Errorf("row %d outcome = %d, want %d", r.Row, r.Outcome, want[i])
		}
	}

	update := plan.Rows[0]
	wantChanges := []FieldChange{
		{"客户沟通 出勤", "60", "80"}, {"客户沟通 成绩", "70", "75"},
		{"办公软件 出勤", "", "20"}, {"办公软件 成绩", "", "88"},
	}
	if len(update.Changes) != len(wantChanges) {
		t.Fatalf("update changes = %+v, want %+v", update.Changes, wantChanges)
	}
	for i, c := range wantChanges {
		if update.Changes[i] != c {
			t.Errorf("change %d = %+v, want %+v", i, update.Changes[i], c)
		}
	}
	if update.Person.ID != rc.wang.ID {
		t.Errorf("update person = %q, want 王建华 %s", update.Person.Name, rc.wang.ID)
	}

	if got := plan.Rows[1].Note; got != "还不是“2025 春季客服班”的学员，导入时将加入本班并记录这些成绩" {
		t.Errorf("enrol note = %q", got)
	}
	unknown := plan.Rows[2].Errors
	if len(unknown) != 1 || unknown[0].Message != "第 4 行“身份证号”列：身份证号 "+idUnknown+" 不在本机人才库中，本行未导入：请先导入名单" {
		t.Errorf("unknown person errors = %+v", unknown)
	}
	over := plan.Rows[3].Errors
	if len(over) != 1 {
		t.Fatalf("out-of-range row errors = %+v, want one", over)
	}
	if over[0].Column != "客户沟通出勤" || over[0].Value != "101" {
		t.Errorf("out-of-range error column, value = %q, %q; want 客户沟通出勤, 101", over[0].Column, over[0].Value)
	}
	wantMsg := "第 5 行“客户沟通出勤”列：出勤学时“101”应为 0 至 100 之间的整数（该模块共 100 学时），本行未导入：请改正后再导入"
	if over[0].Message != wantMsg {
		t.Errorf("out-of-range message = %q, want %q", over[0].Message, wantMsg)
	}
	if got := plan.Rows[3].Cells; len(got) != 6 || got[2] != "101" {
		t.Errorf("cells of the rejected row = %q", got)
	}
}

// writeTwoRowResults writes an xlsx workbook whose header is two rows:
// 姓名 and 身份证号 merged over both rows, each module's name merged over
// its 出勤（学时） and 成绩 columns.
func writeTwoRowResults(t *testing.T, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	header := [][]any{
		{"姓名", "身份证号", "客户沟通", "", "办公软件", ""},
		{"", "", "出勤（学时）", "成绩", "出勤（学时）", "成绩"},
	}
	for r, row := range append(header, rows...) {
		axis, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow(sheet, axis, &row); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range [][2]string{{"A1", "A2"}, {"B1", "B2"}, {"C1", "D1"}, {"E1", "F1"}} {
		if err := f.MergeCell(sheet, m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "results.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPreviewResultsTwoRowHeader(t *testing.T) {
	rc := newResultsClass(t)
	path := writeTwoRowResults(t, [][]any{
		{"王建华", idWang, 80, 75, 20, 88},
		{"赵敏", idZhao, 79, "", 24, 95},
	})
	plan := rc.preview(t, path)
	if plan.Add != 1 || plan.Update != 1 || plan.Reject != 0 {
		t.Fatalf("Add, Update, Reject = %d, %d, %d; want 1, 1, 0", plan.Add, plan.Update, plan.Reject)
	}
	fields := map[string]string{}
	for _, c := range plan.Columns {
		fields[c.Header] = c.Field
	}
	wantFields := map[string]string{
		"姓名": record.FieldName, "身份证号": record.FieldIDNumber,
		"客户沟通-出勤（学时）": "attended:客户沟通", "客户沟通-成绩": "score:客户沟通",
		"办公软件-出勤（学时）": "attended:办公软件", "办公软件-成绩": "score:办公软件",
	}
	for header, want := range wantFields {
		if got, ok := fields[header]; !ok || got != want {
			t.Errorf("column %q maps to %q (present %v), want %q", header, got, ok, want)
		}
	}
	if plan.Rows[0].Row != 3 {
		t.Errorf("first data row = %d, want 3", plan.Rows[0].Row)
	}

	rc.apply(t, plan)
	zhao := rc.member(t, rc.zhao)
	if got := zhao.Results.Encode(); got != "办公软件=24/95;客户沟通=79/" {
		t.Errorf("赵敏's results = %q, want 办公软件=24/95;客户沟通=79/", got)
	}
}

// The class grid passes a module at 80% attendance and fails it at 79%;
// the import computes completion the same way, never taking it from the
// file.
func TestApplyResultsComputesCompletion(t *testing.T) {
	rc := newResultsClass(t)
	res := rc.apply(t, rc.preview(t, writeTemp(t, "results.csv", oneRowResults())))
	if res.Updated != 1 || res.Imported != 1 || res.Rejected != 2 {
		t.Errorf("Updated, Imported, Rejected = %d, %d, %d; want 1, 1, 2", res.Updated, res.Imported, res.Rejected)
	}

	wang := rc.member(t, rc.wang)
	if !wang.Completed || wang.Hours != 100 || wang.Score != "82" {
		t.Errorf("王建华 (80 of 100 hours): completed %v, hours %d, score %q; want true, 100, 82", wang.Completed, wang.Hours, wang.Score)
	}
	if wang.Review.Current() != record.ReviewDraft || wang.Supersedes == "" {
		t.Errorf("王建华's new version: review %q, supersedes %q; want a draft superseding the old one", wang.Review.Current(), wang.Supersedes)
	}
	if wang.Date != "2025-06-30" {
		t.Errorf("王建华's date = %q, want the class's end 2025-06-30", wang.Date)
	}

	zhao := rc.member(t, rc.zhao)
	if zhao.Completed || zhao.Hours != 103 {
		t.Errorf("赵敏 (79 of 100 hours): completed %v, hours %d; want false, 103", zhao.Completed, zhao.Hours)
	}
	if c := record.Complete(rc.programme, zhao.Results); c.Passed != 1 {
		t.Errorf("赵敏 passed %d modules, want 1 (办公软件 only)", c.Passed)
	}
	if zhao.Programme != rc.programme.ID || zhao.Class != rc.class.ID {
		t.Errorf("赵敏's record: programme %q, class %q; want %s, %s", zhao.Programme, zhao.Class, rc.programme.ID, rc.class.ID)
	}
}

func TestApplyResultsApprovedGoesToReview(t *testing.T) {
	rc := newResultsClass(t)
	old := rc.member(t, rc.wang)
	if err := rc.st.SetReview([]store.ReviewRef{{Kind: record.KindTraining, ID: old.ID}}, record.ReviewApproved, ""); err != nil {
		t.Fatal(err)
	}
	plan := rc.preview(t, writeTemp(t, "results.csv", oneRowResults()))
	if plan.Rows[0].Outcome != OutcomeUpdate {
		t.Fatalf("approved member's row outcome = %d, want Update", plan.Rows[0].Outcome)
	}
	if got := plan.Rows[0].Note; got != "原记录已审核通过，这次更正将提交审核" {
		t.Errorf("approved member's note = %q", got)
	}
	rc.apply(t, plan)
	wang := rc.member(t, rc.wang)
	if wang.Review.Current() != record.ReviewPending || wang.Supersedes != old.ID {
		t.Errorf("correction: review %q, supersedes %q; want pending, %s", wang.Review.Current(), wang.Supersedes, old.ID)
	}
}

func TestReimportResultsChangesNothing(t *testing.T) {
	rc := newResultsClass(t)
	path := writeTemp(t, "results.csv", oneRowResults())
	rc.apply(t, rc.preview(t, path))
	pending := rc.st.Pending()

	plan := rc.preview(t, path)
	if plan.Add != 0 || plan.Update != 0 || plan.Skip != 2 || plan.Reject != 2 {
		t.Errorf("second preview Add, Update, Skip, Reject = %d, %d, %d, %d; want 0, 0, 2, 2", plan.Add, plan.Update, plan.Skip, plan.Reject)
	}
	if got := plan.Rows[0].SkipNote; got != "与已有成绩相同，跳过" {
		t.Errorf("skip note = %q", got)
	}
	rc.apply(t, plan)
	if got := rc.st.Pending() - pending; got != 0 {
		t.Errorf("re-import wrote %d changes, want 0", got)
	}
}

func TestApplyResultsCancelWritesNothing(t *testing.T) {
	rc := newResultsClass(t)
	before := rc.member(t, rc.wang)
	pending := rc.st.Pending()
	plan := rc.preview(t, writeTemp(t, "results.csv", oneRowResults()))

	ctx, cancel := context.WithCancel(context.Background())
	progress := func(done, total int) {
		if done == 1 {
			cancel()
		}
	}
	old := progressInterval
	progressInterval = 0
	t.Cleanup(func() { progressInterval = old })
	if _, err := plan.Apply(ctx, rc.st, ModeValidRows, progress); !errors.Is(err, context.Canceled) {
		t.Fatalf("Apply error = %v, want context.Canceled", err)
	}
	if got := rc.st.Pending() - pending; got != 0 {
		t.Errorf("cancelled apply wrote %d changes, want 0", got)
	}
	if got := rc.member(t, rc.wang); got.ID != before.ID {
		t.Errorf("王建华's record changed from %s to %s", before.ID, got.ID)
	}
	members, err := rc.st.ClassMembers(rc.class.ID)
	if err != nil || len(members) != 1 {
		t.Errorf("class has %d members (%v), want 1", len(members), err)
	}
}

func TestApplyResultsAllOrNothing(t *testing.T) {
	rc := newResultsClass(t)
	pending := rc.st.Pending()
	plan := rc.preview(t, writeTemp(t, "results.csv", oneRowResults()))
	if _, err := plan.Apply(context.Background(), rc.st, ModeAllOrNothing, nil); !errors.Is(err, ErrRejectedRows) {
		t.Fatalf("Apply error = %v, want ErrRejectedRows", err)
	}
	if got := rc.st.Pending() - pending; got != 0 {
		t.Errorf("all-or-nothing apply wrote %d changes, want 0", got)
	}
}

// A grid save between preview and apply makes the plan stale, so the
// import does not overwrite it.
func TestApplyResultsStalePlan(t *testing.T) {
	rc := newResultsClass(t)
	plan := rc.preview(t, writeTemp(t, "results.csv", oneRowResults()))
	old := rc.member(t, rc.wang)
	fields := old.Fields()
	fields[record.FieldReview] = record.ReviewDraft
	if _, err := rc.st.SaveHistory(record.KindTraining, old.ID, fields); err != nil {
		t.Fatal(err)
	}
	_, err := plan.Apply(context.Background(), rc.st, ModeValidRows, nil)
	fe := fileErrorOf(t, err, ErrStalePlan)
	if got := fe.Message(); !strings.Contains(got, "第 2 行") {
		t.Errorf("stale message = %q, want row 2 named", got)
	}
}

func TestPreviewResultsNameAndStudentNo(t *testing.T) {
	rc := newResultsClass(t)
	plan := rc.preview(t, writeTemp(t, "results.csv", csvText(
		"学号,姓名,客户沟通出勤,客户沟通成绩",
		"2022001,王建华,90,",
		"2022002,李四,80,80",
		"2022009,王五,80,80",
		",赵敏,80,80",
	)))
	want := []Outcome{OutcomeUpdate, OutcomeReject, OutcomeReject, OutcomeReject}
	for i, r := range plan.Rows {
		if r.Outcome != want[i] {
			t.Errorf("row %d outcome = %d, want %d", r.Row, r.Outcome, want[i])
		}
	}
	if got := plan.Rows[0].Changes; len(got) != 1 || got[0] != (FieldChange{"客户沟通 出勤", "60", "90"}) {
		t.Errorf("changes of row 2 = %+v, want attendance 60 → 90 and the score kept", got)
	}
	mismatch := plan.Rows[1].Errors
	wantMsg := "第 3 行“姓名”列：李四 与学号对应的学员 赵敏 不符，本行未导入：请核对这一行的姓名和学号"
	if len(mismatch) != 1 || mismatch[0].Message != wantMsg {
		t.Errorf("name mismatch errors = %+v, want %q", mismatch, wantMsg)
	}
	if got := plan.Rows[2].Errors; len(got) != 1 || !strings.Contains(got[0].Message, "学号 2022009 不在本机人才库中") {
		t.Errorf("unknown student number errors = %+v", got)
	}
	if got := plan.Rows[3].Errors; len(got) != 1 || !strings.Contains(got[0].Message, "身份证号和学号都是空的") {
		t.Errorf("missing identity errors = %+v", got)
	}
}

func TestPreviewResultsRepeatedRows(t *testing.T) {
	rc := newResultsClass(t)
	plan := rc.preview(t, writeTemp(t, "results.csv", csvText(
		"姓名,身份证号,客户沟通出勤,客户沟通成绩",
		"王建华,"+idWang+",90,80",
		"王建华,"+idWang+",90,80",
		"王建华,"+strings.ToLower(idWang)+",91,80",
	)))
	want := []Outcome{OutcomeUpdate, OutcomeSkip, OutcomeReject}
	for i, r := range plan.Rows {
		if r.Outcome != want[i] {
			t.Errorf("row %d outcome = %d, want %d", r.Row, r.Outcome, want[i])
		}
	}
	if got := plan.Rows[2].Errors; len(got) != 1 || !strings.Contains(got[0].Message, "与第 2 行是同一名学员") {
		t.Errorf("conflicting repeat errors = %+v", got)
	}
}

func TestPreviewResultsBasicProgramme(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	mustImport(t, st, "list.csv", csvText("姓名,身份证号", "王建华,"+idWang))
	c, err := st.SaveClass(record.Class{Title: "基础班", Programme: record.BasicProgramme, Start: "2025-03-01", End: "2025-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	// Full-width letters and spaces in the module name are ignored.
	path := writeTemp(t, "basic.csv", csvText(
		"姓名,身份证号,办公软件 应用（出勤）,办公软件应用成绩,职业道德出勤",
		"王建华,"+idWang+",32,90,16",
	))
	plan, err := PreviewResults(context.Background(), st, path, c.ID, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Add != 1 {
		t.Fatalf("Add = %d, want 1; rows %+v", plan.Add, plan.Rows)
	}
	if _, err := plan.Apply(context.Background(), st, ModeValidRows, nil); err != nil {
		t.Fatal(err)
	}
	members, err := st.ClassMembers(c.ID)
	if err != nil || len(members) != 1 {
		t.Fatalf("members = %d, %v; want 1", len(members), err)
	}
	if got := members[0].Results.Encode(); got != "ethics=16/;office=32/90" {
		t.Errorf("results = %q, want ethics=16/;office=32/90", got)
	}
}

func TestPreviewResultsNoModuleColumns(t *testing.T) {
	rc := newResultsClass(t)
	plan, err := PreviewResults(context.Background(), rc.st, writeTemp(t, "results.csv", csvText(
		"姓名,身份证号,Python出勤",
		"王建华,"+idWang+",30",
	)), rc.class.ID, Options{})
	fe := fileErrorOf(t, err, ErrMissingColumns)
	if got := fe.Message(); !strings.Contains(got, "客户沟通、办公软件") {
		t.Errorf("message = %q, want the class's modules listed", got)
	}
	if plan == nil || len(plan.Unknown()) != 1 || plan.Unknown()[0].Header != "Python出勤" {
		t.Errorf("unknown columns = %+v, want Python出勤", plan)
	}
}

// The rejected rows of a two-row file are saved with a one-row header
// that imports again once fixed.
func TestWriteRejectedResultsReimports(t *testing.T) {
	rc := newResultsClass(t)
	path := writeTwoRowResults(t, [][]any{
		{"王建华", idWang, 120, 75, 20, 88},
	})
	plan := rc.preview(t, path)
	if plan.Reject != 1 {
		t.Fatalf("Reject = %d, want 1", plan.Reject)
	}
	rejected := filepath.Join(t.TempDir(), "rejected.xlsx")
	if err := plan.WriteRejected(rejected); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(rejected)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := "姓名|身份证号|客户沟通-出勤（学时）|客户沟通-成绩|办公软件-出勤（学时）|办公软件-成绩|问题"
	if len(rows) != 2 || strings.Join(rows[0], "|") != wantHeader {
		t.Fatalf("rejected file rows = %q, want header %q and one row", rows, wantHeader)
	}
	if err := f.SetCellValue(f.GetSheetName(0), "C2", "100"); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}

	again := rc.preview(t, rejected)
	if again.Update != 1 || again.Reject != 0 || len(again.Unknown()) != 0 {
		t.Errorf("fixed file: Update %d, Reject %d, unknown %+v; want 1, 0, none", again.Update, again.Reject, again.Unknown())
	}
}

func TestPreviewResultsStudentNoOfTwoPeople(t *testing.T) {
	// Two stored persons share a student number and neither is a member,
	// as after a device imported a list before its first sync.
	rc := newResultsClass(t)
	mustImport(t, rc.st, "more.csv", csvText(
		"姓名,身份证号,学号",
		"李志明,"+idLi+",1294120250001",
		"李志明,"+idNumber("36012120020101101")+",1294120250001",
	))
	plan := rc.preview(t, writeTemp(t, "results.csv", csvText(
		"序号,学号,姓名,客户沟通出勤",
		"1,1294120250001,李志明,80",
	)))
	errs := plan.Rows[0].Errors
	want := "第 2 行“学号”列：学号 1294120250001 对应本机 2 人，无法确定是谁，本行未导入：请改用身份证号"
	if len(errs) != 1 || errs[0].Message != want {
		t.Errorf("errors = %+v, want one %q", errs, want)
	}
	if len(plan.Unknown()) != 0 {
		t.Errorf("unknown columns = %+v, want 序号 ignored silently", plan.Unknown())
	}
}

func TestPreviewResultsMaskedID(t *testing.T) {
	rc := newResultsClass(t)
	plan := rc.preview(t, writeTemp(t, "results.csv", csvText(
		"姓名,身份证号,客户沟通出勤",
		"王建华,3604**********0219,80",
	)))
	errs := plan.Rows[0].Errors
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "身份证号 3604**********0219 是隐去部分数字的导出结果") {
		t.Errorf("errors = %+v, want the masked export message", errs)
	}
}

// The numbered empty rows of a results template are not read, as in a
// graduate list.
func TestResultsTemplateRowsIgnored(t *testing.T) {
	rc := newResultsClass(t)
	plan := rc.preview(t, writeTemp(t, "results.csv", csvText(
		"序号,姓名,身份证号,客户沟通出勤",
		"1,王建华,"+idWang+",90",
		"2,,,",
		"3,,,",
	)))
	if len(plan.Rows) != 1 || plan.Reject != 0 {
		t.Errorf("rows, rejected = %d, %d; want 1, 0", len(plan.Rows), plan.Reject)
	}
}
