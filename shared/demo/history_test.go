package demo

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mobilefactory/shared/assessment"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

var (
	historyOnce sync.Once
	historyData Data
)

// data3k returns the 3,000-person data set of seed 2, generated once.
func data3k() Data {
	historyOnce.Do(func() { historyData = Generate(Options{People: 3000, Seed: 2}) })
	return historyData
}

// historyRecord is what every history kind has in common.
type historyRecord struct {
	kind    record.Kind
	id      string
	college string
	person  string
	date    string // the date a clerk records it after: its date, or an internship's end
	review  record.Review
}

func historyRecords(d Data) []historyRecord {
	var out []historyRecord
	for _, t := range d.Trainings {
		out = append(out, historyRecord{record.KindTraining, t.ID, t.College, t.Person, t.Date, t.Review})
	}
	for _, a := range d.Assessments {
		out = append(out, historyRecord{record.KindAssessment, a.ID, a.College, a.Person, a.Date, a.Review})
	}
	for _, in := range d.Internships {
		out = append(out, historyRecord{record.KindInternship, in.ID, in.College, in.Person, in.End, in.Review})
	}
	for _, a := range d.Awards {
		out = append(out, historyRecord{record.KindAward, a.ID, a.College, a.Person, a.Date, a.Review})
	}
	for _, c := range d.Certificates {
		out = append(out, historyRecord{record.KindCertificate, c.ID, c.College, c.Person, c.Date, c.Review})
	}
	for _, c := range d.Counsellings {
		out = append(out, historyRecord{record.KindCounselling, c.ID, c.College, c.Person, c.Date, c.Review})
	}
	return out
}

// Every change the demo writes into the pool passes the checks the server
// makes on a device's change.
func TestChangesPassServerValidation(t *testing.T) {
	d := data3k()
	for _, c := range d.Changes("demo", hlc.Make(1_780_000_000_000, 0)) {
		if err := changeset.Validate(c, changeset.DefaultLimits); err != nil {
			t.Fatalf("%s %s: %v", c.Kind, c.ID, err)
		}
		if err := validate.Stored(c.Kind, c.Field, c.Value, nil); err != nil {
			t.Fatalf("%s %s: %v (value %q)", c.Kind, c.ID, err, c.Value)
		}
	}
}

func TestReviewStatesValid(t *testing.T) {
	counts := map[string]int{}
	records := historyRecords(data3k())
	for _, h := range records {
		rv := h.review
		counts[rv.State]++
		day, err := time.Parse(time.DateOnly, h.date)
		if err != nil {
			t.Fatalf("%s %s: date %q: %v", h.kind, h.id, h.date, err)
		}
		var submitted time.Time
		if rv.SubmittedAt != "" {
			if submitted, err = time.Parse(time.RFC3339, rv.SubmittedAt); err != nil {
				t.Fatalf("%s %s: submitted_at %q: %v", h.kind, h.id, rv.SubmittedAt, err)
			}
			if submitted.Before(day) {
				t.Errorf("%s %s dated %s submitted earlier, at %s", h.kind, h.id, h.date, rv.SubmittedAt)
			}
		}
		switch rv.State {
		case record.ReviewApproved, record.ReviewReturned:
			if rv.By != ReviewerAccount {
				t.Errorf("%s %s %s by %q, want %q", h.kind, h.id, rv.State, rv.By, ReviewerAccount)
			}
			at, err := time.Parse(time.DateOnly, rv.At)
			if err != nil {
				t.Fatalf("%s %s: review_at %q: %v", h.kind, h.id, rv.At, err)
			}
			if at.Before(submitted.Truncate(24 * time.Hour)) {
				t.Errorf("%s %s decided on %s, before its submission at %s", h.kind, h.id, rv.At, rv.SubmittedAt)
			}
			if rv.SubmittedAt == "" {
				t.Errorf("%s %s is %s but was never submitted", h.kind, h.id, rv.State)
			}
			if (rv.State == record.ReviewReturned) != (rv.Reason != "") {
				t.Errorf("%s %s is %s with reason %q", h.kind, h.id, rv.State, rv.Reason)
			}
		case record.ReviewPending:
			if rv.SubmittedAt == "" || rv.By != "" || rv.At != "" || rv.Reason != "" {
				t.Errorf("pending %s %s has review %+v, want only submitted_at", h.kind, h.id, rv)
			}
		case record.ReviewDraft:
			if rv != (record.Review{State: record.ReviewDraft}) {
				t.Errorf("draft %s %s has review %+v, want only the state", h.kind, h.id, rv)
			}
		default:
			t.Fatalf("%s %s has review state %q", h.kind, h.id, rv.State)
		}
	}
	shares := []struct {
		state    string
		min, max float64
	}{
		{record.ReviewApproved, 0.82, 0.88},
		{record.ReviewPending, 0.06, 0.10},
		{record.ReviewDraft, 0.025, 0.055},
		{record.ReviewReturned, 0.015, 0.045},
	}
	for _, s := range shares {
		share := float64(counts[s.state]) / float64(len(records))
		if share < s.min || share > s.max {
			t.Errorf("share of %s records = %.3f, want %.3f to %.3f", s.state, share, s.min, s.max)
		}
	}
}

// A training's hours, score and completion are what record.Complete
// computes from its results, and it names a programme and class by id.
func TestTrainingCompletionComputed(t *testing.T) {
	d := data3k()
	programmes := map[string]record.Programme{record.BasicProgramme: record.Basic()}
	for _, p := range d.Programmes {
		programmes[p.ID] = p
	}
	classes := map[string]record.Class{}
	for _, c := range d.Classes {
		classes[c.ID] = c
	}
	completed := 0
	for _, tr := range d.Trainings {
		p, ok := programmes[tr.Programme]
		if !ok {
			t.Fatalf("training %s names programme %q, which is neither basic nor generated", tr.ID, tr.Programme)
		}
		if p.ID != record.BasicProgramme && p.College != tr.College {
			t.Errorf("training %s of %s is in programme %s of %s", tr.ID, tr.College, p.ID, p.College)
		}
		c := record.Complete(p, tr.Results)
		if tr.Hours != c.Hours {
			t.Errorf("training %s hours = %d, want %d", tr.ID, tr.Hours, c.Hours)
		}
		if tr.Completed != c.Completed {
			t.Errorf("training %s completed = %v, want %v", tr.ID, tr.Completed, c.Completed)
		}
		if want := itoaScore(c.Average); tr.Score != want {
			t.Errorf("training %s score = %q, want %q", tr.ID, tr.Score, want)
		}
		if len(tr.Results) != len(p.Modules) {
			t.Errorf("training %s has %d results for %d modules", tr.ID, len(tr.Results), len(p.Modules))
		}
		if tr.Completed {
			completed++
		}
		if tr.Class == "" {
			if tr.Programme != record.BasicProgramme {
				t.Errorf("job-tailored training %s has no class", tr.ID)
			}
			continue
		}
		class, ok := classes[tr.Class]
		if !ok {
			t.Fatalf("training %s names class %s, which is not generated", tr.ID, tr.Class)
		}
		if class.Programme != tr.Programme || tr.Date != class.End {
			t.Errorf("training %s in programme %s on %s, its class %s is of %s ending %s",
				tr.ID, tr.Programme, tr.Date, class.ID, class.Programme, class.End)
		}
	}
	share := float64(completed) / float64(len(d.Trainings))
	if share < 0.6 || share > 0.9 {
		t.Errorf("share of completed trainings = %.3f, want 0.6 to 0.9", share)
	}
}

func itoaScore(average int) string {
	if average < 0 {
		return ""
	}
	return strconv.Itoa(average)
}

func TestProgrammesAndClasses(t *testing.T) {
	d := data3k()
	perCollege := map[string]int{}
	for _, p := range d.Programmes {
		perCollege[p.College]++
		if n := len(p.Modules); n < 3 || n > 5 {
			t.Errorf("programme %s has %d modules, want 3 to 5", p.Title, n)
		}
		for _, m := range p.Modules {
			if m.PassMark != 60 || m.Hours < 16 || m.Hours > 48 || m.Key != m.Name {
				t.Errorf("programme %s module %+v, want pass mark 60, 16 to 48 hours, key = name", p.Title, m)
			}
		}
		if p.Employer == "" || p.Position == "" || p.Demand == "" || !strings.Contains(p.Title, "岗位定制培训") {
			t.Errorf("programme %+v lacks employer, position, demand or title", p)
		}
	}
	for college, n := range perCollege {
		if n > 3 {
			t.Errorf("college %s has %d programmes, want at most 3", college, n)
		}
	}
	classes := map[string]int{}
	for _, c := range d.Classes {
		classes[c.Programme]++
		if !strings.Contains(c.Title, "级") || !strings.HasSuffix(c.Title, "定制班") {
			t.Errorf("class title %q, want 20xx级…定制班", c.Title)
		}
		if c.Start >= c.End {
			t.Errorf("class %s runs %s to %s", c.Title, c.Start, c.End)
		}
	}
	for _, p := range d.Programmes {
		if n := classes[p.ID]; n < 1 || n > 2 {
			t.Errorf("programme %s has %d classes, want 1 or 2", p.Title, n)
		}
	}
}

// A college's programmes and classes do not depend on how many people are
// generated, only on the seed.
func TestProgrammesIndependentOfPeople(t *testing.T) {
	titles := func(d Data) map[string][]string {
		out := map[string][]string{}
		for _, p := range d.Programmes {
			out[p.College] = append(out[p.College], p.Title+" "+record.EncodeModules(p.Modules))
		}
		return out
	}
	small, large := titles(Generate(Options{People: 200, Seed: 9})), titles(Generate(Options{People: 2000, Seed: 9}))
	for college, want := range small {
		if got := large[college]; !reflect.DeepEqual(got, want) {
			t.Errorf("college %s programmes with 2000 people = %v, with 200 = %v", college, got, want)
		}
	}
}

func TestHistoryShares(t *testing.T) {
	d := data3k()
	with := func(persons func(yield func(string))) float64 {
		seen := map[string]bool{}
		persons(func(id string) { seen[id] = true })
		return float64(len(seen)) / float64(len(d.Persons))
	}
	basic := with(func(yield func(string)) {
		for _, tr := range d.Trainings {
			if tr.Programme == record.BasicProgramme {
				yield(tr.Person)
			}
		}
	})
	tailored := with(func(yield func(string)) {
		for _, tr := range d.Trainings {
			if tr.Class != "" {
				yield(tr.Person)
			}
		}
	})
	experience := with(func(yield func(string)) {
		for _, in := range d.Internships {
			if in.Kind == record.InternExperience {
				yield(in.Person)
			}
		}
	})
	assessed := with(func(yield func(string)) {
		for _, a := range d.Assessments {
			yield(a.Person)
		}
	})
	awarded := with(func(yield func(string)) {
		for _, a := range d.Awards {
			yield(a.Person)
		}
	})
	certified := with(func(yield func(string)) {
		for _, c := range d.Certificates {
			yield(c.Person)
		}
	})
	counselled := with(func(yield func(string)) {
		for _, c := range d.Counsellings {
			yield(c.Person)
		}
	})
	cases := []struct {
		name     string
		got      float64
		min, max float64
	}{
		{"basic training", basic, 0.85, 0.91},
		{"custom class", tailored, 0.05, 0.3},
		{"job experience", experience, 0.27, 0.33},
		{"assessment", assessed, 0.57, 0.63},
		{"award", awarded, 0.18, 0.22},
		{"certificate", certified, 0.47, 0.53},
		{"counselling", counselled, 0.27, 0.33},
	}
	for _, c := range cases {
		if c.got < c.min || c.got > c.max {
			t.Errorf("share of people with %s = %.3f, want %.2f to %.2f", c.name, c.got, c.min, c.max)
		}
	}
}

func TestHistoryFieldValues(t *testing.T) {
	d := data3k()
	levels := map[string]int{}
	for _, c := range d.Certificates {
		levels[c.SkillLevel]++
		if c.Title == "" || c.Issuer == "" || len(c.CertNo) != 18 {
			t.Errorf("certificate %+v lacks title, issuer or an 18-character number", c)
		}
	}
	if low := float64(levels["5"]+levels["4"]+levels["3"]) / float64(len(d.Certificates)); low < 0.95 {
		t.Errorf("share of 初级, 中级 and 高级 certificates = %.3f, want at least 0.95", low)
	}
	for _, a := range d.Awards {
		if strings.ContainsAny(a.Title+a.Issuer, "{}%") || a.Title == "" || a.Issuer == "" {
			t.Errorf("award %q by %q, want a filled-in title and issuer", a.Title, a.Issuer)
		}
	}
	gradYears := map[string]int{}
	for _, p := range d.Persons {
		gradYears[p.ID] = p.GradYear
	}
	for _, in := range d.Internships {
		if in.Supervisor == "" || in.Evaluation == "" {
			t.Errorf("internship %s lacks supervisor or evaluation", in.ID)
		}
		if in.Kind != record.InternExperience {
			continue
		}
		if in.End > daysAfter(in.Start, 4) {
			t.Errorf("job experience %s runs %s to %s, want at most 4 days", in.ID, in.Start, in.End)
		}
		year := gradYears[in.Person]
		secondYear, thirdYear := fmt.Sprintf("%d-09-01", year-2), fmt.Sprintf("%d-09-01", year-1)
		if in.Start < secondYear || in.End >= thirdYear {
			t.Errorf("job experience %s of class %d runs %s to %s, want within the second year", in.ID, year, in.Start, in.End)
		}
	}
	for _, c := range d.Counsellings {
		if c.Topic == "" || c.Counsellor == "" || c.Notes == "" {
			t.Errorf("counselling %+v lacks topic, counsellor or notes", c)
		}
		if c.Date > defaultNow.Format(time.DateOnly) {
			t.Errorf("counselling %s on %s, after now", c.ID, c.Date)
		}
	}
}

func daysAfter(day string, n int) string {
	d, _ := time.Parse(time.DateOnly, day)
	return d.AddDate(0, 0, n).Format(time.DateOnly)
}

// Technical majors score realistic high, finance majors conventional and
// art majors artistic, on average.
func TestAssessmentsFollowMajor(t *testing.T) {
	d := data20k()
	category := map[string]string{}
	for _, p := range d.Persons {
		category[p.ID] = p.Major[:2]
	}
	sums := map[string]*[assessment.NumDimensions]float64{}
	counts := map[string]int{}
	for _, a := range d.Assessments {
		profile, err := assessment.ParseProfile(a.Profile)
		if err != nil {
			t.Fatalf("assessment %s profile %q: %v", a.ID, a.Profile, err)
		}
		c := category[a.Person]
		if sums[c] == nil {
			sums[c] = &[assessment.NumDimensions]float64{}
		}
		for dim, s := range profile.Scores {
			sums[c][dim] += s
		}
		counts[c]++
	}
	cases := []struct {
		category     string
		high, low    assessment.Dimension
		categoryName string
	}{
		{"46", assessment.Realistic, assessment.Artistic, "装备制造"},
		{"46", assessment.Investigative, assessment.Enterprising, "装备制造"},
		{"53", assessment.Conventional, assessment.Realistic, "财经商贸"},
		{"52", assessment.Social, assessment.Realistic, "医药卫生"},
		{"55", assessment.Artistic, assessment.Conventional, "文化艺术"},
	}
	for _, c := range cases {
		n := float64(counts[c.category])
		if n < 20 {
			t.Fatalf("only %v assessments of category %s", n, c.category)
		}
		high, low := sums[c.category][c.high]/n, sums[c.category][c.low]/n
		if high < low+15 {
			t.Errorf("%s mean %s = %.1f, %s = %.1f, want the first 15 higher", c.categoryName, c.high, high, c.low, low)
		}
	}
}

// Every history record, programme and class has its own ULID, and every
// history record belongs to a generated person of its college.
func TestHistoryRecordsBelongToPersons(t *testing.T) {
	d := data3k()
	colleges := map[string]string{}
	seen := map[string]bool{}
	unique := func(id string) {
		if seen[id] {
			t.Fatalf("ULID %s used twice", id)
		}
		seen[id] = true
	}
	for _, p := range d.Persons {
		colleges[p.ID] = p.College
		unique(p.ID)
	}
	for _, p := range d.Programmes {
		unique(p.ID)
	}
	for _, c := range d.Classes {
		unique(c.ID)
	}
	for _, h := range historyRecords(d) {
		unique(h.id)
		college, ok := colleges[h.person]
		if !ok {
			t.Fatalf("%s %s refers to unknown person %s", h.kind, h.id, h.person)
		}
		if college != h.college {
			t.Errorf("%s %s scoped %s, its person's college is %s", h.kind, h.id, h.college, college)
		}
	}
}

func TestSamplePerson(t *testing.T) {
	d := Generate(Options{People: 50, Seed: 4})
	p := d.Persons[0]
	if p.Name != SampleName || p.IDNumber != SampleIDNumber || p.College != SampleCollege {
		t.Fatalf("first person = %s %s of %s, want %s %s of %s", p.Name, p.IDNumber, p.College, SampleName, SampleIDNumber, SampleCollege)
	}
	if p.Major != "510201" || p.GradYear != 2025 || p.Consent != record.ConsentGiven {
		t.Errorf("sample person major %s, class of %d, consent %q", p.Major, p.GradYear, p.Consent)
	}
	var h []historyRecord
	for _, r := range historyRecords(d) {
		if r.person == p.ID {
			h = append(h, r)
		}
	}
	for _, r := range h {
		if !r.review.Approved() || r.review.By != ReviewerAccount || r.review.At < r.date {
			t.Errorf("sample %s %s review %+v, want approved by %s after %s", r.kind, r.id, r.review, ReviewerAccount, r.date)
		}
	}
	count := map[record.Kind]int{}
	for _, r := range h {
		count[r.kind]++
	}
	want := map[record.Kind]int{record.KindTraining: 2, record.KindAssessment: 1, record.KindInternship: 2,
		record.KindAward: 1, record.KindCertificate: 2, record.KindCounselling: 1}
	if !reflect.DeepEqual(count, want) {
		t.Errorf("sample history counts = %v, want %v", count, want)
	}

	var basic, class bool
	for _, tr := range d.Trainings {
		if tr.Person != p.ID {
			continue
		}
		if !tr.Completed {
			t.Errorf("sample training in %s not completed: %v", tr.Programme, tr.Results)
		}
		basic = basic || tr.Programme == record.BasicProgramme
		class = class || tr.Class != ""
	}
	if !basic || !class {
		t.Errorf("sample trainings: basic %v, custom class %v, want both", basic, class)
	}
	kinds := map[string]int{}
	for _, in := range d.Internships {
		if in.Person == p.ID {
			kinds[in.Kind]++
		}
	}
	if kinds[record.InternExperience] != 1 || kinds[record.InternWork] != 1 {
		t.Errorf("sample internships by kind = %v, want one of each", kinds)
	}
}

// demandSummary returns the title, headcount and start of the demand with
// the given ULID, which do not depend on the seed for the sample person.
func demandSummary(d Data, id string) string {
	for _, dm := range d.Demands {
		if dm.ID == id {
			return fmt.Sprintf("%s %d %s", dm.Title, dm.Headcount, dm.Start)
		}
	}
	return "no demand " + id
}

// The sample person's values are the same for every seed, apart from
// the ULIDs.
func TestSamplePersonSameForSeeds(t *testing.T) {
	strip := func(d Data) []string {
		p := d.Persons[0]
		out := []string{p.Name, p.IDNumber, p.Phone, p.StudentNo, p.Major, p.Status, p.ConsentAt}
		for _, r := range historyRecords(d) {
			if r.person == p.ID {
				out = append(out, r.kind.String()+" "+r.date+" "+r.review.At)
			}
		}
		for _, tr := range d.Trainings {
			if tr.Person != p.ID || tr.Class == "" {
				continue
			}
			for _, c := range d.Classes {
				if c.ID == tr.Class {
					out = append(out, c.Title, c.Start, c.End)
				}
			}
			for _, pr := range d.Programmes {
				if pr.ID == tr.Programme {
					out = append(out, pr.Title, pr.Employer, demandSummary(d, pr.Demand), record.EncodeModules(pr.Modules))
				}
			}
		}
		for _, a := range d.Assessments {
			if a.Person == p.ID {
				out = append(out, a.Profile)
			}
		}
		return out
	}
	a, b := strip(Generate(Options{People: 20, Seed: 1})), strip(Generate(Options{People: 300, Seed: 77}))
	if len(a) != 24 {
		t.Errorf("sample person values = %v, want 24 values", a)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("sample person with seed 1 = %v, with seed 77 = %v", a, b)
	}
}
