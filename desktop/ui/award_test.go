package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

func TestAwardFormSavesDraft(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "李志明"})
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := sectionOf[*awardSection](t, h)
	if got := section.texts(); len(got) != 1 || got[0] != "暂无获奖记录" {
		t.Errorf("award rows before adding = %q, want [暂无获奖记录]", got)
	}

	section.showDialog(record.Award{})
	d := section.last
	test.Type(d.title, "全省职业院校技能大赛一等奖")
	d.level.SetSelected("省级")
	test.Type(d.issuer, "江西省教育厅")
	test.Type(d.date, "2025-11-20")
	test.Tap(d.draft)
	h.queue.flush()

	hist, err := st.HistoryOf(person.ID)
	if err != nil || len(hist.Awards) != 1 {
		t.Fatalf("awards after saving = %+v, %v; want one", hist.Awards, err)
	}
	a := hist.Awards[0]
	if a.Title != "全省职业院校技能大赛一等奖" || a.Level != "provincial" || a.Issuer != "江西省教育厅" || a.Date != "2025-11-20" {
		t.Errorf("stored award = %+v", a)
	}
	if got := a.Review.State; got != record.ReviewDraft {
		t.Errorf("state after 保存草稿 = %q, want draft", got)
	}
	if got := section.texts(); len(got) != 1 || got[0] != "全省职业院校技能大赛一等奖 · 省级 · 江西省教育厅 · 2025年11月20日" {
		t.Errorf("award rows = %q", got)
	}
	if got := section.tags(); len(got) != 1 || got[0] != "草稿" {
		t.Errorf("award tags = %q, want [草稿]", got)
	}
}

func TestAwardFormInvalidShowsMessages(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "李志明"})
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := sectionOf[*awardSection](t, h)

	section.showDialog(record.Award{})
	d := section.last
	test.Type(d.date, "2025-13-01")
	test.Tap(d.save)
	h.queue.flush()

	for field, want := range map[string]string{
		record.FieldTitle: "请填写名称",
		record.FieldLevel: "请选择级别",
		record.FieldDate:  "日期“2025-13-01”不存在，请核对月份和日期",
	} {
		if got := d.form.errorText(field); got != want {
			t.Errorf("message under %s = %q, want %q", field, got, want)
		}
	}
	if hist, _ := st.HistoryOf(person.ID); len(hist.Awards) != 0 {
		t.Errorf("an invalid award was stored: %+v", hist.Awards)
	}
}
