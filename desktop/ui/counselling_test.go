package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

func TestCounsellingFormKeepsNoteLines(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "李志明"})
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := sectionOf[*counsellingSection](t, h)

	section.showDialog(record.Counselling{})
	d := section.last
	test.Type(d.topic, "面试准备")
	test.Type(d.counsellor, "王老师")
	d.notes.SetText("模拟面试两次。\n建议准备作品集。")
	test.Type(d.date, "2026-03-01")
	test.Tap(d.save)
	h.queue.flush()

	hist, _ := st.HistoryOf(person.ID)
	if len(hist.Counsellings) != 1 {
		t.Fatalf("sessions after saving = %+v, want one", hist.Counsellings)
	}
	c := hist.Counsellings[0]
	if c.Topic != "面试准备" || c.Counsellor != "王老师" || c.Notes != "模拟面试两次。\n建议准备作品集。" || c.Date != "2026-03-01" {
		t.Errorf("stored session = %+v", c)
	}
	if got := section.texts(); len(got) != 1 || got[0] != "面试准备 · 辅导人 王老师 · 2026年3月1日 · 模拟面试两次。 建议准备作品集。" {
		t.Errorf("session rows = %q", got)
	}
}

func TestCounsellingFormNeedsCounsellor(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "李志明"})
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := sectionOf[*counsellingSection](t, h)

	section.showDialog(record.Counselling{})
	d := section.last
	test.Type(d.topic, "面试准备")
	test.Type(d.date, "2026-03-01")
	test.Tap(d.draft)
	h.queue.flush()

	if got := d.form.errorText(record.FieldCounsellor); got != "请填写辅导人" {
		t.Errorf("message under the counsellor = %q, want 请填写辅导人", got)
	}
	if hist, _ := st.HistoryOf(person.ID); len(hist.Counsellings) != 0 {
		t.Errorf("an invalid session was stored: %+v", hist.Counsellings)
	}
}
