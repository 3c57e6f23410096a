package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

func TestAwardFormRejectsFutureDate(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "李志明"})
	h := newHarness(t, st, Options{})
	h.w.now = func() time.Time { return time.Date(2026, time.December, 5, 10, 0, 0, 0, time.Local) }
	h.w.main.persons.selectID(person.ID)
	section := sectionOf[*awardSection](t, h)

	section.showDialog(record.Award{})
	d := section.last
	test.Type(d.title, "全省职业院校技能大赛一等奖")
	d.level.SetSelected("省级")
	test.Type(d.date, "2027-05-01")
	test.Tap(d.save)
	h.queue.flush()

	want := "日期“2027年5月1日”晚于今天（2026年12月5日），请填写已经发生的日期"
	if got := d.form.errorText(record.FieldDate); got != want {
		t.Errorf("message under the date = %q, want %q", got, want)
	}
	if hist, _ := st.HistoryOf(person.ID); len(hist.Awards) != 0 {
		t.Fatalf("an award dated after today was stored: %+v", hist.Awards)
	}

	d.date.SetText("2026-12-05")
	test.Tap(d.save)
	h.queue.flush()
	if hist, _ := st.HistoryOf(person.ID); len(hist.Awards) != 1 || hist.Awards[0].Date != "2026-12-05" {
		t.Errorf("awards after dating it today = %+v, want one dated 2026-12-05", hist.Awards)
	}
}

func TestInternshipFormAllowsFutureEnd(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "李志明"})
	h := newHarness(t, st, Options{})
	h.w.now = func() time.Time { return time.Date(2026, time.December, 5, 10, 0, 0, 0, time.Local) }
	h.w.main.persons.selectID(person.ID)
	section := sectionOf[*internshipSection](t, h)

	section.showDialog(record.Internship{})
	d := section.last
	d.employer.SetText("江西铜业集团")
	d.start.SetText("2026-12-06")
	d.end.SetText("2027-06-30")
	test.Tap(d.save)
	h.queue.flush()
	if got := d.form.errorText(record.FieldStart); !strings.HasPrefix(got, "开始日期“2026年12月6日”晚于今天") {
		t.Errorf("message under the start = %q, want it to say the start is after today", got)
	}
	if got := d.form.errorText(record.FieldEnd); got != "" {
		t.Errorf("message under the end = %q, want none for an internship still running", got)
	}

	d.start.SetText("2026-09-01")
	test.Tap(d.save)
	h.queue.flush()
	internships, err := st.InternshipsOf(person.ID)
	if err != nil || len(internships) != 1 || internships[0].End != "2027-06-30" {
		t.Errorf("internships = %+v, %v; want one ending 2027-06-30", internships, err)
	}
}

func TestFieldMessageClearsOnEdit(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "李志明"})
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := sectionOf[*awardSection](t, h)

	section.showDialog(record.Award{})
	d := section.last
	test.Tap(d.save)
	h.queue.flush()
	if got := d.form.errorText(record.FieldTitle); got != "请填写名称" {
		t.Fatalf("message under the title after an empty save = %q, want 请填写名称", got)
	}

	test.Type(d.title, "三好学生")
	if got := d.form.errorText(record.FieldTitle); got != "" {
		t.Errorf("message under the filled title = %q, want none", got)
	}
	if got := d.form.errorText(record.FieldLevel); got != "请选择级别" {
		t.Errorf("message under the level, not yet chosen = %q, want 请选择级别", got)
	}
	d.level.SetSelected("校级")
	if got := d.form.errorText(record.FieldLevel); got != "" {
		t.Errorf("message under the chosen level = %q, want none", got)
	}
}

func TestProgrammeModuleMessageClears(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	h := newHarness(t, st, Options{})
	d := h.w.showProgrammeDialog(func(string) {})
	test.Type(d.title, "云运维定制培训")
	row := d.modules[0]
	test.Type(row.name, "Linux基础")
	test.Type(row.hours, "0")
	test.Tap(d.save)
	h.queue.flush()
	if got := d.form.errorText(record.FieldModules); !strings.Contains(got, "学时“0”") {
		t.Fatalf("message under the modules = %q, want it to name the hours 0", got)
	}

	second := d.appendModule()
	test.Type(second.name, "网络")
	if got := d.form.errorText(record.FieldModules); got != "" {
		t.Errorf("message after typing in an added module = %q, want none", got)
	}
}
