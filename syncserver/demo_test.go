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
	counts := map[record.Kind]int{
		record.KindPerson:      len(want.Persons),
		record.KindProgramme:   len(want.Programmes),
		record.KindClass:       len(want.Classes),
		record.KindTraining:    len(want.Trainings),
		record.KindAssessment:  len(want.Assessments),
		record.KindInternship:  len(want.Internships),
		record.KindAward:       len(want.Awards),
		record.KindCertificate: len(want.Certificates),
		record.KindCounselling: len(want.Counsellings),
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
