package match

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"mobilefactory/shared/record"
)

// Sizes of the synthetic pool of the engine benchmarks, the scale the
// provincial pool is planned for.
const (
	benchProfiles = 1_000_000
	benchDemands  = 10_000
	benchTopK     = 50
)

// synthWorld draws people and demands with a seeded generator over the
// real major and region tables. Skills and certificate titles are
// synthetic words tied to a major class (自动化类技能3), so that people
// and demands of one class share them as real ones would.
type synthWorld struct {
	rng             *rand.Rand
	majors          []string
	jiangxiCounties []string
	outsideCounties []string // in the provinces most Jiangxi graduates leave for
	assessments     []string // encoded assessment profiles
}

func newSynthWorld(tb testing.TB, seed uint64) *synthWorld {
	t := loadTables()
	w := &synthWorld{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	for _, code := range []string{"RIC", "IRC", "SEC", "ESC", "CRE", "ASI"} {
		w.assessments = append(w.assessments, interestProfile(tb, code).Profile)
	}
	for code := range t.majors {
		w.majors = append(w.majors, code)
	}
	for code, r := range t.regions {
		if r.level != "county" {
			continue
		}
		switch code[:2] {
		case "36":
			w.jiangxiCounties = append(w.jiangxiCounties, code)
		case "44", "33", "35", "32", "31":
			w.outsideCounties = append(w.outsideCounties, code)
		}
	}
	// Map iteration order is random: sort for a deterministic world.
	slices.Sort(w.majors)
	slices.Sort(w.jiangxiCounties)
	slices.Sort(w.outsideCounties)
	return w
}

func (w *synthWorld) pick(list []string) string { return list[w.rng.IntN(len(list))] }

func classWord(class, kind string, n int) string {
	return fmt.Sprintf("%s%s%d", loadTables().className(class), kind, n)
}

// candidate draws person i: 35% seeking, 50% employed (40% of them
// outside Jiangxi, half of whom are willing to return), 10% in further
// study, 5% other; 95% consented.
func (w *synthWorld) candidate(i int) Candidate {
	r := w.rng
	major := w.pick(w.majors)
	class := major[:4]
	id := fmt.Sprintf("01J%023d", i)
	p := record.Person{ID: id, Major: major, HomeRegion: w.pick(w.jiangxiCounties), GradYear: 2021 + r.IntN(5)}
	if r.IntN(100) < 95 {
		p.Consent = record.ConsentGiven
	}
	switch n := r.IntN(100); {
	case n < 35:
		p.Status = record.StatusSeeking
	case n < 85:
		p.Status = record.StatusEmployed
		p.Employer = fmt.Sprintf("单位%04d", r.IntN(5000))
		p.WorkRegion = w.pick(w.jiangxiCounties)
		if r.IntN(10) < 4 {
			p.WorkRegion = w.pick(w.outsideCounties)
			if r.IntN(2) == 0 {
				p.WillReturn = record.WillReturnYes
			}
		}
	case n < 95:
		p.Status = record.StatusStudy
	default:
		p.Status = record.StatusOther
	}
	var skills []string
	for range r.IntN(4) {
		skills = append(skills, classWord(class, "技能", r.IntN(8)))
	}
	p.Skills = record.JoinList(skills)

	c := Candidate{Person: p}
	for k := range r.IntN(3) {
		c.Certificates = append(c.Certificates, record.Certificate{ID: fmt.Sprintf("%s-c%d", id, k),
			Title: classWord(class, "证书", r.IntN(4)), SkillLevel: record.SkillLevels[r.IntN(3)]})
	}
	if r.IntN(5) == 0 {
		c.Trainings = []record.Training{{ID: id + "-t", Programme: fmt.Sprintf("P%05d", r.IntN(benchDemands)), Hours: 40 + r.IntN(80), Completed: r.IntN(4) != 0}}
	}
	for k := range r.IntN(3) {
		c.Internships = append(c.Internships, record.Internship{ID: fmt.Sprintf("%s-i%d", id, k),
			Employer: fmt.Sprintf("实习单位%03d", r.IntN(500)), Position: "技术员", Rating: 1 + r.IntN(5)})
	}
	if r.IntN(3) == 0 {
		c.Assessment = record.Assessment{Profile: w.pick(w.assessments)}
	}
	return c
}

// demand draws demand n. It has one to three majors (a third of them
// whole classes), up to two certificates and three skills of the first
// major's class, a Jiangxi county (one in ten outside), and a season of
// three to twelve months. Its programme P%05d is the one trainings name.
func (w *synthWorld) demand(n int) (record.Demand, record.Employer) {
	r := w.rng
	d := record.Demand{ID: fmt.Sprintf("D%05d", n), Programme: fmt.Sprintf("P%05d", n),
		Occupation: fmt.Sprintf("6-%02d-01-01", 1+r.IntN(31)), Region: w.pick(w.jiangxiCounties), Headcount: 1 + r.IntN(30)}
	if r.IntN(10) == 0 {
		d.Region = w.pick(w.outsideCounties)
	}
	first := w.pick(w.majors)
	d.Majors = []string{first}
	for range r.IntN(3) {
		m := w.pick(w.majors)
		if r.IntN(3) == 0 {
			m = m[:4]
		}
		d.Majors = append(d.Majors, m)
	}
	class := first[:4]
	for range r.IntN(3) {
		d.Certificates = append(d.Certificates, record.DemandCertificate{Title: classWord(class, "证书", r.IntN(4)), SkillLevel: record.SkillLevels[r.IntN(3)]})
	}
	for range r.IntN(4) {
		d.Skills = append(d.Skills, classWord(class, "技能", r.IntN(8)))
	}
	startMonth := 1 + r.IntN(12)
	for k := range 3 + r.IntN(10) {
		d.Months = append(d.Months, (startMonth+k-1)%12+1)
	}
	return d, record.Employer{ID: fmt.Sprintf("E%04d", n%5000), Name: fmt.Sprintf("单位%04d", n%5000), Region: d.Region}
}

var (
	benchEngineOnce sync.Once
	benchEngine     *Engine
	benchJobs       []*Job
	benchHeapMiB    float64
	benchBuildTime  time.Duration
)

func heapMiB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// buildBenchEngine builds the 1M-profile engine and 10k jobs once per
// test binary, measuring the heap the engine keeps and the time to add
// and index the profiles (without drawing them).
func buildBenchEngine(b *testing.B) (*Engine, []*Job) {
	b.Helper()
	benchEngineOnce.Do(func() {
		w := newSynthWorld(b, 7)
		before := heapMiB()
		var compile time.Duration
		ps := NewProfiles()
		for i := range benchProfiles {
			c := w.candidate(i)
			start := time.Now()
			ps.Add(c)
			compile += time.Since(start)
		}
		start := time.Now()
		benchEngine = NewEngine(ps)
		benchBuildTime = compile + time.Since(start)
		benchHeapMiB = heapMiB() - before
		for n := range benchDemands {
			d, emp := w.demand(n)
			benchJobs = append(benchJobs, benchEngine.CompileJob(d, emp, nil))
		}
	})
	return benchEngine, benchJobs
}

// BenchmarkEngineBuild reports the heap and time of the 1M-profile engine.
func BenchmarkEngineBuild(b *testing.B) {
	e, _ := buildBenchEngine(b)
	for b.Loop() {
	}
	b.ReportMetric(benchHeapMiB, "heap-MiB")
	b.ReportMetric(benchBuildTime.Seconds(), "build-s")
	b.ReportMetric(float64(e.Len()), "profiles")
}

// BenchmarkBest50Of1M ranks the best 50 for a different job on every
// iteration and reports the latency percentiles over those jobs.
func BenchmarkBest50Of1M(b *testing.B) {
	e, jobs := buildBenchEngine(b)
	var latencies []time.Duration
	candidates := 0
	n := 0
	b.ReportAllocs()
	cpu := processCPUSeconds()
	for b.Loop() {
		j := jobs[n%len(jobs)]
		n++
		start := time.Now()
		e.BestCandidates(j, benchTopK)
		latencies = append(latencies, time.Since(start))
		if n <= 200 {
			candidates += int(e.candidates(j).GetCardinality())
		}
	}
	b.ReportMetric((processCPUSeconds()-cpu)*1000/float64(b.N), "cpu-ms/op")
	sort.Slice(latencies, func(a, c int) bool { return latencies[a] < latencies[c] })
	b.ReportMetric(ms(latencies[len(latencies)/2]), "p50-ms")
	b.ReportMetric(ms(latencies[len(latencies)*99/100]), "p99-ms")
	b.ReportMetric(float64(candidates)/float64(min(n, 200)), "candidates/op")
}

// BenchmarkAll10kDemands ranks the best 50 for all 10k jobs on every
// core.
// It also reports the CPU seconds used, which do not grow when other
// processes share the cores as wall time does.
func BenchmarkAll10kDemands(b *testing.B) {
	e, jobs := buildBenchEngine(b)
	cpu := processCPUSeconds()
	for b.Loop() {
		e.BestForAll(jobs, benchTopK)
	}
	b.ReportMetric((processCPUSeconds()-cpu)/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "cores")
}

// BenchmarkBestJobs ranks the 10k jobs for a different person each time.
func BenchmarkBestJobs(b *testing.B) {
	e, jobs := buildBenchEngine(b)
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		for !e.Eligible(n % e.Len()) {
			n++
		}
		e.BestJobs(n%e.Len(), jobs, 20)
		n++
	}
}

// BenchmarkRankRegions counts matchable returners over all Jiangxi jobs.
func BenchmarkRankRegions(b *testing.B) {
	e, jobs := buildBenchEngine(b)
	for b.Loop() {
		e.RankRegions(jobs, 60)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// TestSynthWorldDeterministic keeps the benchmark pool the same across runs.
func TestSynthWorldDeterministic(t *testing.T) {
	a, b := newSynthWorld(t, 7), newSynthWorld(t, 7)
	for i := range 50 {
		ca, cb := a.candidate(i), b.candidate(i)
		if ca.Person != cb.Person || len(ca.Certificates) != len(cb.Certificates) {
			t.Fatalf("candidate %d differs: %+v vs %+v", i, ca.Person, cb.Person)
		}
	}
	da, _ := a.demand(0)
	db, _ := b.demand(0)
	if strings.Join(da.Majors, ",") != strings.Join(db.Majors, ",") || da.Region != db.Region {
		t.Errorf("demand differs: %+v vs %+v", da, db)
	}
}
