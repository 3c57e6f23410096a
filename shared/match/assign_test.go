package match

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// assignInstance is one input of Assign.
type assignInstance struct {
	persons    int
	headcounts []int
	edges      []Edge
}

// drawScore draws a score as the engine gives them (whole points or halves)
// or an arbitrary float, sometimes 0.
func drawScore(t *rapid.T) float64 {
	switch rapid.IntRange(0, 3).Draw(t, "kind") {
	case 0:
		return float64(rapid.IntRange(0, 150).Draw(t, "points"))
	case 1:
		return float64(rapid.IntRange(0, 300).Draw(t, "halves")) / 2
	default:
		return rapid.Float64Range(0, 150).Draw(t, "score")
	}
}

// drawInstance draws persons, jobs and edges within the given limits. Edges
// may repeat a pair.
func drawInstance(t *rapid.T, maxPersons, maxJobs, maxHeadcount, maxEdges int) assignInstance {
	in := assignInstance{persons: rapid.IntRange(0, maxPersons).Draw(t, "persons")}
	jobs := rapid.IntRange(0, maxJobs).Draw(t, "jobs")
	for range jobs {
		in.headcounts = append(in.headcounts, rapid.IntRange(0, maxHeadcount).Draw(t, "headcount"))
	}
	if in.persons == 0 || jobs == 0 {
		return in
	}
	for range rapid.IntRange(0, maxEdges).Draw(t, "edges") {
		in.edges = append(in.edges, Edge{
			Person: rapid.IntRange(0, in.persons-1).Draw(t, "person"),
			Job:    rapid.IntRange(0, jobs-1).Draw(t, "job"),
			Score:  drawScore(t),
		})
	}
	return in
}

// bestScores returns the highest score of each (person, job) pair.
func bestScores(edges []Edge) map[[2]int]float64 {
	best := map[[2]int]float64{}
	for _, e := range edges {
		pair := [2]int{e.Person, e.Job}
		if s, ok := best[pair]; !ok || e.Score > s {
			best[pair] = e.Score
		}
	}
	return best
}

// bruteForceTotal returns the optimal total by trying every choice of job
// (or none) for every person.
func bruteForceTotal(in assignInstance) float64 {
	best := bestScores(in.edges)
	options := make([][]int, in.persons)
	for pair := range best {
		options[pair[0]] = append(options[pair[0]], pair[1])
	}
	free := slices.Clone(in.headcounts)
	var search func(p int, total float64) float64
	search = func(p int, total float64) float64 {
		if p == in.persons {
			return total
		}
		result := search(p+1, total)
		for _, j := range options[p] {
			if free[j] > 0 {
				free[j]--
				result = max(result, search(p+1, total+best[[2]int{p, j}]))
				free[j]++
			}
		}
		return result
	}
	return search(0, 0)
}

// checkFeasible fails t unless a assigns each person at most one job over
// an existing edge, keeps every job within its headcount, and totals the
// best scores of its pairs.
func checkFeasible(t interface {
	Helper()
	Fatalf(string, ...any)
}, in assignInstance, a Assignment) {
	t.Helper()
	if len(a.Job) != in.persons {
		t.Fatalf("len(Job) = %d, want %d persons", len(a.Job), in.persons)
	}
	best := bestScores(in.edges)
	assigned := make([]int, len(in.headcounts))
	total := 0.0
	for p, j := range a.Job {
		if j == -1 {
			continue
		}
		score, ok := best[[2]int{p, j}]
		if !ok {
			t.Fatalf("person %d assigned to job %d without an edge", p, j)
		}
		assigned[j]++
		total += score
	}
	for j, n := range assigned {
		if n > in.headcounts[j] {
			t.Fatalf("job %d has %d persons, headcount %d", j, n, in.headcounts[j])
		}
	}
	if math.Abs(total-a.Total) > 1e-9 {
		t.Fatalf("Total = %v, but the assigned pairs score %v", a.Total, total)
	}
}

func TestAssignBeatsGreedy(t *testing.T) {
	// Greedy gives person 0 its best job 0 (10) and leaves person 1 out.
	// Moving person 0 to job 1 frees job 0 for person 1: 9 + 8 = 17.
	edges := []Edge{{0, 0, 10}, {0, 1, 9}, {1, 0, 8}}
	a, err := Assign(2, []int{1, 1}, edges)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Job, []int{1, 0}) {
		t.Errorf("Job = %v, want [1 0]", a.Job)
	}
	if a.Total != 17 {
		t.Errorf("Total = %v, want 17", a.Total)
	}
}

func TestAssignScoreOverCount(t *testing.T) {
	// Assigning both persons (1 + 1) scores less than person 0 alone in job 0.
	edges := []Edge{{0, 0, 10}, {0, 1, 1}, {1, 0, 1}}
	a, err := Assign(2, []int{1, 1}, edges)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Job, []int{0, -1}) {
		t.Errorf("Job = %v, want [0 -1]", a.Job)
	}
	if a.Total != 10 {
		t.Errorf("Total = %v, want 10", a.Total)
	}
}

func TestAssignHeadcountZero(t *testing.T) {
	edges := []Edge{{0, 0, 100}, {1, 0, 90}, {0, 1, 5}, {1, 2, 7}}
	a, err := Assign(2, []int{0, 1, 2}, edges)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Job, []int{1, 2}) {
		t.Errorf("Job = %v, want [1 2]", a.Job)
	}
	if a.Total != 12 {
		t.Errorf("Total = %v, want 12", a.Total)
	}
}

func TestAssignPersonWithoutEdges(t *testing.T) {
	edges := []Edge{{0, 0, 3.5}, {2, 0, 2.5}}
	a, err := Assign(3, []int{2}, edges)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Job, []int{0, -1, 0}) {
		t.Errorf("Job = %v, want [0 -1 0]", a.Job)
	}
	if a.Total != 6 {
		t.Errorf("Total = %v, want 6", a.Total)
	}
}

func TestAssignDuplicateKeepsBest(t *testing.T) {
	edges := []Edge{{0, 0, 4}, {1, 0, 6}, {0, 0, 9}, {0, 0, 1}}
	a, err := Assign(2, []int{1}, edges)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Job, []int{0, -1}) {
		t.Errorf("Job = %v, want [0 -1]", a.Job)
	}
	if a.Total != 9 {
		t.Errorf("Total = %v, want 9", a.Total)
	}
}

func TestAssignNothingToAssign(t *testing.T) {
	a, err := Assign(0, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Job) != 0 || a.Total != 0 {
		t.Errorf("Assign(0, nil, nil) = %+v, want no jobs and total 0", a)
	}

	a, err = Assign(2, []int{3}, []Edge{{0, 0, 0}, {1, 0, 0}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Job, []int{-1, -1}) || a.Total != 0 {
		t.Errorf("Assign with only zero scores = %+v, want nobody assigned", a)
	}
}

func TestAssignExtremeScores(t *testing.T) {
	in := assignInstance{persons: 2, headcounts: []int{1, 1}, edges: []Edge{{0, 0, 1e300}, {1, 0, 1e-300}, {1, 1, 5e-324}}}
	a, err := Assign(in.persons, in.headcounts, in.edges)
	if err != nil {
		t.Fatal(err)
	}
	checkFeasible(t, in, a)
	if a.Job[0] != 0 {
		t.Errorf("Job[0] = %d, want 0", a.Job[0])
	}

	tiny := assignInstance{persons: 1, headcounts: []int{1}, edges: []Edge{{0, 0, 5e-324}}}
	a, err = Assign(tiny.persons, tiny.headcounts, tiny.edges)
	if err != nil {
		t.Fatal(err)
	}
	checkFeasible(t, tiny, a)
}

func TestAssignRejectsInvalidInput(t *testing.T) {
	cases := []struct {
		name       string
		persons    int
		headcounts []int
		edges      []Edge
	}{
		{"negative persons", -1, []int{1}, nil},
		{"negative headcount", 1, []int{1, -2}, nil},
		{"person below range", 2, []int{1}, []Edge{{-1, 0, 1}}},
		{"person above range", 2, []int{1}, []Edge{{2, 0, 1}}},
		{"job below range", 2, []int{1}, []Edge{{0, -1, 1}}},
		{"job above range", 2, []int{1}, []Edge{{0, 1, 1}}},
		{"negative score", 2, []int{1}, []Edge{{0, 0, 1}, {1, 0, -0.5}}},
		{"NaN score", 2, []int{1}, []Edge{{0, 0, math.NaN()}}},
		{"infinite score", 2, []int{1}, []Edge{{0, 0, math.Inf(1)}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Assign(c.persons, c.headcounts, c.edges)
			if err == nil {
				t.Fatalf("Assign returned %+v and no error", a)
			}
		})
	}
}

func TestAssignFeasibleAndDeterministic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := drawInstance(t, 40, 10, 4, 200)
		a, err := Assign(in.persons, in.headcounts, in.edges)
		if err != nil {
			t.Fatal(err)
		}
		checkFeasible(t, in, a)

		shuffled := slices.Clone(in.edges)
		rng := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 1))
		rng.Shuffle(len(shuffled), func(i, k int) { shuffled[i], shuffled[k] = shuffled[k], shuffled[i] })
		b, err := Assign(in.persons, in.headcounts, shuffled)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Job, b.Job) {
			t.Fatalf("shuffled edges give Job = %v, want %v", b.Job, a.Job)
		}
	})
}

func TestAssignMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := drawInstance(t, 7, 4, 3, 20)
		want := bruteForceTotal(in)
		// topJobs 1 starts from each person's single best edge, so the
		// check of the left-out edges has to add the rest where needed.
		for _, topJobs := range []int{1, initialTopJobs} {
			a, _, err := assign(in.persons, in.headcounts, in.edges, topJobs)
			if err != nil {
				t.Fatal(err)
			}
			checkFeasible(t, in, a)
			if math.Abs(a.Total-want) > 1e-9 {
				t.Fatalf("topJobs %d: Total = %v, brute force %v (Job %v)", topJobs, a.Total, want, a.Job)
			}
		}
	})
}

func TestAssignPrunedEqualsFull(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := drawInstance(t, 60, 15, 5, 600)
		full, _, err := assign(in.persons, in.headcounts, in.edges, len(in.edges))
		if err != nil {
			t.Fatal(err)
		}
		pruned, _, err := assign(in.persons, in.headcounts, in.edges, 1)
		if err != nil {
			t.Fatal(err)
		}
		checkFeasible(t, in, pruned)
		if math.Abs(pruned.Total-full.Total) > 1e-9 {
			t.Fatalf("Total with one edge per person first = %v, with all edges %v", pruned.Total, full.Total)
		}
	})
}

// TestAssignPruningAddsEdges shows the check of left-out edges at work:
// both persons' best edge is job 0, so solving with those alone leaves
// person 1 out, and only its second edge makes the optimum.
func TestAssignPruningAddsEdges(t *testing.T) {
	edges := []Edge{{0, 0, 10}, {0, 1, 2}, {1, 0, 9}, {1, 1, 8}}
	a, stats, err := assign(2, []int{1, 1}, edges, 1)
	if err != nil {
		t.Fatal(err)
	}
	if a.Total != 18 {
		t.Errorf("Total = %v, want 18 (person 0 in job 0, person 1 in job 1)", a.Total)
	}
	if stats.rounds != 2 {
		t.Errorf("rounds = %d, want 2", stats.rounds)
	}
}

func TestAssignDualPricesCertify(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := drawInstance(t, 30, 8, 4, 150)
		maxScore, err := validateAssignInput(in.persons, in.headcounts, in.edges)
		if err != nil {
			t.Fatal(err)
		}
		if maxScore == 0 {
			return
		}
		weight := scoreWeight(maxScore, in.persons+len(in.headcounts)+2)
		groups := groupEdges(in.persons, in.headcounts, in.edges, weight)
		for p := range in.persons {
			groups.extend(in.edges, p, len(in.edges))
		}
		net := newFlowNetwork(in.persons, in.headcounts, in.edges, groups, weight)
		net.solve()

		var primal, dual int64
		for p := range in.persons {
			u := net.personPrice(p)
			if u < 0 {
				t.Fatalf("person %d has price %d < 0", p, u)
			}
			dual += u
			if e := net.assignedEdge(p); e >= 0 {
				primal += weight(in.edges[e].Score)
			}
		}
		for j, h := range in.headcounts {
			if h > 0 {
				dual += int64(min(h, in.persons)) * net.jobPrice(j)
			}
		}
		for _, e := range in.edges {
			w := weight(e.Score)
			if in.headcounts[e.Job] > 0 && w > 0 && net.personPrice(e.Person)+net.jobPrice(e.Job) < w {
				t.Fatalf("edge %+v: prices %d + %d < weight %d", e, net.personPrice(e.Person), net.jobPrice(e.Job), w)
			}
		}
		if primal != dual {
			t.Fatalf("assigned weight %d, dual bound %d", primal, dual)
		}
	})
}
