package match

import (
	"math/rand/v2"
	"sync"
	"testing"
)

// fairInstance builds a deterministic fair of the given size whose scores
// follow the points of this package. They add up the major (40 the same
// major, 25 the same class, 10 the same category), the home region against
// the job's region (15, 10 or 5) and availability (20 seeking, 10 employed
// elsewhere). A per-visitor part of up to 38 takes the place of
// internships, certificates and graduation year, and a job-tailored training in the job's
// major class adds 12. All scores are whole points between 10 and 150, and
// every pair scores, so the instance has visitors × jobs edges. A visitor
// fits well (50 points or more) the few dozen jobs of their major class
// and those of their category nearby.
func fairInstance(visitors, jobs int) assignInstance {
	const (
		categories       = 12
		classesPerCat    = 4
		majorsPerClass   = 4
		prefectures      = 11
		countiesPerPref  = 8
		outOfProvinceJob = 5 // one job in this many is outside Jiangxi
	)
	rng := rand.New(rand.NewPCG(7, 2026))

	type place struct{ prefecture, county int } // prefecture -1: outside Jiangxi
	type job struct {
		major int // category*classesPerCat*majorsPerClass + class*majorsPerClass + major
		where place
	}
	drawMajor := func() int {
		// Skewed towards the first categories, as the pool is.
		c := min(int(rng.ExpFloat64()*categories/3), categories-1)
		return c*classesPerCat*majorsPerClass + rng.IntN(classesPerCat*majorsPerClass)
	}
	drawPlace := func() place {
		p := rng.IntN(prefectures)
		return place{p, p*countiesPerPref + rng.IntN(countiesPerPref)}
	}

	in := assignInstance{persons: visitors, headcounts: make([]int, jobs)}
	js := make([]job, jobs)
	for j := range js {
		js[j] = job{major: drawMajor(), where: drawPlace()}
		if rng.IntN(outOfProvinceJob) == 0 {
			js[j].where = place{-1, -1}
		}
		// Headcounts 1-10, most of them small: about 2.5 on average.
		x := rng.Float64()
		in.headcounts[j] = 1 + int(9*x*x*x)
	}

	in.edges = make([]Edge, 0, visitors*jobs)
	for p := range visitors {
		major := drawMajor()
		home := drawPlace()
		available := 20
		if rng.IntN(4) == 0 {
			available = 10
		}
		own := rng.IntN(39)
		trainedClass := -1
		if rng.IntN(5) == 0 {
			trainedClass = major / majorsPerClass
		}
		for j, jb := range js {
			score := available + own
			switch {
			case jb.major == major:
				score += 40
			case jb.major/majorsPerClass == major/majorsPerClass:
				score += 25
			case jb.major/(majorsPerClass*classesPerCat) == major/(majorsPerClass*classesPerCat):
				score += 10
			}
			switch {
			case jb.where.county == home.county:
				score += 15
			case jb.where.prefecture == home.prefecture:
				score += 10
			case jb.where.prefecture >= 0:
				score += 5
			}
			if jb.major/majorsPerClass == trainedClass {
				score += 12
			}
			in.edges = append(in.edges, Edge{Person: p, Job: j, Score: float64(score)})
		}
	}
	return in
}

var (
	fairOnce sync.Once
	fair     assignInstance
)

func BenchmarkAssign5kVisitors2kJobs(b *testing.B) {
	fairOnce.Do(func() { fair = fairInstance(5000, 2000) })
	seats := 0
	for _, h := range fair.headcounts {
		seats += h
	}
	b.ReportAllocs()
	var stats assignStats
	var total float64
	for b.Loop() {
		a, s, err := assign(fair.persons, fair.headcounts, fair.edges, initialTopJobs)
		if err != nil {
			b.Fatal(err)
		}
		stats, total = s, a.Total
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/op")
	b.ReportMetric(float64(len(fair.edges)), "edges")
	b.ReportMetric(float64(seats), "seats")
	b.ReportMetric(float64(stats.rounds), "rounds")
	b.ReportMetric(float64(stats.phases), "searches")
	b.ReportMetric(float64(stats.activeEdges), "solved-edges")
	b.ReportMetric(total, "total")
}
