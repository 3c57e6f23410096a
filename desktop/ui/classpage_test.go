package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

// customerClass stores a class of two modules, 客户沟通 (40 h) and 办公软件
// (24 h), with 曹雅洋 and 白诗豪 as draft members, and returns it with the
// members' person ids by name.
func customerClass(t *testing.T, st *store.Store) (record.Class, map[string]string) {
	t.Helper()
	programme, err := st.SaveProgramme(record.Programme{Title: "赣电客服岗位定制培训", Modules: []record.Module{
		{Name: "客户沟通", Hours: 40, PassMark: 60}, {Name: "办公软件", Hours: 24, PassMark: 60}}})
	if err != nil {
		t.Fatalf("SaveProgramme: %v", err)
	}
	class, err := st.SaveClass(record.Class{Title: "2025级赣电客服班", Programme: programme.ID, Start: "2025-09-01", End: "2025-12-31"})
	if err != nil {
		t.Fatalf("SaveClass: %v", err)
	}
	ids := map[string]string{}
	for _, name := range []string{"曹雅洋", "白诗豪"} {
		p := savePerson(t, st, record.Person{Name: name})
		ids[name] = p.ID
		enrolDraft(t, st, p.ID, programme.ID, class.ID)
	}
	return class, ids
}

func enrolDraft(t *testing.T, st *store.Store, person, programme, class string) {
	t.Helper()
	if _, err := st.SaveHistory(record.KindTraining, "", record.Training{Person: person, Programme: programme,
		Class: class, Review: record.Review{State: record.ReviewDraft}}.Fields()); err != nil {
		t.Fatalf("SaveHistory: %v", err)
	}
}

// openClassPage shows the training tab and opens the class listed as row.
func openClassPage(t *testing.T, h *harness, row string) (*trainingView, *classPage) {
	t.Helper()
	item, content := tabContent(t, h, "培训")
	h.w.main.tabs.Select(item)
	v := content.(*trainingView)
	h.queue.flush()
	v.list.Select(trainingRow(t, v, row))
	h.queue.flush()
	return v, v.class
}

// gridRowNamed returns the grid row of the member named name.
func gridRowNamed(t *testing.T, p *classPage, name string) *gridRow {
	t.Helper()
	for _, r := range p.grid.rows {
		if r.name == name {
			return r
		}
	}
	t.Fatalf("the grid has no row for %s", name)
	return nil
}

const customerClassRow = "    └ 2025级赣电客服班（2025年9月1日 开班）"

func TestClassGridBlankRowNotSubmitted(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	class, ids := customerClass(t, st)
	h := newHarness(t, st, Options{})
	_, page := openClassPage(t, h, customerClassRow)
	page.mode.SetSelected("提交审核")

	// With nothing entered for anybody, nothing is submitted.
	test.Tap(page.save)
	h.queue.flush()
	want := "曹雅洋、白诗豪 还没有录入任何出勤或成绩，不能提交审核；请先录入或选择“保存草稿”"
	if got := page.message.Text; got != want {
		t.Errorf("message with every row blank = %q, want %q", got, want)
	}
	if got := page.message.Importance; got != widget.DangerImportance {
		t.Errorf("message importance with every row blank = %v, want danger", got)
	}
	for name, m := range membersByPerson(t, st, class.ID) {
		if m.Review.Current() != record.ReviewDraft {
			t.Errorf("%s's record after a refused submit = %q, want draft", name, m.Review.Current())
		}
	}

	// 白诗豪's results are submitted and 曹雅洋 is named as held back.
	bai := gridRowNamed(t, page, "白诗豪")
	test.Type(bai.cells[0].attended, "38")
	test.Type(bai.cells[0].score, "85")
	test.Tap(page.save)
	h.queue.flush()
	want = "已提交 1 名学员的成绩，等待审核：白诗豪\n" +
		"曹雅洋 还没有录入任何出勤或成绩，不能提交审核；请先录入或选择“保存草稿”"
	if got := page.message.Text; got != want {
		t.Errorf("message after submitting one of two = %q, want %q", got, want)
	}
	saved := membersByPerson(t, st, class.ID)
	if got := saved[ids["白诗豪"]].Review.Current(); got != record.ReviewPending {
		t.Errorf("白诗豪's record = %q, want pending", got)
	}
	if got := saved[ids["曹雅洋"]]; got.Review.Current() != record.ReviewDraft || len(got.Results) != 0 {
		t.Errorf("曹雅洋's record = %+v, want a draft without results", got)
	}
	queue, err := st.ReviewQueue()
	if err != nil || len(queue) != 1 {
		t.Errorf("review queue = %d items, %v; want only 白诗豪's record", len(queue), err)
	}

	// A blank row may still be saved as a draft.
	page.mode.SetSelected("保存草稿")
	cao := gridRowNamed(t, page, "曹雅洋")
	test.Type(cao.cells[1].attended, "20")
	test.Tap(page.save)
	h.queue.flush()
	if got, want := page.message.Text, "已保存 1 名学员的成绩（草稿）：曹雅洋"; got != want {
		t.Errorf("message after a draft save = %q, want %q", got, want)
	}
}

func TestClassGridMessageBelowCells(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	customerClass(t, st)
	h := newHarness(t, st, Options{})
	_, page := openClassPage(t, h, customerClassRow)
	page.content.Resize(fyne.NewSize(1000, 600))
	cellY := page.scroll.Position().Y

	cao := gridRowNamed(t, page, "曹雅洋")
	test.Type(cao.cells[0].score, "85.5")
	test.Type(cao.cells[1].attended, "-3")
	page.content.Refresh()
	if !strings.Contains(page.message.Text, "曹雅洋 的“办公软件”出勤学时“-3”应为 0 至 24 之间的整数") {
		t.Errorf("grid message = %q, want the -3 attendance named with its range", page.message.Text)
	}
	if got := page.scroll.Position().Y; got != cellY {
		t.Errorf("grid top after two error lines = %v, want %v as before", got, cellY)
	}
	if got, min := page.message.Position().Y, page.scroll.Position().Y+page.scroll.Size().Height; got < min {
		t.Errorf("message top = %v, want below the grid's bottom %v", got, min)
	}
}

func TestClassMessageClearedOnReturn(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	class, _ := customerClass(t, st)
	h := newHarness(t, st, Options{})
	v, page := openClassPage(t, h, customerClassRow)
	item, _ := tabContent(t, h, "培训")
	bai := gridRowNamed(t, page, "白诗豪")
	test.Type(bai.cells[0].attended, "38")
	test.Tap(page.save)
	h.queue.flush()
	want := "已保存 1 名学员的成绩（草稿）：白诗豪"
	if got := page.message.Text; got != want {
		t.Fatalf("message after saving = %q, want %q", got, want)
	}

	// A store change that leaves the roster as it is keeps the message.
	if _, err := st.SaveProgramme(record.Programme{Title: "云运维定制培训",
		Modules: []record.Module{{Name: "Linux基础", Hours: 32, PassMark: 60}}}); err != nil {
		t.Fatalf("SaveProgramme: %v", err)
	}
	h.eventually("new programme listed", func() bool { return len(v.rows) == 4 })
	if got := page.message.Text; got != want {
		t.Errorf("message after an unrelated store change = %q, want %q", got, want)
	}

	// A new member changes the roster, so the message goes.
	he := savePerson(t, st, record.Person{Name: "何静"})
	enrolDraft(t, st, he.ID, class.Programme, class.ID)
	h.eventually("third member shown", func() bool { return page.grid != nil && len(page.grid.rows) == 3 })
	if got := page.message.Text; got != "" {
		t.Errorf("message after the roster changed = %q, want none", got)
	}

	// Coming back to the tab clears a message left from before.
	test.Type(gridRowNamed(t, page, "何静").cells[0].attended, "10")
	test.Tap(page.save)
	h.queue.flush()
	if got, want := page.message.Text, "已保存 1 名学员的成绩（草稿）：何静"; got != want {
		t.Fatalf("message after the second save = %q, want %q", got, want)
	}
	h.w.main.tabs.SelectIndex(0)
	h.w.main.tabs.Select(item)
	h.queue.flush()
	if v.class != page {
		t.Fatalf("selecting the tab again replaced the class page")
	}
	if got := page.message.Text; got != "" {
		t.Errorf("message after coming back to the class = %q, want none", got)
	}
}

func TestEndedClassesNotOffered(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	zhao := savePerson(t, st, record.Person{Name: "赵磊", Major: "510203", GradYear: 2024, Status: record.StatusSeeking})
	if _, err := st.SaveClass(record.Class{Title: "已结业班", Programme: record.BasicProgramme, Start: "2025-03-01", End: "2025-06-30"}); err != nil {
		t.Fatalf("SaveClass: %v", err)
	}
	h := newHarness(t, st, Options{})
	h.w.now = func() time.Time { return time.Date(2025, time.July, 1, 9, 0, 0, 0, time.Local) }

	// Only an ended class exists, so the person page shows a message and
	// 回炉 offers only programmes.
	h.w.main.persons.selectID(zhao.ID)
	section := h.w.main.page.trainings
	section.showAddDialog()
	d := section.last
	if len(d.class.Options) != 0 {
		t.Errorf("报名班级 options = %q, want none while every class has ended", d.class.Options)
	}
	if got, want := d.form.errorText(record.FieldClass), "现有班级都已结束（结束日期早于今天），不能再报名：请先在“培训”页新建班级。"; got != want {
		t.Errorf("报名班级 message = %q, want %q", got, want)
	}
	d.dialog.Hide()

	v := h.w.newRetrainingView()
	h.queue.flush()
	test.Tap(v.all)
	test.Tap(v.enrol)
	h.queue.flush()
	if got := v.dialog.target.Options; len(got) != 1 || got[0] != "项目（不分班）：基础模块" {
		t.Errorf("报名回炉 options = %q, want only the basic programme", got)
	}
	if !v.dialog.note.Visible() || v.dialog.note.Text != "没有未结束的班级：可报名到培训项目（不分班），或先在“培训”页新建班级" {
		t.Errorf("报名回炉 note = %q (shown %v), want the no-open-class note shown", v.dialog.note.Text, v.dialog.note.Visible())
	}
	v.dialog.dialog.Hide()

	// A class ending today is still offered.
	if _, err := st.SaveClass(record.Class{Title: "七月班", Programme: record.BasicProgramme, Start: "2025-06-01", End: "2025-07-01"}); err != nil {
		t.Fatalf("SaveClass: %v", err)
	}
	section.showAddDialog()
	if got := section.last.class.Options; len(got) != 1 || got[0] != "七月班 · 基础模块" {
		t.Errorf("报名班级 options = %q, want only 七月班", got)
	}
	if got := section.last.form.errorText(record.FieldClass); got != "" {
		t.Errorf("报名班级 message with an open class = %q, want none", got)
	}
	section.last.dialog.Hide()
	test.Tap(v.enrol)
	h.queue.flush()
	if got := v.dialog.target.Options; len(got) != 2 || got[0] != "班级：七月班（基础模块）" {
		t.Errorf("报名回炉 options = %q, want 七月班 then the basic programme", got)
	}
	if v.dialog.note.Visible() {
		t.Errorf("报名回炉 shows the no-open-class note while 七月班 is open")
	}
}

func TestRetrainingMessageClearedOnChange(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	savePerson(t, st, record.Person{Name: "曹雅洋", Major: "510203", GradYear: 2024, Status: record.StatusSeeking})
	h := newHarness(t, st, Options{})
	h.w.now = func() time.Time { return time.Date(2025, time.July, 1, 9, 0, 0, 0, time.Local) }
	item, content := tabContent(t, h, "回炉")
	h.w.main.tabs.Select(item)
	v := content.(*retrainingView)
	h.queue.flush()

	v.all.SetChecked(true)
	test.Tap(v.enrol)
	h.queue.flush()
	if v.dialog == nil {
		t.Fatalf("报名回炉 opened no dialog; people %d, count %q, enrol disabled %v", len(v.people), v.count.Text, v.enrol.Disabled())
	}
	v.dialog.target.SetSelected("项目（不分班）：基础模块")
	test.Tap(v.dialog.confirm)
	h.queue.flush()
	want := "已为 1 人报名 项目（不分班）：基础模块：曹雅洋"
	if got := v.message.Text; got != want {
		t.Fatalf("message after enrolling = %q, want %q", got, want)
	}
	// The reload that the enrolment's own write sets off keeps it.
	h.queue.flush()
	if got := v.message.Text; got != want {
		t.Errorf("message after the enrolment's reload = %q, want %q", got, want)
	}

	// Another graduate due for re-training changes the list.
	savePerson(t, st, record.Person{Name: "白诗豪", Major: "510203", GradYear: 2024, Status: record.StatusSeeking})
	h.eventually("second graduate listed", func() bool { return len(v.people) == 2 })
	if got := v.message.Text; got != "" {
		t.Errorf("message after the list changed = %q, want none", got)
	}
}
