package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sampleMachine is a fixed machine, so the page depends only on the input.
var sampleMachine = machine{cores: 2, model: "AMD EPYC 7B13", memory: "24 GiB", goVersion: "go1.26.8",
	date: time.Date(2026, 12, 5, 6, 42, 0, 0, time.UTC)}

func renderSample(t *testing.T) string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sample.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := parse(f, module)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	render(&b, rs, sampleMachine, "3x", "## Notes\n\nHand-written prose.\n")
	return b.String()
}

// The budget table carries each measured budget with its figure, verdict
// and command, and names the benchmarks still to be written.
func TestRenderBudgetLines(t *testing.T) {
	page := renderSample(t)
	want := []string{
		"Run on 2026-12-05 06:42 UTC with go1.26.8: 2 cores (AMD EPYC 7B13), 24 GiB of memory. Each benchmark ran with `-benchtime 3x` unless its command below says otherwise.",
		"| push 10k person records (with their training and internships) from one device, applied and durable on the server | ≥ 50k records/s end to end over loopback | 12.8k records/s | **missed by a factor of 3.9×** | `BenchmarkPush10kPersons` (records/s): `go test -tags migrated_fynedo -run '^$' -bench '^BenchmarkPush10kPersons$' -benchtime 3x ./desktop/syncclient` |\n",
		"| first pull of a college's 20k records to a new device | < 2 s | 3.2 s | **missed by a factor of 1.6×** |",
		"| bytes on the wire per person record | ≤ 150 | 142 wire-bytes/person | met, 0.95× of the budget |",
		"| ″ | ″ | 247 wire-bytes/person | **missed by a factor of 1.6×** | `BenchmarkFirstPull20k` (wire-bytes/person)",
		"| 300 devices syncing at once | server RSS < 1 GiB, p99 ack < 1 s | 143 server-peak-RSS-MiB | met, 0.14× of the budget |",
		"| ″ | ″ | 759 p99-ack-ms | met, 0.76× of the budget |",
		"| best 50 candidates for one job in a pool of 1M | p50 < 10 ms, p99 < 50 ms | not measured yet | — | `BenchmarkBest50Of1M` (to be added) |",
		"| match all 10k open job demands against the pool | < 60 s | not measured yet | — | `BenchmarkAll10kDemands` (to be added) |",
		"| assign 5k fair visitors to 2k jobs under headcounts | < 5 s | not measured yet | — | `BenchmarkAssign5kVisitors2kJobs` (to be added) |",
		"| desktop: first frame with 50k local records / search keystroke | < 1.5 s / < 30 ms | 1.14 s | met, 0.76× of the budget |",
		"| ″ | ″ | 22 ms (worst: `zzz`) | met, 0.73× of the budget |",
		"| import a 100k-row graduate xlsx with full validation | < 20 s | 7 s | met, 0.35× of the budget |",
		"| half-year report over 1M people | < 10 s | not measured yet | — | `BenchmarkHalfYearReport1M` (to be added) |",
	}
	for _, line := range want {
		if !strings.Contains(page, line) {
			t.Errorf("page lacks line\n%s\npage:\n%s", line, page)
		}
	}
}

// Every benchmark of the output gets a row, repeated lines give their
// mean, and the notes come last.
func TestRenderAllBenchmarksAndNotes(t *testing.T) {
	page := renderSample(t)
	for _, line := range []string{
		"| shared/demo | `BenchmarkGenerate20k` | 300 ms |  |",
		"| shared/demo | `BenchmarkGenerate1M` | 32.1 s | 369 peak-heap-MiB, 5139536 records |",
		"| desktop/store | `BenchmarkSearchKeystroke50k/0219` | 21 ms |  |",
		"| syncserver | `BenchmarkLoad300Devices` | 9 s | 900 acks, 478 p50-ack-ms, 759 p99-ack-ms, 143 server-peak-RSS-MiB |",
	} {
		if !strings.Contains(page, line) {
			t.Errorf("page lacks line\n%s", line)
		}
	}
	if !strings.HasSuffix(page, "## Notes\n\nHand-written prose.\n") {
		t.Errorf("page does not end with the notes:\n%s", page[max(0, len(page)-200):])
	}
	if strings.Contains(page, "load_test.go") {
		t.Error("page carries a log line of the benchmark output")
	}
}

func TestParseRejectsBrokenResult(t *testing.T) {
	_, err := parse(strings.NewReader("pkg: mobilefactory/x\nBenchmarkA-2 3 100 ns/op 5\n"), module)
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("parse of an unpaired value = %v, want an error naming line 2", err)
	}
}

func TestTrimProcs(t *testing.T) {
	for in, want := range map[string]string{
		"BenchmarkPush10kPersons-2":         "BenchmarkPush10kPersons",
		"BenchmarkSearchKeystroke50k/w-16":  "BenchmarkSearchKeystroke50k/w",
		"BenchmarkSearchKeystroke50k/x-ray": "BenchmarkSearchKeystroke50k/x-ray",
		"BenchmarkOpen50k":                  "BenchmarkOpen50k",
	} {
		if got := trimProcs(in); got != want {
			t.Errorf("trimProcs(%q) = %q, want %q", in, got, want)
		}
	}
}

// run writes the page from files and includes the notes file.
func TestRunWritesPage(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.md")
	if err := os.WriteFile(notes, []byte("Notes kept by hand.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "benchmarks.md")
	if err := run(filepath.Join("testdata", "sample.txt"), notes, out, "3x"); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(page), "# Benchmarks\n") || !strings.HasSuffix(string(page), "Notes kept by hand.\n") {
		t.Errorf("page = %q, want the title first and the notes last", page)
	}
}
