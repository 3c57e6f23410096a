package demo

import (
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

func TestDemandCountsScale(t *testing.T) {
	cases := []struct {
		opts                 Options
		demands, minEmployer int
	}{
		{Options{People: 20000, Seed: 1}, 200, minEmployers},
		{Options{People: 300, Seed: 1}, 3, minEmployers},
		{Options{People: 300, Seed: 1, Demands: 500, Employers: 120}, 500, 120},
		{Options{People: 20000, Seed: 1, Demands: 1}, 1, minEmployers},
	}
	for _, c := range cases {
		d := Generate(c.opts)
		if want := max(c.demands, len(d.Programmes)); len(d.Demands) != want {
			t.Errorf("Generate(%+v) made %d demands for %d programmes, want %d", c.opts, len(d.Demands), len(d.Programmes), want)
		}
		if len(d.Employers) < c.minEmployer {
			t.Errorf("Generate(%+v) made %d employers, want at least %d", c.opts, len(d.Employers), c.minEmployer)
		}
	}
}

// Every employer carries a valid credit code, a real region, a GB/T 4754
// class, an employer nature code and a contact.
func TestEmployerFields(t *testing.T) {
	d := Generate(Options{People: 300, Seed: 2, Employers: 1000})
	tb := loadTables()
	industries := map[string]bool{}
	for _, list := range tb.industryClasses {
		for _, c := range list {
			industries[c] = true
		}
	}
	natures := map[string]bool{"22": true, "23": true, "31": true, "32": true, "39": true, "99": true}
	names, codes := map[string]bool{}, map[string]bool{}
	outside := 0
	for _, e := range d.Employers {
		if got, err := validate.CreditCode(e.CreditCode); err != nil || got != e.CreditCode {
			t.Errorf("employer %s credit code %q: %v", e.Name, e.CreditCode, err)
		}
		if e.CreditCode[2:8] != e.Region {
			t.Errorf("employer %s credit code %s does not carry its region %s", e.Name, e.CreditCode, e.Region)
		}
		if _, ok := tb.regions[e.Region]; !ok {
			t.Errorf("employer %s region %q is not a GB/T 2260 code", e.Name, e.Region)
		}
		if !industries[e.Industry] {
			t.Errorf("employer %s industry %q is not a GB/T 4754 class", e.Name, e.Industry)
		}
		if !natures[e.Nature] {
			t.Errorf("employer %s nature %q", e.Name, e.Nature)
		}
		if e.Scope != record.ProvinceScope || e.Contact == "" || len(e.ContactPhone) != 11 {
			t.Errorf("employer %+v lacks scope, contact or phone", e)
		}
		if names[e.Name] || codes[e.CreditCode] {
			t.Errorf("employer name %s or credit code %s used twice", e.Name, e.CreditCode)
		}
		names[e.Name], codes[e.CreditCode] = true, true
		if e.Region[:2] != "36" {
			outside++
		}
	}
	if share := float64(outside) / float64(len(d.Employers)); share < 0.35 || share > 0.6 {
		t.Errorf("share of employers outside Jiangxi = %.2f, want about %.2f", share, shareOutside/100)
	}
}

// A demand's title is a job of its majors' category, its occupation and
// major classes are the job's, and its other fields are in range.
func TestDemandFields(t *testing.T) {
	d := Generate(Options{People: 3000, Seed: 2, Demands: 1000})
	tb := loadTables()
	employers := map[string]record.Employer{}
	for _, e := range d.Employers {
		employers[e.ID] = e
	}
	seasonal, dated := 0, 0
	for _, dm := range d.Demands {
		e, ok := employers[dm.Employer]
		if !ok {
			t.Fatalf("demand %s names employer %s, not in the directory", dm.ID, dm.Employer)
		}
		if dm.Region != e.Region || dm.Scope != record.ProvinceScope {
			t.Errorf("demand %s region %s scope %s, employer region %s", dm.ID, dm.Region, dm.Scope, e.Region)
		}
		if len(dm.Majors) == 0 {
			t.Fatalf("demand %s has no majors", dm.ID)
		}
		category := dm.Majors[0][:2]
		j, ok := jobTitled(category, dm.Title)
		if !ok {
			t.Fatalf("demand %s title %s is no job of category %s", dm.ID, dm.Title, category)
		}
		if dm.Occupation != j.occupation {
			t.Errorf("demand %s (%s) occupation %s, want the job's %s", dm.ID, dm.Title, dm.Occupation, j.occupation)
		}
		for _, m := range dm.Majors {
			if len(m) < 4 || !slices.Contains(j.classes, m[:4]) {
				t.Errorf("demand %s (%s) major %s is not of the job's classes %v", dm.ID, dm.Title, m, j.classes)
			}
		}
		found := false
		for _, o := range tb.occupations[dm.Occupation[:4]] {
			found = found || o.code == dm.Occupation
		}
		if !found {
			t.Errorf("demand %s occupation %q is not a detail-level occupation", dm.ID, dm.Occupation)
		}
		for _, m := range dm.Majors {
			if !strings.HasPrefix(m, category) {
				t.Errorf("demand %s majors %v span categories", dm.ID, dm.Majors)
			}
		}
		for _, c := range dm.Certificates {
			if !slices.Contains(certificateTitles[category], c.Title) || !slices.Contains([]string{"", "5", "4", "3"}, c.SkillLevel) {
				t.Errorf("demand %s certificate %+v", dm.ID, c)
			}
		}
		if dm.Headcount < 1 || dm.Headcount > 50 || dm.SalaryMin <= 0 || dm.SalaryMax <= dm.SalaryMin || len(dm.Skills) == 0 {
			t.Errorf("demand %+v: headcount, salary or skills out of range", dm)
		}
		switch {
		case len(dm.Months) > 0 && dm.Start == "":
			seasonal++
		case len(dm.Months) == 0 && dm.Start != "":
			dated++
			if dm.End != "" && dm.End <= dm.Start {
				t.Errorf("demand %s runs %s to %s", dm.ID, dm.Start, dm.End)
			}
		default:
			t.Errorf("demand %s has months %v and start %q, want one of them", dm.ID, dm.Months, dm.Start)
		}
	}
	if seasonal < 30 || dated < 500 {
		t.Errorf("%d seasonal and %d dated demands of 1000, want both kinds", seasonal, dated)
	}
}

// Each job-tailored programme names its demand, and the demand names the
// programme back, at the programme's employer.
func TestProgrammesLinkDemands(t *testing.T) {
	d := data3k()
	demands := map[string]record.Demand{}
	for _, dm := range d.Demands {
		demands[dm.ID] = dm
	}
	employers := map[string]string{}
	for _, e := range d.Employers {
		employers[e.ID] = e.Name
	}
	for _, p := range d.Programmes {
		dm, ok := demands[p.Demand]
		if !ok {
			t.Errorf("programme %s names demand %q, not generated", p.Title, p.Demand)
			continue
		}
		if dm.Programme != p.ID || dm.Title != p.Position || employers[dm.Employer] != p.Employer {
			t.Errorf("programme %s (%s at %s) has demand %+v at %s", p.ID, p.Position, p.Employer, dm, employers[dm.Employer])
		}
	}
}

// Skills follow the major, most people working outside Jiangxi want to
// return, and some work at seasonal employers of the directory.
func TestPersonSkillsReturnAndSeasonalWork(t *testing.T) {
	d := data3k()
	tb := loadTables()
	categories := map[string]string{}
	for _, m := range tb.majors {
		categories[m.code] = m.category
	}
	seasonalNames := map[string]bool{}
	g := newGenerator(Options{Seed: 2}.withDefaults())
	g.startPart(0)
	g.newDirectory(Options{People: 3000}.withDefaults().Employers)
	for _, e := range g.directory {
		if e.months != nil {
			seasonalNames[e.Name] = true
		}
	}
	withSkills, outside, yes, no, seasonal := 0, 0, 0, 0, 0
	for _, p := range d.Persons[1:] {
		for _, s := range record.SplitList(p.Skills) {
			if !slices.Contains(categorySkills[categories[p.Major]], s) {
				t.Errorf("person %s of major %s lists skill %q", p.ID, p.Major, s)
			}
		}
		if p.Skills != "" {
			withSkills++
		}
		if p.Status != record.StatusEmployed || p.WorkRegion[:2] == "36" {
			if p.WillReturn != "" {
				t.Errorf("person %s working in %q has will_return %q", p.ID, p.WorkRegion, p.WillReturn)
			}
		} else {
			outside++
			switch p.WillReturn {
			case record.WillReturnYes:
				yes++
			case record.WillReturnNo:
				no++
			}
		}
		if seasonalNames[p.Employer] {
			seasonal++
		}
	}
	n := float64(len(d.Persons) - 1)
	if share := float64(withSkills) / n; share < 0.8 || share > 0.9 {
		t.Errorf("share with skills = %.2f, want about %.2f", share, skillsShare)
	}
	if share := float64(yes) / float64(outside); share < 0.58 || share > 0.72 {
		t.Errorf("share willing to return = %.2f of %d outside, want about %.2f", share, outside, returnYesShare)
	}
	if no == 0 || yes+no == outside {
		t.Errorf("of %d outside Jiangxi %d yes and %d no, want some of each and some not asked", outside, yes, no)
	}
	if seasonal < 20 {
		t.Errorf("%d people work at seasonal employers, want some", seasonal)
	}
}

// Stream's parts put together are the data set Generate makes.
func TestStreamMatchesGenerate(t *testing.T) {
	opts := Options{People: 1000, Seed: 4, Demands: 40}
	want := Generate(opts)
	var got Data
	parts := 0
	err := Stream(opts, 300, func(part Data) error {
		parts++
		if len(part.Persons) > 300 {
			t.Errorf("part %d has %d persons, want at most 300", parts, len(part.Persons))
		}
		got.Persons = append(got.Persons, part.Persons...)
		got.Programmes = append(got.Programmes, part.Programmes...)
		got.Classes = append(got.Classes, part.Classes...)
		got.Trainings = append(got.Trainings, part.Trainings...)
		got.Assessments = append(got.Assessments, part.Assessments...)
		got.Internships = append(got.Internships, part.Internships...)
		got.Awards = append(got.Awards, part.Awards...)
		got.Certificates = append(got.Certificates, part.Certificates...)
		got.Counsellings = append(got.Counsellings, part.Counsellings...)
		got.Employers = append(got.Employers, part.Employers...)
		got.Demands = append(got.Demands, part.Demands...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if parts != 4 {
		t.Errorf("Stream made %d parts of 1000 people by 300, want 4", parts)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Stream's parts differ from Generate: %d persons, %d demands, %d employers; want %d, %d, %d",
			len(got.Persons), len(got.Demands), len(got.Employers), len(want.Persons), len(want.Demands), len(want.Employers))
	}
}

// BenchmarkGenerate1M makes the provincial-scale data set, 1,000,000
// people with their whole records and 10,000 job demands, in parts of
// 20,000 people, and reports the peak heap in use after a part.
func BenchmarkGenerate1M(b *testing.B) {
	loadTables()
	var peak uint64
	records := 0
	for b.Loop() {
		records = 0
		err := Stream(Options{People: 1_000_000, Seed: 1}, 20_000, func(part Data) error {
			records += len(part.Persons) + len(part.Trainings) + len(part.Internships) + len(part.Assessments) +
				len(part.Awards) + len(part.Certificates) + len(part.Counsellings) + len(part.Demands) + len(part.Employers)
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(records), "records")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// Every sector job names a detail-level occupation and major classes of
// its own category that the demo has majors of.
func TestSectorJobsLinkOccupationsAndMajors(t *testing.T) {
	tb := loadTables()
	details := map[string]string{}
	for _, list := range tb.occupations {
		for _, o := range list {
			details[o.code] = o.name
		}
	}
	for category, s := range sectors {
		classes := map[string]bool{}
		for _, m := range tb.majorsByCategory[category] {
			classes[m.class] = true
		}
		for _, j := range s.jobs {
			if _, ok := details[j.occupation]; !ok {
				t.Errorf("job %s of category %s: occupation %q is not a detail-level occupation", j.title, category, j.occupation)
			}
			if len(j.classes) == 0 {
				t.Errorf("job %s of category %s has no major classes", j.title, category)
			}
			for _, c := range j.classes {
				if !classes[c] {
					t.Errorf("job %s of category %s: class %s has no higher-vocational major in the category", j.title, category, c)
				}
			}
		}
	}
}

// A 现代物流管理 graduate's demands are logistics jobs: every demand that
// asks for the major or its class is a 仓储物流专员 of occupation group
// 4-02-06 (仓储物流服务人员), and the incoherent pairs a tester found
// (护士 as 妇产科医师, 仓储物流专员 as 导游) do not occur.
func TestLogisticsMajorGetsLogisticsDemands(t *testing.T) {
	d := Generate(Options{People: 3000, Seed: 2, Demands: 2000})
	logistics := 0
	for _, dm := range d.Demands {
		for _, m := range dm.Majors {
			if m != "530802" && m != "5308" && m != "53" {
				continue
			}
			logistics++
			if dm.Title != "仓储物流专员" || !strings.HasPrefix(dm.Occupation, "4-02-06-") {
				t.Errorf("demand %s for major %s is %s with occupation %s, want a logistics job", dm.ID, m, dm.Title, dm.Occupation)
			}
		}
		if dm.Title == "护士" && !strings.HasPrefix(dm.Occupation, "2-05-08-") {
			t.Errorf("demand %s 护士 has occupation %s, want a 2-05-08 nurse", dm.ID, dm.Occupation)
		}
	}
	if logistics < 5 {
		t.Errorf("%d demands ask for 现代物流管理 or its class, want at least 5", logistics)
	}
}
