package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"mobilefactory/shared/access"
	"mobilefactory/shared/assessment"
	"mobilefactory/shared/record"
)

func TestAssessRowReviewerApproves(t *testing.T) {
	st := openStoreAs(t, string(access.Reviewer))
	person := savePerson(t, st, record.Person{Name: "蔡琳"})
	profile, err := assessment.Score(kioskAnswers())
	if err != nil {
		t.Fatal(err)
	}
	saveHistory(t, st, record.KindAssessment, map[string]string{record.FieldPerson: person.ID,
		record.FieldProfile: profile.Encode(), record.FieldDate: "2026-12-05"}, false)
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	h.queue.flush()
	section := assessSectionOf(t, h.w.main.page)

	if got, want := section.texts(), []string{"2026年12月5日 · 兴趣代码 " + profile.Code()}; !slices.Equal(got, want) {
		t.Errorf("assessment rows = %q, want %q", got, want)
	}
	if got := section.tags(); !slices.Equal(got, []string{"待审核"}) {
		t.Errorf("assessment tags = %q, want [待审核]", got)
	}
	if got := rowActions(section.recordSection); len(got) != 1 || !slices.Equal(got[0], []string{"通过", "退回", "删除"}) {
		t.Fatalf("actions of a pending assessment for a reviewer = %q, want [通过 退回 删除]", got)
	}

	test.Tap(section.views[0].actions[actionApprove])
	h.eventually("row shows 已通过", func() bool { return slices.Equal(section.tags(), []string{"已通过"}) })
	hist, _ := st.HistoryOf(person.ID)
	if got := hist.Assessments[0].Review.State; got != record.ReviewApproved {
		t.Errorf("stored state = %q, want approved", got)
	}
	if section.chart.image() == nil {
		t.Error("the section shows no radar chart after approving")
	}
}

func TestAssessRowClerkSubmitsDraft(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	person := savePerson(t, st, record.Person{Name: "蔡琳"})
	profile, err := assessment.Score(kioskAnswers())
	if err != nil {
		t.Fatal(err)
	}
	saveHistory(t, st, record.KindAssessment, map[string]string{record.FieldPerson: person.ID,
		record.FieldProfile: profile.Encode(), record.FieldDate: "2026-12-05"}, true)
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	h.queue.flush()
	section := assessSectionOf(t, h.w.main.page)

	if got := rowActions(section.recordSection); len(got) != 1 || !slices.Equal(got[0], []string{"提交审核", "删除"}) {
		t.Fatalf("actions of a draft assessment for a clerk = %q, want [提交审核 删除]", got)
	}
	test.Tap(section.views[0].actions[actionSubmit])
	h.eventually("row shows 待审核", func() bool { return slices.Equal(section.tags(), []string{"待审核"}) })
}
