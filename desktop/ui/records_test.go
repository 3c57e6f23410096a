package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"mobilefactory/shared/record"
)

func TestAddTrainingThroughDialog(t *testing.T) {
	st := openStore(t, true)
	person := savePerson(t, st, record.Person{Name: "李志明", IDNumber: "36012120020101099X"})
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := h.w.main.page.trainings
	if got := section.texts(); len(got) != 1 || got[0] != "暂无培训记录" {
		t.Errorf("training rows before adding = %q, want [暂无培训记录]", got)
	}

	section.showAddDialog()
	d := section.last
	test.Type(d.programme, "办公软件应用")
	test.Type(d.hours, "32")
	test.Type(d.score, "92")
	test.Tap(d.completed)
	test.Type(d.date, "2024-02-30")
	test.Tap(d.save)
	h.queue.flush()

	if got, want := d.form.errorText(record.FieldDate), "日期“2024-02-30”不存在，请核对月份和日期"; got != want {
		t.Errorf("message under the date = %q, want %q", got, want)
	}
	if trainings, _ := st.TrainingsOf(person.ID); len(trainings) != 0 {
		t.Fatalf("an invalid training was stored: %+v", trainings)
	}

	d.date.SetText("2024年5月10日")
	test.Tap(d.save)
	h.queue.flush()

	trainings, err := st.TrainingsOf(person.ID)
	if err != nil || len(trainings) != 1 {
		t.Fatalf("TrainingsOf after saving = %+v, %v; want one record", trainings, err)
	}
	if got := trainings[0].Date; got != "2024-05-10" {
		t.Errorf("stored date = %q, want 2024-05-10", got)
	}
	if got := section.texts(); len(got) != 1 || got[0] != "办公软件应用 · 32 学时 · 成绩 92 · 已结业 · 2024年5月10日" {
		t.Errorf("training rows after adding = %q", got)
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
