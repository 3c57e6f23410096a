// Package demo generates realistic, reproducible demo data: graduates of the
// Jiangxi higher-vocational colleges with their whole record (training,
// assessments, internships, awards, certificates and counselling, in every
// review state), the colleges' programmes and custom classes, and the
// provincial employer directory with its job demands.
// The colleges, majors, regions, industries and occupations come from the
// real code tables, while names, ID numbers, phones, credit codes and
// employers are invented.
//
// The ID numbers and phones are valid in form and may by chance belong to
// real people, so demo data must never be mixed into a production pool.
package demo

import (
	"encoding/binary"
	"math/rand/v2"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/record"
)

// DefaultPeople is the number of people Generate makes when Options.People
// is zero, about one large college's three cohorts.
const DefaultPeople = 20000

// defaultNow is used when Options.Now is zero, so that output stays
// reproducible without a clock.
var defaultNow = time.Date(2025, time.December, 1, 0, 0, 0, 0, time.UTC)

// GradYears are the graduation years of the generated people.
var GradYears = []int{2023, 2024, 2025}

// Options control Generate.
type Options struct {
	People int       // number of people, 0 means DefaultPeople
	Seed   int64     // the same seed gives the same data
	Now    time.Time // timestamp of the record ULIDs, zero means 2025-12-01 UTC
	// Demands is the number of job demands; 0 means DemandsPerMillion
	// scaled to People, at least one. Every job-tailored programme has a
	// demand, so a data set has more when its programmes outnumber Demands.
	Demands int
	// Employers is the number of employers in the directory made before
	// the people; 0 means one for every employersPerDemands demands, at
	// least minEmployers. Programmes may add the employers they train for.
	Employers int
}

// withDefaults returns opts with its zero values replaced by the defaults.
func (opts Options) withDefaults() Options {
	if opts.People <= 0 {
		opts.People = DefaultPeople
	}
	if opts.Now.IsZero() {
		opts.Now = defaultNow
	}
	if opts.Demands <= 0 {
		opts.Demands = max(1, int(int64(opts.People)*DemandsPerMillion/1_000_000))
	}
	if opts.Employers <= 0 {
		opts.Employers = max(minEmployers, opts.Demands/employersPerDemands)
	}
	return opts
}

// Data is a generated data set. Persons[0] is the sample person (see
// SampleName). History records refer to their person by ULID and carry
// the person's college as their scope. Trainings name a programme by ULID
// or record.BasicProgramme, and a class by ULID. Employers and demands
// carry record.ProvinceScope; a demand names its employer by ULID, and a
// job-tailored programme names the demand it trains for in Demand.
type Data struct {
	Persons      []record.Person
	Programmes   []record.Programme
	Classes      []record.Class
	Trainings    []record.Training
	Assessments  []record.Assessment
	Internships  []record.Internship
	Awards       []record.Award
	Certificates []record.Certificate
	Counsellings []record.Counselling
	Employers    []record.Employer
	Demands      []record.Demand
}

// generator holds the state of one Generate call.
type generator struct {
	t        *tables
	r        *rand.Rand
	ids      *ulid.MonotonicEntropy
	ms       uint64
	colleges weighted[*collegeProfile]
	// collegeCities maps a college code to its city's prefecture code.
	collegeCities map[string]string
	// profiles maps a college code to its profile.
	profiles map[string]*collegeProfile
	// history and historyIDs are the streams of the history records,
	// programmes and classes, so that the persons of a seed do not depend
	// on how much history is generated.
	history    *rand.Rand
	historyIDs *ulid.MonotonicEntropy
	// plans holds each college's programmes and classes, made when the
	// college's first person is generated.
	plans map[string]*collegePlan
	seed  int64
	// answers is reused for every assessment, to spare two map
	// allocations per person.
	answers assessmentAnswers
	// profilePool caches encoded assessment profiles by category and
	// variant (see assessment).
	profilePool map[profileKey]string
	// days caches ISO 8601 dates by days since 1970 (see dayString).
	days    map[int64]string
	idsUsed map[string]bool
	phones  map[string]bool
	// consents has its own stream, so adding consent left every other
	// generated value as it was for a seed.
	consents *rand.Rand
	now      time.Time

	// part is the part of the data set made since the last one was
	// emitted (see Stream).
	part Data
	// The employer directory, the job demands and the person fields added
	// with them (skills, willingness to return, seasonal work) have their
	// own streams too.
	employerRand       *rand.Rand
	demandRand         *rand.Rand
	extras             *rand.Rand
	employerIDs        *ulid.MonotonicEntropy
	demandIDs          *ulid.MonotonicEntropy
	directory          []*directoryEmployer
	employersByName    map[string]*directoryEmployer
	byCategory         map[string][]*directoryEmployer
	seasonalByCategory map[string][]*directoryEmployer
	creditCodes        map[string]bool
	contactPhones      map[string]bool
	demandsLeft        int
}

// Generate makes a data set. The same options give byte-identical data.
// At 1,000,000 people the whole set takes several GiB; Stream makes the
// same data in parts.
func Generate(opts Options) Data {
	opts = opts.withDefaults()
	var d Data
	// Stream's emit never fails here, and one part holds every person.
	_ = Stream(opts, opts.People, func(part Data) error {
		d = part
		return nil
	})
	return d
}

// Stream makes the data set Generate makes for opts in parts of at most
// chunk people, and calls emit with each part in turn. The parts together
// hold exactly Generate's records in the same order. The first part
// carries the employer directory, and a record appears in the same part
// as, or a later part than, every record it names; the demands not linked
// to a programme come in the last part. Stream stops at emit's first
// error and returns it.
func Stream(opts Options, chunk int, emit func(Data) error) error {
	opts = opts.withDefaults()
	if chunk <= 0 {
		chunk = opts.People
	}
	g := newGenerator(opts)
	g.startPart(min(chunk, opts.People))
	g.newDirectory(opts.Employers)
	g.addSample(&g.part)
	for i := 1; i < opts.People; i++ {
		if i%chunk == 0 {
			if err := emit(g.part); err != nil {
				return err
			}
			g.startPart(min(chunk, opts.People-i))
		}
		p, m := g.person()
		g.giveConsent(&p)
		g.addPersonExtras(&p, m)
		g.part.Persons = append(g.part.Persons, p)
		g.addHistory(&g.part, p, m)
	}
	g.addRemainingDemands()
	return emit(g.part)
}

// startPart begins a new part for n people.
func (g *generator) startPart(n int) {
	g.part = Data{
		Persons:      make([]record.Person, 0, n),
		Trainings:    make([]record.Training, 0, n*5/4),
		Assessments:  make([]record.Assessment, 0, n*2/3),
		Internships:  make([]record.Internship, 0, n*6/5),
		Awards:       make([]record.Award, 0, n/4),
		Certificates: make([]record.Certificate, 0, n*2/3),
		Counsellings: make([]record.Counselling, 0, n*2/5),
	}
}

func newGenerator(opts Options) *generator {
	t := loadTables()
	profiles := buildProfiles(t)
	weights := make([]float64, len(profiles))
	cities := make(map[string]string, len(profiles))
	byCode := make(map[string]*collegeProfile, len(profiles))
	for i, p := range profiles {
		weights[i] = p.weight
		cities[p.code] = p.cityCode
		byCode[p.code] = p
	}

	// The record ULIDs come from their own stream, so the data does not
	// depend on how many random bytes a ULID takes.
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], uint64(opts.Seed))
	copy(key[8:], "mobilefactory demo ulids")
	historyKey := key
	copy(historyKey[8:], "demo history record ulid")

	employerKey := key
	copy(employerKey[8:], "demo directory employers")
	demandKey := key
	copy(demandKey[8:], "demo job demands records")

	return &generator{
		t:             t,
		r:             rand.New(rand.NewPCG(uint64(opts.Seed), 0x64656d6f64617461)),
		ids:           ulid.Monotonic(rand.NewChaCha8(key), 0),
		ms:            ulid.Timestamp(opts.Now),
		colleges:      newWeighted(profiles, weights),
		collegeCities: cities,
		profiles:      byCode,
		history:       rand.New(rand.NewPCG(uint64(opts.Seed), 0x686973746f7279)),
		historyIDs:    ulid.Monotonic(rand.NewChaCha8(historyKey), 0),
		plans:         map[string]*collegePlan{},
		seed:          opts.Seed,
		answers:       newAssessmentAnswers(),
		profilePool:   map[profileKey]string{},
		days:          map[int64]string{},
		idsUsed:       make(map[string]bool, opts.People),
		phones:        make(map[string]bool, opts.People),
		consents:      rand.New(rand.NewPCG(uint64(opts.Seed), 0x636f6e73656e74)),
		now:           opts.Now,

		employerRand:       rand.New(rand.NewPCG(uint64(opts.Seed), 0x656d706c6f796572)),
		demandRand:         rand.New(rand.NewPCG(uint64(opts.Seed), 0x64656d616e6473)),
		extras:             rand.New(rand.NewPCG(uint64(opts.Seed), 0x736b696c6c73)),
		employerIDs:        ulid.Monotonic(rand.NewChaCha8(employerKey), 0),
		demandIDs:          ulid.Monotonic(rand.NewChaCha8(demandKey), 0),
		employersByName:    map[string]*directoryEmployer{},
		byCategory:         map[string][]*directoryEmployer{},
		seasonalByCategory: map[string][]*directoryEmployer{},
		creditCodes:        map[string]bool{},
		contactPhones:      map[string]bool{},
		demandsLeft:        opts.Demands,
	}
}

func (g *generator) newID() string { return ulid.MustNew(g.ms, g.ids).String() }

func (g *generator) newEmployerID() string { return ulid.MustNew(g.ms, g.employerIDs).String() }

func (g *generator) newDemandID() string { return ulid.MustNew(g.ms, g.demandIDs).String() }

// newHistoryID returns the ULID of a history record, programme or class.
func (g *generator) newHistoryID() string { return ulid.MustNew(g.ms, g.historyIDs).String() }

// person makes one graduate and returns the person with their major.
func (g *generator) person() (record.Person, major) {
	r := g.r
	c := g.colleges.pick(r)
	m := c.majors.pick(r)
	year := GradYears[r.IntN(len(GradYears))]

	gender := record.GenderMale
	if chance(r, 0.48) {
		gender = record.GenderFemale
	}
	home := g.homeCounty(c.cityCode)

	p := record.Person{
		ID:         g.newID(),
		College:    c.code,
		Name:       personName(r, gender),
		Gender:     gender,
		IDNumber:   idNumber(r, home, birthDate(r, year), gender, g.idsUsed),
		Phone:      phoneNumber(r, g.phones),
		StudentNo:  c.nextStudentNo(year),
		Major:      m.code,
		GradYear:   year,
		HomeRegion: home,
		Status:     status(r, year),
	}
	if p.Status == record.StatusEmployed {
		p.WorkRegion = workRegion(r, g.t, home, c.cityCode)
		p.Employer = employerName(r, g.t, p.WorkRegion, m.category)
	}
	return p, m
}

// ConsentShare is the share of generated people who consented to be kept
// in the pool and recommended.
const ConsentShare = 0.96

// giveConsent records consent for about ConsentShare of the people: given
// in writing or online, between 60 days before and 14 days after
// graduation day, and never after the generator's now.
func (g *generator) giveConsent(p *record.Person) {
	r := g.consents
	if r.Float64() >= ConsentShare {
		return
	}
	day := graduationDay(p.GradYear).AddDate(0, 0, between(r, -60, 14))
	if day.After(g.now) {
		day = g.now
	}
	method := "written"
	if r.IntN(3) == 0 {
		method = "online"
	}
	p.Consent, p.ConsentAt, p.ConsentMethod, p.ConsentBy = record.ConsentGiven, day.Format(time.DateOnly), method, "demo"
}

// homeCounty picks a Jiangxi county of origin, in the college's own city
// for about half of the students.
func (g *generator) homeCounty(collegeCity string) string {
	counties := g.t.jiangxiCounties[collegeCity]
	if len(counties) == 0 || chance(g.r, 0.5) {
		counties = g.t.allJiangxiCounties
	}
	return counties[g.r.IntN(len(counties))]
}
