package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

func TestInternshipFormSavesNewFields(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	savePerson(t, st, record.Person{Name: "王芳", Employer: "江西铜业集团"})
	person := savePerson(t, st, record.Person{Name: "李志明"})
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := h.w.main.page.internships

	section.showAddDialog()
	d := section.last
	h.queue.flush() // the employer suggestions arrive
	if got := d.kind.Selected; got != "实习" {
		t.Errorf("kind of a new internship = %q, want 实习", got)
	}
	if got := matchingNames(d.employers, "铜业", maxPickerOptions); len(got) != 1 || got[0] != "江西铜业集团" {
		t.Errorf("employer suggestions for 铜业 = %q, want [江西铜业集团]", got)
	}
	d.employer.SetText("江西铜业集团")
	d.kind.SetSelected("体验")
	test.Type(d.position, "设备维护员")
	test.Type(d.start, "2024-03-01")
	test.Type(d.end, "2024-03-05")
	test.Type(d.supervisor, "刘师傅")
	d.rating.SetSelected("5 / 5")
	test.Type(d.evaluation, "肯吃苦，动手能力强。")
	test.Tap(d.save)
	h.queue.flush()

	internships, err := st.InternshipsOf(person.ID)
	if err != nil || len(internships) != 1 {
		t.Fatalf("InternshipsOf = %+v, %v; want one", internships, err)
	}
	in := internships[0]
	if in.Kind != record.InternExperience || in.Supervisor != "刘师傅" || in.Rating != 5 || in.Evaluation != "肯吃苦，动手能力强。" {
		t.Errorf("stored internship = %+v", in)
	}
	want := "江西铜业集团 · 体验 · 设备维护员 · 2024年3月1日 至 2024年3月5日 · 评价 5/5"
	if got := section.texts(); len(got) != 1 || got[0] != want {
		t.Errorf("internship rows = %q, want [%s]", got, want)
	}
}

func TestInternshipFormTooLongSupervisor(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "李志明"})
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := h.w.main.page.internships

	section.showAddDialog()
	d := section.last
	d.employer.SetText("江西铜业集团")
	test.Type(d.start, "2024-03-01")
	d.supervisor.SetText("刘师傅刘师傅刘师傅刘师傅刘师傅刘师傅刘师傅刘师傅刘师傅刘师傅刘师傅刘师傅刘师傅刘师傅刘师傅刘师傅刘师傅")
	test.Tap(d.save)
	h.queue.flush()

	if got, want := d.form.errorText(record.FieldSupervisor), "指导人“刘师傅刘师傅刘师傅刘师傅刘师傅刘师傅刘师…”有 51 个字，最多 50 个，请缩短"; got != want {
		t.Errorf("message under the supervisor = %q, want %q", got, want)
	}
	if internships, _ := st.InternshipsOf(person.ID); len(internships) != 0 {
		t.Errorf("an invalid internship was stored: %+v", internships)
	}
}
