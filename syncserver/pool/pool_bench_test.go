package pool

import (
	"path/filepath"
	"testing"
	"time"

	"mobilefactory/shared/demo"
	"mobilefactory/shared/hlc"
)

func BenchmarkApplyTrustedDemo2k(b *testing.B) {
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	data := demo.Generate(demo.Options{People: 2000, Seed: 1, Now: now})
	changes := data.Changes("demo", hlc.Make(now.UnixMilli(), 0))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, err := Open(filepath.Join(b.TempDir(), "pool.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := p.ApplyTrusted(changes); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		p.Close()
	}
	b.ReportMetric(float64(len(data.Persons)*b.N)/b.Elapsed().Seconds(), "persons/s")
}
