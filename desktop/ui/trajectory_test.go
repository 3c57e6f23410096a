package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/assessment"
	"mobilefactory/shared/record"
)

// trajectorySectionOf returns the growth trajectory section of the person
// page.
func trajectorySectionOf(t *testing.T, p *personPage) *trajectorySection {
	t.Helper()
	for _, s := range p.sections {
		if ts, ok := s.(*trajectorySection); ok {
			return ts
		}
	}
	t.Fatal("the person page has no growth trajectory section")
	return nil
}

// saveHistory stores a submitted history record and returns its id.

func TestTrajectoryShowsApprovedInDateOrder(t *testing.T) {
	st, person := signedIn(t, access.Reviewer)
	profile, err := assessment.Score(kioskAnswers())
	if err != nil {
		t.Fatal(err)
	}
	training := saveHistory(t, st, record.KindTraining, map[string]string{record.FieldPerson: person.ID,
		record.FieldProgramme: "办公软件应用", record.FieldHours: "32", record.FieldScore: "92",
		record.FieldCompleted: "1", record.FieldDate: "2024-05-10"}, false)
	assessed := saveHistory(t, st, record.KindAssessment, map[string]string{record.FieldPerson: person.ID,
		record.FieldProfile: profile.Encode(), record.FieldDate: "2024-03-01"}, false)
	award := saveHistory(t, st, record.KindAward, map[string]string{record.FieldPerson: person.ID,
		record.FieldTitle: "技能大赛二等奖", record.FieldLevel: "provincial", record.FieldIssuer: "江西省教育厅",
		record.FieldDate: "2023-11-05"}, false)
	internship := saveHistory(t, st, record.KindInternship, map[string]string{record.FieldPerson: person.ID,
		record.FieldEmployer: "江西铜业集团", record.FieldPosition: "设备维护员",
		record.FieldStart: "2024-07-01", record.FieldEnd: "2024-09-30", record.FieldRating: "4"}, false)
	// The counselling session stays pending.
	saveHistory(t, st, record.KindCounselling, map[string]string{record.FieldPerson: person.ID,
		record.FieldTopic: "求职面试准备", record.FieldDate: "2024-01-15"}, false)
	returned := saveHistory(t, st, record.KindCertificate, map[string]string{record.FieldPerson: person.ID,
		record.FieldTitle: "电工", record.FieldSkillLevel: "4", record.FieldDate: "2024-02-01"}, false)

	approve := []store.ReviewRef{{Kind: record.KindTraining, ID: training}, {Kind: record.KindAssessment, ID: assessed},
		{Kind: record.KindAward, ID: award}, {Kind: record.KindInternship, ID: internship}}
	if err := st.SetReview(approve, record.ReviewApproved, ""); err != nil {
		t.Fatalf("approving: %v", err)
	}
	if err := st.SetReview([]store.ReviewRef{{Kind: record.KindCertificate, ID: returned}},
		record.ReviewReturned, "证书编号缺失"); err != nil {
		t.Fatalf("returning: %v", err)
	}

	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	h.queue.flush()
	section := trajectorySectionOf(t, h.w.main.page)

	want := []string{
		"2023年11月5日 · 获奖 · 技能大赛二等奖 · 省级 · 江西省教育厅",
		"2024年3月1日 · 职业方向测评 · 兴趣代码 RCI（实际型、常规型、研究型）",
		"2024年5月10日 · 培训 · 办公软件应用 · 32 学时 · 成绩 92 · 已结业",
		"2024年7月1日 · 实习 · 江西铜业集团 · 设备维护员 · 2024年7月1日 至 2024年9月30日 · 评价 4/5",
	}
	if got := section.texts(); !slices.Equal(got, want) {
		t.Errorf("trajectory rows:\n got %q\nwant %q", got, want)
	}
	if got, want := section.chart.caption(), "已审核通过的最近一次测评（2024年3月1日）"; got != want {
		t.Errorf("chart caption = %q, want %q", got, want)
	}
	if section.chart.image() == nil {
		t.Error("the trajectory shows no radar chart")
	}
	if got := timelineImages(section); got != 1 {
		t.Errorf("the trajectory shows %d timeline charts, want 1", got)
	}
}

// timelineImages counts the chart images in the section's timeline.
func timelineImages(s *trajectorySection) int {
	n := 0
	for _, o := range s.timeline.Objects {
		if box, ok := o.(*fyne.Container); ok {
			for _, inner := range box.Objects {
				if _, ok := inner.(*canvas.Image); ok {
					n++
				}
			}
		}
	}
	return n
}

func TestTrajectoryEmptyWithoutApproved(t *testing.T) {
	st, person := signedIn(t, access.Clerk)
	profile, err := assessment.Score(kioskAnswers())
	if err != nil {
		t.Fatal(err)
	}
	saveHistory(t, st, record.KindAssessment, map[string]string{record.FieldPerson: person.ID,
		record.FieldProfile: profile.Encode(), record.FieldDate: "2024-03-01"}, false)

	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(person.ID)
	h.queue.flush()
	section := trajectorySectionOf(t, h.w.main.page)
	want := "暂无审核通过的记录。记录经审核员通过后显示在这里。"
	if got := section.texts(); len(got) != 1 || got[0] != want {
		t.Errorf("trajectory rows = %q, want [%s]", got, want)
	}
	if got := section.chart.caption(); got != "" {
		t.Errorf("chart caption = %q, want no chart for a pending assessment", got)
	}
	if got := timelineImages(section); got != 0 {
		t.Errorf("the trajectory shows %d timeline charts without approved records, want 0", got)
	}
	// The assessment section lists the pending assessment all the same.
	if got, want := assessSectionOf(t, h.w.main.page).texts(), []string{"2024年3月1日 · 兴趣代码 RCI"}; !slices.Equal(got, want) {
		t.Errorf("assessment rows = %q, want %q", got, want)
	}
}
