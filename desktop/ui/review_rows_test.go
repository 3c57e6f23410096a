package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

// rowActions returns the action labels of each row of a section.
func rowActions(s *recordSection) [][]string {
	var out [][]string
	for _, v := range s.views {
		var labels []string
		for _, key := range []string{actionSubmit, actionWithdraw, actionApprove, actionReturn, actionEdit, actionDelete} {
			if b, ok := v.actions[key]; ok {
				labels = append(labels, b.Text)
			}
		}
		out = append(out, labels)
	}
	return out
}

func TestHistoryRowClerkSubmitsAndWithdraws(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "李志明"})
	saveHistory(t, st, record.KindAward, map[string]string{record.FieldPerson: person.ID,
		record.FieldTitle: "校级优秀学生", record.FieldLevel: "college", record.FieldDate: "2025-06-01"}, true)
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := sectionOf[*awardSection](t, h)

	if got := rowActions(section.recordSection); len(got) != 1 || len(got[0]) != 3 ||
		got[0][0] != "提交审核" || got[0][1] != "修改" || got[0][2] != "删除" {
		t.Fatalf("actions of a draft = %q, want [提交审核 修改 删除]", got)
	}
	test.Tap(section.views[0].actions[actionSubmit])
	h.eventually("row shows 待审核", func() bool { return len(section.tags()) == 1 && section.tags()[0] == "待审核" })
	if got := rowActions(section.recordSection); len(got[0]) != 3 || got[0][0] != "撤回" {
		t.Errorf("actions of a pending record for a clerk = %q, want 撤回 first", got)
	}

	test.Tap(section.views[0].actions[actionWithdraw])
	h.eventually("row shows 草稿", func() bool { return len(section.tags()) == 1 && section.tags()[0] == "草稿" })
}

func TestHistoryRowEditMakesNewVersion(t *testing.T) {
	st := openStoreAs(t, string(access.Reviewer))
	person := savePerson(t, st, record.Person{Name: "李志明"})
	id := saveHistory(t, st, record.KindAward, map[string]string{record.FieldPerson: person.ID,
		record.FieldTitle: "校级优秀学生", record.FieldLevel: "college", record.FieldDate: "2025-06-01"}, false)
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := sectionOf[*awardSection](t, h)

	test.Tap(section.views[0].actions[actionApprove])
	h.eventually("row shows 已通过", func() bool { return len(section.tags()) == 1 && section.tags()[0] == "已通过" })

	test.Tap(section.views[0].actions[actionEdit])
	d := section.last
	if got := d.title.Text; got != "校级优秀学生" {
		t.Fatalf("title in the edit form = %q, want the stored 校级优秀学生", got)
	}
	d.title.SetText("校级三好学生")
	test.Tap(d.save)
	h.queue.flush()

	hist, _ := st.HistoryOf(person.ID)
	if len(hist.Awards) != 1 {
		t.Fatalf("awards after editing = %+v, want the new version only", hist.Awards)
	}
	a := hist.Awards[0]
	if a.ID == id || a.Supersedes != id || a.Title != "校级三好学生" || a.Review.State != record.ReviewPending {
		t.Errorf("award after editing = %+v, want a pending version superseding %s", a, id)
	}
	if got := section.tags(); len(got) != 1 || got[0] != "待审核" {
		t.Errorf("tags after editing an approved award = %q, want [待审核]", got)
	}
}

func TestHistoryRowReturnNeedsReason(t *testing.T) {
	st := openStoreAs(t, string(access.Reviewer))
	person := savePerson(t, st, record.Person{Name: "李志明"})
	saveHistory(t, st, record.KindCounselling, map[string]string{record.FieldPerson: person.ID,
		record.FieldTopic: "面试准备", record.FieldCounsellor: "王老师", record.FieldDate: "2026-03-01"}, false)
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	section := sectionOf[*counsellingSection](t, h)

	test.Tap(section.views[0].actions[actionReturn])
	tapDialogButton(t, h, widget.DangerImportance)
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("the return dialog closed without a reason")
	}
	found := false
	for _, text := range labelsIn(top) {
		found = found || text == "请填写退回原因，录入员会根据它修改记录。"
	}
	if !found {
		t.Errorf("the return dialog shows no message for the missing reason: %q", labelsIn(top))
	}
	hist, _ := st.HistoryOf(person.ID)
	if got := hist.Counsellings[0].Review.State; got != record.ReviewPending {
		t.Errorf("state after 退回 without a reason = %q, want pending", got)
	}
}
