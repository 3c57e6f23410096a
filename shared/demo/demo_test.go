package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/assets"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

var (
	bigOnce sync.Once
	bigData Data
)

// data20k returns the 20,000-person data set of seed 1, generated once.
func data20k() Data {
	bigOnce.Do(func() { bigData = Generate(Options{People: 20000, Seed: 1}) })
	return bigData
}

// readTable reads a CSV from assets.Data into rows keyed by header.
func readTable(t *testing.T, name string) []map[string]string {
	t.Helper()
	raw, err := assets.Data.ReadFile("data/" + name)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// validIDNumber checks an 18-character resident ID number's GB 11643 check
// character, computed here independently of the generator.
func validIDNumber(id string) bool {
	if len(id) != 18 {
		return false
	}
	sum := 0
	for i := range 17 {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
		// Weight of position i is 2^(17-i) mod 11.
		w := 1
		for range 17 - i {
			w = w * 2 % 11
		}
		sum += int(id[i]-'0') * w
	}
	// The check value c satisfies sum + c ≡ 1 (mod 11), c = 10 written X.
	c := (12 - sum%11) % 11
	want := byte('0' + c)
	if c == 10 {
		want = 'X'
	}
	return id[17] == want
}

func TestValidIDNumberHelper(t *testing.T) {
	// Sample number of the GB 11643-1999 standard.
	if !validIDNumber("11010519491231002X") {
		t.Error("validIDNumber(11010519491231002X) = false, want true")
	}
	if validIDNumber("110105194912310021") {
		t.Error("validIDNumber(110105194912310021) = true, want false")
	}
}

func TestGenerateCounts(t *testing.T) {
	d := Generate(Options{People: 1000, Seed: 42})
	cases := []struct {
		name      string
		got, want int
	}{
		{"persons", len(d.Persons), 1000},
		{"programmes", len(d.Programmes), 108},
		{"classes", len(d.Classes), 170},
		{"trainings", len(d.Trainings), 1002},
		{"assessments", len(d.Assessments), 585},
		{"internships", len(d.Internships), 1200},
		{"awards", len(d.Awards), 206},
		{"certificates", len(d.Certificates), 649},
		{"counsellings", len(d.Counsellings), 450},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
}

func TestGenerateDefaultPeople(t *testing.T) {
	if got := len(data20k().Persons); got != DefaultPeople {
		t.Errorf("persons = %d, want %d", got, DefaultPeople)
	}
}

func TestIDNumbers(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range data20k().Persons {
		id := p.IDNumber
		if !validIDNumber(id) {
			t.Fatalf("ID number %s has a wrong check digit", id)
		}
		if got, err := validate.IDNumber(id); err != nil || got != id {
			t.Fatalf("validate.IDNumber(%s) = %q, %v, want it unchanged and valid", id, got, err)
		}
		if seen[id] {
			t.Fatalf("ID number %s used twice", id)
		}
		seen[id] = true
		if id[:6] != p.HomeRegion {
			t.Fatalf("ID number %s does not start with home region %s", id, p.HomeRegion)
		}
		seq := int(id[16] - '0')
		if (seq%2 == 1) != (p.Gender == record.GenderMale) {
			t.Fatalf("ID number %s sequence parity does not match gender %s", id, p.Gender)
		}
		birth, err := time.Parse("20060102", id[6:14])
		if err != nil {
			t.Fatalf("ID number %s has an invalid birth date: %v", id, err)
		}
		grad := time.Date(p.GradYear, time.June, 30, 0, 0, 0, 0, time.UTC)
		if birth.After(grad.AddDate(-20, 0, 0)) || !birth.After(grad.AddDate(-24, 0, 0)) {
			t.Fatalf("ID number %s: born %s is not 20 to 23 at graduation in %d", id, birth.Format(time.DateOnly), p.GradYear)
		}
	}
}

func TestPhones(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range data20k().Persons {
		n := p.Phone
		if len(n) != 11 || n[0] != '1' || n[1] < '3' || n[1] > '9' {
			t.Fatalf("phone %s is not an 11-digit mobile number", n)
		}
		if _, err := strconv.ParseUint(n, 10, 64); err != nil {
			t.Fatalf("phone %s has a non-digit", n)
		}
		if seen[n] {
			t.Fatalf("phone %s used twice", n)
		}
		seen[n] = true
	}
}

func TestStudentNumbersUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range data20k().Persons {
		if !strings.Contains(p.StudentNo, strconv.Itoa(p.GradYear)) {
			t.Fatalf("student number %s lacks graduation year %d", p.StudentNo, p.GradYear)
		}
		if seen[p.StudentNo] {
			t.Fatalf("student number %s used twice", p.StudentNo)
		}
		seen[p.StudentNo] = true
	}
}

func TestWorkDestinationShares(t *testing.T) {
	employed, outside := 0, 0
	byProvince := map[string]int{}
	for _, p := range data20k().Persons {
		if p.Status != record.StatusEmployed {
			continue
		}
		employed++
		province := p.WorkRegion[:2]
		byProvince[province]++
		if province != "36" {
			outside++
		}
	}
	share := func(n int) float64 { return 100 * float64(n) / float64(employed) }
	cases := []struct {
		name      string
		got, want float64
		tolerance float64
	}{
		{"outside Jiangxi", share(outside), 47.7, 1.5},
		{"Guangdong", share(byProvince["44"]), 12.3, 1},
		{"Zhejiang", share(byProvince["33"]), 11.4, 1},
		{"Shanghai", share(byProvince["31"]), 4.5, 0.7},
	}
	for _, c := range cases {
		if c.got < c.want-c.tolerance || c.got > c.want+c.tolerance {
			t.Errorf("%s share = %.2f%%, want %.1f ± %.1f", c.name, c.got, c.want, c.tolerance)
		}
	}
}

func TestEmployedShare(t *testing.T) {
	counts := map[string]int{}
	for _, p := range data20k().Persons {
		counts[p.Status]++
	}
	employed := 100 * float64(counts[record.StatusEmployed]) / float64(DefaultPeople)
	if employed < 86 || employed > 90 {
		t.Errorf("employed share = %.2f%%, want 88 ± 2", employed)
	}
	for _, s := range record.Statuses {
		if counts[s] == 0 {
			t.Errorf("no person with status %s", s)
		}
	}
}

func TestWorkFields(t *testing.T) {
	regions := map[string]bool{}
	for _, row := range readTable(t, "regions.csv") {
		regions[row["code"]] = true
	}
	for _, p := range data20k().Persons {
		employed := p.Status == record.StatusEmployed
		if employed && (!regions[p.WorkRegion] || p.Employer == "") {
			t.Fatalf("employed person %s has work region %q, employer %q", p.ID, p.WorkRegion, p.Employer)
		}
		if !employed && (p.WorkRegion != "" || p.Employer != "") {
			t.Fatalf("person %s with status %s has a workplace", p.ID, p.Status)
		}
	}
}

func TestHomeRegionsAreJiangxiCounties(t *testing.T) {
	counties := map[string]bool{}
	for _, row := range readTable(t, "regions.csv") {
		if row["province_code"] == "360000" && row["level"] == "county" && row["note"] != "stat_only" {
			counties[row["code"]] = true
		}
	}
	for _, p := range data20k().Persons {
		if !counties[p.HomeRegion] {
			t.Fatalf("home region %s is not a Jiangxi county", p.HomeRegion)
		}
	}
}

func TestAllHigherVocationalCollegesUsed(t *testing.T) {
	want := map[string]bool{}
	for _, row := range readTable(t, "jiangxi_colleges.csv") {
		if row["type"] == "高职专科" {
			want[row["school_code"]] = true
		}
	}
	if len(want) != 68 {
		t.Fatalf("colleges table has %d 高职专科 rows, want 68", len(want))
	}
	used := map[string]int{}
	for _, p := range data20k().Persons {
		if !want[p.College] {
			t.Fatalf("person %s belongs to %s, not a 高职专科 college", p.ID, p.College)
		}
		used[p.College]++
	}
	if len(used) != 68 {
		t.Errorf("%d colleges used, want 68", len(used))
	}
}

func TestCollegeMajorCounts(t *testing.T) {
	for _, p := range buildProfiles(loadTables()) {
		if n := len(p.majorList); n < 6 || n > 15 {
			t.Errorf("%s teaches %d majors, want 6 to 15", p.name, n)
		}
	}
}

func TestMajorsExist(t *testing.T) {
	majors := map[string]string{}
	for _, row := range readTable(t, "majors.csv") {
		majors[row["code"]] = row["category_code"]
	}
	for _, p := range data20k().Persons {
		if _, ok := majors[p.Major]; !ok {
			t.Fatalf("major %s is not in majors.csv", p.Major)
		}
	}
}

func TestHealthCollegeTeachesHealthMajors(t *testing.T) {
	const code = "4136013965" // 江西卫生职业学院
	health := 0
	n := 0
	for _, p := range data20k().Persons {
		if p.College != code {
			continue
		}
		n++
		if strings.HasPrefix(p.Major, "52") {
			health++
		}
	}
	if n == 0 {
		t.Fatal("no graduates of 江西卫生职业学院")
	}
	if share := float64(health) / float64(n); share < 0.6 {
		t.Errorf("医药卫生大类 share at 江西卫生职业学院 = %.2f, want at least 0.6", share)
	}
}

func TestGradYears(t *testing.T) {
	counts := map[int]int{}
	for _, p := range data20k().Persons {
		counts[p.GradYear]++
	}
	if len(counts) != 3 {
		t.Fatalf("graduation years = %v, want 2023, 2024 and 2025", counts)
	}
	for _, y := range []int{2023, 2024, 2025} {
		if n := counts[y]; n < 6000 || n > 7300 {
			t.Errorf("%d graduates in %d, want about a third of 20000", n, y)
		}
	}
}

func TestMinorityNames(t *testing.T) {
	n := 0
	for _, p := range data20k().Persons {
		if strings.Contains(p.Name, "·") {
			n++
		}
	}
	if n < 40 || n > 170 {
		t.Errorf("%d names with a middle dot, want about 0.5%% of 20000", n)
	}
}

func TestTrainings(t *testing.T) {
	d := data20k()
	grad := map[string]int{}
	for _, p := range d.Persons {
		grad[p.ID] = p.GradYear
	}
	perPerson := map[string]int{}
	for _, tr := range d.Trainings {
		year, ok := grad[tr.Person]
		if !ok {
			t.Fatalf("training %s refers to unknown person %s", tr.ID, tr.Person)
		}
		perPerson[tr.Person]++
		if tr.Hours < 0 || tr.Hours > 240 {
			t.Errorf("training %s has %d hours, want 0 to 240", tr.ID, tr.Hours)
		}
		date, err := time.Parse(time.DateOnly, tr.Date)
		if err != nil {
			t.Fatalf("training %s date %q: %v", tr.ID, tr.Date, err)
		}
		if date.Before(time.Date(year-3, time.September, 1, 0, 0, 0, 0, time.UTC)) || date.After(time.Date(year, time.June, 30, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("training %s on %s is outside study years of class %d", tr.ID, tr.Date, year)
		}
		if tr.Completed && tr.Score == "" {
			t.Errorf("completed training %s has no score", tr.ID)
		}
	}
	for id, n := range perPerson {
		if n > 2 {
			t.Fatalf("person %s has %d trainings, want at most 2", id, n)
		}
	}
}

func TestInternships(t *testing.T) {
	d := data20k()
	perPerson := map[string]int{}
	good := 0
	for _, in := range d.Internships {
		perPerson[in.Person]++
		if in.Rating < 1 || in.Rating > 5 {
			t.Errorf("internship %s rating %d, want 1 to 5", in.ID, in.Rating)
		}
		if in.Rating >= 3 {
			good++
		}
		if in.Start >= in.End {
			t.Errorf("internship %s runs %s to %s", in.ID, in.Start, in.End)
		}
		if in.Employer == "" || in.Position == "" {
			t.Errorf("internship %s lacks employer or position", in.ID)
		}
	}
	for id, n := range perPerson {
		if n > 3 {
			t.Fatalf("person %s has %d internships, want at most 3", id, n)
		}
	}
	if share := float64(good) / float64(len(d.Internships)); share < 0.85 {
		t.Errorf("share of internships rated 3 to 5 = %.2f, want at least 0.85", share)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a := Generate(Options{People: 500, Seed: 7})
	b := Generate(Options{People: 500, Seed: 7})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with seed 7 differ")
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatal("two runs with seed 7 print differently")
	}
	c := Generate(Options{People: 500, Seed: 8})
	if reflect.DeepEqual(a.Persons, c.Persons) {
		t.Fatal("seeds 7 and 8 give the same persons")
	}
	if a.Persons[0].ID == c.Persons[0].ID {
		t.Error("seeds 7 and 8 give the same first ULID")
	}
}

func TestULIDTimestamps(t *testing.T) {
	now := time.Date(2026, time.March, 2, 8, 0, 0, 0, time.UTC)
	d := Generate(Options{People: 10, Seed: 3, Now: now})
	for _, p := range d.Persons {
		id, err := ulid.ParseStrict(p.ID)
		if err != nil {
			t.Fatalf("person ID %q: %v", p.ID, err)
		}
		if got := id.Timestamp(); !got.Equal(now) {
			t.Fatalf("ULID %s stamped %s, want %s", p.ID, got, now)
		}
	}
}

func TestChanges(t *testing.T) {
	d := Generate(Options{People: 200, Seed: 5})
	start := hlc.Make(1_700_000_000_000, 65530)
	changes := d.Changes("dev-demo", start)

	want := 0
	for _, p := range d.Persons {
		want += nonEmpty(p.Fields())
	}
	for _, tr := range d.Trainings {
		want += nonEmpty(tr.Fields())
	}
	for _, in := range d.Internships {
		want += nonEmpty(in.Fields())
	}
	for _, p := range d.Programmes {
		want += nonEmpty(p.Fields())
	}
	for _, c := range d.Classes {
		want += nonEmpty(c.Fields())
	}
	for _, a := range d.Assessments {
		want += nonEmpty(a.Fields())
	}
	for _, a := range d.Awards {
		want += nonEmpty(a.Fields())
	}
	for _, c := range d.Certificates {
		want += nonEmpty(c.Fields())
	}
	for _, c := range d.Counsellings {
		want += nonEmpty(c.Fields())
	}
	for _, e := range d.Employers {
		want += nonEmpty(e.Fields())
	}
	for _, dm := range d.Demands {
		want += nonEmpty(dm.Fields())
	}
	if len(changes) != want {
		t.Fatalf("changes = %d, want %d", len(changes), want)
	}

	states := map[string]*changeset.State{}
	for i, c := range changes {
		if c.Seq != uint64(i+1) {
			t.Fatalf("change %d has Seq %d, want %d", i, c.Seq, i+1)
		}
		if c.Stamp != start+hlc.Stamp(i) {
			t.Fatalf("change %d has stamp %s, want %s", i, c.Stamp, start+hlc.Stamp(i))
		}
		if c.Device != "dev-demo" || c.Value == "" {
			t.Fatalf("change %d: device %q, value %q", i, c.Device, c.Value)
		}
		s, ok := states[c.ID.String()]
		if !ok {
			s = changeset.NewState(c.Kind, c.ID, c.Scope)
			states[c.ID.String()] = s
		}
		s.Apply(c)
	}

	// Folding the changes back gives the generated records.
	for _, p := range d.Persons {
		s := states[p.ID]
		if s.Scope != p.College {
			t.Fatalf("person %s scoped %s, want %s", p.ID, s.Scope, p.College)
		}
		if got := record.PersonFrom(p.ID, s.Scope, s.Values()); got != p {
			t.Fatalf("person from changes = %+v, want %+v", got, p)
		}
	}
	for _, tr := range d.Trainings {
		s := states[tr.ID]
		if got := record.TrainingFrom(tr.ID, s.Scope, s.Values()); !reflect.DeepEqual(got, tr) {
			t.Fatalf("training from changes = %+v, want %+v", got, tr)
		}
	}
	for _, in := range d.Internships {
		s := states[in.ID]
		if got := record.InternshipFrom(in.ID, s.Scope, s.Values()); got != in {
			t.Fatalf("internship from changes = %+v, want %+v", got, in)
		}
	}
	for _, p := range d.Programmes {
		s := states[p.ID]
		if got := record.ProgrammeFrom(p.ID, s.Scope, s.Values()); !reflect.DeepEqual(got, p) {
			t.Fatalf("programme from changes = %+v, want %+v", got, p)
		}
	}
	for _, c := range d.Classes {
		s := states[c.ID]
		if got := record.ClassFrom(c.ID, s.Scope, s.Values()); got != c {
			t.Fatalf("class from changes = %+v, want %+v", got, c)
		}
	}
	for _, a := range d.Assessments {
		s := states[a.ID]
		if got := record.AssessmentFrom(a.ID, s.Scope, s.Values()); got != a {
			t.Fatalf("assessment from changes = %+v, want %+v", got, a)
		}
	}
	for _, a := range d.Awards {
		s := states[a.ID]
		if got := record.AwardFrom(a.ID, s.Scope, s.Values()); got != a {
			t.Fatalf("award from changes = %+v, want %+v", got, a)
		}
	}
	for _, c := range d.Certificates {
		s := states[c.ID]
		if got := record.CertificateFrom(c.ID, s.Scope, s.Values()); got != c {
			t.Fatalf("certificate from changes = %+v, want %+v", got, c)
		}
	}
	for _, c := range d.Counsellings {
		s := states[c.ID]
		if got := record.CounsellingFrom(c.ID, s.Scope, s.Values()); got != c {
			t.Fatalf("counselling from changes = %+v, want %+v", got, c)
		}
	}
	for _, e := range d.Employers {
		s := states[e.ID]
		if got := record.EmployerFrom(e.ID, s.Scope, s.Values()); got != e {
			t.Fatalf("employer from changes = %+v, want %+v", got, e)
		}
	}
	for _, dm := range d.Demands {
		s := states[dm.ID]
		if got := record.DemandFrom(dm.ID, s.Scope, s.Values()); !reflect.DeepEqual(got, dm) {
			t.Fatalf("demand from changes = %+v, want %+v", got, dm)
		}
	}
}

func nonEmpty(fields map[string]string) int {
	n := 0
	for _, v := range fields {
		if v != "" {
			n++
		}
	}
	return n
}

func BenchmarkGenerate20k(b *testing.B) {
	loadTables()
	for b.Loop() {
		Generate(Options{People: 20000, Seed: 1})
	}
}

// About 96% of the people consent, in writing or online, around their
// graduation, the same way for a seed every time.
func TestConsentShareAndForm(t *testing.T) {
	opts := Options{People: 2000, Seed: 3}
	d := Generate(opts)
	given := 0
	for _, p := range d.Persons {
		if p.Consent == "" {
			if p.ConsentAt != "" || p.ConsentMethod != "" || p.ConsentBy != "" {
				t.Errorf("person %s without consent carries consent details %q %q %q", p.ID, p.ConsentAt, p.ConsentMethod, p.ConsentBy)
			}
			continue
		}
		given++
		if p.Consent != record.ConsentGiven || p.ConsentBy != "demo" {
			t.Errorf("person %s consent = %q by %q, want %q by demo", p.ID, p.Consent, p.ConsentBy, record.ConsentGiven)
		}
		if p.ConsentMethod != "written" && p.ConsentMethod != "online" {
			t.Errorf("person %s consent method = %q, want written or online", p.ID, p.ConsentMethod)
		}
		at, err := time.Parse(time.DateOnly, p.ConsentAt)
		if err != nil {
			t.Errorf("person %s consent date %q: %v", p.ID, p.ConsentAt, err)
			continue
		}
		grad := graduationDay(p.GradYear)
		if at.Before(grad.AddDate(0, 0, -60)) || at.After(grad.AddDate(0, 0, 14)) || at.After(defaultNow) {
			t.Errorf("person %s of class %d consented on %s, want within 60 days before to 14 after graduation", p.ID, p.GradYear, p.ConsentAt)
		}
	}
	if share := float64(given) / float64(len(d.Persons)); share < 0.94 || share > 0.98 {
		t.Errorf("consent share = %.3f, want about %.2f", share, ConsentShare)
	}
	again := Generate(opts)
	for i := range d.Persons {
		if d.Persons[i] != again.Persons[i] {
			t.Fatalf("person %d differs between two runs with seed %d", i, opts.Seed)
		}
	}
}
