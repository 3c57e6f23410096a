package report

import (
	"io"
	"testing"
)

// BenchmarkBuild measures one recommendation report of a person with a
// full history: two programmes, an assessment with its radar chart, two
// internships, an award, a certificate and a counselling session.
func BenchmarkBuild(b *testing.B) {
	f := newFixture(b)
	in := f.input(b, "reviewer", false)
	b.ReportAllocs()
	for b.Loop() {
		if err := Build(io.Discard, in); err != nil {
			b.Fatal(err)
		}
	}
}
