package match

import (
	"reflect"
	"testing"

	"mobilefactory/shared/assessment"
	"mobilefactory/shared/record"
)

// The hand-made world of the engine tests: an employer in 九江市 with a
// demand for 工业机器人技术 (460305) in 修水县 (360424), trained for by
// programme progForDemand; progOther trains for another demand of the
// same major class.
var (
	robotEmployer = record.Employer{ID: "E1", Name: "九江某某智能装备有限公司", Region: "360400"}
	robotDemand   = record.Demand{
		ID: "D1", Employer: "E1", Title: "工业机器人运维员", Occupation: "6-18-01-01",
		Majors:       []string{"460305"},
		Certificates: []record.DemandCertificate{{Title: "工业机器人系统运维员", SkillLevel: "4"}},
		Skills:       []string{"焊接", "PLC编程"}, Region: "360424", Headcount: 5,
		Programme: "P1",
	}
	progForDemand = record.Programme{ID: "P1", Title: "工业机器人运维岗位定制班", Employer: "E1", Demand: "D1"}
	progOther     = record.Programme{ID: "P2", Title: "工业机器人装调岗位定制班", Employer: "E9", Demand: "D2"}
	programmes    = map[string]record.Programme{"P1": progForDemand, "P2": progOther}
)

// interestProfile returns an encoded assessment whose interest code is
// code: its letters score 90, 80 and 70, the others 10.
func interestProfile(t interface {
	Helper()
	Fatalf(string, ...any)
}, code string) record.Assessment {
	t.Helper()
	var p assessment.Profile
	for d := range p.Scores {
		p.Scores[d] = 10
	}
	for n := range len(code) {
		p.Scores[riasecLetter(code[n])-1] = float64(90 - 10*n)
	}
	p.Competencies = map[string]int{}
	for _, c := range assessment.Competencies() {
		p.Competencies[c.ID] = 3
	}
	if got := p.Code(); got != code {
		t.Fatalf("interestProfile(%q) has code %q", code, got)
	}
	return record.Assessment{ID: "A-" + code, Profile: p.Encode()}
}

// seeker returns a consenting job seeker from 修水县 with major.
func seeker(id, major string) Candidate {
	return Candidate{
		Person:     record.Person{ID: id, Major: major, HomeRegion: "360424", Status: record.StatusSeeking, Consent: record.ConsentGiven},
		Programmes: programmes,
	}
}

// perfect returns a candidate who meets every part of robotDemand.
func perfect(t testing.TB, id string) Candidate {
	c := seeker(id, "460305")
	c.Person.Skills = "焊接、PLC编程"
	c.Certificates = []record.Certificate{{ID: "c-" + id, Person: id, Title: "工业机器人系统运维员", SkillLevel: "3"}}
	c.Trainings = []record.Training{{ID: "t-" + id, Person: id, Programme: "P1", Hours: 96, Completed: true}}
	c.Internships = []record.Internship{{ID: "i-" + id, Person: id, Employer: "九江某某机械厂", Position: "装配工", Rating: 5}}
	c.Assessment = interestProfile(t, "RIC")
	return c
}

func newTestEngine(cands ...Candidate) *Engine {
	ps := NewProfiles()
	for _, c := range cands {
		ps.Add(c)
	}
	return NewEngine(ps)
}

func hitIDs(hits []Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.PersonID
	}
	return out
}

func TestPerfectFitOutranksPartial(t *testing.T) {
	partial := seeker(idB, "460306") // same class, no certificate, skills or training
	partial.Person.HomeRegion = "360402"
	e := newTestEngine(partial, perfect(t, idA))
	j := e.CompileJob(robotDemand, robotEmployer, &progForDemand)

	hits := e.BestCandidates(j, 10)
	if got, want := hitIDs(hits), []string{idA, idB}; !reflect.DeepEqual(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	if hits[0].Score != 150 {
		t.Errorf("perfect score = %d, want 150", hits[0].Score)
	}
	if hits[1].Score != PointsMajorClass+PointsRegionPrefecture+PointsSeeking {
		t.Errorf("partial score = %d, want %d", hits[1].Score, PointsMajorClass+PointsRegionPrefecture+PointsSeeking)
	}
}

func TestEngineReasonsListWhatScored(t *testing.T) {
	e := newTestEngine(perfect(t, idA))
	j := e.CompileJob(robotDemand, robotEmployer, &progForDemand)
	hits := e.BestCandidates(j, 1)
	if len(hits) != 1 {
		t.Fatalf("got %d hits, want 1", len(hits))
	}
	want := []wantReason{
		{KeyMajorExact, 40}, {KeyTrainingForDemand, 30}, {KeyCertificateMet, 15}, {KeySkills, 10},
		{KeyInternshipExcellent, 10}, {KeyInterestFirst, 10}, {KeyRegionCounty, 15}, {KeySeeking, 20},
	}
	if got := reasonsOf(Result{Reasons: hits[0].Reasons}); !reflect.DeepEqual(got, want) {
		t.Errorf("reasons = %v, want %v", got, want)
	}
	sum := 0.0
	for _, r := range hits[0].Reasons {
		sum += r.Points
	}
	if sum != float64(hits[0].Score) {
		t.Errorf("reasons sum to %v, score is %d", sum, hits[0].Score)
	}

	texts := make([]string, len(hits[0].Reasons))
	for i, r := range hits[0].Reasons {
		texts[i] = r.Text("zh-Hans")
	}
	wantTexts := []string{
		"专业对口：工业机器人技术",
		"已完成该岗位定制班培训：工业机器人运维岗位定制班",
		"持有岗位要求的证书：工业机器人系统运维员（高级）",
		"具备岗位所需技能：焊接、PLC编程",
		"实习评价优秀：九江某某机械厂 装配工",
		"职业兴趣类型RIC与岗位类型RCI相符",
		"现居岗位所在县区：九江市修水县",
		"目前待就业，可随时到岗",
	}
	if !reflect.DeepEqual(texts, wantTexts) {
		t.Errorf("texts = %q, want %q", texts, wantTexts)
	}
}

func TestReturnReasonNamesRegion(t *testing.T) {
	c := seeker(idA, "460305")
	c.Person.Status = record.StatusEmployed
	c.Person.WorkRegion = "441900"
	c.Person.WillReturn = record.WillReturnYes
	e := newTestEngine(c)
	j := e.CompileJob(robotDemand, robotEmployer, nil)
	reasons := e.Explain(0, j)
	if got, want := reasonsOf(Result{Reasons: reasons}), []wantReason{{KeyMajorExact, 40}, {KeyWillReturn, 10}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("reasons = %v, want %v", got, want)
	}
	if got := reasons[1].Text("zh-Hans"); got != "现居广东省东莞市，愿意回江西" {
		t.Errorf("return text = %q", got)
	}
}

func TestHardFiltersExclude(t *testing.T) {
	base := func(id string) Candidate { return perfect(t, id) }
	deleted := base("01J000000000000000000000D1")
	deleted.Deleted = true
	withdrawn := base("01J000000000000000000000D2")
	withdrawn.Person.Consent = record.ConsentWithdrawn
	erased := base("01J000000000000000000000D3")
	erased.Person.Erased = "2026-01-01"
	study := base("01J000000000000000000000D4")
	study.Person.Status = record.StatusStudy
	other := base("01J000000000000000000000D5")
	other.Person.Status = record.StatusOther
	inJiangxi := base("01J000000000000000000000D6")
	inJiangxi.Person.Status, inJiangxi.Person.WorkRegion, inJiangxi.Person.WillReturn = record.StatusEmployed, "360100", record.WillReturnYes
	unwilling := base("01J000000000000000000000D7")
	unwilling.Person.Status, unwilling.Person.WorkRegion, unwilling.Person.WillReturn = record.StatusEmployed, "441900", record.WillReturnNo
	returner := base("01J000000000000000000000D8")
	returner.Person.Status, returner.Person.WorkRegion, returner.Person.WillReturn = record.StatusEmployed, "441900", record.WillReturnYes

	e := newTestEngine(deleted, withdrawn, erased, study, other, inJiangxi, unwilling, returner, base(idA))
	j := e.CompileJob(robotDemand, robotEmployer, &progForDemand)
	got := hitIDs(e.BestCandidates(j, 20))
	if want := []string{idA, returner.Person.ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("candidates = %v, want %v", got, want)
	}
	for i := range e.Len() {
		if hits := e.BestJobs(i, []*Job{j}, 5); e.Eligible(i) != (len(hits) == 1) {
			t.Errorf("BestJobs(%s) = %d hits, eligible %v", e.Profile(i).ID, len(hits), e.Eligible(i))
		}
	}
}

func TestUnrelatedPersonNotCandidate(t *testing.T) {
	e := newTestEngine(seeker(idA, "510203"), seeker(idB, "460305"))
	j := e.CompileJob(robotDemand, robotEmployer, nil)
	if got, want := hitIDs(e.BestCandidates(j, 10)), []string{idB}; !reflect.DeepEqual(got, want) {
		t.Errorf("candidates = %v, want %v", got, want)
	}
	if _, ok := e.Score(e.Position(idA), j); ok {
		t.Errorf("Score of unrelated major is relevant")
	}
}

func TestTrainingForDemandBeatsOther(t *testing.T) {
	forDemand := seeker(idB, "460305")
	forDemand.Trainings = []record.Training{{ID: "t1", Programme: "P1", Hours: 40, Completed: true}}
	other := seeker(idA, "460305")
	other.Trainings = []record.Training{{ID: "t2", Programme: "P2", Hours: 200, Completed: true}}
	unfinished := seeker(idC, "460305")
	unfinished.Trainings = []record.Training{{ID: "t3", Programme: "P1", Hours: 90, Completed: false}}
	e := newTestEngine(other, forDemand, unfinished)
	// The demand names no programme: P1 is found through its Demand field.
	d := robotDemand
	d.Programme = ""
	j := e.CompileJob(d, robotEmployer, nil)

	hits := e.BestCandidates(j, 10)
	if got, want := hitIDs(hits), []string{idB, idA, idC}; !reflect.DeepEqual(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	base := PointsMajorExact + PointsRegionCounty + PointsSeeking
	for n, want := range []int{base + PointsTrainingForDemand, base + PointsTrainingRelated, base} {
		if hits[n].Score != want {
			t.Errorf("%s score = %d, want %d", hits[n].PersonID, hits[n].Score, want)
		}
	}
	if hits[1].Reasons[1].Key != KeyTrainingRelated {
		t.Errorf("other-demand reason = %s, want %s", hits[1].Reasons[1].Key, KeyTrainingRelated)
	}
}

func TestCertificateBelowLevel(t *testing.T) {
	c := seeker(idA, "460305")
	c.Certificates = []record.Certificate{{ID: "c1", Title: "工业机器人系统运维员", SkillLevel: "5"}}
	e := newTestEngine(c)
	j := e.CompileJob(robotDemand, robotEmployer, nil)
	reasons := e.Explain(0, j)
	if reasons[1].Key != KeyCertificateBelow || reasons[1].Points != PointsCertificateBelow {
		t.Fatalf("reason = %+v, want %s %d", reasons[1], KeyCertificateBelow, PointsCertificateBelow)
	}
	if got := reasons[1].Text("zh-Hans"); got != "持有工业机器人系统运维员（初级），低于岗位要求的中级" {
		t.Errorf("text = %q", got)
	}
}

func TestCertificateAloneMakesCandidate(t *testing.T) {
	c := seeker(idA, "510203") // unrelated major
	c.Certificates = []record.Certificate{{ID: "c1", Title: "工业机器人系统运维员", SkillLevel: "4"}}
	e := newTestEngine(c)
	j := e.CompileJob(robotDemand, robotEmployer, nil)
	hits := e.BestCandidates(j, 10)
	if len(hits) != 1 || hits[0].Score != PointsCertificateMet+PointsRegionCounty+PointsSeeking {
		t.Fatalf("hits = %+v, want one with score %d", hits, PointsCertificateMet+PointsRegionCounty+PointsSeeking)
	}
}

func TestAssessmentCodeScores(t *testing.T) {
	first := seeker(idA, "460305")
	first.Assessment = interestProfile(t, "RSE")
	second := seeker(idB, "460305")
	second.Assessment = interestProfile(t, "IRA")
	none := seeker(idC, "460305")
	none.Assessment = interestProfile(t, "SEC")
	broken := seeker(idD, "460305")
	broken.Assessment = record.Assessment{ID: "x", Profile: "v=1;R=oops"}
	e := newTestEngine(first, second, none, broken)
	j := e.CompileJob(robotDemand, robotEmployer, nil) // occupation 6-18: RCI

	base := PointsMajorExact + PointsRegionCounty + PointsSeeking
	for i, want := range []int{base + PointsInterestFirst, base + PointsInterestShared, base, base} {
		if got, _ := e.Score(i, j); got != want {
			t.Errorf("%s score = %d, want %d", e.Profile(i).ID, got, want)
		}
	}
}

func TestScoreAllocatesNothing(t *testing.T) {
	e := newTestEngine(perfect(t, idA))
	j := e.CompileJob(robotDemand, robotEmployer, &progForDemand)
	allocs := testing.AllocsPerRun(100, func() { e.Score(0, j) })
	if allocs != 0 {
		t.Errorf("Score allocates %v times, want 0", allocs)
	}
}

func TestBestJobsForPerson(t *testing.T) {
	e := newTestEngine(perfect(t, idA))
	closed := robotDemand
	closed.ID, closed.Status = "D3", record.DemandClosed
	nurse := record.Demand{ID: "D4", Title: "护士", Majors: []string{"520201"}, Region: "360424"}
	partial := robotDemand
	partial.ID, partial.Programme, partial.Certificates, partial.Skills = "D5", "", nil, nil
	ended := robotDemand // open status, but its End has passed
	ended.ID, ended.Start, ended.End = "D6", "2020-03-01", "2020-09-30"
	jobs := []*Job{
		e.CompileJob(closed, robotEmployer, nil),
		e.CompileJob(nurse, robotEmployer, nil),
		e.CompileJob(partial, robotEmployer, nil),
		e.CompileJob(robotDemand, robotEmployer, &progForDemand),
		e.CompileJob(ended, robotEmployer, &progForDemand),
	}
	hits := e.BestJobs(0, jobs, 5)
	var got []int
	for _, h := range hits {
		got = append(got, h.Job)
	}
	if want := []int{3, 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("jobs = %v, want %v", got, want)
	}
}

func TestPutReplacesProfile(t *testing.T) {
	e := newTestEngine(seeker(idA, "460305"), seeker(idB, "460305"))
	j := e.CompileJob(robotDemand, robotEmployer, nil)

	withdrawn := seeker(idA, "460305")
	withdrawn.Person.Consent = record.ConsentWithdrawn
	e.Put(withdrawn)
	moved := seeker(idC, "460301") // new person, same class
	e.Put(moved)

	if got, want := hitIDs(e.BestCandidates(j, 10)), []string{idB, idC}; !reflect.DeepEqual(got, want) {
		t.Errorf("after Put = %v, want %v", got, want)
	}
	if e.Len() != 3 {
		t.Errorf("Len = %d, want 3", e.Len())
	}
}

func TestSeason(t *testing.T) {
	all := SeasonMonths(allMonths)
	cases := []struct {
		d        record.Demand
		want     []int
		seasonal bool
	}{
		{record.Demand{Months: []int{11, 12, 1}}, []int{1, 11, 12}, true},
		{record.Demand{Months: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}, all, false},
		{record.Demand{Start: "2026-03-01", End: "2026-05-31"}, []int{3, 4, 5}, true},
		{record.Demand{Start: "2026-11-15", End: "2027-02-10"}, []int{1, 2, 11, 12}, true},
		{record.Demand{Start: "2026-01-01", End: "2026-10-31"}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, true},
		{record.Demand{Start: "2026-01-01", End: "2026-11-30"}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, false},
		{record.Demand{Start: "2026-01-01", End: "2026-12-31"}, all, false},
		{record.Demand{Start: "2026-03-01", End: "2027-03-01"}, all, false},
		{record.Demand{Start: "2026-03-01"}, all, false},
		{record.Demand{}, all, false},
	}
	for _, c := range cases {
		mask, seasonal := season(c.d)
		if got := SeasonMonths(mask); !reflect.DeepEqual(got, c.want) {
			t.Errorf("season(%v %s–%s) months = %v, want %v", c.d.Months, c.d.Start, c.d.End, got, c.want)
		}
		if seasonal != c.seasonal {
			t.Errorf("season(%v %s–%s) seasonal = %v, want %v", c.d.Months, c.d.Start, c.d.End, seasonal, c.seasonal)
		}
	}
}

func TestOccupationRIASECTable(t *testing.T) {
	cases := map[string]string{"6-18-01-01": "RCI", "2-02": "IRC", "4-03-02": "SER", "9-99": "", "": ""}
	for occupation, want := range cases {
		if got := occupationRIASEC(occupation); got != want {
			t.Errorf("occupationRIASEC(%q) = %q, want %q", occupation, got, want)
		}
	}
}
