package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

// directoryTab returns the content of the main screen's tab of type T.
func directoryTab[T fyne.CanvasObject](t *testing.T, h *harness) (T, *container.TabItem) {
	t.Helper()
	for _, item := range h.w.main.tabs.Items {
		if v, ok := item.Content.(T); ok {
			return v, item
		}
	}
	var zero T
	t.Fatalf("the main screen has no tab of type %T", zero)
	return zero, nil
}

// seedEmployer stores an employer on a central office store.
func seedEmployer(t *testing.T, st *store.Store, e record.Employer) record.Employer {
	t.Helper()
	saved, err := st.SaveEmployer(e)
	if err != nil {
		t.Fatalf("SaveEmployer(%s): %v", e.Name, err)
	}
	return saved
}

var hongdu = record.Employer{Name: "江西洪都数控机械有限公司", CreditCode: "91350100M000100Y43",
	Region: "360111", Industry: "3411", Nature: "39", Contact: "王建国", ContactPhone: "0791-86123456"}

// findTappable returns the first button under o, looking inside widgets
// through their renderers, whose text is one of texts.
func findTappable(o fyne.CanvasObject, texts ...string) *widget.Button {
	if b, ok := o.(*widget.Button); ok {
		for _, text := range texts {
			if b.Text == text {
				return b
			}
		}
		return nil
	}
	var children []fyne.CanvasObject
	switch v := o.(type) {
	case *fyne.Container:
		children = v.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(v).Objects()
	}
	for _, child := range children {
		if b := findTappable(child, texts...); b != nil {
			return b
		}
	}
	return nil
}

// A central office clerk types a credit code with a wrong check
// character and reads the right one in the message under the field. After
// the fix the save succeeds and the list shows the employer.
func TestEmployerAddFixCreditCode(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	h := newHarness(t, st, Options{})
	v, _ := directoryTab[*employersView](t, h)
	h.queue.flush()

	test.Tap(v.pane.add)
	d := v.dialog
	if d == nil {
		t.Fatal("新增用人单位 opened no dialog")
	}
	test.Type(d.name, "江西洪都数控机械有限公司")
	test.Type(d.creditCode, "91350100M000100Y44")
	d.region.SetText("360111 江西省南昌市青山湖区")
	d.industry.SetText("C3411")
	d.nature.SetSelected("其他企业")
	test.Type(d.contactPhone, "0791 86123456")
	test.Tap(d.save)
	h.queue.flush()

	message := d.form.errorText(record.FieldCreditCode)
	if !strings.Contains(message, "最后一位应为 3") {
		t.Errorf("credit code message %q, want it to name the check character 3", message)
	}
	if n := len(v.all); n != 0 {
		t.Fatalf("the list has %d employers after an invalid save, want 0", n)
	}

	d.creditCode.SetText("91350100M000100Y43")
	if got := d.form.errorText(record.FieldCreditCode); got != "" {
		t.Errorf("credit code message %q after editing, want it cleared", got)
	}
	test.Tap(d.save)
	h.queue.flush()

	employers, err := st.Employers()
	if err != nil || len(employers) != 1 {
		t.Fatalf("Employers() = %+v, %v; want one", employers, err)
	}
	want := hongdu
	want.ID, want.Scope, want.Contact = employers[0].ID, record.ProvinceScope, ""
	if employers[0] != want {
		t.Errorf("stored employer\n got %+v\nwant %+v", employers[0], want)
	}
	if len(v.shown) != 1 {
		t.Fatalf("the list shows %d employers, want 1", len(v.shown))
	}
	if got, want := v.shown[0].text(), "江西洪都数控机械有限公司  91350100M000100Y43  江西省南昌市青山湖区  其他企业"; got != want {
		t.Errorf("row text %q, want %q", got, want)
	}
	if got := v.pane.count.Text; got != "共 1 家单位" {
		t.Errorf("count %q, want 共 1 家单位", got)
	}
}

// The search matches part of a name, a credit code or a region name.
func TestEmployerSearchFilters(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	seedEmployer(t, st, hongdu)
	seedEmployer(t, st, record.Employer{Name: "九江石化设备有限公司", CreditCode: "91440300708461136T", Region: "360400"})
	seedEmployer(t, st, record.Employer{Name: "赣州稀土材料厂", CreditCode: "9111000071093123XX", Region: "360700"})
	h := newHarness(t, st, Options{})
	v, _ := directoryTab[*employersView](t, h)
	h.queue.flush()

	tests := []struct {
		query string
		want  []string
	}{
		// By pinyin, as the person list: ganzhou, jiangxi, jiujiang.
		{"", []string{"赣州稀土材料厂", "江西洪都数控机械有限公司", "九江石化设备有限公司"}},
		{"九江", []string{"九江石化设备有限公司"}},
		{"91440300", []string{"九江石化设备有限公司"}},
		{"9111000071093123xx", []string{"赣州稀土材料厂"}},
		{"南昌", []string{"江西洪都数控机械有限公司"}},
		{"上海", nil},
	}
	for _, tt := range tests {
		v.pane.search.SetText(tt.query)
		var got []string
		for _, r := range v.shown {
			got = append(got, r.employer.Name)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("search %q shows %v, want %v", tt.query, got, tt.want)
		}
	}
	v.pane.search.SetText("九江")
	if got := v.pane.count.Text; got != "找到 1 家，共 3 家" {
		t.Errorf("count %q, want 找到 1 家，共 3 家", got)
	}
}

// Deleting shows a confirmation first. 取消 keeps the employer, and 删除 deletes it.
func TestEmployerDeleteConfirms(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	seedEmployer(t, st, hongdu)
	h := newHarness(t, st, Options{})
	v, item := directoryTab[*employersView](t, h)
	h.w.main.tabs.Select(item)
	h.queue.flush()

	if !v.pane.remove.Disabled() {
		t.Error("删除 is enabled with no row selected")
	}
	v.pane.list.Select(0)
	test.Tap(v.pane.remove)
	h.queue.flush()
	confirm := h.win.Canvas().Overlays().Top()
	if confirm == nil {
		t.Fatal("删除 deleted without asking")
	}
	if findTappable(confirm, "No", "否", "不", "Yes", "是") != nil {
		t.Error("the confirmation has Fyne's 是/不 buttons, want 删除 and 取消")
	}
	no := findTappable(confirm, "取消")
	if no == nil {
		t.Fatal("the confirmation has no 取消 button")
	}
	test.Tap(no)
	h.queue.flush()
	if employers, _ := st.Employers(); len(employers) != 1 {
		t.Fatalf("after 取消 the store has %d employers, want 1", len(employers))
	}

	v.pane.list.Select(0)
	test.Tap(v.pane.remove)
	h.queue.flush()
	yes := findTappable(h.win.Canvas().Overlays().Top(), "删除")
	if yes == nil {
		t.Fatal("the confirmation has no 删除 button")
	}
	test.Tap(yes)
	h.queue.flush()
	if employers, _ := st.Employers(); len(employers) != 0 {
		t.Errorf("after 删除 the store has %d employers, want 0", len(employers))
	}
	if len(v.shown) != 0 {
		t.Errorf("after 删除 the list shows %d employers, want 0", len(v.shown))
	}
}
