package pool

import (
	"os"
	"path/filepath"
	"testing"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// BenchmarkPool1M builds a real pool file of about a million persons: demo
// people in parts of 50,000, each part with its typo copies and
// look-alikes, loaded with ApplyTrusted. On it, it measures the duplicate
// listing and a pass over every entry with and without the
// personal fields. Building the pool takes minutes and is not timed. With
// MF_POOL1M_DIR set to a folder, the benchmark keeps the pool there and
// reuses it on the next run.
func BenchmarkPool1M(b *testing.B) {
	dir := os.Getenv("MF_POOL1M_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	_, statErr := os.Stat(filepath.Join(dir, "pool.db"))
	p, err := Open(filepath.Join(dir, "pool.db"), Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	if statErr != nil {
		built := 0
		for part := uint64(1); built < 1_000_000; part++ {
			truth := makeDedupTruth(50_000, 100+part)
			truth.load(b, p)
			built += len(truth.persons)
		}
	}
	persons := 0
	if err := p.scanPersons(nil, nil, func(*personRow) error { persons++; return nil }); err != nil {
		b.Fatal(err)
	}
	b.Logf("pool of %d persons in %s", persons, dir)

	// Each is the path Duplicates and EachEntry read persons through
	// before: a state per person with every personal value opened.
	b.Run("Each", func(b *testing.B) {
		for b.Loop() {
			if err := p.Each(record.KindPerson, func(*changeset.State) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Duplicates", func(b *testing.B) {
		var pairs int
		for b.Loop() {
			dups, err := p.Duplicates(0)
			if err != nil {
				b.Fatal(err)
			}
			pairs = len(dups)
		}
		b.ReportMetric(float64(pairs), "pairs")
		b.ReportMetric(float64(persons), "persons")
	})
	for _, c := range []struct {
		name string
		opts EntryOptions
	}{
		{"EachEntry", EntryOptions{}},
		{"EachEntryPersonal", EntryOptions{Personal: true, Sources: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var entries int
			for b.Loop() {
				entries = 0
				err := p.EachEntryWith(c.opts, func(e Entry) error {
					entries++
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(entries), "entries")
		})
	}
}
