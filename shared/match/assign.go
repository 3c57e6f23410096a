package match

import (
	"fmt"
	"math"
	"slices"
)

// Edge is a scored pair: Person and Job index the caller's visitors and
// jobs, and Score (finite, not negative) is what assigning them earns.
type Edge struct {
	Person, Job int
	Score       float64
}

// Assignment gives each person's job index (-1 for none) and the total score.
type Assignment struct {
	Job   []int
	Total float64
}

// initialTopJobs is how many of each person's best edges the first round
// of Assign solves with. Later rounds add more of a person's edges only
// where the optimality check fails.
const initialTopJobs = 16

// maxNodes bounds persons + jobs so that node and arc indexes fit in int32.
const maxNodes = math.MaxInt32 / 4

// assignStats counts the work of one Assign call, for tests and benchmarks.
type assignStats struct {
	rounds      int // solves of the flow problem
	phases      int // shortest-path searches over all rounds
	activeEdges int // edges in the last round's flow network
	usableEdges int // edges left after dropping duplicates and useless ones
}

// Assign finds an assignment of persons to jobs that maximises the total
// score, with each person in at most one job and job j holding at most
// headcounts[j] persons. Only pairs in edges may be assigned, and a person
// is left without a job (-1) when that gives a higher total; Assign
// maximises the total score, not the number assigned.
//
// The result is exactly optimal for the scores rounded to a multiple of
// 2^-k, where k is the largest integer with
// max score · (persons + jobs + 2) · 2^k ≤ 2^58. Scores that are integers
// or halves (or any multiple of 2^-k) are not rounded at all. Otherwise the
// total is within persons · 2^-k of the true optimum. For scores up to 150
// with 5,000 persons and 2,000 jobs, k is 38 and that bound is about 2e-8.
//
// For duplicate edges of one pair the highest score counts. Edges with
// score 0 and edges to jobs with headcount 0 are ignored. Ties between
// optimal assignments are broken by the fixed processing order (persons,
// then jobs, by index), so the same edges give the same assignment in any
// order. Invalid input (negative persons or headcounts, indexes out of
// range, scores that are negative, NaN or infinite) returns an error.
//
// Callers may pass all positive-score edges: Assign first solves with each
// person's best 16 edges, then checks the solution's dual prices against
// every edge left out and adds edges for the persons that fail the check,
// until none does. The result is exact either way (see docs/matching.md).
//
// NOTE: the time grows with the number of distinct path costs. Scores in
// whole points take about 2 s of CPU for 5,000 visitors and 2,000 jobs,
// but the same fair with a random fraction added to every score took
// 52 s. Round such scores, to halves for instance, before calling.
func Assign(persons int, headcounts []int, edges []Edge) (Assignment, error) {
	a, _, err := assign(persons, headcounts, edges, initialTopJobs)
	return a, err
}

// assign is Assign with the number of edges per person in the first round
// as a parameter, so tests can force the later rounds.
func assign(persons int, headcounts []int, edges []Edge, topJobs int) (Assignment, assignStats, error) {
	var stats assignStats
	maxScore, err := validateAssignInput(persons, headcounts, edges)
	if err != nil {
		return Assignment{}, stats, err
	}
	result := Assignment{Job: make([]int, persons)}
	for p := range result.Job {
		result.Job[p] = -1
	}
	if maxScore == 0 {
		return result, stats, nil
	}

	weight := scoreWeight(maxScore, persons+len(headcounts)+2)

	groups := groupEdges(persons, headcounts, edges, weight)
	stats.usableEdges = len(groups.order)
	for p := range persons {
		groups.extend(edges, p, topJobs)
	}

	// NOTE: each round solves again from an empty flow, so the fair
	// benchmark's four rounds cost about four solves. Reusing the last flow
	// would need the potentials repaired around the persons given edges.
	for {
		stats.rounds++
		net := newFlowNetwork(persons, headcounts, edges, groups, weight)
		stats.phases += net.solve()
		stats.activeEdges = net.edgeCount

		if !groups.extendViolators(edges, net, weight) {
			for p := range persons {
				if e := net.assignedEdge(p); e >= 0 {
					result.Job[p] = edges[e].Job
					result.Total += edges[e].Score
				}
			}
			return result, stats, nil
		}
	}
}

// scoreWeight returns the function that turns a score into the integer
// weight of the flow network: score · 2^k rounded, with the largest k for
// which weights up to maxScore times the number of nodes stay below 2^58.
// Multiplying by a power of two is exact in floating point, so only the
// rounding changes a score, and sums of weights along any path fit in an
// int64 with room to spare.
//
// NOTE: k stops at 1000 so that 2^k stays finite. When the highest score
// is below about 1e-285, the bound on the total's error no longer holds,
// and scores below 5e-302 round to 0 and are ignored.
func scoreWeight(maxScore float64, nodes int) func(float64) int64 {
	k := 1000
	if quotient := math.Ldexp(1, 58) / (maxScore * float64(nodes)); !math.IsInf(quotient, 1) {
		_, exp := math.Frexp(quotient)
		k = min(exp-1, k)
	}
	factor := math.Ldexp(1, k)
	return func(score float64) int64 { return int64(math.Round(score * factor)) }
}

// validateAssignInput checks the input of Assign and returns the highest score.
func validateAssignInput(persons int, headcounts []int, edges []Edge) (float64, error) {
	if persons < 0 {
		return 0, fmt.Errorf("match: invalid number of persons %d: must not be negative", persons)
	}
	if persons+len(headcounts) > maxNodes {
		return 0, fmt.Errorf("match: too many persons and jobs (%d + %d): at most %d together", persons, len(headcounts), maxNodes)
	}
	if len(edges) > math.MaxInt32 {
		return 0, fmt.Errorf("match: too many edges (%d): at most %d", len(edges), math.MaxInt32)
	}
	for j, h := range headcounts {
		if h < 0 {
			return 0, fmt.Errorf("match: invalid headcount %d of job %d: must not be negative", h, j)
		}
	}
	maxScore := 0.0
	for i, e := range edges {
		if e.Person < 0 || e.Person >= persons {
			return 0, fmt.Errorf("match: edge %d: person %d out of range [0, %d)", i, e.Person, persons)
		}
		if e.Job < 0 || e.Job >= len(headcounts) {
			return 0, fmt.Errorf("match: edge %d: job %d out of range [0, %d)", i, e.Job, len(headcounts))
		}
		if math.IsNaN(e.Score) || math.IsInf(e.Score, 0) || e.Score < 0 {
			return 0, fmt.Errorf("match: edge %d (person %d, job %d): invalid score %v: must be a finite number, not negative", i, e.Person, e.Job, e.Score)
		}
		maxScore = max(maxScore, e.Score)
	}
	return maxScore, nil
}

// edgeGroups lists the usable edges of each person: order[start[p]:start[p+1]]
// contains indexes into the caller's edges, one per job, and the first
// active[p] of them, the person's best, are in the flow network.
type edgeGroups struct {
	start  []int
	order  []int32
	active []int
}

// groupEdges sorts the usable edges by person (a counting sort) and keeps
// the best edge of each (person, job) pair.
func groupEdges(persons int, headcounts []int, edges []Edge, weight func(float64) int64) edgeGroups {
	usable := func(e Edge) bool { return headcounts[e.Job] > 0 && weight(e.Score) > 0 }

	start := make([]int, persons+1)
	for _, e := range edges {
		if usable(e) {
			start[e.Person+1]++
		}
	}
	for p := range persons {
		start[p+1] += start[p]
	}
	order := make([]int32, start[persons])
	fill := slices.Clone(start[:persons])
	for i, e := range edges {
		if usable(e) {
			order[fill[e.Person]] = int32(i)
			fill[e.Person]++
		}
	}

	// Drop duplicate pairs in place, keeping the highest score (the first
	// of equal ones). position[j] is the position of person p's edge to job j,
	// valid while owner[j] == p.
	owner := make([]int32, len(headcounts))
	for j := range owner {
		owner[j] = -1
	}
	position := make([]int, len(headcounts))
	write := 0
	for p := range persons {
		from := start[p]
		start[p] = write
		for _, i := range order[from:start[p+1]] {
			j := edges[i].Job
			if owner[j] == int32(p) {
				if edges[i].Score > edges[order[position[j]]].Score {
					order[position[j]] = i
				}
				continue
			}
			owner[j] = int32(p)
			position[j] = write
			order[write] = i
			write++
		}
	}
	start[persons] = write
	return edgeGroups{start: start, order: order[:write], active: make([]int, persons)}
}

// edges returns person p's usable edges, the active ones first.
func (g *edgeGroups) edges(p int) []int32 { return g.order[g.start[p]:g.start[p+1]] }

// extend makes person p's best n edges active (all of them if fewer),
// ordered by job index so that the network does not depend on the order of
// the caller's edges.
func (g *edgeGroups) extend(edges []Edge, p, n int) {
	all := g.edges(p)
	n = min(n, len(all))
	if n <= g.active[p] {
		return
	}
	selectBest(all[g.active[p]:], n-g.active[p], g.better(edges))
	g.active[p] = n
	slices.SortFunc(all[:n], func(a, b int32) int { return edges[a].Job - edges[b].Job })
}

// better orders a person's edges best first: by score, then by job index.
func (g *edgeGroups) better(edges []Edge) func(a, b int32) bool {
	return func(a, b int32) bool {
		if edges[a].Score != edges[b].Score {
			return edges[a].Score > edges[b].Score
		}
		return edges[a].Job < edges[b].Job
	}
}

// extendViolators checks the solved network's dual prices against every
// inactive edge. For each person with edges that break them it makes the
// best of those active, at most as many as it has active already. It
// reports whether it added any.
//
// Let u be the price of a person and v that of a job, both non-negative,
// with the total of the assignment equal to Σ u + Σ headcount·v. If also
// u_p + v_j ≥ w for every edge, the prices are a feasible solution of the
// dual linear program with the assignment's value. The assignment is then
// optimal over all edges, because the b-matching LP of a bipartite graph
// has integral optima. The network's prices already pass for the active edges. Taking
// breaking edges, not a person's next best, matters when a person scores
// many jobs alike and the first of them by index are all full.
func (g *edgeGroups) extendViolators(edges []Edge, net *flowNetwork, weight func(float64) int64) bool {
	extended := false
	for p := range g.active {
		u := net.personPrice(p)
		all := g.edges(p)
		n := g.active[p]
		for k := n; k < len(all); k++ {
			i := all[k]
			if u+net.jobPrice(edges[i].Job) < weight(edges[i].Score) {
				all[n], all[k] = all[k], all[n]
				n++
			}
		}
		if n == g.active[p] {
			continue
		}
		// At most double the person's active edges, taking the best of
		// the breaking ones: all of them can be thousands.
		add := min(n-g.active[p], max(g.active[p], 1))
		selectBest(all[g.active[p]:n], add, g.better(edges))
		g.active[p] += add
		slices.SortFunc(all[:g.active[p]], func(a, b int32) int { return edges[a].Job - edges[b].Job })
		extended = true
	}
	return extended
}

// selectBest moves the n best items of s to its front, in no particular
// order, in O(len(s) · log n) time with a heap whose root is the worst
// item kept so far.
func selectBest(s []int32, n int, better func(a, b int32) bool) {
	if n <= 0 {
		return
	}
	heap := s[:n]
	siftDown := func(i int) {
		for {
			worst := i
			for _, c := range [2]int{2*i + 1, 2*i + 2} {
				if c < n && better(heap[worst], heap[c]) {
					worst = c
				}
			}
			if worst == i {
				return
			}
			heap[i], heap[worst] = heap[worst], heap[i]
			i = worst
		}
	}
	for i := n/2 - 1; i >= 0; i-- {
		siftDown(i)
	}
	for i := n; i < len(s); i++ {
		if better(s[i], heap[0]) {
			s[i], heap[0] = heap[0], s[i]
			siftDown(0)
		}
	}
}
