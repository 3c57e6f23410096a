package matchsvc

import (
	"context"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// benchPool opens the pool file that MATCHSVC_BENCH_POOL names, for example
// one that `syncserver demo --people 100000 --data DIR` wrote to
// DIR/pool.db. The benchmark is skipped without it, because building a
// large pool takes minutes.
func benchPool(b *testing.B) *pool.Pool {
	b.Helper()
	path := os.Getenv("MATCHSVC_BENCH_POOL")
	if path == "" {
		b.Skip("MATCHSVC_BENCH_POOL is not set: point it at the pool.db of a demo pool")
	}
	p, err := openBenchPool(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	return p
}

// BenchmarkServiceLoad builds the matching index from the pool file and
// reports the heap the index keeps: the live heap after a collection with
// the index, less the live heap after a collection without it. Of that,
// history-MiB is the part of the history lists that Update reads.
func BenchmarkServiceLoad(b *testing.B) {
	p := benchPool(b)
	var s *Service
	for b.Loop() {
		s = New(p, Options{})
		if err := s.Load(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	ix := s.current.Load()
	b.ReportMetric(float64(ix.engine.Len()), "people")
	b.ReportMetric(float64(len(ix.jobs)), "demands")
	runtime.GC()
	var with runtime.MemStats
	runtime.ReadMemStats(&with)
	// The history lists serve only Update.
	ix.history = nil
	ix = nil
	runtime.GC()
	var withoutHistory runtime.MemStats
	runtime.ReadMemStats(&withoutHistory)
	b.ReportMetric(float64(with.HeapAlloc-withoutHistory.HeapAlloc)/(1<<20), "history-MiB")
	s.current.Store(nil)
	runtime.GC()
	var without runtime.MemStats
	runtime.ReadMemStats(&without)
	b.ReportMetric(float64(with.HeapAlloc-without.HeapAlloc)/(1<<20), "index-MiB")
}

// BenchmarkServiceJob runs the job use for every demand in turn.
func BenchmarkServiceJob(b *testing.B) {
	p := benchPool(b)
	s := New(p, Options{})
	if err := s.Load(); err != nil {
		b.Fatal(err)
	}
	ix := s.current.Load()
	n := 0
	start := time.Now()
	for b.Loop() {
		req := protocol.MatchRequest{Use: protocol.MatchJob, Demand: ix.jobs[n%len(ix.jobs)].Demand.ID}
		if _, err := s.Match(context.Background(), req); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/float64(n)/1000, "ms/query")
}

func openBenchPool(path string) (*pool.Pool, error) {
	return pool.Open(path, pool.Options{Timeout: 5 * time.Second})
}

// BenchmarkServiceUpdateOne applies the change of one person to the index
// of the pool file: it reads the person's entry and history again, puts
// the profile and compiles every job demand again, as Update does for a
// push of one person record. It writes nothing to the pool.
func BenchmarkServiceUpdateOne(b *testing.B) {
	p := benchPool(b)
	s := New(p, Options{})
	if err := s.Load(); err != nil {
		b.Fatal(err)
	}
	ix := s.current.Load()
	var persons []ulid.ULID
	for i := 0; i < ix.engine.Len() && len(persons) < 1000; i += max(1, ix.engine.Len()/1000) {
		if id, err := ulid.ParseStrict(ix.engine.Profile(i).ID); err == nil {
			persons = append(persons, id)
		}
	}
	n := 0
	for b.Loop() {
		ch := changed{persons: map[ulid.ULID]bool{persons[n%len(persons)]: true}, history: map[record.Kind][]ulid.ULID{}, records: 1}
		if err := s.applyChanged(ix, ch, ix.cursor, time.Now()); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.StopTimer()
	start := time.Now()
	ix.setJobs(ix.compileJobs(ix.employers, ix.demands(), ix.programmes))
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "compile-ms")
	b.ReportMetric(float64(len(ix.jobs)), "demands")
}
