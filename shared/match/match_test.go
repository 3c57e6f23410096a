package match

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"mobilefactory/shared/demo"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// robotJob requires 工业机器人技术 (460305, class 4603 自动化类, category 46
// 装备制造大类) in 修水县 (360424, 九江市).
var robotJob = Query{Majors: []string{"460305"}, Region: "360424"}

// Person IDs sort in the order their letters suggest: G before C.
const (
	idA = "01J0000000000000000000000A"
	idB = "01J0000000000000000000000B"
	idC = "01J0000000000000000000000C"
	idD = "01J0000000000000000000000D"
	idE = "01J0000000000000000000000E"
	idF = "01J0000000000000000000000F"
	idG = "01J00000000000000000000000"
)

func person(id, major, home, status, work string, year int) record.Person {
	return record.Person{
		ID: id, College: "4136012976", Major: major, HomeRegion: home,
		Status: status, WorkRegion: work, GradYear: year, Consent: record.ConsentGiven,
	}
}

// candidates returns a hand-built pool for robotJob.
func candidates() []Candidate {
	return []Candidate{
		{ // exact major, home county, seeking, newest class, tailored training, excellent internship
			Person: person(idA, "460305", "360424", record.StatusSeeking, "", 2025),
			Trainings: []record.Training{
				{ID: "t1", Person: idA, Programme: "工业机器人运维岗位定制班", Hours: 96, Completed: true},
				{ID: "t2", Person: idA, Programme: "职业道德与素养", Hours: 16, Completed: true},
			},
			Internships: []record.Internship{
				{ID: "i1", Person: idA, Employer: "东莞市某某电子有限公司", Position: "装配技术员", Rating: 5},
			},
		},
		{ // same class, home prefecture, works in Shenzhen, good internship, unrelated training
			Person: person(idB, "460306", "360402", record.StatusEmployed, "440300", 2024),
			Trainings: []record.Training{
				{ID: "t3", Person: idB, Programme: "护理岗位定制班", Hours: 60, Completed: true},
			},
			Internships: []record.Internship{
				{ID: "i2", Person: idB, Employer: "九江市某某智能装备有限公司", Position: "设备维护技术员", Rating: 4},
				{ID: "i3", Person: idB, Employer: "南昌市某某精密机械有限公司", Position: "质检员", Rating: 3},
			},
		},
		{ // same category, home province, works in Nanchang, unfinished training
			Person: person(idC, "460103", "360102", record.StatusEmployed, "360100", 2023),
			Trainings: []record.Training{
				{ID: "t4", Person: idC, Programme: "工业机器人岗位定制班", Hours: 80, Completed: false},
			},
		},
		{Person: person(idD, "510203", "360424", record.StatusSeeking, "", 2025)}, // unrelated major
		{Person: person(idE, "460305", "360424", record.StatusStudy, "", 2025)},   // further study
		{Person: person(idF, "460305", "360424", record.StatusSeeking, "", 2025), Deleted: true},
		// Same score as C, smaller ID.
		{Person: person(idG, "460104", "360102", record.StatusEmployed, "360100", 2023)},
	}
}

func ids(results []Result) []string {
	out := make([]string, len(results))
	for i, r := range results {
		out[i] = r.Person.ID
	}
	return out
}

func TestRankOrder(t *testing.T) {
	got := ids(Rank(candidates(), robotJob))
	want := []string{idA, idB, idG, idC}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Rank order = %v, want %v", got, want)
	}
}

type wantReason struct {
	key    string
	points float64
}

func reasonsOf(r Result) []wantReason {
	out := make([]wantReason, len(r.Reasons))
	for i, x := range r.Reasons {
		out[i] = wantReason{x.Key, x.Points}
	}
	return out
}

func TestRankReasons(t *testing.T) {
	results := Rank(candidates(), robotJob)
	cases := []struct {
		id      string
		score   float64
		reasons []wantReason
	}{
		{idA, 103, []wantReason{
			{KeyMajorExact, 40}, {KeyTraining, 12}, {KeyInternshipExcellent, 10},
			{KeyHomeCounty, 15}, {KeySeeking, 20}, {KeyGradYear, 6},
		}},
		{idB, 55, []wantReason{
			{KeyMajorClass, 25}, {KeyInternshipGood, 6}, {KeyHomePrefecture, 10},
			{KeyReturn, 10}, {KeyGradYear, 4},
		}},
		{idG, 17, []wantReason{{KeyMajorCategory, 10}, {KeyHomeProvince, 5}, {KeyGradYear, 2}}},
		{idC, 17, []wantReason{{KeyMajorCategory, 10}, {KeyHomeProvince, 5}, {KeyGradYear, 2}}},
	}
	if len(results) != len(cases) {
		t.Fatalf("Rank returned %d results, want %d", len(results), len(cases))
	}
	for i, c := range cases {
		r := results[i]
		if r.Person.ID != c.id {
			t.Errorf("result %d is %s, want %s", i, r.Person.ID, c.id)
			continue
		}
		if r.Score != c.score {
			t.Errorf("%s score = %v, want %v", c.id, r.Score, c.score)
		}
		if got := reasonsOf(r); !reflect.DeepEqual(got, c.reasons) {
			t.Errorf("%s reasons = %v, want %v", c.id, got, c.reasons)
		}
	}
}

func TestReasonTextChinese(t *testing.T) {
	results := Rank(candidates(), robotJob)
	cases := []struct {
		result, reason int
		want           string
	}{
		{0, 0, "专业对口：工业机器人技术"},
		{0, 1, "完成岗位定制培训：工业机器人运维岗位定制班（96学时）"},
		{0, 2, "实习评价优秀：东莞市某某电子有限公司 装配技术员"},
		{0, 3, "生源地在岗位所在县区：九江市修水县"},
		{0, 4, "目前待就业，可随时到岗"},
		{0, 5, "2025届毕业生"},
		{1, 0, "同专业类：自动化类"},
		{1, 2, "生源地在岗位所在地：九江市"},
		{1, 3, "在省外就业（广东省深圳市），有回流可能"},
		{2, 0, "同专业大类：装备制造大类"},
		{2, 1, "生源地在岗位所在省份：江西省"},
	}
	for _, c := range cases {
		got := results[c.result].Reasons[c.reason].Text(i18n.Chinese)
		if got != c.want {
			t.Errorf("result %d reason %d text = %q, want %q", c.result, c.reason, got, c.want)
		}
	}
}

func TestReasonTextEnglish(t *testing.T) {
	r := Rank(candidates(), robotJob)[0]
	if got, want := r.Reasons[0].Text(i18n.English), "Major matches: 工业机器人技术"; got != want {
		t.Errorf("English text = %q, want %q", got, want)
	}
	if got, want := r.Reasons[1].Text(i18n.English), "Completed job-tailored training: 工业机器人运维岗位定制班 (96 hours)"; got != want {
		t.Errorf("English text = %q, want %q", got, want)
	}
}

func TestRankRegionLevels(t *testing.T) {
	cases := []struct {
		region string
		key    string
		points float64
	}{
		{"360424", KeyHomeCounty, PointsHomeCounty},
		{"360400", KeyHomePrefecture, PointsHomePrefecture},
		{"360000", KeyHomeProvince, PointsHomeProvince},
		{"360425", KeyHomePrefecture, PointsHomePrefecture}, // 永修县, another county of 九江市
	}
	for _, c := range cases {
		q := Query{Majors: []string{"460305"}, Region: c.region}
		r := Rank(candidates(), q)[0]
		found := false
		for _, x := range r.Reasons {
			if x.Key == c.key && x.Points == c.points {
				found = true
			}
		}
		if !found {
			t.Errorf("Region %s: reasons of %s = %v, want %s worth %v", c.region, r.Person.ID, reasonsOf(r), c.key, c.points)
		}
	}
}

func TestReturnIsRelativeToJobProvince(t *testing.T) {
	// B works in Shenzhen: a return candidate for a Jiangxi job, a local
	// one for a job in Shenzhen.
	q := Query{Majors: []string{"460305"}, Region: "440300"}
	for _, r := range Rank(candidates(), q) {
		if r.Person.ID != idB {
			continue
		}
		for _, x := range r.Reasons {
			if x.Key == KeyReturn {
				t.Errorf("B is a return candidate for a job in Shenzhen: %v", reasonsOf(r))
			}
		}
		return
	}
	t.Fatal("B missing from the results")
}

func TestRankNoMajors(t *testing.T) {
	results := Rank(candidates(), Query{Region: "360424"})
	got := ids(results)
	// D now counts. A and D share all but A's training and internship.
	want := []string{idA, idD, idB, idG, idC}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Rank order without majors = %v, want %v", got, want)
	}
	for _, r := range results {
		for _, x := range r.Reasons {
			if x.Key == KeyMajorExact || x.Key == KeyMajorClass || x.Key == KeyMajorCategory {
				t.Errorf("%s has major reason %s with no query majors", r.Person.ID, x.Key)
			}
		}
	}
	// Without query majors, a training counts if it names the person's own class.
	if results[0].Reasons[0].Key != KeyTraining {
		t.Errorf("A's first reason = %s, want %s", results[0].Reasons[0].Key, KeyTraining)
	}
}

func TestRankLimit(t *testing.T) {
	if got := ids(Rank(candidates(), Query{Majors: robotJob.Majors, Region: robotJob.Region, Limit: 2})); !reflect.DeepEqual(got, []string{idA, idB}) {
		t.Errorf("Limit 2 gives %v, want [A B]", got)
	}
	pool := demoCandidates(500)
	if got := len(Rank(pool, Query{})); got != DefaultLimit {
		t.Errorf("Limit 0 gives %d results, want %d", got, DefaultLimit)
	}
	if got := len(Rank(pool, Query{Limit: 1000})); got >= 500 || got < 400 {
		t.Errorf("Limit 1000 over 500 people gives %d results, want all but those in further study", got)
	}
}

func TestRankDeterministic(t *testing.T) {
	pool := demoCandidates(3000)
	q := Query{Majors: []string{"460305", "510203", "520201"}, Region: "360400", Limit: 100}
	first := Rank(pool, q)

	shuffled := append([]Candidate(nil), pool...)
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	second := Rank(shuffled, q)

	if !reflect.DeepEqual(first, second) {
		t.Fatal("Rank differs after shuffling the candidates")
	}
	if len(first) != 100 {
		t.Fatalf("Rank returned %d results, want 100", len(first))
	}
	for i, res := range first {
		sum := 0.0
		for _, x := range res.Reasons {
			sum += x.Points
		}
		if sum != res.Score {
			t.Errorf("%s score %v, reasons sum to %v", res.Person.ID, res.Score, sum)
		}
		if i > 0 {
			prev := first[i-1]
			if prev.Score < res.Score || (prev.Score == res.Score && prev.Person.ID > res.Person.ID) {
				t.Errorf("results %d and %d out of order", i-1, i)
			}
		}
	}
}

// demoCandidates returns n generated people with their records.
func demoCandidates(n int) []Candidate {
	d := demo.Generate(demo.Options{People: n, Seed: 11})
	index := make(map[string]int, len(d.Persons))
	cands := make([]Candidate, len(d.Persons))
	for i, p := range d.Persons {
		index[p.ID] = i
		cands[i].Person = p
	}
	for _, tr := range d.Trainings {
		c := &cands[index[tr.Person]]
		c.Trainings = append(c.Trainings, tr)
	}
	for _, in := range d.Internships {
		c := &cands[index[in.Person]]
		c.Internships = append(c.Internships, in)
	}
	return cands
}

func BenchmarkRank20k(b *testing.B) {
	pool := demoCandidates(20000)
	q := Query{Majors: []string{"460305", "460306", "510203"}, Region: "360400", Limit: 50}
	for b.Loop() {
		Rank(pool, q)
	}
}

// Only people with consent given and not erased are ranked; withdrawing
// consent drops a person at the next Rank.
func TestRankLeavesOutPeopleWithoutConsent(t *testing.T) {
	cases := []struct {
		name    string
		consent string
		erased  string
		ranked  bool
	}{
		{"given", record.ConsentGiven, "", true},
		{"never asked", "", "", false},
		{"withdrawn", record.ConsentWithdrawn, "", false},
		{"given then erased", record.ConsentGiven, "2026-07-01T09:00:00Z", false},
	}
	for _, c := range cases {
		cands := candidates()
		cands[0].Person.Consent, cands[0].Person.Erased = c.consent, c.erased
		got := ids(Rank(cands, robotJob))
		if slices.Contains(got, idA) != c.ranked {
			t.Errorf("%s: Rank = %v, person A ranked = %v, want %v", c.name, got, !c.ranked, c.ranked)
		}
	}
	// The rest keep their order when A drops out.
	cands := candidates()
	cands[0].Person.Consent = record.ConsentWithdrawn
	if got, want := ids(Rank(cands, robotJob)), []string{idB, idG, idC}; !reflect.DeepEqual(got, want) {
		t.Errorf("Rank without A = %v, want %v", got, want)
	}
}

// A training record naming a programme by id is credited under the
// programme's title: a programme made for an employer is job-tailored
// without a marker word in its title, and the basic programme is not.
func TestTrainingNamesProgrammeByID(t *testing.T) {
	const tailored, plain = "01J000000000000000000000P1", "01J000000000000000000000P2"
	programmes := map[string]record.Programme{
		tailored: {ID: tailored, Title: "工业机器人运维订制培训", Employer: "东莞市某某电子有限公司"},
		plain:    {ID: plain, Title: "工业机器人运维入门"},
	}
	cand := Candidate{
		Person: person(idA, "460305", "360424", record.StatusSeeking, "", 2025),
		Trainings: []record.Training{
			{ID: "t1", Person: idA, Programme: tailored, Hours: 96, Completed: true},
			{ID: "t2", Person: idA, Programme: plain, Hours: 40, Completed: true},
			{ID: "t3", Person: idA, Programme: record.BasicProgramme, Hours: 104, Completed: true},
		},
		Programmes: programmes,
	}
	results := Rank([]Candidate{cand}, robotJob)
	if len(results) != 1 {
		t.Fatalf("Rank returned %d results, want 1", len(results))
	}
	var training []string
	for _, r := range results[0].Reasons {
		if r.Key == KeyTraining || r.Key == KeyTrainingNoHours {
			training = append(training, r.Text(i18n.Chinese))
		}
	}
	want := []string{"完成岗位定制培训：工业机器人运维订制培训（96学时）"}
	if !reflect.DeepEqual(training, want) {
		t.Errorf("training reasons = %q, want %q", training, want)
	}
}
