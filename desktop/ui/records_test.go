package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"mobilefactory/shared/record"
)

func TestEnrolInClassThroughDialog(t *testing.T) {
	st := openStore(t, true)
	person := savePerson(t, st, record.Person{Name: "李志明", IDNumber: "36012120020101099X"})
	class, err := st.SaveClass(record.Class{Title: "2026级基础模块一班", Programme: record.BasicProgramme,
		Start: "2026-03-01", End: "2026-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, st, Options{})
	// Ended classes are not offered, so the clock stays within the class.
	h.w.now = func() time.Time { return time.Date(2026, time.April, 1, 9, 0, 0, 0, time.Local) }
	h.w.main.persons.selectID(person.ID)
	section := h.w.main.page.trainings
	if got := section.texts(); len(got) != 1 || got[0] != "暂无培训记录" {
		t.Errorf("training rows before enrolling = %q, want [暂无培训记录]", got)
	}

	section.showAddDialog()
	d := section.last
	test.Tap(d.save)
	h.queue.flush()
	if got, want := d.form.errorText(record.FieldClass), "请选择要报名的班级。"; got != want {
		t.Errorf("message under the class = %q, want %q", got, want)
	}
	if trainings, _ := st.TrainingsOf(person.ID); len(trainings) != 0 {
		t.Fatalf("an enrolment without a class was stored: %+v", trainings)
	}

	if got, want := d.class.Options, []string{"2026级基础模块一班 · 基础模块"}; len(got) != 1 || got[0] != want[0] {
		t.Fatalf("class options = %q, want %q", got, want)
	}
	d.class.SetSelectedIndex(0)
	test.Tap(d.save)
	h.queue.flush()

	trainings, err := st.TrainingsOf(person.ID)
	if err != nil || len(trainings) != 1 {
		t.Fatalf("TrainingsOf after enrolling = %+v, %v; want one record", trainings, err)
	}
	got := trainings[0]
	if got.Class != class.ID || got.Programme != record.BasicProgramme || got.Review.Current() != record.ReviewDraft {
		t.Errorf("enrolment = class %s, programme %s, state %s; want %s, basic, draft",
			got.Class, got.Programme, got.Review.Current(), class.ID)
	}
	want := "基础模块 · 2026级基础模块一班 · 通过 0/5 个模块 · 0 学时 · 未结业"
	if rows := section.texts(); len(rows) != 1 || rows[0] != want {
		t.Errorf("training rows after enrolling = %q, want [%s]", rows, want)
	}
	if tags := section.tags(); len(tags) != 1 || tags[0] != "草稿" {
		t.Errorf("training tags = %q, want [草稿]", tags)
	}
}

func TestAddInternshipThroughDialog(t *testing.T) {
	st := openStore(t, true)
	person := savePerson(t, st, record.Person{Name: "李志明", IDNumber: "36012120020101099X"})
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := h.w.main.page.internships

	section.showAddDialog()
	d := section.last
	test.Type(d.employer, "江西铜业集团")
	test.Type(d.position, "设备维护员")
	test.Type(d.start, "2024/3/1")
	test.Type(d.end, "2024.06.30")
	d.rating.SetSelectedIndex(4)
	test.Tap(d.save)
	h.queue.flush()

	if got := d.form.errorText(record.FieldStart); got != "" {
		t.Fatalf("message under the start date = %q, want none", got)
	}
	want := "江西铜业集团 · 设备维护员 · 2024年3月1日 至 2024年6月30日 · 评价 4/5"
	if got := section.texts(); len(got) != 1 || got[0] != want {
		t.Errorf("internship rows = %q, want [%s]", got, want)
	}
}
