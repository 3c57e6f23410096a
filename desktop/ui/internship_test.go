package ui

import (
	"slices"
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
	d = section.last // choosing another kind reopens the form
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

// overlayLabels returns the label texts of the top dialog.
func overlayLabels(t *testing.T, h *harness) []string {
	t.Helper()
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is open")
	}
	return labelsIn(top)
}

// formLabels returns the field labels of a form.
func formLabels(f *fieldForm) []string {
	var out []string
	for _, item := range f.form.Items {
		out = append(out, item.Text)
	}
	return out
}

func TestInternshipFormWordsExperience(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "白诗豪"})
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := h.w.main.page.internships

	section.showAddDialog()
	work := section.last
	if got := work.end.PlaceHolder; got != "仍在实习时留空" {
		t.Errorf("end hint of an internship = %q, want 仍在实习时留空", got)
	}
	if got := overlayLabels(t, h); !slices.Contains(got, "添加实习经历") {
		t.Errorf("internship form labels = %q, want the title 添加实习经历", got)
	}
	if got := formLabels(work.form); !slices.Contains(got, "实习评价") {
		t.Errorf("internship form fields = %q, want 实习评价", got)
	}

	test.Type(work.employer, "江西铜业集团")
	test.Type(work.position, "装配体验")
	work.kind.SetSelected("体验")
	experience := section.last
	if experience == work {
		t.Fatal("choosing 体验 did not reopen the form")
	}
	if n := len(h.win.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d dialogs open after choosing 体验, want 1", n)
	}
	if got := experience.end.PlaceHolder; got != "仍在体验时留空" {
		t.Errorf("end hint of a job experience = %q, want 仍在体验时留空", got)
	}
	got := append(overlayLabels(t, h), formLabels(experience.form)...)
	for _, want := range []string{"添加岗位体验", "体验评价"} {
		if !slices.Contains(got, want) {
			t.Errorf("job-experience form labels = %q, want %s", got, want)
		}
	}
	for _, old := range []string{"添加实习经历", "实习评价"} {
		if slices.Contains(got, old) {
			t.Errorf("job-experience form still shows %s", old)
		}
	}
	if got := experience.employer.Text; got != "江西铜业集团" {
		t.Errorf("employer after reopening = %q, want the typed 江西铜业集团", got)
	}
	if got := experience.position.Text; got != "装配体验" {
		t.Errorf("position after reopening = %q, want the typed 装配体验", got)
	}
	if got := experience.kind.Selected; got != "体验" {
		t.Errorf("kind after reopening = %q, want 体验", got)
	}
}

func TestInternshipEditExperienceTitle(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "白诗豪"})
	saveHistory(t, st, record.KindInternship, map[string]string{record.FieldPerson: person.ID,
		record.FieldInternKind: record.InternExperience, record.FieldEmployer: "江西铜业集团",
		record.FieldStart: "2026-11-20"}, true)
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := h.w.main.page.internships

	test.Tap(section.views[0].actions[actionEdit])
	if got := overlayLabels(t, h); !slices.Contains(got, "修改岗位体验") {
		t.Errorf("edit form labels = %q, want the title 修改岗位体验", got)
	}
}
