// Package match scores people against jobs and gives the reasons behind
// each score, in words a clerk can read to an employer.
//
// The package has two rankers. Rank and Index rank candidates for a
// Query of majors and a region. The Engine matches people with job
// demands (record.Demand) at the scale of the provincial pool: a job's
// best candidates, a person's best jobs, off-season employment transfer
// and the ranking of out-of-province regions. Both read only what their
// callers pass, and callers pass approved records only: the approved
// latest version of each training, internship, certificate and
// assessment record. Neither looks at review states again.
//
// # Rank and Index
//
// Scoring, in points (a candidate's score is the sum of its reasons):
//
//   - major: the same major 40, the same major class (first four digits of
//     the code) 25, the same major category (first two digits) 10. A
//     candidate with none of these is left out unless the query names no
//     majors, in which case major earns nothing.
//   - job-tailored training: 12 for each completed job-tailored programme
//     (one made for an employer, or whose title contains 定制, 订单 or
//     岗位) whose title names a major of a class the job requires, at most
//     2 counted.
//     Without query majors the candidate's own major class counts.
//   - internships: 10 for each internship rated 5 (excellent), 6 for each
//     rated 4 (good). A job-experience session (岗位体验) rated 5 earns 4,
//     rated 4 earns 2. At most 2 are counted between them, those worth the
//     most first.
//   - vocational certificates (职业技能等级证书) whose title names a major
//     of a class the job requires, as training titles do: 4 for 初级, 2 more
//     for each level above it, up to 12 for 高级技师. Of several
//     certificates with the same title only the highest level counts, and
//     at most 2 are counted.
//   - home region against the job's region: the same county 15, the same
//     prefecture 10, the same province 5.
//   - availability: seeking work 20. Employed outside the job's province
//     (outside Jiangxi when the query names no region) 10, because such a
//     graduate may return. Employed inside it earns nothing.
//   - graduation: 6 for the newest class among the candidates, 4 for one
//     year older, 2 for two years older.
//
// Deleted candidates, those who went on to further study, and those
// without consent to be recommended (record.Person.Consented: consent
// given and not erased) are left out before scoring. Rank does not score
// assessments.
//
// # Engine
//
// Profiles compiles each Candidate into a compact Profile; NewEngine
// indexes them in roaring bitmaps, and Engine.CompileJob turns a demand,
// its employer and its programme into a Job. Hard filters come first: a
// person is matched only when consented, not deleted, not in further
// study, and available, which means seeking work, or employed outside
// Jiangxi and willing to return (record.WillReturnYes). Engine.Transfer
// takes employed people of one employer instead. A person is a candidate
// of a job when they share a major category the job names, hold one of
// its certificates, or have one of its skills; a job with none of these
// requirements takes every eligible person.
//
// Scoring, in points:
//
//   - major against the demand's codes (six-digit majors, four-digit
//     classes, two-digit categories): the same major 40, the same class
//     25, the same category 10.
//   - job-tailored training: 30 for a completed training for this demand
//     (its programme is the demand's Programme, or a programme whose
//     Demand is the demand's ID), 10 for one for another demand whose
//     title names a class of the job's majors.
//   - certificates: for each required certificate, 15 when the person
//     holds it at the required level (the lowest accepted, from 5 初级 to
//     1 高级技师) or above, 5 when only below it.
//   - skills: 5 for each of the demand's skills the person has, at most
//     3 counted. A person's skills are their stated skills, the titles of
//     their certificates and the module names of their completed
//     programmes.
//   - internships: as Rank scores them, at most 2 counted.
//   - interest: the latest approved assessment's interest code against
//     the RIASEC code of the occupation's middle group
//     (assets/data/occupation_riasec.csv, this project's own judgement):
//     10 when both start with the same letter, 5 when the person's code
//     has the occupation's first letter further on.
//   - region: the current region (the work region when employed, else
//     the home region) in the job's county 15, prefecture 10, province 5.
//     Outside Jiangxi and willing to return, for a job in Jiangxi, 10.
//   - availability: seeking work 20.
//
// Scoring a candidate allocates nothing. Reasons are built only for the
// results returned.
package match

import (
	"container/heap"
	"sort"
	"strings"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// Points of each reason. See the package documentation.
const (
	PointsMajorExact          = 40
	PointsMajorClass          = 25
	PointsMajorCategory       = 10
	PointsTraining            = 12
	PointsInternshipExcellent = 10
	PointsInternshipGood      = 6
	PointsHomeCounty          = 15
	PointsHomePrefecture      = 10
	PointsHomeProvince        = 5
	PointsSeeking             = 20
	PointsReturn              = 10
	PointsNewestClass         = 6
	PointsPerClassYear        = 2 // subtracted per year before the newest class

	maxTrainings    = 2
	maxInternships  = 2 // internships and job-experience sessions together
	maxCertificates = 2
)

// Points of job-experience sessions and certificates.
const (
	// A job-experience session lasts a day to a few days, so its rating
	// shows how the student took to the job rather than how they did it
	// over weeks. It earns less than an internship of the same rating,
	// and less than a good internship even when rated excellent.
	PointsExperienceExcellent = 4
	PointsExperienceGood      = 2
	// A certificate earns PointsCertificateEntry at 初级 and
	// PointsPerSkillLevel more for each level above it, so 高级技师 earns
	// as much as a completed job-tailored programme (PointsTraining).
	PointsCertificateEntry = 4
	PointsPerSkillLevel    = 2
)

// DefaultLimit is the number of results Rank returns when Query.Limit is 0.
const DefaultLimit = 20

// jiangxi is the province code return candidates are counted against when
// the query names no region.
const jiangxi = "36"

// Translation keys of the reasons, in assets/i18n/*/match.json.
const (
	KeyMajorExact          = "match.major.exact"
	KeyMajorClass          = "match.major.class"
	KeyMajorCategory       = "match.major.category"
	KeyTraining            = "match.training.tailored"
	KeyTrainingNoHours     = "match.training.tailored_no_hours"
	KeyInternshipExcellent = "match.internship.excellent"
	KeyInternshipGood      = "match.internship.good"
	KeyExperienceExcellent = "match.experience.excellent"
	KeyExperienceGood      = "match.experience.good"
	KeyCertificate         = "match.certificate"
	KeyHomeCounty          = "match.home.county"
	KeyHomePrefecture      = "match.home.prefecture"
	KeyHomeProvince        = "match.home.province"
	KeySeeking             = "match.available.seeking"
	KeyReturn              = "match.available.return"
	KeyGradYear            = "match.grad_year"
)

// tailoredMarkers are words in the name of a job-tailored programme (岗位
// 定制班, 订单班) that no basic module name contains.
var tailoredMarkers = []string{"定制", "订单", "岗位"}

// Candidate is a person with their approved training, internships and
// certificates.
type Candidate struct {
	Person       record.Person
	Trainings    []record.Training
	Internships  []record.Internship
	Certificates []record.Certificate
	// Programmes maps the programme ids that Trainings name to their
	// programmes; candidates may share one map. Training records from
	// before programmes were records name the programme by its title and
	// need no entry.
	Programmes map[string]record.Programme
	// Deleted is set for a person whose record carries record.FieldDeleted,
	// which the Person struct does not.
	Deleted bool
	// Assessment is the person's latest approved assessment, zero when
	// there is none. Only the Engine scores it.
	Assessment record.Assessment
}

// Query is the job to rank candidates for.
type Query struct {
	Majors []string // major codes the job accepts, any one of them fits
	Region string   // GB/T 2260 code of the place of work: province, prefecture or county
	Limit  int      // maximum number of results, 0 means DefaultLimit
}

// Reason is one scored fact about a candidate.
type Reason struct {
	Key    string // translation key in assets/i18n/*/match.json
	Args   []any  // arguments of the translated format; a Term is translated first
	Points float64
}

// Term is a reason argument that is itself a translation key, such as the
// skill level "skill_level.4", translated in the locale of the reason.
type Term string

// Text returns the reason in the locale, for example 专业对口：软件技术.
func (r Reason) Text(locale string) string {
	args := make([]any, len(r.Args))
	for i, a := range r.Args {
		if term, ok := a.(Term); ok {
			args[i] = i18n.In(locale, string(term))
		} else {
			args[i] = a
		}
	}
	return i18n.In(locale, r.Key, args...)
}

// Result is a ranked candidate.
type Result struct {
	Person  record.Person
	Score   float64 // sum of the reasons' points
	Reasons []Reason
}

// Rank returns the best candidates for the query, best first. Equal scores
// are ordered by person ID, so the same input always gives the same order.
//
// Rank scans every candidate it is given. An Index (see NewIndex) gives the
// same results while scoring only the candidates of the query's major
// categories.
func Rank(cands []Candidate, q Query) []Result {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	s := newScorer(loadTables(), q, newestGradYear(cands))
	h := &topHeap{cands: cands}
	var scratch []Reason
	for i := range cands {
		if excluded(&cands[i]) {
			continue
		}
		scratch = s.offer(h, i, limit, scratch)
	}
	return s.results(h)
}

// offer scores cands[i] and keeps it in h if it ranks among the best
// limit so far. This first pass builds reasons into the reused scratch
// buffer and drops them, and offer returns the buffer for the next call.
func (s *scorer) offer(h *topHeap, i, limit int, scratch []Reason) []Reason {
	scratch, score, ok := s.score(&h.cands[i], scratch[:0])
	if !ok {
		return scratch
	}
	if h.Len() < limit {
		heap.Push(h, scored{i, score})
	} else if h.better(scored{i, score}, h.items[0]) {
		h.items[0] = scored{i, score}
		heap.Fix(h, 0)
	}
	return scratch
}

// results sorts the candidates kept in h, best first, and builds the
// reasons of these winners only, which is the second pass.
func (s *scorer) results(h *topHeap) []Result {
	best := h.items
	sort.Slice(best, func(a, b int) bool { return h.better(best[a], best[b]) })
	results := make([]Result, len(best))
	for n, w := range best {
		c := &h.cands[w.index]
		reasons, score, _ := s.score(c, nil)
		results[n] = Result{Person: c.Person, Score: score, Reasons: reasons}
	}
	return results
}

// newestGradYear returns the latest graduation year among the candidates
// that pass the hard filters, which the graduation reason counts from.
func newestGradYear(cands []Candidate) int {
	newest := 0
	for i := range cands {
		if !excluded(&cands[i]) && cands[i].Person.GradYear > newest {
			newest = cands[i].Person.GradYear
		}
	}
	return newest
}

// excluded applies the hard filters that come before scoring. A person
// who withdraws consent drops out at the next Rank.
func excluded(c *Candidate) bool {
	return c.Deleted || !c.Person.Consented() || c.Person.Status == record.StatusStudy
}

type scored struct {
	index int
	score float64
}

// topHeap is a min-heap of the best candidates so far, its worst on top.
type topHeap struct {
	cands []Candidate
	items []scored
}

// better reports whether a ranks before b: a higher score, or an equal
// score and a smaller person ID.
func (h *topHeap) better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return h.cands[a.index].Person.ID < h.cands[b.index].Person.ID
}

func (h *topHeap) Len() int           { return len(h.items) }
func (h *topHeap) Less(i, j int) bool { return h.better(h.items[j], h.items[i]) }
func (h *topHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *topHeap) Push(x any)         { h.items = append(h.items, x.(scored)) }
func (h *topHeap) Pop() any {
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return last
}

// programmeOf returns the title of the programme a training record names
// and whether it is job-tailored. The built-in basic programme is not.
func programmeOf(c *Candidate, programme string) (title string, tailored bool) {
	if programme == record.BasicProgramme {
		return "", false
	}
	if p, ok := c.Programmes[programme]; ok {
		return p.Title, p.Employer != "" || isTailored(p.Title)
	}
	return programme, isTailored(programme)
}

func isTailored(programme string) bool {
	for _, m := range tailoredMarkers {
		if strings.Contains(programme, m) {
			return true
		}
	}
	return false
}
