package main

import (
	"path/filepath"
	"strings"
	"testing"

	"mobilefactory/shared/demo"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// `syncserver demo` writes every generated record, history included, into
// the pool, and names the sample person.
func TestDemoWritesWholeRecords(t *testing.T) {
	data := t.TempDir()
	_, stderr, code := run(t, "demo", "--data", data, "--people", "200", "--demands", "150", "--seed", "3")
	if code != 0 {
		t.Fatalf("demo failed: %s", stderr)
	}
	want := demo.Generate(demo.Options{People: 200, Demands: 150, Seed: 3, Now: demoNow})
	if !strings.Contains(stderr, want.Persons[0].ID) {
		t.Errorf("demo output does not name the sample person %s: %q", want.Persons[0].ID, stderr)
	}

	p, err := pool.Open(poolPath(data), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	st, err := p.Stats()
	if err != nil {
		t.Fatal(err)
	}
	// Statistics count a history record once a reviewer approved it.
	counts := map[record.Kind]int{
		record.KindPerson:      len(want.Persons),
		record.KindProgramme:   len(want.Programmes),
		record.KindClass:       len(want.Classes),
		record.KindTraining:    approved(want.Trainings, func(r record.Training) record.Review { return r.Review }),
		record.KindAssessment:  approved(want.Assessments, func(r record.Assessment) record.Review { return r.Review }),
		record.KindInternship:  approved(want.Internships, func(r record.Internship) record.Review { return r.Review }),
		record.KindAward:       approved(want.Awards, func(r record.Award) record.Review { return r.Review }),
		record.KindCertificate: approved(want.Certificates, func(r record.Certificate) record.Review { return r.Review }),
		record.KindCounselling: approved(want.Counsellings, func(r record.Counselling) record.Review { return r.Review }),
		record.KindEmployer:    len(want.Employers),
		record.KindDemand:      len(want.Demands),
	}
	if len(want.Demands) != 150 {
		t.Errorf("demo generated %d demands, want 150", len(want.Demands))
	}
	for kind, n := range counts {
		if n == 0 {
			t.Errorf("demo generated no %s records", kind)
		}
		if got := st.Total[kind]; got != n {
			t.Errorf("pool holds %d %s records, want %d", got, kind, n)
		}
	}
}

// approved returns how many records of list a reviewer approved.
func approved[T any](list []T, review func(T) record.Review) int {
	n := 0
	for _, r := range list {
		if review(r).Approved() {
			n++
		}
	}
	return n
}

// Loading in three parts writes every person and demand that one Generate
// call makes.
func TestLoadDemoInParts(t *testing.T) {
	p, err := pool.Open(filepath.Join(t.TempDir(), "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	opts := demo.Options{People: 700, Demands: 300, Seed: 8, Now: demoNow}
	sum, err := loadDemo(p, opts, 300)
	if err != nil {
		t.Fatal(err)
	}
	want := demo.Generate(opts)
	if sum.persons != len(want.Persons) || sum.demands != 300 || sum.employers != len(want.Employers) || sum.sample != want.Persons[0].ID {
		t.Errorf("loadDemo summary %d persons, %d demands, %d employers, sample %s; want %d, 300, %d, %s",
			sum.persons, sum.demands, sum.employers, sum.sample, len(want.Persons), len(want.Employers), want.Persons[0].ID)
	}
	st, err := p.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Total[record.KindPerson]; got != len(want.Persons) {
		t.Errorf("pool holds %d persons, want %d", got, len(want.Persons))
	}
	if got := st.Total[record.KindDemand]; got != 300 {
		t.Errorf("pool holds %d demands, want 300", got)
	}
}
