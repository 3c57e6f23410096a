package pool

import (
	"path/filepath"
	"testing"
)

// BenchmarkPool1M builds a real pool file of about a million persons (demo
// people in parts of 50,000, each part with its typo copies and
// look-alikes, loaded with ApplyTrusted) and measures, on it, the
// duplicate listing and a pass over every entry with and without the
// personal fields. Building the pool takes minutes and is not timed.
func BenchmarkPool1M(b *testing.B) {
	p, err := Open(filepath.Join(b.TempDir(), "pool.db"), Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	persons := 0
	for part := uint64(1); persons < 1_000_000; part++ {
		truth := makeDedupTruth(50_000, 100+part)
		truth.load(b, p)
		persons += len(truth.persons)
	}
	b.Logf("pool of %d persons built", persons)

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
