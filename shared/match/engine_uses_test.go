package match

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"mobilefactory/shared/record"
)

var (
	drawnMajors      = []string{"460305", "460306", "460103", "510203", "520201", "46", ""}
	drawnDemandCodes = []string{"460305", "4603", "46", "510203", "51", "520201", "570101"}
	drawnSkills      = []string{"焊接", "PLC编程", "CAD制图", "电工", "护理"}
	drawnCerts       = []string{"工业机器人系统运维员", "电工", "焊工"}
	drawnRegions     = []string{"", "360424", "360402", "360102", "441900", "440300", "330100"}
)

func drawProfileCandidate(t *rapid.T, id string) Candidate {
	p := record.Person{
		ID:         id,
		Major:      rapid.SampledFrom(drawnMajors).Draw(t, "major"),
		HomeRegion: rapid.SampledFrom(drawnRegions).Draw(t, "home"),
		WorkRegion: rapid.SampledFrom(drawnRegions).Draw(t, "work"),
		Status:     rapid.SampledFrom(indexStatuses).Draw(t, "status"),
		Consent:    rapid.SampledFrom(indexConsents).Draw(t, "consent"),
		WillReturn: rapid.SampledFrom([]string{record.WillReturnYes, record.WillReturnNo, ""}).Draw(t, "return"),
		Skills:     record.JoinList(rapid.SliceOfNDistinct(rapid.SampledFrom(drawnSkills), 0, 3, rapid.ID[string]).Draw(t, "skills")),
	}
	c := Candidate{Person: p, Deleted: rapid.IntRange(0, 9).Draw(t, "deleted") == 0, Programmes: programmes}
	for k := range rapid.IntRange(0, 2).Draw(t, "certs") {
		c.Certificates = append(c.Certificates, record.Certificate{
			ID: fmt.Sprintf("c%s-%d", id, k), Title: rapid.SampledFrom(drawnCerts).Draw(t, "cert"),
			SkillLevel: rapid.SampledFrom(append([]string{"", "9"}, record.SkillLevels...)).Draw(t, "level"),
		})
	}
	for k := range rapid.IntRange(0, 2).Draw(t, "trainings") {
		c.Trainings = append(c.Trainings, record.Training{
			ID: fmt.Sprintf("t%s-%d", id, k), Programme: rapid.SampledFrom([]string{"P1", "P2", "护理岗位定制班", record.BasicProgramme}).Draw(t, "programme"),
			Hours: rapid.IntRange(0, 200).Draw(t, "hours"), Completed: rapid.Bool().Draw(t, "completed"),
		})
	}
	for k := range rapid.IntRange(0, 3).Draw(t, "internships") {
		c.Internships = append(c.Internships, record.Internship{ID: fmt.Sprintf("i%s-%d", id, k),
			Kind: rapid.SampledFrom([]string{record.InternWork, record.InternExperience}).Draw(t, "kind"), Rating: rapid.IntRange(0, 5).Draw(t, "rating")})
	}
	if rapid.Bool().Draw(t, "assessed") {
		c.Assessment = interestProfile(t, rapid.SampledFrom([]string{"RIC", "SEC", "IRA", "CER"}).Draw(t, "code"))
	}
	return c
}

func drawDemand(t *rapid.T) record.Demand {
	d := record.Demand{
		ID:         rapid.SampledFrom([]string{"D1", "D2", "D3"}).Draw(t, "demand"),
		Occupation: rapid.SampledFrom([]string{"6-18-01-01", "4-10-01", "2-02", ""}).Draw(t, "occupation"),
		Majors:     rapid.SliceOfN(rapid.SampledFrom(drawnDemandCodes), 0, 3).Draw(t, "majors"),
		Skills:     rapid.SliceOfN(rapid.SampledFrom(append([]string{"未知技能"}, drawnSkills...)), 0, 2).Draw(t, "skills"),
		Region:     rapid.SampledFrom(drawnRegions).Draw(t, "region"),
		Programme:  rapid.SampledFrom([]string{"", "P1", "P2"}).Draw(t, "programme"),
	}
	for range rapid.IntRange(0, 2).Draw(t, "certs") {
		d.Certificates = append(d.Certificates, record.DemandCertificate{
			Title:      rapid.SampledFrom(append([]string{"未知证书"}, drawnCerts...)).Draw(t, "title"),
			SkillLevel: rapid.SampledFrom(append([]string{""}, record.SkillLevels...)).Draw(t, "level"),
		})
	}
	return d
}

// bruteForce scores every eligible profile, as BestCandidates must
// without the indexes.
func bruteForce(e *Engine, j *Job, k int) []Hit {
	var all []Hit
	for i := range e.Len() {
		if !e.Eligible(i) {
			continue
		}
		if score, ok := e.Score(i, j); ok {
			all = append(all, Hit{Person: i, PersonID: e.Profile(i).ID, Score: score})
		}
	}
	slices.SortFunc(all, func(a, b Hit) int {
		if better(&a, &b) {
			return -1
		}
		return 1
	})
	return all[:min(len(all), k)]
}

func TestBestCandidatesEqualsScan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 40).Draw(t, "n")
		ps := NewProfiles()
		for i := range n {
			ps.Add(drawProfileCandidate(t, fmt.Sprintf("01J%023d", i)))
		}
		e := NewEngine(ps)
		// Replace some profiles and add new ones after indexing.
		for range rapid.IntRange(0, 5).Draw(t, "puts") {
			id := fmt.Sprintf("01J%023d", rapid.IntRange(0, n+3).Draw(t, "put"))
			e.Put(drawProfileCandidate(t, id))
		}
		j := e.CompileJob(drawDemand(t), robotEmployer, nil)
		k := rapid.IntRange(1, 15).Draw(t, "k")

		for i := range e.Len() {
			score, _ := e.Score(i, j)
			if b := e.bound(e.Profile(i), j); b < score {
				t.Fatalf("%s: bound %d below score %d", e.Profile(i).ID, b, score)
			}
		}
		got := e.BestCandidates(j, k)
		want := bruteForce(e, j, k)
		for n := range got {
			got[n].Reasons = nil
		}
		if len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
			t.Fatalf("index = %+v\nscan  = %+v", got, want)
		}
	})
}

func TestJobWithoutRequirementsTakesRegion(t *testing.T) {
	returning := seeker(idA, "510203")
	returning.Person.HomeRegion, returning.Person.WillReturn = "441900", record.WillReturnYes
	staying := seeker(idB, "510203")
	staying.Person.HomeRegion = "441900"
	local := seeker(idC, "520201")
	local.Person.HomeRegion = "360102"
	e := newTestEngine(returning, staying, local)
	open := e.CompileJob(record.Demand{ID: "D8", Region: "360424"}, robotEmployer, nil)

	hits := e.BestCandidates(open, 10)
	if got, want := hitIDs(hits), []string{idA, idC}; !reflect.DeepEqual(got, want) {
		t.Fatalf("candidates = %v, want %v", got, want)
	}
	if got, want := hits[0].Score, PointsWillReturn+PointsSeeking; got != want {
		t.Errorf("returning score = %d, want %d", got, want)
	}
	if got, want := hits[1].Score, PointsRegionProvince+PointsSeeking; got != want {
		t.Errorf("local score = %d, want %d", got, want)
	}
}

// TestCategoryOnlyCanWin checks that the last tier, people who share only
// the major category, is ranked when one of them can beat the top.
func TestCategoryOnlyCanWin(t *testing.T) {
	exact := seeker(idB, "460305")
	exact.Person.HomeRegion = "440300"
	category := seeker(idA, "460103")
	category.Internships = []record.Internship{{ID: "i1", Rating: 5}, {ID: "i2", Rating: 5}}
	e := newTestEngine(exact, category)
	j := e.CompileJob(record.Demand{ID: "D9", Majors: []string{"460305"}, Region: "360424"}, robotEmployer, nil)

	hits := e.BestCandidates(j, 1)
	if len(hits) != 1 || hits[0].PersonID != idA {
		t.Fatalf("best = %+v, want %s", hits, idA)
	}
	if want := PointsMajorCategory + 2*PointsInternshipExcellent + PointsRegionCounty + PointsSeeking; hits[0].Score != want {
		t.Errorf("score = %d, want %d", hits[0].Score, want)
	}
}

func TestBestForAllEqualsOneByOne(t *testing.T) {
	cands := []Candidate{perfect(t, idA), seeker(idB, "460306"), seeker(idC, "520201")}
	e := newTestEngine(cands...)
	nurse := record.Demand{ID: "D4", Majors: []string{"5202"}, Region: "360402"}
	jobs := []*Job{e.CompileJob(robotDemand, robotEmployer, nil), e.CompileJob(nurse, robotEmployer, nil)}
	all := e.BestForAll(jobs, 5)
	for n, j := range jobs {
		if got, want := hitIDs(all[n]), hitIDs(e.BestCandidates(j, 5)); !reflect.DeepEqual(got, want) {
			t.Errorf("job %d: BestForAll = %v, BestCandidates = %v", n, got, want)
		}
	}
	if got, want := hitIDs(all[1]), []string{idC}; !reflect.DeepEqual(got, want) {
		t.Errorf("nurse job = %v, want %v", got, want)
	}
}

// worker returns a person employed by employer in region.
func worker(id, major, employer, region string) Candidate {
	return Candidate{Person: record.Person{
		ID: id, Major: major, Status: record.StatusEmployed, Employer: employer,
		WorkRegion: region, HomeRegion: "360424", Consent: record.ConsentGiven,
	}}
}

func TestTransferPlacesOffSeasonWorkers(t *testing.T) {
	const orchard, factory, shop = "赣州某某脐橙合作社", "东莞某某电子有限公司", "南昌某某商贸有限公司"
	harvest := record.Demand{ID: "H", Majors: []string{"410101"}, Region: "360700", Months: []int{11, 12, 1}}
	// Dates far ahead keep the assembly season open whenever the test runs.
	assembly := record.Demand{ID: "F", Majors: []string{"4603"}, Region: "441900", Start: "2099-03-01", End: "2099-09-30"}
	christmas := record.Demand{ID: "S", Majors: []string{"4603"}, Region: "360100", Months: []int{12}}
	closed := assembly
	closed.ID, closed.Status = "F2", record.DemandClosed
	// None of these is a transfer target, although each fits the released
	// worker: one recruits all year, one for a whole year's date range,
	// and one's season ended.
	yearRound := record.Demand{ID: "Y", Majors: []string{"460305"}, Region: "360100"}
	wholeYear := record.Demand{ID: "W", Majors: []string{"460305"}, Region: "360100", Start: "2099-01-01", End: "2099-12-31"}
	ended := assembly
	ended.ID, ended.Start, ended.End = "F3", "2020-03-01", "2020-09-30"

	released := worker(idB, "460305", orchard, "360700")
	weak := worker(idA, "460103", orchard, "360700") // same category only
	withdrawn := worker(idC, "460305", orchard, "360700")
	withdrawn.Person.Consent = record.ConsentWithdrawn
	elsewhere := worker(idD, "460305", shop, "360100")
	e := newTestEngine(released, weak, withdrawn, elsewhere)
	jobs := []*Job{
		e.CompileJob(harvest, record.Employer{Name: orchard}, nil),
		e.CompileJob(assembly, record.Employer{Name: factory}, nil),
		e.CompileJob(christmas, record.Employer{Name: shop}, nil),
		e.CompileJob(closed, record.Employer{Name: factory}, nil),
		e.CompileJob(yearRound, record.Employer{Name: shop}, nil),
		e.CompileJob(wholeYear, record.Employer{Name: shop}, nil),
		e.CompileJob(ended, record.Employer{Name: factory}, nil),
	}

	plan := e.Transfer(orchard, jobs, 3)
	if got, want := SeasonMonths(plan.OffSeason), []int{2, 3, 4, 5, 6, 7, 8, 9, 10}; !reflect.DeepEqual(got, want) {
		t.Errorf("off-season = %v, want %v", got, want)
	}
	var people []string
	for _, p := range plan.People {
		people = append(people, p.PersonID)
	}
	if want := []string{idB, idA}; !reflect.DeepEqual(people, want) {
		t.Fatalf("people = %v, want %v", people, want)
	}
	for _, p := range plan.People {
		if len(p.Jobs) != 1 || p.Jobs[0].Job != 1 {
			t.Errorf("%s jobs = %+v, want only job 1", p.PersonID, p.Jobs)
		}
	}
	if got := plan.People[0].Jobs[0].Score; got != PointsMajorClass {
		t.Errorf("released score = %d, want %d", got, PointsMajorClass)
	}

	if all := e.Transfer(factory, jobs[1:2], 3); all.OffSeason == 0 || len(all.People) != 0 {
		t.Errorf("factory without workers: %+v", all)
	}
	if none := e.Transfer("没有需求的单位", jobs, 3); none.OffSeason != 0 || none.People != nil {
		t.Errorf("employer without demands: %+v, want none", none)
	}
}

func TestRankRegionsCountsReturners(t *testing.T) {
	returner := func(id, major, region, willing string) Candidate {
		c := worker(id, major, "某厂", region)
		c.Person.WillReturn = willing
		return c
	}
	e := newTestEngine(
		returner(idA, "460305", "441900", record.WillReturnYes),
		returner(idB, "460306", "441900", record.WillReturnYes),
		returner(idC, "460305", "441900", record.WillReturnNo),
		returner(idD, "460305", "440300", record.WillReturnYes),
		returner(idE, "510203", "330100", record.WillReturnYes), // unrelated major
		returner(idF, "460103", "330100", record.WillReturnYes), // category only: below threshold
		returner(idG, "460305", "360100", record.WillReturnYes), // already in Jiangxi
	)
	robot := e.CompileJob(robotDemand, robotEmployer, nil)
	outside := record.Demand{ID: "O", Majors: []string{"510203"}, Region: "330100"}
	closed := record.Demand{ID: "C", Majors: []string{"460103"}, Region: "360100", Status: record.DemandClosed}
	// The ended Jiangxi demand would count idE in 330100 if it still
	// recruited.
	ended := record.Demand{ID: "X", Majors: []string{"510203"}, Region: "360100", End: "2020-06-30"}
	jobs := []*Job{robot, e.CompileJob(outside, robotEmployer, nil), e.CompileJob(closed, robotEmployer, nil),
		e.CompileJob(ended, robotEmployer, nil)}

	// A class match with the return reason scores 35; a category match 20.
	got := e.RankRegions(jobs, 30)
	want := []RegionTalent{
		{Prefecture: "441900", Name: "广东省东莞市", People: 2},
		{Prefecture: "440300", Name: "广东省深圳市", People: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RankRegions = %+v, want %+v", got, want)
	}
}
