package display

import (
	"slices"
	"testing"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/assessment"
	"mobilefactory/shared/record"
)

var (
	approved = record.Review{State: record.ReviewApproved}
	pending  = record.Review{State: record.ReviewPending}
	// riasecProfile scores R highest, then I, then C.
	riasecProfile = assessment.Profile{
		Scores:       [assessment.NumDimensions]float64{87.5, 75, 25, 37.5, 50, 62.5},
		Competencies: map[string]int{"hands_on": 4, "numeracy": 3, "communication": 3, "teamwork": 4, "learning": 5, "computer": 2, "problem_solving": 3},
	}
)

func TestTrajectoryOrderAndFilter(t *testing.T) {
	chinese(t)
	h := store.History{
		Trainings: []record.Training{
			{ID: "T1", Programme: record.BasicProgramme, Date: "2024-06-20", Review: approved,
				Results: record.Results{
					"office": {Attended: 32, Score: 90}, "ethics": {Attended: 16, Score: 80},
					"law": {Attended: 16, Score: 70}, "craft": {Attended: 16, Score: 60},
					"career": {Attended: 24, Score: 100},
				}},
			{ID: "T2", Programme: "焊接实训", Date: "2023-01-10", Review: pending},
		},
		Assessments: []record.Assessment{
			{ID: "A1", Profile: riasecProfile.Encode(), Date: "2024-03-01", Review: approved},
		},
		Internships: []record.Internship{
			{ID: "I1", Kind: record.InternExperience, Employer: "江西铜业集团", Position: "设备维护员",
				Start: "2024-03-01", End: "2024-03-02", Review: approved},
		},
		Awards: []record.Award{
			{ID: "W1", Title: "技能大赛二等奖", Level: "provincial", Issuer: "江西省教育厅", Date: "2024-11-05", Review: approved},
		},
		Certificates: []record.Certificate{
			{ID: "C1", Title: "电工", SkillLevel: "4", Issuer: "江西省人社厅", Review: approved},
		},
		Counsellings: []record.Counselling{
			{ID: "N1", Topic: "求职面试准备", Counsellor: "刘老师", Date: "2024-01-15", Review: approved},
			{ID: "N2", Topic: "简历修改", Date: "2023-12-01", Review: record.Review{State: record.ReviewReturned}},
		},
	}
	programmes := map[string]record.Programme{record.BasicProgramme: record.Basic()}

	entries := Trajectory(h, programmes)
	var rows []string
	for _, e := range entries {
		rows = append(rows, TrajectoryRow(e))
	}
	want := []string{
		"2024年1月15日 · 就业问题辅导 · 求职面试准备 · 辅导人 刘老师",
		"2024年3月1日 · 职业方向测评 · 兴趣代码 RIC（实际型、研究型、常规型）",
		"2024年3月1日 · 体验 · 江西铜业集团 · 设备维护员 · 2024年3月1日 至 2024年3月2日",
		"2024年6月20日 · 培训 · 基础模块 · 104 学时 · 成绩 80 · 已结业",
		"2024年11月5日 · 获奖 · 技能大赛二等奖 · 省级 · 江西省教育厅",
		"日期未填 · 职业技能等级证书 · 电工 · 中级 · 江西省人社厅",
	}
	if !slices.Equal(rows, want) {
		t.Errorf("trajectory rows:\n got %q\nwant %q", rows, want)
	}
}

func TestTrajectoryTrainingWithoutResults(t *testing.T) {
	chinese(t)
	h := store.History{Trainings: []record.Training{
		{ID: "T1", Programme: "办公软件应用", Hours: 32, Score: "92", Completed: true, Date: "2024-05", Review: approved},
	}}
	entries := Trajectory(h, nil)
	if len(entries) != 1 {
		t.Fatalf("Trajectory returned %d entries, want 1", len(entries))
	}
	if got, want := TrajectoryRow(entries[0]), "2024年5月 · 培训 · 办公软件应用 · 32 学时 · 成绩 92 · 已结业"; got != want {
		t.Errorf("row = %q, want %q", got, want)
	}
}

func TestLatestApprovedAssessment(t *testing.T) {
	later := riasecProfile
	later.Scores[assessment.Social] = 100
	h := store.History{Assessments: []record.Assessment{
		{ID: "A1", Profile: riasecProfile.Encode(), Date: "2024-03-01", Review: approved},
		{ID: "A2", Profile: later.Encode(), Date: "2024-09-01", Review: approved},
		{ID: "A3", Profile: "v=1;broken", Date: "2024-10-01", Review: approved},
		{ID: "A4", Profile: riasecProfile.Encode(), Date: "2024-12-01", Review: pending},
	}}
	a, p, ok := LatestApprovedAssessment(h)
	if !ok {
		t.Fatal("LatestApprovedAssessment found none, want A2")
	}
	if a.ID != "A2" {
		t.Errorf("latest approved assessment = %s, want A2 (A3 does not parse, A4 is pending)", a.ID)
	}
	if got := p.Code(); got != "SRI" {
		t.Errorf("its code = %s, want SRI", got)
	}
	if _, _, ok := LatestApprovedAssessment(store.History{}); ok {
		t.Error("LatestApprovedAssessment of an empty history found one")
	}
}
