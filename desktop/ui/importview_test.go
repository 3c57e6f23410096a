package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"mobilefactory/desktop/importer"
	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// ID numbers with valid check characters for the import tests.
const (
	importIDWang = "360403200202170219"
	importIDZhao = "360321200307300646"
	importIDLiNa = "36012120020101099X"
)

// importID returns a valid ID number made of 17 digits and their check
// character.
func importID(first17 string) string {
	return first17 + string(validate.IDCheckChar(first17))
}

// writeImportCSV writes lines as a UTF-8 CSV file in dir and returns its path.
func writeImportCSV(t *testing.T, dir, name string, lines ...string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// newImportHarness opens a clerk's window whose progress dialogs show at
// once.
func newImportHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, openStoreAs(t, string(access.Clerk)), Options{})
	h.w.progressDelay = 0
	return h
}

// openImportView previews the file at path as 导入名单 does and returns the
// preview screen.
func (h *harness) openImportView(path string) *importView {
	h.t.Helper()
	var v *importView
	h.w.openImport(h.w.personsImport(), path, func(shown *importView) { v = shown })
	h.queue.flush()
	if v == nil {
		h.t.Fatalf("no preview of %s shows", filepath.Base(path))
	}
	return v
}

// showRows sets the outcome filter and returns the text of each row listed,
// made as the list makes it.
func (v *importView) showRows(filter string) []string {
	v.filter.SetSelected(filter)
	var out []string
	for i := range v.visibleRows {
		label := newImportRow()
		v.updateImportRow(i, label)
		out = append(out, label.(*widget.Label).Text)
	}
	return out
}

// visibleTexts returns the text of every label, entry and select that the
// top overlay of the window lays out, list rows included.
func visibleTexts(win fyne.Window) []string {
	var out []string
	for _, o := range test.LaidOutObjects(win.Canvas().Overlays().Top()) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Entry:
			out = append(out, w.Text)
		case *widget.Select:
			out = append(out, w.Selected)
		}
	}
	return out
}

func personWithIDNumber(t *testing.T, st *store.Store, id string) record.Person {
	t.Helper()
	p, ok := st.PersonByIDNumber(id)
	if !ok {
		t.Fatalf("no person with ID number %s…", id[:4])
	}
	return p
}

func TestImportPreviewAndApply(t *testing.T) {
	h := newImportHarness(t)
	savePerson(t, h.store, record.Person{Name: "王建华", IDNumber: importIDWang, Phone: "13807912345"})
	path := writeImportCSV(t, t.TempDir(), "毕业生名单.csv",
		"姓名,身份证号,手机",
		"王建华,"+importIDWang+",13807910000",           // row 2: phone changes
		"李娜,"+importIDLiNa+",",                       // row 3: new
		"李娜,"+importIDLiNa+",",                       // row 4: repeat of row 3
		"张三,"+importID("36010220040101001")+",12345", // row 5: bad phone
	)

	v := h.openImportView(path)
	if got, want := v.counts.Text, "新增 1 · 更新 1 · 跳过 1 · 拒绝 1"; got != want {
		t.Errorf("counts = %q, want %q", got, want)
	}
	if got, want := v.source.Text, "文件：毕业生名单.csv（UTF-8）"; got != want {
		t.Errorf("source = %q, want %q", got, want)
	}

	rejected := v.showRows("拒绝")
	if len(rejected) != 1 {
		t.Fatalf("拒绝 lists %d rows, want 1", len(rejected))
	}
	v.rows.Select(0)
	for _, want := range []string{"第 5 行", "拒绝", "张三", "“手机”列", "12345"} {
		if !strings.Contains(v.detail.Text, want) {
			t.Errorf("detail of the rejected row %q lacks %q", v.detail.Text, want)
		}
	}
	updated := v.showRows("更新")
	if len(updated) != 1 || !strings.Contains(updated[0], "手机号码：138****2345 → 138****0000") {
		t.Errorf("更新 rows = %q, want the masked phone change", updated)
	}
	skipped := v.showRows("跳过")
	if len(skipped) != 1 || !strings.Contains(skipped[0], "第 4 行") || !strings.Contains(skipped[0], "与第 3 行重复") {
		t.Errorf("跳过 rows = %q, want row 4 as a repeat of row 3", skipped)
	}
	if v.saveRejected.Hidden {
		t.Error("保存被拒绝的行 is hidden with a rejected row")
	}

	test.Tap(v.importButton)
	h.queue.flush()
	if got, want := v.message.Text, "导入完成：新增 1 人，更新 1 人，跳过 1 行，拒绝 1 行。"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	if got := h.store.Count(); got != 2 {
		t.Errorf("store has %d persons, want 2", got)
	}
	if got := personWithIDNumber(t, h.store, importIDWang).Phone; got != "13807910000" {
		t.Errorf("王建华's phone = %q, want 13807910000", got)
	}
	if got := personWithIDNumber(t, h.store, importIDLiNa).Name; got != "李娜" {
		t.Errorf("new person's name = %q, want 李娜", got)
	}
	if !v.importButton.Disabled() {
		t.Error("导入 is enabled after the plan was written")
	}
	if got, want := h.w.main.persons.count.Text, "共 2 人"; got != want {
		t.Errorf("person list count = %q, want %q", got, want)
	}

	pending := h.store.Pending()
	again := h.openImportView(path)
	if got, want := again.counts.Text, "新增 0 · 更新 0 · 跳过 3 · 拒绝 1"; got != want {
		t.Errorf("counts of a re-import = %q, want %q", got, want)
	}
	test.Tap(again.importButton)
	h.queue.flush()
	if got := h.store.Pending(); got != pending {
		t.Errorf("re-import wrote %d changes, want 0", got-pending)
	}
}

func TestImportPreviewMasksPersonalFields(t *testing.T) {
	h := newImportHarness(t)
	savePerson(t, h.store, record.Person{Name: "王建华", IDNumber: importIDWang, Phone: "13807912345"})
	path := writeImportCSV(t, t.TempDir(), "list.csv",
		"姓名,身份证号,手机",
		"王建华,"+importIDWang+",13807910000",
		"赵敏,"+importIDZhao+",13907971111",
		"赵敏,"+importIDZhao+",13907972222", // rejected: same ID number, other phone
	)
	v := h.openImportView(path)
	if v.plan.Reject != 1 {
		t.Fatalf("Reject = %d, want 1", v.plan.Reject)
	}

	var texts []string
	for _, filter := range filterLabels() {
		texts = append(texts, v.showRows(filter)...)
		for i := range v.visibleRows {
			v.rows.Select(i)
			texts = append(texts, v.detail.Text)
		}
	}
	v.filter.SetSelected("全部")
	texts = append(texts, visibleTexts(h.win)...)
	for _, secret := range []string{importIDWang, importIDZhao, "13807910000", "13807912345", "13907971111", "13907972222"} {
		for _, text := range texts {
			if strings.Contains(text, secret) {
				t.Errorf("preview text %q shows %s…%s in full", text, secret[:3], secret[len(secret)-2:])
			}
		}
	}
	if !strings.Contains(strings.Join(texts, "\n"), "3603**********0646") {
		t.Errorf("preview texts %q lack the masked ID number 3603**********0646", texts)
	}
}

func TestImportMapsColumnByHand(t *testing.T) {
	h := newImportHarness(t)
	dir := t.TempDir()
	path := writeImportCSV(t, dir, "list.csv",
		"姓名,身份证号,联系号码",
		"王建华,"+importIDWang+",13807912345",
	)
	v := h.openImportView(path)
	sel := columnSelect(t, v, "联系号码")
	if sel.Selected != "" || sel.PlaceHolder != "未识别" {
		t.Errorf("联系号码 select shows %q, placeholder %q; want 未识别", sel.Selected, sel.PlaceHolder)
	}

	sel.SetSelected("手机号")
	h.queue.flush()
	if got := v.plan.Rows[0].Person.Phone; got != "13807912345" {
		t.Fatalf("phone after mapping by hand = %q, want 13807912345", got)
	}
	if got := columnSelect(t, v, "联系号码").Selected; got != "手机号" {
		t.Errorf("联系号码 select after the new preview = %q, want 手机号", got)
	}
	test.Tap(v.importButton)
	h.queue.flush()
	if got := personWithIDNumber(t, h.store, importIDWang).Phone; got != "13807912345" {
		t.Errorf("stored phone = %q, want 13807912345", got)
	}

	// A second file with the same columns maps 联系号码 without help.
	next := h.openImportView(writeImportCSV(t, dir, "next.csv",
		"联系号码,身份证号,姓名",
		"13907971111,"+importIDZhao+",赵敏",
	))
	if got := next.plan.Rows[0].Person.Phone; got != "13907971111" {
		t.Errorf("phone from the second file = %q, want 13907971111", got)
	}
	if got := columnSelect(t, next, "联系号码").Selected; got != "手机号" {
		t.Errorf("联系号码 select of the second file = %q, want 手机号", got)
	}
}

// columnSelect returns the field select of the column with header.
func columnSelect(t *testing.T, v *importView, header string) *widget.Select {
	t.Helper()
	for _, row := range v.columns.Objects {
		parts := row.(*fyne.Container).Objects
		if parts[0].(*widget.Label).Text != header {
			continue
		}
		sel, ok := parts[1].(*canvasSelect)
		if !ok {
			t.Fatalf("column %s has no field select", header)
		}
		return &sel.Select
	}
	t.Fatalf("no column %s listed", header)
	return nil
}

func TestImportMissingColumnMappedByHand(t *testing.T) {
	h := newImportHarness(t)
	path := writeImportCSV(t, t.TempDir(), "list.csv",
		"姓名,证件编号",
		"王建华,"+importIDWang,
	)
	v := h.openImportView(path)
	if !strings.Contains(v.problem.Text, "身份证号") || v.problem.Hidden {
		t.Errorf("problem = %q (hidden %v), want the missing 身份证号 column", v.problem.Text, v.problem.Hidden)
	}
	if !v.importButton.Disabled() {
		t.Error("导入 is enabled without an ID number column")
	}

	columnSelect(t, v, "证件编号").SetSelected("身份证号")
	h.queue.flush()
	if v.plan.Add != 1 || !v.problem.Hidden {
		t.Errorf("after mapping: Add = %d, problem %q; want 1 and none", v.plan.Add, v.problem.Text)
	}
	if v.importButton.Disabled() {
		t.Error("导入 is disabled after the ID number column was mapped")
	}
}

func TestImportAllOrNothingWritesNothing(t *testing.T) {
	h := newImportHarness(t)
	path := writeImportCSV(t, t.TempDir(), "list.csv",
		"姓名,身份证号,手机",
		"王建华,"+importIDWang+",13807912345",
		"张三,"+importID("36010220040101001")+",12345",
	)
	v := h.openImportView(path)
	v.mode.SetSelected("有错误时全部不导入（先修改文件）")
	test.Tap(v.importButton)
	h.queue.flush()

	if got := h.store.Count(); got != 0 {
		t.Errorf("store has %d persons, want 0", got)
	}
	if got := v.message.Text; !strings.Contains(got, "有 1 行有问题") || !strings.Contains(got, "没有写入任何数据") {
		t.Errorf("message = %q, want the rejected count and that nothing was written", got)
	}
	if v.importButton.Disabled() {
		t.Error("导入 stays disabled, so the other mode cannot be chosen")
	}
}

func TestImportCancelWritesNothing(t *testing.T) {
	h := newImportHarness(t)
	lines := []string{"姓名,身份证号"}
	for i := range 50 {
		lines = append(lines, "某某,"+importID("36010220040101"+string(rune('0'+i/10))+string(rune('0'+i%10))+"1"))
	}
	v := h.openImportView(writeImportCSV(t, t.TempDir(), "list.csv", lines...))
	if v.plan.Add != 50 {
		t.Fatalf("Add = %d, want 50", v.plan.Add)
	}
	pending := h.store.Pending()
	v.onApplyProgress = func(done, total int) {
		if done < total && !v.progress.cancel.Disabled() {
			test.Tap(v.progress.cancel)
		}
	}
	test.Tap(v.importButton)
	h.queue.flush()

	if got := h.store.Count(); got != 0 {
		t.Errorf("store has %d persons after cancel, want 0", got)
	}
	if got := h.store.Pending(); got != pending {
		t.Errorf("cancel left %d pending changes, want 0", got-pending)
	}
	if got, want := v.message.Text, "已取消导入，没有写入任何数据。"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

func TestImportSaveRejectedRows(t *testing.T) {
	h := newImportHarness(t)
	dir := t.TempDir()
	v := h.openImportView(writeImportCSV(t, dir, "毕业生名单.csv",
		"姓名,身份证号,手机",
		"王建华,"+importIDWang+",13807912345",
		"张三,"+importID("36010220040101001")+",12345",
	))

	var paths []string
	for range 2 {
		v.saveRejectedIn(dir, func(path string, err error) {
			if err != nil {
				t.Fatalf("saving rejected rows: %v", err)
			}
			paths = append(paths, path)
		})
		h.queue.flush()
	}
	want := []string{filepath.Join(dir, "毕业生名单-被拒绝的行.xlsx"), filepath.Join(dir, "毕业生名单-被拒绝的行-2.xlsx")}
	if len(paths) != 2 || paths[0] != want[0] || paths[1] != want[1] {
		t.Fatalf("paths = %q, want %q", paths, want)
	}
	if !strings.Contains(v.message.Text, want[1]) {
		t.Errorf("message %q does not name %s", v.message.Text, want[1])
	}

	f, err := excelize.OpenFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("file has %d rows, want the header and one rejected row", len(rows))
	}
	header := rows[0]
	if got := header[len(header)-1]; got != "问题" {
		t.Errorf("last header = %q, want 问题", got)
	}
	if got := rows[1][0]; got != "张三" {
		t.Errorf("rejected row name = %q, want 张三", got)
	}
	if got := rows[1][len(header)-1]; !strings.Contains(got, "12345") {
		t.Errorf("reason = %q, want the bad phone named", got)
	}
}

func TestImportWholeFileError(t *testing.T) {
	h := newImportHarness(t)
	path := filepath.Join(t.TempDir(), "名单.xlsx")
	if err := os.WriteFile(path, []byte("\x89PNG\r\n\x1a\n not a workbook"), 0o600); err != nil {
		t.Fatal(err)
	}
	shown := false
	h.w.openImport(h.w.personsImport(), path, func(*importView) { shown = true })
	h.queue.flush()
	if shown {
		t.Fatal("a preview shows for a file that is not a spreadsheet")
	}
	texts := strings.Join(visibleTexts(h.win), "\n")
	if !strings.Contains(texts, "不是 Excel 工作簿") {
		t.Errorf("dialog texts %q lack the importer's message", texts)
	}
}

func TestImportButtonByRole(t *testing.T) {
	for _, tc := range []struct {
		role access.Role
		want bool
	}{{access.Clerk, true}, {access.Reviewer, true}, {access.Central, true}, {access.Fair, false}} {
		h := newHarness(t, openStoreAs(t, string(tc.role)), Options{})
		if got := h.w.main.persons.importList != nil; got != tc.want {
			t.Errorf("role %s: 导入名单 shown = %v, want %v", tc.role, got, tc.want)
		}
	}
}

func TestImportPreviewCancel(t *testing.T) {
	h := newImportHarness(t)
	lines := []string{"姓名,身份证号"}
	for i := range 600 {
		lines = append(lines, fmt.Sprintf("某某,%s", importID(fmt.Sprintf("36010220040101%03d", i))))
	}
	path := writeImportCSV(t, t.TempDir(), "list.csv", lines...)

	// The preview taps 取消 in the progress dialog after its first row.
	kind := h.w.personsImport()
	previews := 0
	kind.preview = h.cancellingPreview(kind.preview, &previews, 0)
	shown := false
	h.w.openImport(kind, path, func(*importView) { shown = true })
	h.queue.flush()

	if shown {
		t.Error("the preview shows after 取消")
	}
	if top := h.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a dialog shows after 取消: %q", visibleTexts(h.win))
	}
	if got := h.store.Pending(); got != 0 {
		t.Errorf("a cancelled preview wrote %d changes", got)
	}
}

// cancellingPreview wraps preview so that every call after the first skip
// taps 取消 in the progress dialog after its first row. It counts the
// calls in previews.
func (h *harness) cancellingPreview(preview func(context.Context, string, importer.Options) (*importer.Plan, error),
	previews *int, skip int) func(context.Context, string, importer.Options) (*importer.Plan, error) {
	return func(ctx context.Context, path string, opts importer.Options) (*importer.Plan, error) {
		*previews++
		if *previews > skip {
			report := opts.Progress
			opts.Progress = func(done, total int) {
				report(done, total)
				if cancel := progressCancel(h.win); !cancel.Disabled() {
					test.Tap(cancel)
				}
			}
		}
		return preview(ctx, path, opts)
	}
}

// progressCancel returns the 取消 button of the progress dialog on top.
func progressCancel(win fyne.Window) *widget.Button {
	for _, o := range test.LaidOutObjects(win.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == "取消" {
			return b
		}
	}
	panic("no 取消 button in the top dialog")
}

func TestImportMappingCancelKeepsPlan(t *testing.T) {
	h := newImportHarness(t)
	lines := []string{"姓名,身份证号,联系号码"}
	for i := range 600 {
		lines = append(lines, fmt.Sprintf("某某,%s,13807912345", importID(fmt.Sprintf("36010220040101%03d", i))))
	}
	path := writeImportCSV(t, t.TempDir(), "list.csv", lines...)

	// Every preview after the first taps 取消 after its first row.
	kind := h.w.personsImport()
	previews := 0
	kind.preview = h.cancellingPreview(kind.preview, &previews, 1)
	var v *importView
	h.w.openImport(kind, path, func(shown *importView) { v = shown })
	h.queue.flush()
	if v == nil {
		t.Fatal("no preview shows")
	}
	plan := v.plan

	columnSelect(t, v, "联系号码").SetSelected("手机号")
	h.queue.flush()
	if previews != 2 {
		t.Fatalf("previews = %d, want 2", previews)
	}
	if v.plan != plan {
		t.Error("a cancelled preview replaced the plan shown")
	}
	if got := columnSelect(t, v, "联系号码").Selected; got != "" {
		t.Errorf("联系号码 select after 取消 = %q, want 未识别 again", got)
	}
	if _, ok := v.mapping["联系号码"]; ok {
		t.Error("the cancelled mapping of 联系号码 is kept")
	}
	if v.importButton.Disabled() {
		t.Error("导入 is disabled after a cancelled preview")
	}
}

// 导入成绩 on a class page previews a results file for that class and
// writes the members' results, with completion computed.
func TestClassPageImportsResults(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	class, wang := resultsClass(t, st, record.Module{Name: "客户沟通", Hours: 40, PassMark: 60},
		record.Module{Name: "办公软件", Hours: 24, PassMark: 60})
	savePerson(t, st, record.Person{Name: "李娜", IDNumber: importIDLiNa})

	h := newHarness(t, st, Options{})
	h.w.progressDelay = 0
	_, page := openClassPage(t, h, customerClassRow)
	if page.importResults == nil || page.importResults.Text != "导入成绩" {
		t.Fatal("the class page has no 导入成绩 button")
	}
	path := writeImportCSV(t, t.TempDir(), "成绩.csv",
		"姓名,身份证号,客户沟通出勤,客户沟通成绩,办公软件出勤,办公软件成绩",
		"王建华,"+importIDWang+",40,88,24,75",                 // row 2: member, all passed
		"李娜,"+importIDLiNa+",31,70,24,80",                  // row 3: not a member yet, 31 of 40 h fails
		"张三,"+importID("36010220040101001")+",40,90,24,90", // row 4: not on this device
	)
	var v *importView
	h.w.openImport(page.resultsImport(), path, func(shown *importView) { v = shown })
	h.queue.flush()
	if v == nil {
		t.Fatal("no preview of the results file shows")
	}
	if got, want := v.counts.Text, "新增 1 · 更新 1 · 跳过 0 · 拒绝 1"; got != want {
		t.Errorf("counts = %q, want %q", got, want)
	}
	test.Tap(v.importButton)
	h.queue.flush()

	members, err := h.store.ClassMembers(class.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 2 {
		t.Fatalf("class has %d members after the import, want 2", len(members))
	}
	completed := map[string]bool{}
	for _, m := range members {
		completed[m.Person] = m.Completed
	}
	li := personWithIDNumber(t, h.store, importIDLiNa)
	if !completed[wang.ID] || completed[li.ID] {
		t.Errorf("completed = 王建华 %v, 李娜 %v; want true, false (31 of 40 h is under 80%%)", completed[wang.ID], completed[li.ID])
	}
}

// A workbook with two list sheets and a sheet of instructions: the preview
// names both list sheets, warns about the other one, and heads each row
// with its sheet.
func TestImportPreviewSeveralSheets(t *testing.T) {
	h := newImportHarness(t)
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "2024届"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"2025届", "填表说明"} {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
	}
	cells := map[string]map[string]string{
		"2024届": {"A1": "姓名", "B1": "身份证号", "A2": "王建华", "B2": importIDWang},
		"2025届": {"A1": "姓名", "B1": "身份证号", "A2": "李娜", "B2": importIDLiNa},
		"填表说明":  {"A1": "身份证号请设为文本格式"},
	}
	for sheet, m := range cells {
		for cell, v := range m {
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "名单.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}

	v := h.openImportView(path)
	if got, want := v.counts.Text, "新增 2 · 更新 0 · 跳过 0 · 拒绝 0"; got != want {
		t.Errorf("counts = %q, want %q", got, want)
	}
	if got, want := v.source.Text, "文件：名单.xlsx（工作表“2024届”“2025届”）"; got != want {
		t.Errorf("source = %q, want %q", got, want)
	}
	if got, want := v.warnings.Text, "工作表“填表说明”的表头没有姓名和身份证号列，不是名单，没有读取"; got != want || v.warnings.Hidden {
		t.Errorf("warnings = %q (hidden %v), want %q", got, v.warnings.Hidden, want)
	}
	rows := v.showRows("全部")
	if len(rows) != 2 || !strings.HasPrefix(rows[1], "“2025届”第 2 行") {
		t.Errorf("rows = %q, want the second headed “2025届”第 2 行", rows)
	}
}

// A column ignored by hand shows 忽略 again when the next file with the
// same columns is opened, not 未识别.
func TestImportRemembersIgnoredColumn(t *testing.T) {
	h := newImportHarness(t)
	dir := t.TempDir()
	v := h.openImportView(writeImportCSV(t, dir, "list.csv",
		"姓名,身份证号,辅导员",
		"王建华,"+importIDWang+",刘老师",
	))
	columnSelect(t, v, "辅导员").SetSelected("忽略")
	h.queue.flush()
	test.Tap(v.importButton)
	h.queue.flush()

	next := h.openImportView(writeImportCSV(t, dir, "next.csv",
		"姓名,身份证号,辅导员",
		"赵敏,"+importIDZhao+",陈老师",
	))
	if got := columnSelect(t, next, "辅导员").Selected; got != "忽略" {
		t.Errorf("辅导员 select of the second file = %q, want 忽略", got)
	}
}

// resultsClass stores the class 2025级赣电客服班 of a programme with modules
// and 王建华 (importIDWang) as a draft member, and returns the class and him.
func resultsClass(t *testing.T, st *store.Store, modules ...record.Module) (record.Class, record.Person) {
	t.Helper()
	programme, err := st.SaveProgramme(record.Programme{Title: "赣电客服岗位定制培训", Modules: modules})
	if err != nil {
		t.Fatalf("SaveProgramme: %v", err)
	}
	class, err := st.SaveClass(record.Class{Title: "2025级赣电客服班", Programme: programme.ID, Start: "2025-09-01", End: "2025-12-31"})
	if err != nil {
		t.Fatalf("SaveClass: %v", err)
	}
	wang := savePerson(t, st, record.Person{Name: "王建华", IDNumber: importIDWang})
	enrolDraft(t, st, wang.ID, programme.ID, class.ID)
	return class, wang
}
