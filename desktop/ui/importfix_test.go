package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/importer"
	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

// topMenu returns the pop-up menu on top of the window, or fails.
func topMenu(t *testing.T, win fyne.Window) *widget.PopUpMenu {
	t.Helper()
	top := win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no overlay shows, want a pop-up menu")
	}
	for _, o := range test.LaidOutObjects(top) {
		if menu, ok := o.(*widget.PopUpMenu); ok {
			return menu
		}
	}
	t.Fatalf("top overlay %T holds no pop-up menu", top)
	return nil
}

// menuTexts returns the labels of a pop-up menu's items.
func menuTexts(menu *widget.PopUpMenu) []string {
	var out []string
	for _, item := range menu.Items {
		for _, o := range test.LaidOutObjects(item) {
			if text, ok := o.(*canvas.Text); ok && text.Text != "" {
				out = append(out, text.Text)
			}
		}
	}
	return out
}

// The sequence that crashed the window: map a column, which previews the
// file again, select a row, then open the 显示 filter. The column select
// stays the same widget, and the filter opens its menu even when the
// driver finds no canvas for it, as Fyne 2.7.1's glfw driver sometimes
// does.
func TestImportFilterAfterRemap(t *testing.T) {
	h := newImportHarness(t)
	path := writeImportCSV(t, t.TempDir(), "list.csv",
		"姓名,身份证号,辅导员",
		"王建华,"+importIDWang+",李老师",
		"张三,"+importID("36010220040101001")+",王老师",
	)
	v := h.openImportView(path)
	before := columnSelect(t, v, "辅导员")
	before.SetSelected("工作单位")
	h.queue.flush()
	if got := v.plan.Rows[0].Person.Employer; got != "李老师" {
		t.Fatalf("employer after mapping 辅导员 = %q, want 李老师", got)
	}
	if after := columnSelect(t, v, "辅导员"); after != before {
		t.Error("the new preview replaced the 辅导员 select instead of updating it")
	}
	if got := before.Selected; got != "工作单位" {
		t.Errorf("辅导员 select shows %q, want 工作单位", got)
	}

	v.rows.Select(0)
	test.Tap(v.filter)
	if got, want := strings.Join(menuTexts(topMenu(t, h.win)), "|"), "全部|新增|更新|跳过|拒绝"; got != want {
		t.Errorf("filter menu = %s, want %s", got, want)
	}
	topMenu(t, h.win).Hide()

	v.filter.canvasOf = func(fyne.CanvasObject) fyne.Canvas { return nil }
	v.filter.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if top := h.win.Canvas().Overlays().Top(); top != nil && len(h.win.Canvas().Overlays().List()) > 1 {
		t.Errorf("space opened %T over the preview while the select has no canvas", top)
	}
	test.Tap(v.filter)
	menu := topMenu(t, h.win)
	if got := len(menu.Items); got != 5 {
		t.Fatalf("fallback menu has %d items, want 5", got)
	}
	menu.Items[4].(fyne.Tappable).Tapped(&fyne.PointEvent{})
	if got := v.filter.Selected; got != "拒绝" {
		t.Errorf("filter after choosing 拒绝 in the fallback menu = %q", got)
	}
	if got := len(v.visibleRows); got != v.plan.Reject {
		t.Errorf("拒绝 lists %d rows, want %d", got, v.plan.Reject)
	}
}

// fullWidth returns s with its ASCII digits and letters in full width,
// as some Chinese input methods type them.
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && r < 0x7f {
			r += 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestImportRowDetailAddedAndFullWidth(t *testing.T) {
	h := newImportHarness(t)
	path := writeImportCSV(t, t.TempDir(), "list.csv",
		"姓名,身份证号,手机,家庭住址",
		"李娜,"+importIDLiNa+",13807912345,江西省南昌市红谷滩区丰和中大道1188号",
		"赵六,"+fullWidth(importIDZhao)+",12345,",
	)
	v := h.openImportView(path)
	if v.plan.Add != 1 || v.plan.Reject != 1 {
		t.Fatalf("Add = %d, Reject = %d; want 1 and 1", v.plan.Add, v.plan.Reject)
	}

	v.showRows("新增")
	v.rows.Select(0)
	for _, want := range []string{"姓名：李娜", "身份证号：3601**********099X", "手机号码：138****2345", "地址：江西省南昌市红谷滩区***"} {
		if !strings.Contains(v.detail.Text, want) {
			t.Errorf("detail of the added row %q lacks %q", v.detail.Text, want)
		}
	}
	for _, secret := range []string{"13807912345", "1188", importIDLiNa} {
		if strings.Contains(v.detail.Text, secret) {
			t.Errorf("detail of the added row shows %q unmasked", secret)
		}
	}

	rejected := v.showRows("拒绝")
	if len(rejected) != 1 {
		t.Fatalf("拒绝 lists %d rows, want 1", len(rejected))
	}
	if want := "赵六  3603**********0646"; !strings.Contains(rejected[0], want) {
		t.Errorf("rejected row %q lacks the narrowed, masked ID %q", rejected[0], want)
	}
}

func TestImportResultsColumnNames(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	resultsClass(t, st, record.Module{Name: "客户沟通", Hours: 40, PassMark: 60})

	h := newHarness(t, st, Options{})
	h.w.progressDelay = 0
	_, page := openClassPage(t, h, customerClassRow)
	path := writeImportCSV(t, t.TempDir(), "成绩.csv",
		"姓名,身份证号,客户沟通出勤,客户沟通成绩",
		"王建华,"+importIDWang+",40,88",
	)
	var v *importView
	h.w.openImport(page.resultsImport(), path, func(shown *importView) { v = shown })
	h.queue.flush()
	if v == nil {
		t.Fatal("no preview of the results file shows")
	}
	var texts []string
	for _, row := range v.columnRows {
		if row.value != nil {
			texts = append(texts, row.value.Text)
		}
	}
	if got, want := strings.Join(texts, "|"), "→ 姓名|→ 身份证号|→ 客户沟通 出勤|→ 客户沟通 成绩"; got != want {
		t.Errorf("column mappings = %s, want %s", got, want)
	}
	if v.plan.Kind != importer.KindResults {
		t.Errorf("plan kind = %q, want results", v.plan.Kind)
	}
}

// Mouse movement and clicks inside the import preview count as activity,
// and a lock that does happen keeps the preview and its hand mapping.
func TestIdleActivityInImportDialog(t *testing.T) {
	st, _ := openWithAccount(t, access.Clerk)
	h := newHarness(t, st, Options{IdleLock: 10 * time.Minute})
	h.w.progressDelay = 0
	clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	h.w.now = func() time.Time { return clock }
	h.w.login.account.SetText("admin")
	h.w.login.password.SetText(testPassword)
	test.Tap(h.w.login.submit)
	h.queue.flush()

	path := writeImportCSV(t, t.TempDir(), "list.csv",
		"姓名,身份证号,辅导员",
		"王建华,"+importIDWang+",李老师",
	)
	v := h.openImportView(path)
	h.w.checkIdle() // notes the open dialog

	clock = clock.Add(9 * time.Minute)
	var watcher *activityWatcher
	for _, o := range test.LaidOutObjects(h.win.Canvas().Overlays().Top()) {
		if a, ok := o.(*activityWatcher); ok {
			watcher = a
		}
	}
	if watcher == nil {
		t.Fatal("the import dialog has no activity watcher")
	}
	watcher.Cursor() // the driver's call on a mouse move over the dialog
	clock = clock.Add(9 * time.Minute)
	h.w.checkIdle()
	if h.w.locked {
		t.Fatal("window locked 9 minutes after mouse movement over the import dialog")
	}

	columnSelect(t, v, "辅导员").SetSelected("工作单位")
	h.queue.flush()
	test.Tap(v.filter) // focuses the filter and opens its menu
	clock = clock.Add(9 * time.Minute)
	h.w.checkIdle()
	if h.w.locked {
		t.Fatal("window locked 9 minutes after a click in the import dialog")
	}
	topMenu(t, h.win).Hide()
	h.w.checkIdle()

	clock = clock.Add(10 * time.Minute)
	h.w.checkIdle()
	if !h.w.locked {
		t.Fatal("window not locked after 10 idle minutes")
	}
	if n := len(h.win.Canvas().Overlays().List()); n != 0 {
		t.Errorf("%d dialogs show while locked, want 0", n)
	}
	h.w.login.password.SetText(testPassword)
	test.Tap(h.w.login.submit)
	h.queue.flush()
	if h.w.locked {
		t.Fatal("the right password did not unlock")
	}
	shown := strings.Join(visibleTexts(h.win), "|")
	if !strings.Contains(shown, "文件：list.csv") {
		t.Errorf("after unlock the top dialog shows %q, want the import preview of list.csv", shown)
	}
	if got := v.mapping["辅导员"]; got != record.FieldEmployer {
		t.Errorf("hand mapping of 辅导员 after unlock = %q, want %q", got, record.FieldEmployer)
	}
}

func TestExportDialogTitles(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	f.h.w.writeList(t.TempDir(), "export.list.review", f.q.listTable(), nil)
	f.h.queue.flush()
	if shown := strings.Join(visibleTexts(f.h.win), "|"); !strings.Contains(shown, "导出审核队列") {
		t.Errorf("review export dialog shows %q, want the title 导出审核队列", shown)
	}
	if got := exportTitle("export.list.conflicts"); got != "导出冲突列表" {
		t.Errorf("conflict export title = %q, want 导出冲突列表", got)
	}
	if got := exportTitle("export.list.people"); got != "导出人才名单" {
		t.Errorf("person list export title = %q, want 导出人才名单", got)
	}
}

func TestFolderPromptSize(t *testing.T) {
	h := newImportHarness(t)
	h.w.showFolderPrompt(func(string) {})
	popUp, ok := h.win.Canvas().Overlays().Top().(*widget.PopUp)
	if !ok {
		t.Fatalf("top overlay is %T, want the folder dialog", h.win.Canvas().Overlays().Top())
	}
	window := h.win.Canvas().Size()
	size := popUp.Content.Size()
	if size.Width < window.Width*0.75 || size.Height < window.Height*0.75 {
		t.Errorf("folder dialog is %.0f×%.0f in a %.0f×%.0f window, want about 80%%", size.Width, size.Height, window.Width, window.Height)
	}
}
