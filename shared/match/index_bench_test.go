package match

import (
	"sync"
	"testing"
)

// benchPeople is the size of the generated pool of the index benchmarks.
// Generating 200,000 people with shared/demo and indexing them took about
// 3 s on a shared 2-core AMD EPYC.
const benchPeople = 200000

// benchQuery requests the best 50 of two majors in categories 46 and 51,
// the two largest of the demo pool, so the index still scores about a
// third of it (65,436 of 200,000).
//
// NOTE: on that machine (go test -tags migrated_fynedo -bench Rank
// ./shared/match) BenchmarkIndexRank and BenchmarkRankScan both took
// 90-125 ms/op. Scoring a matching candidate (about 12 allocations) costs
// far more than rejecting one by major, which is all the index saves, so
// the 10 ms budget for a 1M pool needs a cheaper scorer or narrower
// candidates. The Engine has both (BenchmarkBest50Of1M).
var benchQuery = Query{Majors: []string{"460305", "510203"}, Region: "360400", Limit: 50}

var (
	benchOnce  sync.Once
	benchPool  []Candidate
	benchIndex *Index
)

func benchSetup(b *testing.B) ([]Candidate, *Index) {
	b.Helper()
	benchOnce.Do(func() {
		benchPool = demoCandidates(benchPeople)
		benchIndex = NewIndex(benchPool)
	})
	return benchPool, benchIndex
}

func BenchmarkIndexRank(b *testing.B) {
	pool, ix := benchSetup(b)
	for b.Loop() {
		ix.Rank(benchQuery)
	}
	b.ReportMetric(float64(ix.candidatesOf(benchQuery).GetCardinality()), "scored/op")
	b.ReportMetric(float64(len(pool)), "pool")
}

func BenchmarkRankScan(b *testing.B) {
	pool, _ := benchSetup(b)
	for b.Loop() {
		Rank(pool, benchQuery)
	}
}

func BenchmarkNewIndex(b *testing.B) {
	pool, _ := benchSetup(b)
	for b.Loop() {
		NewIndex(pool)
	}
}
