package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/access"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// overlayText returns the texts of the labels and rich texts of the top
// overlay, joined by newlines, or "" without an overlay.
func overlayText(h *harness) string {
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var texts []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			texts = append(texts, x.Text)
		case *widget.RichText:
			texts = append(texts, x.String())
		case *fyne.Container:
			for _, child := range x.Objects {
				walk(child)
			}
			return
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, child := range test.TempWidgetRenderer(h.t, w).Objects() {
				walk(child)
			}
		}
	}
	walk(top)
	return strings.Join(texts, "\n")
}

func TestEmployerDeleteBlockedByOpenDemands(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	employer := seedEmployer(t, st, hongdu)
	for _, status := range []string{record.DemandOpen, record.DemandOpen, record.DemandClosed} {
		if _, err := st.SaveDemand(record.Demand{Employer: employer.ID, Title: "电工", Headcount: 3, Status: status}); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, st, Options{})
	v, _ := directoryTab[*employersView](t, h)
	h.queue.flush()

	v.pane.list.Select(0)
	test.Tap(v.pane.remove)
	h.queue.flush()

	want := "“江西洪都数控机械有限公司”还有 2 条招聘中的岗位需求，不能删除。请先在“岗位需求”中把这些需求标为已结束，或改到其他用人单位，然后再删除。"
	if got := overlayText(h); !strings.Contains(got, want) {
		t.Errorf("delete shows %q, want it to contain %q", got, want)
	}
	if findTappable(h.win.Canvas().Overlays().Top(), "删除") != nil {
		t.Error("the message offers 删除 for an employer with open demands")
	}
	if employers, _ := st.Employers(); len(employers) != 1 {
		t.Errorf("the store has %d employers, want 1", len(employers))
	}
}

// A demand whose employer was deleted, with the store's own API, can still
// be edited and closed.
func TestDemandOfDeletedEmployerCloses(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	employer := seedEmployer(t, st, hongdu)
	demand, err := st.SaveDemand(record.Demand{Employer: employer.ID, Title: "电工", Headcount: 3, Status: record.DemandOpen})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteEmployer(employer.ID); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, st, Options{})
	v, _ := directoryTab[*demandsView](t, h)
	h.queue.flush()

	v.pane.list.Select(0)
	test.Tap(v.pane.edit)
	d := v.dialog
	if got := d.employer.Text; got != "（单位已删除）" {
		t.Errorf("employer shows %q, want （单位已删除）", got)
	}
	d.status.SetSelectedIndex(1)
	test.Tap(d.save)
	h.queue.flush()

	if got := d.form.errorText(record.FieldEmployer); got != "" {
		t.Errorf("employer message %q, want none", got)
	}
	demands, _ := st.Demands()
	if len(demands) != 1 || demands[0].ID != demand.ID {
		t.Fatalf("demands %+v, want the one demand", demands)
	}
	if demands[0].Open() || demands[0].Employer != employer.ID {
		t.Errorf("stored status %q employer %s, want closed with employer %s", demands[0].Status, demands[0].Employer, employer.ID)
	}
}

// With many majors and messages the demand form scrolls, and 保存 stays
// inside the 1100x720 window.
func TestDemandDialogScrollsInWindow(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	seedEmployer(t, st, hongdu)
	h := newHarness(t, st, Options{})
	v, _ := directoryTab[*demandsView](t, h)
	h.queue.flush()

	test.Tap(v.pane.add)
	d := v.dialog
	for _, code := range []string{"460103", "460104", "460105", "460106", "460107", "460108", "460109", "460110",
		"4601", "4602", "4603", "46"} {
		d.majors.picker.SetText(code)
		test.Tap(d.majors.add)
	}
	test.Type(d.headcount, "many")
	test.Type(d.salaryMin, "x")
	test.Type(d.start, "2026-13-01")
	test.Tap(d.save)
	h.queue.flush()

	window := h.win.Canvas().Size().Height
	driver := fyne.CurrentApp().Driver()
	save := driver.AbsolutePositionForObject(d.save).Y + d.save.Size().Height
	if save > window {
		t.Errorf("保存 ends at y=%v, below the window's height %v", save, window)
	}
	if d.scroll == nil {
		t.Fatal("the demand form has no scroll container")
	}
	if content, shown := d.scroll.Content.MinSize().Height, d.scroll.Size().Height; content <= shown {
		t.Errorf("form height %v fits the scroll's %v, want a form that scrolls", content, shown)
	}
	d.scroll.ScrollToBottom()
	status := driver.AbsolutePositionForObject(d.status).Y + d.status.Size().Height
	if status > driver.AbsolutePositionForObject(d.save).Y {
		t.Errorf("scrolled to the end, 招聘状态 ends at y=%v under 保存 at y=%v", status,
			driver.AbsolutePositionForObject(d.save).Y)
	}
}

// A clerk sees a demand's majors, certificates and skills through 查看.
func TestDemandDetailForClerk(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	employer := seedEmployer(t, st, hongdu)
	if _, err := st.SaveDemand(record.Demand{Employer: employer.ID, Title: "数控车床操作工", Majors: []string{"460103", "4601"},
		Certificates: []record.DemandCertificate{{Title: "数控车工", SkillLevel: "4"}, {Title: "电工"}},
		Skills:       []string{"数控编程", "识图"}, Headcount: 20, Status: record.DemandOpen}); err != nil {
		t.Fatal(err)
	}
	ident, _ := st.Identity()
	ident.Role = string(access.Clerk)
	if err := st.SetIdentity(ident); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, st, Options{})
	v, _ := directoryTab[*demandsView](t, h)
	h.queue.flush()

	v.pane.list.Select(0)
	view := findTappable(v.pane.content, "查看")
	if view == nil || view.Disabled() {
		t.Fatalf("查看 is %v, want an enabled button", view)
	}
	test.Tap(view)
	if v.detail == nil {
		t.Fatal("查看 opened nothing")
	}
	want := map[string]string{
		"export.demands.employer":  "江西洪都数控机械有限公司",
		"field.majors":             "460103 数控技术、4601 机械设计制造类",
		"field.certificates":       "数控车工（中级）、电工",
		"field.skills":             "数控编程、识图",
		"export.demands.programme": "—",
	}
	for key, value := range want {
		if got := v.detail.values[key].Text; got != value {
			t.Errorf("%s shows %q, want %q", i18n.T(key), got, value)
		}
	}
}

func TestIndustryOptionsSectionCode(t *testing.T) {
	tables := codes.MustLoad()
	if got := industryOptions(tables, "C3411", 5); len(got) != 1 || got[0] != "3411 制造业 › 锅炉及辅助设备制造" {
		t.Errorf("C3411 offers %q, want [3411 制造业 › 锅炉及辅助设备制造]", got)
	}
	got := industryOptions(tables, "c34", 30)
	if len(got) == 0 || got[0] != "34 制造业 › 通用设备制造业" {
		t.Errorf("c34 offers %q, want 34 通用设备制造业 first", got)
	}
	for _, label := range got {
		if !strings.HasPrefix(label, "34") {
			t.Errorf("c34 offers %q, outside division 34", label)
		}
	}
	if got := industryOptions(tables, "A3411", 5); len(got) != 0 {
		t.Errorf("A3411 offers %q, want nothing: 3411 is in section C", got)
	}
}

func TestCertificateLinesWithoutLevel(t *testing.T) {
	got := certificateLines([]record.DemandCertificate{{Title: "数控车工", SkillLevel: "4"}, {Title: "电工"}})
	if want := "数控车工:中级\n电工"; got != want {
		t.Errorf("certificateLines = %q, want %q", got, want)
	}
}

func TestSeasonTextDatesAndMonths(t *testing.T) {
	tests := []struct {
		demand record.Demand
		want   string
	}{
		{record.Demand{Start: "2026-03-01", End: "2026-06-30", Months: []int{3, 4, 5, 6}}, "2026年3月1日至2026年6月30日  3–6月"},
		{record.Demand{Start: "2026-03-01"}, "2026年3月1日起"},
		{record.Demand{Months: []int{1, 2, 11, 12}}, "11–2月"},
		{record.Demand{}, ""},
	}
	for _, tt := range tests {
		if got := seasonText(tt.demand); got != tt.want {
			t.Errorf("seasonText(%+v) = %q, want %q", tt.demand, got, tt.want)
		}
	}
}

func TestEmployerNatureInEnglish(t *testing.T) {
	tables := codes.MustLoad()
	i18n.SetLocale(i18n.English)
	t.Cleanup(func() { i18n.SetLocale(i18n.Chinese) })
	if got := newEmployerRow(hongdu, tables).nature; got != "Other enterprise" {
		t.Errorf("nature 39 in English is %q, want Other enterprise", got)
	}
	i18n.SetLocale(i18n.Chinese)
	if got := newEmployerRow(record.Employer{Nature: "31"}, tables).nature; got != "国有企业" {
		t.Errorf("nature 31 in Chinese is %q, want 国有企业", got)
	}
}

// The information dialog's button reads 确定, and Enter closes it.
func TestInformationDialogEnterCloses(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	h := newHarness(t, st, Options{})
	h.queue.flush()

	showInformation("导出用人单位", "已导出 3 行", h.win)
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog shown")
	}
	if findTappable(top, "确定") == nil {
		t.Error("the dialog has no 确定 button")
	}
	h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if top := h.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("after Enter the dialog %T is still shown", top)
	}
}
