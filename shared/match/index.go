package match

import (
	"github.com/RoaringBitmap/roaring/v2"
)

// Index finds the candidates of a query through inverted indexes, so that
// Rank scores only the candidates whose major can match instead of the
// whole pool. Postings are roaring bitmaps of positions in the candidate
// slice given to NewIndex.
//
// The postings are fixed when NewIndex runs, so after changing a
// candidate (a withdrawn consent, a new major) the caller builds a new
// Index. Rank only reads the Index, so several goroutines may call it at
// once.
type Index struct {
	cands []Candidate
	// eligible contains the candidates that pass the hard filters (excluded).
	eligible *roaring.Bitmap
	// Postings by the first two digits (major category), the first four
	// digits (major class) and the whole major code of Person.Major.
	// Rank uses categories only, because every major reason needs at least
	// the same category. Classes and majors are kept for queries that
	// require a closer fit.
	byCategory map[string]*roaring.Bitmap
	byClass    map[string]*roaring.Bitmap
	byMajor    map[string]*roaring.Bitmap
	// newestYear is the latest graduation year among the eligible
	// candidates, which the graduation reason counts from.
	newestYear int
}

// NewIndex builds the index of cands. The Index keeps cands, so the caller
// must not change the slice while the Index is in use.
//
// NOTE: positions are uint32, so a pool is limited to 2^32 candidates.
func NewIndex(cands []Candidate) *Index {
	ix := &Index{
		cands:      cands,
		eligible:   roaring.New(),
		byCategory: map[string]*roaring.Bitmap{},
		byClass:    map[string]*roaring.Bitmap{},
		byMajor:    map[string]*roaring.Bitmap{},
		newestYear: newestGradYear(cands),
	}
	add := func(postings map[string]*roaring.Bitmap, key string, i uint32) {
		b, ok := postings[key]
		if !ok {
			b = roaring.New()
			postings[key] = b
		}
		b.Add(i)
	}
	for i := range cands {
		pos := uint32(i)
		if !excluded(&cands[i]) {
			ix.eligible.Add(pos)
		}
		major := cands[i].Person.Major
		if major == "" {
			continue
		}
		add(ix.byMajor, major, pos)
		if len(major) >= 2 {
			add(ix.byCategory, major[:2], pos)
		}
		if len(major) >= 4 {
			add(ix.byClass, major[:4], pos)
		}
	}
	ix.eligible.RunOptimize()
	for _, postings := range []map[string]*roaring.Bitmap{ix.byCategory, ix.byClass, ix.byMajor} {
		for _, b := range postings {
			b.RunOptimize()
		}
	}
	return ix
}

// Len returns the number of candidates in the index, eligible or not.
func (ix *Index) Len() int { return len(ix.cands) }

// Rank returns the same results in the same order as Rank(cands, q) on
// the slice the Index was built from, scoring only the candidates that
// candidatesOf returns.
func (ix *Index) Rank(q Query) []Result {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	s := newScorer(loadTables(), q, ix.newestYear)
	h := &topHeap{cands: ix.cands}
	var scratch []Reason
	// The iterator returns positions in ascending order, as Rank visits
	// them, so the heap receives the same candidates in the same order.
	it := ix.candidatesOf(q).Iterator()
	for it.HasNext() {
		scratch = s.offer(h, int(it.Next()), limit, scratch)
	}
	return s.results(h)
}

// candidatesOf returns the eligible candidates whose major category is
// that of a query major. These are all the candidates the scorer can
// accept, because majorReason needs at least the same category. Like the
// scorer, it ignores query majors shorter than four digits, and a query
// without a usable major takes every eligible candidate.
//
// The returned bitmap is a copy or the eligible bitmap itself, which the
// caller must not change.
func (ix *Index) candidatesOf(q Query) *roaring.Bitmap {
	seen := map[string]bool{}
	var postings []*roaring.Bitmap
	usable := false
	for _, m := range q.Majors {
		if len(m) < 4 {
			continue
		}
		usable = true
		category := m[:2]
		if seen[category] {
			continue
		}
		seen[category] = true
		if b, ok := ix.byCategory[category]; ok {
			postings = append(postings, b)
		}
	}
	if !usable {
		return ix.eligible
	}
	union := roaring.FastOr(postings...)
	union.And(ix.eligible)
	return union
}
