package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

func TestCertificateFormSubmits(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "李志明"})
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := sectionOf[*certificateSection](t, h)

	section.showDialog(record.Certificate{})
	d := section.last
	if got := d.level.Options; strings.Join(got, ",") != "初级,中级,高级,技师,高级技师" {
		t.Errorf("skill level options = %q, want 初级 to 高级技师", got)
	}
	test.Type(d.title, "电工")
	d.level.SetSelected("技师")
	test.Type(d.issuer, "江西省人力资源和社会保障厅")
	test.Type(d.number, "Ｓ２０２５０００１")
	test.Type(d.date, "2025年12月1日")
	test.Tap(d.save)
	h.queue.flush()

	hist, _ := st.HistoryOf(person.ID)
	if len(hist.Certificates) != 1 {
		t.Fatalf("certificates after saving = %+v, want one", hist.Certificates)
	}
	c := hist.Certificates[0]
	if c.Title != "电工" || c.SkillLevel != "2" || c.CertNo != "S20250001" || c.Date != "2025-12-01" {
		t.Errorf("stored certificate = %+v", c)
	}
	if got := c.Review.State; got != record.ReviewPending {
		t.Errorf("state after 提交审核 = %q, want pending", got)
	}
	if got := section.tags(); len(got) != 1 || got[0] != "待审核" {
		t.Errorf("certificate tags = %q, want [待审核]", got)
	}
}

func TestCertificateFormTooLongTitle(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "李志明"})
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := sectionOf[*certificateSection](t, h)

	section.showDialog(record.Certificate{})
	d := section.last
	test.Type(d.title, strings.Repeat("电", 101))
	d.level.SetSelected("初级")
	test.Type(d.date, "2025-12-01")
	test.Tap(d.save)
	h.queue.flush()

	want := "名称“" + strings.Repeat("电", 20) + "…”有 101 个字，最多 100 个，请缩短"
	if got := d.form.errorText(record.FieldTitle); got != want {
		t.Errorf("message under the title = %q, want %q", got, want)
	}
	if hist, _ := st.HistoryOf(person.ID); len(hist.Certificates) != 0 {
		t.Errorf("an invalid certificate was stored: %+v", hist.Certificates)
	}
}
