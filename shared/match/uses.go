package match

import (
	"cmp"
	"runtime"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"

	"mobilefactory/shared/record"
)

// Hit is one scored person ↔ job pair.
type Hit struct {
	Person   int    // position of the profile in the Engine
	PersonID string // person ULID
	Job      int    // index of the job in the slice the caller passed, 0 for BestCandidates
	Score    int
	Reasons  []Reason // built for returned hits only
}

// topK keeps the best k hits in a min-heap, the worst on top. Ties go to
// the smaller person ID, then the smaller job index, so results do not
// depend on the order hits arrive in.
type topK struct {
	k     int
	items []Hit
}

func better(a, b *Hit) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if a.PersonID != b.PersonID {
		return a.PersonID < b.PersonID
	}
	return a.Job < b.Job
}

// offer keeps h if it ranks among the best k so far.
func (t *topK) offer(h Hit) {
	if len(t.items) < t.k {
		t.items = append(t.items, h)
		for i := len(t.items) - 1; i > 0; {
			parent := (i - 1) / 2
			if !better(&t.items[parent], &t.items[i]) {
				break
			}
			t.items[parent], t.items[i] = t.items[i], t.items[parent]
			i = parent
		}
		return
	}
	if t.k == 0 || !better(&h, &t.items[0]) {
		return
	}
	t.items[0] = h
	for i := 0; ; {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(t.items) && better(&t.items[worst], &t.items[l]) {
			worst = l
		}
		if r < len(t.items) && better(&t.items[worst], &t.items[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		t.items[i], t.items[worst] = t.items[worst], t.items[i]
		i = worst
	}
}

// sorted returns the kept hits, best first.
func (t *topK) sorted() []Hit {
	slices.SortFunc(t.items, func(a, b Hit) int {
		if better(&a, &b) {
			return -1
		}
		return 1
	})
	return t.items
}

// candidates returns the eligible positions that can be relevant to j:
// those of a category the job names, holding a required certificate, or
// having a required skill. A job with none of these requirements takes
// the people of its province and, for a job in Jiangxi, those outside
// willing to return. The result may be e.eligible itself, which the
// caller must not change.
//
// NOTE: a job with no requirements and no region scores the whole
// eligible pool.
func (e *Engine) candidates(j *Job) *roaring.Bitmap {
	if !j.hasRequirements {
		return e.byRegion(j)
	}
	var postings []*roaring.Bitmap
	for _, c := range j.categories {
		postings = appendPosting(postings, e.byCategory, uint32(c))
	}
	for _, c := range j.certs {
		postings = appendPosting(postings, e.byCert, c.title)
	}
	for _, s := range j.skills {
		postings = appendPosting(postings, e.bySkill, s)
	}
	union := roaring.FastOr(postings...)
	union.And(e.eligible)
	return union
}

// byRegion returns the candidates of a job without requirements.
func (e *Engine) byRegion(j *Job) *roaring.Bitmap {
	if j.region == 0 {
		return e.eligible
	}
	province := roaring.New()
	if b, ok := e.byProvince[j.region/10000]; ok {
		province.Or(b)
	}
	province.And(e.eligible)
	if j.region/10000 == jiangxiNumber {
		province.Or(e.willing)
	}
	return province
}

func appendPosting(out, postings []*roaring.Bitmap, id uint32) []*roaring.Bitmap {
	if id != 0 && int(id) < len(postings) && postings[id] != nil {
		out = append(out, postings[id])
	}
	return out
}

// BestCandidates returns the best k eligible people for j, best first,
// with their reasons. It scores only the candidates the inverted indexes
// return, never the whole pool (but see candidates).
func (e *Engine) BestCandidates(j *Job, k int) []Hit {
	if k <= 0 {
		return nil
	}
	top := topK{k: k, items: make([]Hit, 0, k)}
	for _, t := range e.tiers(j) {
		e.rankInto(&top, t, j, 0)
	}
	return e.explain(top.sorted(), func(int) *Job { return j })
}

// tier is a set of candidates and, when known, the highest score any of
// them can reach (-1 when unknown).
type tier struct {
	cands *roaring.Bitmap
	bound int
}

// tiers splits the candidates of j into four tiers: those of a major the
// job names, those of a class it names, the rest who hold a required
// certificate or skill or completed a related training, and the rest who
// only share the major category. Ranking them in that order fills the
// heap with strong candidates first, so that bound skips more of the
// later ones. The last tier is skipped whole when its bound cannot enter
// the top. The
// order does not change the result, because better is a total order.
func (e *Engine) tiers(j *Job) []tier {
	cands := e.candidates(j)
	if len(j.majors) == 0 && len(j.classes) == 0 {
		return []tier{{cands, -1}}
	}
	union := func(postings []*roaring.Bitmap, ids ...[]uint32) *roaring.Bitmap {
		var bs []*roaring.Bitmap
		for _, list := range ids {
			for _, id := range list {
				bs = appendPosting(bs, postings, id)
			}
		}
		return roaring.FastOr(bs...)
	}
	widen := func(ids []uint16) []uint32 {
		out := make([]uint32, len(ids))
		for n, id := range ids {
			out[n] = uint32(id)
		}
		return out
	}

	exact := union(e.byMajor, widen(j.majors))
	exact.And(cands)
	class := union(e.byClass, widen(j.classes))
	class.And(cands)
	class.AndNot(exact)
	rest := roaring.AndNot(cands, exact)
	rest.AndNot(class)

	titles := make([]uint32, len(j.certs))
	for n, c := range j.certs {
		titles[n] = c.title
	}
	strong := roaring.FastOr(union(e.byCert, titles), union(e.bySkill, j.skills), union(e.byProgramme, j.programmes, j.related))
	strong.And(rest)
	rest.AndNot(strong)
	// The weak rest holds no required certificate or skill and no related
	// training, so only its category, internships, interest, region and
	// availability score.
	weakBound := PointsMajorCategory + maxInternships*PointsInternshipExcellent + PointsRegionCounty + PointsSeeking
	if j.riasec != "" {
		weakBound += PointsInterestFirst
	}
	return []tier{{exact, -1}, {class, -1}, {strong, -1}, {rest, weakBound}}
}

// rankInto offers the candidates in t to top, skipping the whole tier or
// single candidates whose bound cannot enter a full top.
func (e *Engine) rankInto(top *topK, t tier, j *Job, jobIndex int) {
	if len(top.items) == top.k && t.bound >= 0 && t.bound < top.items[0].Score {
		return
	}
	it := t.cands.Iterator()
	for it.HasNext() {
		i := it.Next()
		p := &e.list[i]
		if len(top.items) == top.k && e.bound(p, j) < top.items[0].Score {
			continue
		}
		score, ok := e.fit(p, j, nil)
		if ok {
			top.offer(Hit{Person: int(i), PersonID: p.ID, Job: jobIndex, Score: score})
		}
	}
}

// explain builds the reasons of the returned hits only.
func (e *Engine) explain(hits []Hit, job func(int) *Job) []Hit {
	for n := range hits {
		hits[n].Reasons = e.Explain(hits[n].Person, job(hits[n].Job))
	}
	return hits
}

// BestForAll returns BestCandidates(jobs[n], k) for every job, computed on
// all cores.
func (e *Engine) BestForAll(jobs []*Job, k int) [][]Hit {
	out := make([][]Hit, len(jobs))
	workers := min(runtime.GOMAXPROCS(0), max(len(jobs), 1))
	var next sync.Mutex
	n := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				next.Lock()
				i := n
				n++
				next.Unlock()
				if i >= len(jobs) {
					return
				}
				out[i] = e.BestCandidates(jobs[i], k)
			}
		})
	}
	wg.Wait()
	return out
}

// BestJobs returns the best k jobs for the person at position i that
// still recruit today (record.Demand.OpenOn), best first, with reasons. Hit.Job indexes jobs. A person who fails the
// hard filters gets none. It scans every job, because 10,000 jobs take a
// few milliseconds (BenchmarkBestJobs) and need no index.
func (e *Engine) BestJobs(i int, jobs []*Job, k int) []Hit {
	p := &e.list[i]
	if p.Flags&flagEligible == 0 {
		return nil
	}
	top := topK{k: k, items: make([]Hit, 0, k)}
	today := record.Today()
	for n, j := range jobs {
		if !j.Demand.OpenOn(today) {
			continue
		}
		if score, ok := e.fit(p, j, nil); ok {
			top.offer(Hit{Person: i, PersonID: p.ID, Job: n, Score: score})
		}
	}
	return e.explain(top.sorted(), func(n int) *Job { return jobs[n] })
}

// TransferPlan is the employment transfer (淡季就业转移) of one employer:
// the months outside its season and, for each person it employs, the best
// jobs of other employers whose season falls in those months.
type TransferPlan struct {
	OffSeason uint16 // month mask, see Job.Months
	People    []TransferPerson
}

// TransferPerson is one released person with their best jobs.
type TransferPerson struct {
	Person   int
	PersonID string
	Jobs     []Hit // Hit.Job indexes the jobs passed to Transfer
}

// Transfer plans the off-season transfer of the people employed by the
// employer named employer (Person.Employer equal to the name). Its
// season is the union of its demands' seasons among jobs, and the
// off-season is the rest of the year. The people are active (consented, not
// deleted) and employed; they need not be willing to return, because the
// transfer is temporary. Each is ranked against the demands of other
// employers that still recruit today and have a real season (see
// Job.Seasonal) overlapping the off-season, keeping perPerson jobs, and
// people are ordered by their best score. An employer without demands
// among jobs, or whose demands recruit all year, releases no one.
func (e *Engine) Transfer(employer string, jobs []*Job, perPerson int) TransferPlan {
	var season uint16
	for _, j := range jobs {
		if j.EmployerName == employer {
			season |= j.Months
		}
	}
	plan := TransferPlan{OffSeason: allMonths &^ season}
	if season == 0 || plan.OffSeason == 0 {
		return TransferPlan{}
	}
	id := e.texts.lookup(employer)
	if id == 0 || int(id) >= len(e.byEmployer) || e.byEmployer[id] == nil {
		return plan
	}
	// Targets are employers whose peak season falls in the off-season, so
	// year-round demands, which would always overlap, are left out.
	var targets []int
	today := record.Today()
	for n, j := range jobs {
		if j.EmployerName != employer && j.seasonal && j.Months&plan.OffSeason != 0 && j.Demand.OpenOn(today) {
			targets = append(targets, n)
		}
	}

	it := e.byEmployer[id].Iterator()
	for it.HasNext() {
		i := int(it.Next())
		p := &e.list[i]
		if p.Flags&flagActive == 0 || p.Flags&flagEmployed == 0 {
			continue
		}
		top := topK{k: perPerson}
		for _, n := range targets {
			if score, ok := e.fit(p, jobs[n], nil); ok {
				top.offer(Hit{Person: i, PersonID: p.ID, Job: n, Score: score})
			}
		}
		hits := e.explain(top.sorted(), func(n int) *Job { return jobs[n] })
		plan.People = append(plan.People, TransferPerson{Person: i, PersonID: p.ID, Jobs: hits})
	}
	slices.SortFunc(plan.People, func(a, b TransferPerson) int {
		if c := cmp.Compare(bestScore(b.Jobs), bestScore(a.Jobs)); c != 0 {
			return c
		}
		return cmp.Compare(a.PersonID, b.PersonID)
	})
	return plan
}

func bestScore(hits []Hit) int {
	if len(hits) == 0 {
		return -1
	}
	return hits[0].Score
}

// RegionTalent is the number of matchable people working in one
// out-of-province prefecture.
type RegionTalent struct {
	Prefecture string // six-digit GB/T 2260 code of the prefecture, such as 441900
	Name       string // 广东省东莞市
	People     int
}

// RankRegions counts, per prefecture outside Jiangxi, the eligible people
// working there who are willing to return and score at least threshold
// against some demand in Jiangxi among jobs that still recruits today. Regions come best
// first, ties by code, to plan recruitment fairs.
func (e *Engine) RankRegions(jobs []*Job, threshold int) []RegionTalent {
	matched := roaring.New()
	today := record.Today()
	for _, j := range jobs {
		if !j.Demand.OpenOn(today) || j.region/10000 != jiangxiNumber {
			continue
		}
		cands := roaring.And(e.candidates(j), e.returners)
		cands.AndNot(matched)
		it := cands.Iterator()
		for it.HasNext() {
			i := it.Next()
			p := &e.list[i]
			if e.bound(p, j) < threshold {
				continue
			}
			if score, ok := e.fit(p, j, nil); ok && score >= threshold {
				matched.Add(i)
			}
		}
	}

	counts := map[uint32]int{}
	it := matched.Iterator()
	for it.HasNext() {
		counts[e.list[it.Next()].Region/100*100]++
	}
	t := loadTables()
	out := make([]RegionTalent, 0, len(counts))
	for code, n := range counts {
		c := regionCode(code)
		out = append(out, RegionTalent{Prefecture: c, Name: t.regionName(c, true), People: n})
	}
	slices.SortFunc(out, func(a, b RegionTalent) int {
		if a.People != b.People {
			return b.People - a.People
		}
		return cmp.Compare(a.Prefecture, b.Prefecture)
	})
	return out
}
