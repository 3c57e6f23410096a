package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

// trainingRow returns the list row of a programme or class, failing the
// test when it is not listed.
func trainingRow(t *testing.T, v *trainingView, text string) int {
	t.Helper()
	for i, r := range v.rows {
		if r.text() == text {
			return i
		}
	}
	var texts []string
	for _, r := range v.rows {
		texts = append(texts, r.text())
	}
	t.Fatalf("training list %q has no row %q", texts, text)
	return -1
}

func TestTrainingTabsForRoles(t *testing.T) {
	for _, tt := range []struct {
		role access.Role
		want bool
	}{{access.Clerk, true}, {access.Reviewer, true}, {access.Fair, false}} {
		st := openStoreAs(t, string(tt.role))
		h := newHarness(t, st, Options{})
		var titles []string
		for _, item := range h.w.main.tabs.Items {
			titles = append(titles, item.Text)
		}
		joined := strings.Join(titles, ",")
		if got := strings.Contains(joined, "培训") && strings.Contains(joined, "回炉"); got != tt.want {
			t.Errorf("tabs of %s = %q, want 培训 and 回炉 shown: %v", tt.role, titles, tt.want)
		}
	}
}

func TestClassGridFromProgrammeToPersonPage(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	li := savePerson(t, st, record.Person{Name: "李志明", StudentNo: "2021001"})
	savePerson(t, st, record.Person{Name: "王芳", StudentNo: "2021002"})
	h := newHarness(t, st, Options{})
	v := h.w.newTrainingView()
	h.queue.flush()
	if len(v.rows) == 0 || v.rows[0].text() != "基础模块" {
		t.Fatalf("first training row = %+v, want 基础模块", v.rows)
	}

	// A programme whose two modules share a name is rejected with a message.
	test.Tap(v.newProgramme)
	pd := v.programmeDialog
	test.Type(pd.title, "数控车床操作岗位班")
	test.Type(pd.employer, "江西铜业集团")
	test.Type(pd.modules[0].name, "数控编程")
	test.Type(pd.modules[0].hours, "100")
	test.Tap(pd.addModule)
	test.Type(pd.modules[1].name, "数控编程")
	test.Type(pd.modules[1].hours, "20")
	pd.modules[1].passMark.SetText("70")
	test.Tap(pd.save)
	h.queue.flush()
	if got, want := pd.form.errorText(record.FieldModules), "模块名称“数控编程”重复，同一项目中每个模块的名称须不同"; got != want {
		t.Errorf("message under the modules = %q, want %q", got, want)
	}
	if programmes, _ := st.Programmes(); len(programmes) != 1 {
		t.Fatalf("an invalid programme was stored: %+v", programmes)
	}
	pd.modules[1].name.SetText("安全操作")
	test.Tap(pd.save)
	h.queue.flush()
	programmes, err := st.Programmes()
	if err != nil || len(programmes) != 2 {
		t.Fatalf("Programmes after saving = %+v, %v; want basic and 数控车床操作岗位班", programmes, err)
	}
	if got := programmes[1].Modules; len(got) != 2 || got[0].Hours != 100 || got[1].PassMark != 70 {
		t.Errorf("stored modules = %+v, want 数控编程 100 h and 安全操作 pass mark 70", got)
	}

	// A class of the new programme.
	test.Tap(v.newClass)
	cd := v.classDialog
	test.Type(cd.title, "2025 数控定制班")
	cd.programme.SetSelectedIndex(1)
	test.Type(cd.start, "2025-03-01")
	test.Type(cd.end, "2025-06-30")
	test.Tap(cd.save)
	h.queue.flush()
	classes, err := st.Classes()
	if err != nil || len(classes) != 1 || classes[0].Programme != programmes[1].ID {
		t.Fatalf("Classes after saving = %+v, %v; want one of the new programme", classes, err)
	}
	v.list.Select(trainingRow(t, v, "    └ 2025 数控定制班（2025年3月1日 开班）"))
	h.queue.flush()
	page := v.class

	// Two members are found by pinyin initials and by name. Adding one twice is rejected.
	test.Tap(page.addMember)
	search := page.search
	test.Type(search.query, "lzm")
	if len(search.results) != 1 || search.results[0].Name != "李志明" {
		t.Fatalf("search lzm = %+v, want 李志明", search.results)
	}
	search.list.Select(0)
	h.queue.flush()
	search.query.SetText("王芳")
	search.list.Select(0)
	h.queue.flush()
	search.query.SetText("lzm")
	search.list.Select(0)
	h.queue.flush()
	if got, want := search.message.Text, "李志明 已在本班，无需重复添加"; got != want {
		t.Errorf("message after adding 李志明 twice = %q, want %q", got, want)
	}
	members, _ := st.ClassMembers(classes[0].ID)
	if len(members) != 2 {
		t.Fatalf("ClassMembers = %d records, want 2", len(members))
	}
	for _, m := range members {
		if m.Review.Current() != record.ReviewDraft || m.Programme != programmes[1].ID {
			t.Errorf("member record = %+v, want a draft of the class's programme", m)
		}
	}

	// The grid sorts rows by name, 李志明 then 王芳. 80 of 100 hours passes, 79 does not.
	grid := page.grid
	if len(grid.rows) != 2 || grid.rows[0].name != "李志明" || grid.rows[1].name != "王芳" {
		t.Fatalf("grid rows = %d, want 李志明 and 王芳", len(grid.rows))
	}
	li1, wang := grid.rows[0], grid.rows[1]
	test.Type(li1.cells[0].attended, "80")
	test.Type(li1.cells[0].score, "60")
	test.Type(li1.cells[1].attended, "16")
	test.Type(li1.cells[1].score, "70")
	test.Type(wang.cells[0].attended, "79")
	test.Type(wang.cells[0].score, "105")
	test.Type(wang.cells[1].attended, "20")
	test.Type(wang.cells[1].score, "70")
	if got := computedTexts(li1); got != [4]string{"2/2", "96", "65", "已结业"} {
		t.Errorf("李志明's computed columns = %q, want 2/2 96 65 已结业", got)
	}
	if err := wang.cells[0].score.Validate(); err == nil {
		t.Errorf("the score cell 105 is not marked invalid")
	}
	if want := "王芳 的“数控编程”成绩“105”应为 0 至 100 之间的整数"; !strings.Contains(page.message.Text, want) {
		t.Errorf("grid message = %q, want it to contain %q", page.message.Text, want)
	}
	page.mode.SetSelected("提交审核")
	test.Tap(page.save)
	h.queue.flush()
	if members, _ := st.ClassMembers(classes[0].ID); len(members[0].Results)+len(members[1].Results) != 0 {
		t.Fatalf("results were saved while a cell was invalid: %+v", members)
	}

	wang.cells[0].score.SetText("90")
	if got := computedTexts(wang); got != [4]string{"1/2", "99", "80", "未结业"} {
		t.Errorf("王芳's computed columns = %q, want 1/2 99 80 未结业", got)
	}
	if page.message.Text != "" {
		t.Errorf("grid message after fixing the cell = %q, want none", page.message.Text)
	}
	test.Tap(page.save)
	h.queue.flush()
	if got, want := page.message.Text, "已提交 2 名学员的成绩，等待审核：李志明、王芳"; got != want {
		t.Errorf("message after saving = %q, want %q", got, want)
	}
	saved := membersByPerson(t, st, classes[0].ID)
	got := saved[li.ID]
	if got.Hours != 96 || got.Score != "65" || !got.Completed || got.Review.Current() != record.ReviewPending || got.Date != "2025-06-30" {
		t.Errorf("李志明's saved record = %+v, want 96 h, score 65, completed, pending, dated 2025-06-30", got)
	}

	// Saving again writes only the changed row.
	page.mode.SetSelected("保存草稿")
	page.grid.rows[1].cells[1].score.SetText("75")
	test.Tap(page.save)
	h.queue.flush()
	again := membersByPerson(t, st, classes[0].ID)
	if again[li.ID].ID != got.ID {
		t.Errorf("李志明's unchanged row was saved again: %s, was %s", again[li.ID].ID, got.ID)
	}
	if page.message.Text != "已保存 1 名学员的成绩（草稿）：王芳" {
		t.Errorf("message after saving one row = %q", page.message.Text)
	}

	// The person page shows the programme, class and completion.
	h.w.main.persons.selectID(li.ID)
	rows := h.w.main.page.trainings.texts()
	want := "数控车床操作岗位班 · 2025 数控定制班 · 通过 2/2 个模块 · 96 学时 · 平均分 65 · 已结业"
	if len(rows) != 1 || rows[0] != want {
		t.Errorf("李志明's training rows = %q, want [%s]", rows, want)
	}
}

func computedTexts(r *gridRow) [4]string {
	var out [4]string
	for i, l := range r.computed {
		out[i] = l.Text
	}
	return out
}

func membersByPerson(t *testing.T, st *store.Store, class string) map[string]record.Training {
	t.Helper()
	members, err := st.ClassMembers(class)
	if err != nil {
		t.Fatalf("ClassMembers: %v", err)
	}
	out := map[string]record.Training{}
	for _, m := range members {
		out[m.Person] = m
	}
	return out
}

func TestRetrainingListAndEnrol(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	zhao := savePerson(t, st, record.Person{Name: "赵磊", Major: "510203", GradYear: 2024, Status: record.StatusSeeking})
	savePerson(t, st, record.Person{Name: "孙丽", Major: "510203", GradYear: 2025, Status: record.StatusSeeking})
	savePerson(t, st, record.Person{Name: "钱伟", Major: "510203", GradYear: 2024, Status: record.StatusEmployed})
	class, err := st.SaveClass(record.Class{Title: "回炉一班", Programme: record.BasicProgramme, Start: "2025-07-10", End: "2025-08-10"})
	if err != nil {
		t.Fatalf("SaveClass: %v", err)
	}
	h := newHarness(t, st, Options{})
	h.w.now = func() time.Time { return time.Date(2025, time.July, 1, 9, 0, 0, 0, time.Local) }
	v := h.w.newRetrainingView()
	h.queue.flush()

	if len(v.people) != 1 || v.people[0].ID != zhao.ID {
		t.Fatalf("re-training list = %+v, want only 赵磊 (2024, seeking)", v.people)
	}
	if got, want := retrainingRowText(v, 0), "赵磊 · 软件技术 · 2024 届 · 毕业 12 个月"; got != want {
		t.Errorf("row 0 = %q, want %q", got, want)
	}
	if !v.enrol.Disabled() {
		t.Errorf("报名回炉 is enabled with nobody checked")
	}

	test.Tap(v.all)
	test.Tap(v.enrol)
	h.queue.flush()
	d := v.dialog
	if d == nil {
		t.Fatal("报名回炉 opened no dialog")
	}
	test.Tap(d.confirm)
	if got, want := d.message.Text, "请选择要报名的班级或培训项目"; got != want {
		t.Errorf("message without a target = %q, want %q", got, want)
	}
	d.target.SetSelected("班级：回炉一班（基础模块）")
	test.Tap(d.confirm)
	h.queue.flush()

	members, err := st.ClassMembers(class.ID)
	if err != nil || len(members) != 1 {
		t.Fatalf("ClassMembers after enrolling = %+v, %v; want 赵磊", members, err)
	}
	if m := members[0]; m.Person != zhao.ID || m.Programme != record.BasicProgramme || m.Review.Current() != record.ReviewDraft {
		t.Errorf("enrolled record = %+v, want a draft of 赵磊 in the basic programme", m)
	}
	if got, want := v.message.Text, "已为 1 人报名 班级：回炉一班（基础模块）：赵磊"; got != want {
		t.Errorf("message after enrolling = %q, want %q", got, want)
	}
	if got := retrainingRowText(v, 0); !strings.HasSuffix(got, "已报名 班级：回炉一班（基础模块）") {
		t.Errorf("row 0 after enrolling = %q, want it to say where 赵磊 was enrolled", got)
	}
}

// retrainingRowText returns the text the re-training list shows in row i,
// made by the list's own item callbacks.
func retrainingRowText(v *retrainingView, i int) string {
	item := v.list.CreateItem()
	v.list.UpdateItem(i, item)
	return item.(*fyne.Container).Objects[0].(*widget.Label).Text
}

// tabContent returns the content of the main screen's tab titled title.
func tabContent(t *testing.T, h *harness, title string) (*container.TabItem, fyne.CanvasObject) {
	t.Helper()
	for _, item := range h.w.main.tabs.Items {
		if item.Text == title {
			return item, item.Content
		}
	}
	t.Fatalf("no tab %q", title)
	return nil, nil
}

func TestTrainingTabReloadsOnSelect(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	h := newHarness(t, st, Options{})
	item, content := tabContent(t, h, "培训")
	v := content.(*trainingView)
	h.queue.flush()
	// Without its store subscription the view can only reload on select.
	v.cancel()
	if _, err := st.SaveProgramme(record.Programme{Title: "云运维定制培训",
		Modules: []record.Module{{Name: "Linux基础", Hours: 32, PassMark: 60}}}); err != nil {
		t.Fatalf("SaveProgramme: %v", err)
	}
	h.queue.flush()
	if len(v.rows) != 1 {
		t.Fatalf("rows before selecting the tab = %d, want only 基础模块", len(v.rows))
	}

	h.w.main.tabs.Select(item)
	h.queue.flush()
	trainingRow(t, v, "云运维定制培训")
}

func TestRetrainingTabReloadsOnSelect(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	h := newHarness(t, st, Options{})
	h.w.now = func() time.Time { return time.Date(2025, time.July, 1, 9, 0, 0, 0, time.Local) }
	item, content := tabContent(t, h, "回炉")
	v := content.(*retrainingView)
	h.queue.flush()
	v.cancel()
	savePerson(t, st, record.Person{Name: "赵磊", Major: "510203", GradYear: 2024, Status: record.StatusSeeking})
	h.queue.flush()
	if len(v.people) != 0 {
		t.Fatalf("people before selecting the tab = %d, want 0", len(v.people))
	}

	h.w.main.tabs.Select(item)
	h.queue.flush()
	if got, want := v.count.Text, "共 1 人，已选 0 人"; got != want {
		t.Errorf("count after selecting the tab = %q, want %q", got, want)
	}
}

func TestTrainingTabShowsStoreChanges(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	li := savePerson(t, st, record.Person{Name: "李志明", Major: "510203", GradYear: 2024, Status: record.StatusSeeking})
	class, err := st.SaveClass(record.Class{Title: "回炉一班", Programme: record.BasicProgramme, Start: "2025-07-10", End: "2025-08-10"})
	if err != nil {
		t.Fatalf("SaveClass: %v", err)
	}
	if _, err := st.SaveHistory(record.KindTraining, "", record.Training{Person: li.ID, Programme: record.BasicProgramme,
		Class: class.ID, Review: record.Review{State: record.ReviewDraft}}.Fields()); err != nil {
		t.Fatalf("SaveHistory: %v", err)
	}
	h := newHarness(t, st, Options{})
	_, content := tabContent(t, h, "培训")
	v := content.(*trainingView)
	h.queue.flush()
	v.list.Select(trainingRow(t, v, "    └ 回炉一班（2025年7月10日 开班）"))
	h.queue.flush()
	page := v.class
	grid := page.grid
	test.Type(grid.rows[0].cells[0].attended, "30")

	// A programme written by another store call, as a sync pull writes
	// one, is listed without 刷新, and the open grid keeps its input.
	if _, err := st.SaveProgramme(record.Programme{Title: "云运维定制培训",
		Modules: []record.Module{{Name: "Linux基础", Hours: 32, PassMark: 60}}}); err != nil {
		t.Fatalf("SaveProgramme: %v", err)
	}
	h.eventually("pulled programme listed", func() bool {
		return slices.ContainsFunc(v.rows, func(r trainingItem) bool { return r.text() == "云运维定制培训" })
	})
	if v.class != page || page.grid != grid {
		t.Errorf("the store change replaced the open class page or its grid")
	}
	if got := grid.rows[0].cells[0].attended.Text; got != "30" {
		t.Errorf("typed attendance after the store change = %q, want 30", got)
	}
	if got := v.rows[v.selected].text(); got != "    └ 回炉一班（2025年7月10日 开班）" {
		t.Errorf("selected row after the store change = %q, want the open class", got)
	}

	// A member added elsewhere rebuilds the grid, keeping what was typed.
	wang := savePerson(t, st, record.Person{Name: "王芳"})
	if _, err := st.SaveHistory(record.KindTraining, "", record.Training{Person: wang.ID, Programme: record.BasicProgramme,
		Class: class.ID, Review: record.Review{State: record.ReviewDraft}}.Fields()); err != nil {
		t.Fatalf("SaveHistory: %v", err)
	}
	h.eventually("second member shown", func() bool { return len(page.grid.rows) == 2 })
	if got := page.grid.rows[0].cells[0].attended.Text; page.grid.rows[0].name != "李志明" || got != "30" {
		t.Errorf("李志明's attendance after the reload = %q, want 30", got)
	}
}

func TestNewProgrammeAndClassSelected(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	for _, title := range []string{"甲项目", "乙项目"} {
		if _, err := st.SaveProgramme(record.Programme{Title: title,
			Modules: []record.Module{{Name: "模块一", Hours: 10, PassMark: 60}}}); err != nil {
			t.Fatalf("SaveProgramme: %v", err)
		}
	}
	h := newHarness(t, st, Options{})
	_, content := tabContent(t, h, "培训")
	v := content.(*trainingView)
	h.queue.flush()
	v.list.Select(trainingRow(t, v, "甲项目"))
	h.queue.flush()

	test.Tap(v.newProgramme)
	pd := v.programmeDialog
	test.Type(pd.title, "丙项目")
	test.Type(pd.modules[0].name, "数控编程")
	test.Type(pd.modules[0].hours, "40")
	test.Tap(pd.save)
	h.queue.flush()
	if v.selected < 0 || v.rows[v.selected].text() != "丙项目" {
		t.Fatalf("selected row after saving a programme = %d, want 丙项目", v.selected)
	}
	if got := programmeShown(v); got != "丙项目" {
		t.Errorf("right side after saving a programme shows %q, want 丙项目", got)
	}

	test.Tap(v.newClass)
	cd := v.classDialog
	test.Type(cd.title, "甲一班")
	cd.programme.SetSelected("甲项目")
	test.Type(cd.start, "2025-03-01")
	test.Type(cd.end, "2025-06-30")
	test.Tap(cd.save)
	h.queue.flush()
	if want := "    └ 甲一班（2025年3月1日 开班）"; v.selected < 0 || v.rows[v.selected].text() != want {
		t.Fatalf("selected row after saving a class = %d, want %s", v.selected, want)
	}
	if v.class == nil || v.class.class.Title != "甲一班" || v.detail.Objects[0] != v.class.content {
		t.Errorf("right side after saving a class does not show 甲一班's page")
	}
}

// programmeShown returns the title the right side shows for a programme,
// or "" when it shows something else.
func programmeShown(v *trainingView) string {
	scroll, ok := v.detail.Objects[0].(*container.Scroll)
	if !ok {
		return ""
	}
	return scroll.Content.(*fyne.Container).Objects[0].(*widget.Label).Text
}

func TestRetrainingMarkFromStore(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	zhao := savePerson(t, st, record.Person{Name: "赵磊", Major: "510203", GradYear: 2024, Status: record.StatusSeeking})
	sun := savePerson(t, st, record.Person{Name: "孙丽", Major: "510203", GradYear: 2024, Status: record.StatusSeeking})
	school, err := st.SaveClass(record.Class{Title: "在校班", Programme: record.BasicProgramme, Start: "2024-03-01", End: "2024-06-10"})
	if err != nil {
		t.Fatalf("SaveClass: %v", err)
	}
	retrain, err := st.SaveClass(record.Class{Title: "回炉一班", Programme: record.BasicProgramme, Start: "2025-07-10", End: "2025-08-10"})
	if err != nil {
		t.Fatalf("SaveClass: %v", err)
	}
	// 赵磊 was added on the class page of 回炉一班, not in the 回炉 tab,
	// and 孙丽 trained only while at school.
	for _, m := range []struct{ person, class string }{{zhao.ID, school.ID}, {zhao.ID, retrain.ID}, {sun.ID, school.ID}} {
		if _, err := st.SaveHistory(record.KindTraining, "", record.Training{Person: m.person, Programme: record.BasicProgramme,
			Class: m.class, Review: record.Review{State: record.ReviewDraft}}.Fields()); err != nil {
			t.Fatalf("SaveHistory: %v", err)
		}
	}
	h := newHarness(t, st, Options{})
	h.w.now = func() time.Time { return time.Date(2025, time.July, 1, 9, 0, 0, 0, time.Local) }
	v := h.w.newRetrainingView()
	h.queue.flush()

	rows := map[string]string{}
	for i, p := range v.people {
		rows[p.Name] = retrainingRowText(v, i)
	}
	if got, want := rows["赵磊"], "赵磊 · 软件技术 · 2024 届 · 毕业 12 个月 · 已报名 班级：回炉一班（基础模块）"; got != want {
		t.Errorf("赵磊's row = %q, want %q", got, want)
	}
	if got, want := rows["孙丽"], "孙丽 · 软件技术 · 2024 届 · 毕业 12 个月"; got != want {
		t.Errorf("孙丽's row = %q, want %q (school training is no enrolment)", got, want)
	}
}

func TestClassGridCompactFor40Members(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	var modules []record.Module
	for _, name := range []string{"软件测试基础与实践", "数据库应用", "前端开发技术", "网络设备配置", "职业素养"} {
		modules = append(modules, record.Module{Name: name, Hours: 32, PassMark: 60})
	}
	programme, err := st.SaveProgramme(record.Programme{Title: "恒通软件测试员岗位定制培训", Modules: modules})
	if err != nil {
		t.Fatalf("SaveProgramme: %v", err)
	}
	class, err := st.SaveClass(record.Class{Title: "2022级恒通定制班", Programme: programme.ID, Start: "2024-10-14", End: "2024-12-20"})
	if err != nil {
		t.Fatalf("SaveClass: %v", err)
	}
	small, err := st.SaveClass(record.Class{Title: "小班", Programme: programme.ID, Start: "2024-10-15", End: "2024-12-20"})
	if err != nil {
		t.Fatalf("SaveClass: %v", err)
	}
	for i := range 40 {
		p := savePerson(t, st, record.Person{Name: fmt.Sprintf("学员%02d", i)})
		classes := []string{class.ID}
		if i < 2 {
			classes = append(classes, small.ID)
		}
		for _, c := range classes {
			if _, err := st.SaveHistory(record.KindTraining, "", record.Training{Person: p.ID, Programme: programme.ID,
				Class: c, Review: record.Review{State: record.ReviewDraft}}.Fields()); err != nil {
				t.Fatalf("SaveHistory: %v", err)
			}
		}
	}
	h := newHarness(t, st, Options{})

	item, content := tabContent(t, h, "培训")
	h.w.main.tabs.Select(item)
	v := content.(*trainingView)
	h.queue.flush()

	// A class of two members leaves the rest of the view empty rather
	// than stretching its rows.
	v.list.Select(trainingRow(t, v, "    └ 小班（2024年10月15日 开班）"))
	h.queue.flush()
	h.win.Canvas().Refresh(h.win.Content())
	entry := v.class.grid.rows[0].cells[0].attended
	if got, want := entry.Size().Height, entry.MinSize().Height; got != want || got == 0 {
		t.Errorf("entry height in a class of two = %v, want its minimum %v", got, want)
	}

	v.list.Select(trainingRow(t, v, "    └ 2022级恒通定制班（2024年10月14日 开班）"))
	h.queue.flush()
	grid := v.class.grid
	if len(grid.rows) != 40 {
		t.Fatalf("grid rows = %d, want 40", len(grid.rows))
	}
	h.win.Canvas().Refresh(h.win.Content())

	// Each member's row is one entry high.
	entry = grid.rows[0].cells[0].attended
	if got, max := grid.content.MinSize().Height, 41*(entry.MinSize().Height+2*theme.Padding())+entry.MinSize().Height; got > max {
		t.Errorf("grid height for 40 members = %v, want at most %v", got, max)
	}

	// Headings are whole: the module name and its hours and pass mark.
	var headings []string
	for _, o := range test.LaidOutObjects(grid.content) {
		if l, ok := o.(*widget.Label); ok && l.Size().Width >= l.MinSize().Width {
			headings = append(headings, l.Text)
		}
	}
	for _, want := range []string{"软件测试基础与实践", "出勤/32 学时", "成绩/及格 60", "是否结业"} {
		if !slices.Contains(headings, want) {
			t.Errorf("grid has no whole heading %q", want)
		}
	}

	// The grid is wider than the class page, which scrolls it sideways.
	scroll := v.class.content.(*fyne.Container).Objects[0].(*container.Scroll)
	if scroll.Direction != container.ScrollBoth || grid.content.MinSize().Width <= scroll.Size().Width {
		t.Errorf("grid width %v in a view of %v, scroll direction %v; want a wider grid scrolled both ways",
			grid.content.MinSize().Width, scroll.Size().Width, scroll.Direction)
	}
}
