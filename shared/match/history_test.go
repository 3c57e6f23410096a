package match

import (
	"reflect"
	"testing"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// rankOne ranks a single seeking candidate of major 工业机器人技术 for
// robotJob and returns its result.
func rankOne(t *testing.T, id string, internships []record.Internship, certificates []record.Certificate) Result {
	t.Helper()
	c := Candidate{
		Person:       person(id, "460305", "360424", record.StatusSeeking, "", 2025),
		Internships:  internships,
		Certificates: certificates,
	}
	results := Rank([]Candidate{c}, robotJob)
	if len(results) != 1 {
		t.Fatalf("Rank returned %d results, want 1", len(results))
	}
	return results[0]
}

// reasonsWith returns the reasons of r whose key is one of keys.
func reasonsWith(r Result, keys ...string) []wantReason {
	var out []wantReason
	for _, x := range r.Reasons {
		for _, k := range keys {
			if x.Key == k {
				out = append(out, wantReason{x.Key, x.Points})
			}
		}
	}
	return out
}

func TestExperienceScoresBelowInternship(t *testing.T) {
	for _, rating := range []int{4, 5} {
		work := rankOne(t, idA, []record.Internship{
			{ID: "i1", Person: idA, Kind: record.InternWork, Employer: "九江市某某智能装备有限公司", Position: "设备维护技术员", Rating: rating},
		}, nil)
		session := rankOne(t, idB, []record.Internship{
			{ID: "i2", Person: idB, Kind: record.InternExperience, Employer: "九江市某某智能装备有限公司", Position: "设备维护技术员", Rating: rating},
		}, nil)
		// The candidates differ only in the internship's kind.
		if session.Score >= work.Score {
			t.Errorf("rating %d: experience session scores %v, internship %v, want less", rating, session.Score, work.Score)
		}
	}

	session := rankOne(t, idB, []record.Internship{
		{ID: "i2", Person: idB, Kind: record.InternExperience, Employer: "九江市某某智能装备有限公司", Position: "设备维护技术员", Rating: 4},
	}, nil)
	if got, want := reasonsWith(session, KeyExperienceGood, KeyInternshipGood), []wantReason{{KeyExperienceGood, PointsExperienceGood}}; !reflect.DeepEqual(got, want) {
		t.Errorf("reasons of a session rated 4 = %v, want %v", got, want)
	}
}

func TestExperienceReasonText(t *testing.T) {
	r := rankOne(t, idA, []record.Internship{
		{ID: "i1", Person: idA, Kind: record.InternExperience, Employer: "九江市某某智能装备有限公司", Position: "设备维护技术员", Rating: 4},
		{ID: "i2", Person: idA, Kind: record.InternExperience, Employer: "南昌市某某精密机械有限公司", Position: "质检员", Rating: 5},
	}, nil)
	var texts []string
	for _, x := range r.Reasons {
		if x.Key == KeyExperienceGood || x.Key == KeyExperienceExcellent {
			texts = append(texts, x.Text(i18n.Chinese))
		}
	}
	want := []string{"岗位体验评价优秀：南昌市某某精密机械有限公司 质检员", "岗位体验评价良好：九江市某某智能装备有限公司 设备维护技术员"}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("session reasons = %q, want %q", texts, want)
	}
	if got, want := r.Reasons[1].Text(i18n.English), "Job-experience session rated excellent: 南昌市某某精密机械有限公司, 质检员"; got != want {
		t.Errorf("English text = %q, want %q", got, want)
	}
}

// Two internships and a session, all rated excellent: the session sorts
// first by ID but the internships take the two places counted.
func TestExperienceNeverTakesInternshipPlace(t *testing.T) {
	r := rankOne(t, idA, []record.Internship{
		{ID: "i0", Person: idA, Kind: record.InternExperience, Employer: "甲公司", Position: "装配工", Rating: 5},
		{ID: "i1", Person: idA, Employer: "乙公司", Position: "装配技术员", Rating: 5},
		{ID: "i2", Person: idA, Kind: record.InternWork, Employer: "丙公司", Position: "调试员", Rating: 5},
	}, nil)
	got := reasonsWith(r, KeyInternshipExcellent, KeyExperienceExcellent)
	want := []wantReason{{KeyInternshipExcellent, PointsInternshipExcellent}, {KeyInternshipExcellent, PointsInternshipExcellent}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("internship reasons = %v, want %v", got, want)
	}

	// A session rated excellent still ranks below a good internship.
	r = rankOne(t, idA, []record.Internship{
		{ID: "i0", Person: idA, Kind: record.InternExperience, Employer: "甲公司", Position: "装配工", Rating: 5},
		{ID: "i1", Person: idA, Employer: "乙公司", Position: "装配技术员", Rating: 4},
		{ID: "i2", Person: idA, Kind: record.InternExperience, Employer: "丙公司", Position: "调试员", Rating: 4},
	}, nil)
	got = reasonsWith(r, KeyInternshipGood, KeyExperienceExcellent, KeyExperienceGood)
	want = []wantReason{{KeyInternshipGood, PointsInternshipGood}, {KeyExperienceExcellent, PointsExperienceExcellent}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("mixed reasons = %v, want %v", got, want)
	}
}

func TestCertificateReason(t *testing.T) {
	r := rankOne(t, idA, nil, []record.Certificate{
		{ID: "c1", Person: idA, Title: "工业机器人系统运维员", SkillLevel: "4"},
	})
	got := reasonsWith(r, KeyCertificate)
	if want := []wantReason{{KeyCertificate, 6}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("certificate reasons = %v, want %v", got, want)
	}
	// Major 40, certificate 6, home county 15, seeking 20, newest class 6.
	if r.Score != 87 {
		t.Errorf("score = %v, want 87", r.Score)
	}
	var text, english string
	for _, x := range r.Reasons {
		if x.Key == KeyCertificate {
			text, english = x.Text(i18n.Chinese), x.Text(i18n.English)
		}
	}
	if want := "持有职业技能等级证书：工业机器人系统运维员（中级）"; text != want {
		t.Errorf("text = %q, want %q", text, want)
	}
	if want := "Holds a vocational skill certificate: 工业机器人系统运维员 (Intermediate)"; english != want {
		t.Errorf("English text = %q, want %q", english, want)
	}
}

func TestCertificatePointsByLevel(t *testing.T) {
	cases := []struct {
		level  string
		points float64
	}{
		{"5", 4},  // 初级
		{"4", 6},  // 中级
		{"3", 8},  // 高级
		{"2", 10}, // 技师
		{"1", 12}, // 高级技师
	}
	for _, c := range cases {
		r := rankOne(t, idA, nil, []record.Certificate{{ID: "c1", Person: idA, Title: "工业机器人装调工", SkillLevel: c.level}})
		got := reasonsWith(r, KeyCertificate)
		if want := []wantReason{{KeyCertificate, c.points}}; !reflect.DeepEqual(got, want) {
			t.Errorf("level %s: reasons = %v, want %v", c.level, got, want)
		}
	}
}

// Certificates unrelated to the job or without a known level earn nothing,
// a lower level of the same title is not counted twice, and at most two
// count, the highest first.
func TestCertificateSelection(t *testing.T) {
	r := rankOne(t, idA, nil, []record.Certificate{
		{ID: "c1", Person: idA, Title: "育婴员", SkillLevel: "1"},
		{ID: "c2", Person: idA, Title: "工业机器人系统运维员", SkillLevel: "5"},
		{ID: "c3", Person: idA, Title: "工业机器人系统运维员", SkillLevel: "3"},
		{ID: "c4", Person: idA, Title: "工业机器人装调工", SkillLevel: ""},
		{ID: "c5", Person: idA, Title: "电气自动化设备安装工", SkillLevel: "4"},
		{ID: "c6", Person: idA, Title: "机电一体化设备维修工", SkillLevel: "5"},
	})
	var texts []string
	for _, x := range r.Reasons {
		if x.Key == KeyCertificate {
			texts = append(texts, x.Text(i18n.Chinese))
		}
	}
	want := []string{"持有职业技能等级证书：工业机器人系统运维员（高级）", "持有职业技能等级证书：电气自动化设备安装工（中级）"}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("certificate reasons = %q, want %q", texts, want)
	}
	if got := reasonsWith(r, KeyCertificate); len(got) != 2 || got[0].points != 8 || got[1].points != 6 {
		t.Errorf("certificate points = %v, want 8 and 6", got)
	}
}

// Without query majors a certificate counts when it names the person's own
// major class.
func TestCertificateNoQueryMajors(t *testing.T) {
	c := Candidate{
		Person:       person(idA, "460305", "360424", record.StatusSeeking, "", 2025),
		Certificates: []record.Certificate{{ID: "c1", Person: idA, Title: "工业机器人系统运维员", SkillLevel: "2"}},
	}
	results := Rank([]Candidate{c}, Query{Region: "360424"})
	if len(results) != 1 {
		t.Fatalf("Rank returned %d results, want 1", len(results))
	}
	if got, want := reasonsWith(results[0], KeyCertificate), []wantReason{{KeyCertificate, 10}}; !reflect.DeepEqual(got, want) {
		t.Errorf("certificate reasons = %v, want %v", got, want)
	}
}

func TestReasonTextTranslatesTerm(t *testing.T) {
	r := Reason{Key: KeyCertificate, Args: []any{"电工", Term("skill_level.1")}}
	if got, want := r.Text(i18n.Chinese), "持有职业技能等级证书：电工（高级技师）"; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	if got, want := r.Args[1], any(Term("skill_level.1")); got != want {
		t.Errorf("Text changed the argument to %v, want it kept as %v", got, want)
	}
}
