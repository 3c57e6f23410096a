package main

// comparison is how a measured value must relate to its limit.
type comparison int

const (
	below   comparison = iota // value < limit
	atMost                    // value ≤ limit
	atLeast                   // value ≥ limit
)

// measure is one figure a budget is judged on: a metric of one benchmark.
type measure struct {
	bench  string // benchmark name without the -N suffix, such as BenchmarkPush10kPersons
	pkg    string // import path below the module, such as desktop/syncclient; empty while the benchmark does not exist
	metric string // unit as go test prints it: ns/op, records/s, p99-ms …
	// worstSub judges the largest value over the benchmark's
	// sub-benchmarks (BenchmarkSearchKeystroke50k/zzz and the like).
	worstSub bool
	cmp      comparison
	limit    float64 // in the metric's unit; ns/op limits are in nanoseconds
	// benchtime is the -benchtime scripts/bench.sh gives this benchmark
	// when it is not the run's default, such as 2000x for percentiles.
	benchtime string
}

// budget is one row of the budget table.
type budget struct {
	what     string
	budget   string // as written in the design's budget table
	measures []measure
}

const second = 1e9 // nanoseconds

// budgets are the performance budgets of the product's design (its
// section "Budgets", measured on a 2-core machine), copied here so each
// run of make bench checks every one of them.
var budgets = []budget{
	{"push 10k person records (with their training and internships) from one device, applied and durable on the server",
		"≥ 50k records/s end to end over loopback",
		[]measure{{bench: "BenchmarkPush10kPersons", pkg: "desktop/syncclient", metric: "records/s", cmp: atLeast, limit: 50_000}}},
	{"first pull of a college's 20k records to a new device", "< 2 s",
		[]measure{{bench: "BenchmarkFirstPull20k", pkg: "desktop/syncclient", metric: "ns/op", cmp: below, limit: 2 * second}}},
	{"bytes on the wire per person record", "≤ 150",
		[]measure{
			{bench: "BenchmarkPush10kPersons", pkg: "desktop/syncclient", metric: "wire-bytes/person", cmp: atMost, limit: 150},
			{bench: "BenchmarkFirstPull20k", pkg: "desktop/syncclient", metric: "wire-bytes/person", cmp: atMost, limit: 150},
		}},
	{"300 devices syncing at once", "server RSS < 1 GiB, p99 ack < 1 s",
		[]measure{
			{bench: "BenchmarkLoad300Devices", pkg: "syncserver", metric: "server-peak-RSS-MiB", cmp: below, limit: 1024},
			{bench: "BenchmarkLoad300Devices", pkg: "syncserver", metric: "p99-ack-ms", cmp: below, limit: 1000},
		}},
	{"best 50 candidates for one job in a pool of 1M", "p50 < 10 ms, p99 < 50 ms",
		[]measure{
			{bench: "BenchmarkBest50Of1M", pkg: "shared/match", metric: "p50-ms", cmp: below, limit: 10, benchtime: "2000x"},
			{bench: "BenchmarkBest50Of1M", pkg: "shared/match", metric: "p99-ms", cmp: below, limit: 50, benchtime: "2000x"},
		}},
	{"match all 10k open job demands against the pool", "< 60 s",
		[]measure{{bench: "BenchmarkAll10kDemands", pkg: "shared/match", metric: "ns/op", cmp: below, limit: 60 * second, benchtime: "1x"}}},
	{"assign 5k fair visitors to 2k jobs under headcounts", "< 5 s",
		[]measure{{bench: "BenchmarkAssign5kVisitors2kJobs", pkg: "shared/match", metric: "ns/op", cmp: below, limit: 5 * second, benchtime: "1x"}}},
	{"desktop: first frame with 50k local records / search keystroke", "< 1.5 s / < 30 ms",
		[]measure{
			{bench: "BenchmarkOpen50k", pkg: "desktop/store", metric: "ns/op", cmp: below, limit: 1.5 * second},
			{bench: "BenchmarkSearchKeystroke50k", pkg: "desktop/store", metric: "ns/op", worstSub: true, cmp: below, limit: 30e6},
		}},
	{"import a 100k-row graduate xlsx with full validation", "< 20 s",
		[]measure{{bench: "BenchmarkImport100kXLSX", pkg: "desktop/importer", metric: "ns/op", cmp: below, limit: 20 * second}}},
	{"half-year report over 1M people", "< 10 s",
		[]measure{{bench: "BenchmarkHalfYearReport1M", metric: "ns/op", cmp: below, limit: 10 * second}}},
}
