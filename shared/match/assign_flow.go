package match

import "math"

// flowNetwork is the min-cost flow problem behind Assign. Node s sends one
// unit to each person p (arc s→p). A person passes it on to a job
// (p→j, cost -weight) or to the sink unassigned (p→t, cost 0), and job j
// passes up to its headcount on to the sink (j→t). A flow of one unit per
// person at minimum cost is an assignment of maximum total score.
//
// Arcs p→j and p→t have unbounded capacity, because each person's inflow of
// at most one unit already bounds them. This keeps the forward arc of a
// used pair residual, so the node potentials are the LP dual prices.
//
// Arcs live in compressed rows: the arcs out of node v are
// first[v]:first[v+1], and arc e runs to head[e] with reverse arc rev[e].
// Searches look only at first[v]:limit[v]. A job keeps its arc to the sink
// first, then its residual arcs back to persons, so they skip the many
// arcs back to persons not assigned to it, which have no capacity.
type flowNetwork struct {
	persons, jobs int
	source, sink  int32
	edgeCount     int

	first []int32
	limit []int32
	head  []int32
	rev   []int32
	cap   []int32
	cost  []int64
	edge  []int32 // the caller's edge index of arc p→j, -1 for other arcs

	// potential makes every residual arc's reduced cost
	// cost + potential[tail] - potential[head] non-negative.
	potential []int64

	// scratch space of the searches
	dist  []int64
	done  []bool
	level []int32
	next  []int32
	heap  []heapItem
	queue []int32
}

type heapItem struct {
	dist int64
	node int32
}

// unbounded is the capacity of arcs whose flow other arcs bound.
const unbounded = math.MaxInt32 / 2

// newFlowNetwork builds the network of the active edges. Nodes are the
// persons 0..persons-1, the jobs after them, then the sink and the source.
// Each node's arcs are in a fixed order (a job's arc to the sink first,
// a person's jobs by index), which fixes how ties are broken.
func newFlowNetwork(persons int, headcounts []int, edges []Edge, groups edgeGroups, weight func(float64) int64) *flowNetwork {
	jobs := len(headcounts)
	n := &flowNetwork{persons: persons, jobs: jobs}
	nodes := persons + jobs + 2
	n.sink = int32(persons + jobs)
	n.source = n.sink + 1
	job := func(j int) int32 { return int32(persons + j) }

	// Count the arcs of each node: every arc adds one to its tail and one
	// (its reverse) to its head.
	degree := make([]int32, nodes+1)
	count := func(u, v int32) { degree[u+1]++; degree[v+1]++ }
	for j, h := range headcounts {
		if h > 0 {
			count(job(j), n.sink)
		}
	}
	for p := range persons {
		count(n.source, int32(p))
		for _, i := range groups.edges(p)[:groups.active[p]] {
			count(int32(p), job(edges[i].Job))
			n.edgeCount++
		}
		count(int32(p), n.sink)
	}
	for v := range nodes {
		degree[v+1] += degree[v]
	}
	arcs := int(degree[nodes])
	n.first = degree
	n.head = make([]int32, arcs)
	n.rev = make([]int32, arcs)
	n.cap = make([]int32, arcs)
	n.cost = make([]int64, arcs)
	n.edge = make([]int32, arcs)
	fill := make([]int32, nodes)
	copy(fill, n.first[:nodes])
	add := func(u, v int32, capacity int32, cost int64, edge int32) {
		e, r := fill[u], fill[v]
		fill[u]++
		fill[v]++
		n.head[e], n.rev[e], n.cap[e], n.cost[e], n.edge[e] = v, r, capacity, cost, edge
		n.head[r], n.rev[r], n.cap[r], n.cost[r], n.edge[r] = u, e, 0, -cost, -1
	}

	// The order of these loops sets the order of each node's arcs.
	for j, h := range headcounts {
		if h > 0 {
			add(job(j), n.sink, int32(min(h, persons)), 0, -1)
		}
	}
	for p := range persons {
		add(n.source, int32(p), 1, 0, -1)
	}
	for p := range persons {
		for _, i := range groups.edges(p)[:groups.active[p]] {
			add(int32(p), job(edges[i].Job), unbounded, -weight(edges[i].Score), i)
		}
		add(int32(p), n.sink, unbounded, 0, -1)
	}

	n.limit = make([]int32, nodes)
	copy(n.limit, n.first[1:])
	for j, h := range headcounts {
		if h > 0 {
			n.limit[job(j)] = n.first[job(j)] + 1
		}
	}

	n.potential = make([]int64, nodes)
	n.dist = make([]int64, nodes)
	n.done = make([]bool, nodes)
	n.level = make([]int32, nodes)
	n.next = make([]int32, nodes)
	n.queue = make([]int32, 0, nodes)
	return n
}

// reduced returns the reduced cost of arc e out of node u.
func (n *flowNetwork) reduced(u, e int32) int64 {
	return n.cost[e] + n.potential[u] - n.potential[n.head[e]]
}

// solve sends one unit per person at minimum cost by the primal-dual
// method: a Dijkstra search sets the potentials so that the shortest paths
// from s to t have reduced cost 0, then a blocking flow (Dinic) saturates
// all such paths at once. It returns the number of searches.
//
// Each search raises the cost of the shortest path by at least one unit
// of weight, and path costs lie between minus the highest weight and 0,
// so integer scores up to 150 need at most 151 searches.
func (n *flowNetwork) solve() int {
	n.initPotentials()
	phases := 0
	for remaining := n.persons; remaining > 0; {
		n.shortestPaths()
		phases++
		remaining -= n.blockingFlow()
	}
	return phases
}

// initPotentials sets feasible potentials for the empty flow, in which
// only the arcs s→p, p→j, p→t and j→t are residual: persons at 0, a job at
// the cost of its cheapest incoming arc, the sink at the lowest of those.
func (n *flowNetwork) initPotentials() {
	for v := range n.potential {
		n.potential[v] = 0
	}
	for p := range int32(n.persons) {
		for e := n.first[p]; e < n.first[p+1]; e++ {
			if w := n.head[e]; w != n.sink && w != n.source {
				n.potential[w] = min(n.potential[w], n.cost[e])
			}
		}
	}
	for j := range n.jobs {
		n.potential[n.sink] = min(n.potential[n.sink], n.potential[n.persons+j])
	}
}

// shortestPaths runs Dijkstra on reduced costs from s until it settles t,
// then adds each settled node's distance (t's for the others) to its
// potential. Reduced costs stay non-negative on every residual arc, and
// those of the shortest s–t paths become 0.
func (n *flowNetwork) shortestPaths() {
	for v := range n.dist {
		n.dist[v] = math.MaxInt64
		n.done[v] = false
	}
	n.dist[n.source] = 0
	n.heap = append(n.heap[:0], heapItem{0, n.source})
	for len(n.heap) > 0 {
		top := n.popHeap()
		v := top.node
		if n.done[v] || top.dist > n.dist[v] {
			continue
		}
		n.done[v] = true
		if v == n.sink {
			break
		}
		for e := n.first[v]; e < n.limit[v]; e++ {
			if n.cap[e] == 0 {
				continue
			}
			w := n.head[e]
			if d := top.dist + n.reduced(v, e); d < n.dist[w] {
				n.dist[w] = d
				n.pushHeap(heapItem{d, w})
			}
		}
	}

	// The sink is always reached: a person with flow left to send has its
	// residual arc s→p and the unbounded p→t.
	sinkDist := n.dist[n.sink]
	for v := range n.potential {
		if n.done[v] {
			n.potential[v] += n.dist[v]
		} else {
			n.potential[v] += sinkDist
		}
	}
}

func (n *flowNetwork) pushHeap(item heapItem) {
	n.heap = append(n.heap, item)
	i := len(n.heap) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if n.heap[parent].dist <= item.dist {
			break
		}
		n.heap[i] = n.heap[parent]
		i = parent
	}
	n.heap[i] = item
}

func (n *flowNetwork) popHeap() heapItem {
	top := n.heap[0]
	last := n.heap[len(n.heap)-1]
	n.heap = n.heap[:len(n.heap)-1]
	size := len(n.heap)
	i := 0
	for {
		child := 2*i + 1
		if child >= size {
			break
		}
		if child+1 < size && n.heap[child+1].dist < n.heap[child].dist {
			child++
		}
		if last.dist <= n.heap[child].dist {
			break
		}
		n.heap[i] = n.heap[child]
		i = child
	}
	if size > 0 {
		n.heap[i] = last
	}
	return top
}

// blockingFlow sends flow along residual s–t paths of reduced cost 0 until
// none is left, and returns the units sent. Reverse arcs of such paths
// also have reduced cost 0, so the potentials stay feasible.
func (n *flowNetwork) blockingFlow() int {
	sent := 0
	for n.buildLevels() {
		copy(n.next, n.first[:len(n.next)])
		for n.augment(n.source) {
			sent++
		}
	}
	return sent
}

// buildLevels numbers the nodes by breadth-first distance from s over arcs
// of reduced cost 0, and reports whether t is reached.
func (n *flowNetwork) buildLevels() bool {
	for v := range n.level {
		n.level[v] = -1
	}
	n.level[n.source] = 0
	n.queue = append(n.queue[:0], n.source)
	for head := 0; head < len(n.queue); head++ {
		v := n.queue[head]
		// Arcs out of the sink's level and beyond cannot lie on a
		// shortest level path to it.
		if n.level[n.sink] >= 0 && n.level[v] >= n.level[n.sink] {
			break
		}
		for e := n.first[v]; e < n.limit[v]; e++ {
			w := n.head[e]
			if n.cap[e] > 0 && n.level[w] < 0 && n.reduced(v, e) == 0 {
				n.level[w] = n.level[v] + 1
				n.queue = append(n.queue, w)
			}
		}
	}
	return n.level[n.sink] >= 0
}

// augment sends one unit from v to t along arcs of reduced cost 0 that
// step one level up, and reports whether it found such a path. next[v]
// skips the arcs of v already found to lead nowhere.
func (n *flowNetwork) augment(v int32) bool {
	if v == n.sink {
		return true
	}
	for ; n.next[v] < n.limit[v]; n.next[v]++ {
		e := n.next[v]
		w := n.head[e]
		if n.cap[e] > 0 && n.level[w] == n.level[v]+1 && n.reduced(v, e) == 0 && n.augment(w) {
			n.push(v, e)
			return true
		}
	}
	return false
}

// push sends one unit along arc e out of node v, and keeps the residual
// arcs of a job back to persons inside the job's limit.
func (n *flowNetwork) push(v, e int32) {
	r := n.rev[e]
	n.cap[e]--
	n.cap[r]++
	w := n.head[e]
	switch {
	case n.isJob(w) && v < int32(n.persons) && n.cap[r] == 1:
		// r, from job w back to person v, became residual.
		n.swapArcs(r, n.limit[w])
		n.limit[w]++
	case n.isJob(v) && w < int32(n.persons) && n.cap[e] == 0:
		// e, from job v back to person w, is no longer residual.
		n.limit[v]--
		n.swapArcs(e, n.limit[v])
	}
}

func (n *flowNetwork) isJob(v int32) bool {
	return v >= int32(n.persons) && v < n.sink
}

// swapArcs swaps arcs a and b of one node, and the references of their
// reverse arcs to them.
func (n *flowNetwork) swapArcs(a, b int32) {
	if a == b {
		return
	}
	ra, rb := n.rev[a], n.rev[b]
	n.head[a], n.head[b] = n.head[b], n.head[a]
	n.cap[a], n.cap[b] = n.cap[b], n.cap[a]
	n.cost[a], n.cost[b] = n.cost[b], n.cost[a]
	n.edge[a], n.edge[b] = n.edge[b], n.edge[a]
	n.rev[a], n.rev[b] = rb, ra
	n.rev[ra], n.rev[rb] = b, a
}

// assignedEdge returns the caller's edge index of the pair that person p
// is assigned to, or -1.
func (n *flowNetwork) assignedEdge(p int) int32 {
	for e := n.first[p]; e < n.first[p+1]; e++ {
		if n.edge[e] >= 0 && n.cap[n.rev[e]] > 0 {
			return n.edge[e]
		}
	}
	return -1
}

// personPrice returns person p's LP dual price, u_p = potential[p] -
// potential[t]. An unassigned person's unit flows on p→t, so the arc and
// its reverse are both residual and the price is 0. For an assigned person
// p→t is residual, so the price is not negative.
func (n *flowNetwork) personPrice(p int) int64 {
	return n.potential[p] - n.potential[n.sink]
}

// jobPrice returns job j's LP dual price, max(0, potential[t] -
// potential[j]). It is positive only for a full job. Jobs of headcount 0
// have no arcs, and groupEdges drops their edges before any check.
func (n *flowNetwork) jobPrice(j int) int64 {
	return max(0, n.potential[n.sink]-n.potential[n.persons+j])
}
