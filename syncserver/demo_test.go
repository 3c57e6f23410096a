package main

import (
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
	_, stderr, code := run(t, "demo", "--data", data, "--people", "200", "--seed", "3")
	if code != 0 {
		t.Fatalf("demo failed: %s", stderr)
	}
	want := demo.Generate(demo.Options{People: 200, Seed: 3, Now: demoNow})
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
