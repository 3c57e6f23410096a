// Command benchreport turns the output of make bench into
// docs/benchmarks.md: every performance budget of the design with its
// measured value, whether it was met and by what factor, the benchmark and
// command behind it, and the machine it ran on. The hand-written notes
// file is appended below the tables, so a run rewrites only the figures.
//
//	go run ./scripts/benchreport -in bin/bench.txt -notes docs/benchmarks-notes.md -out docs/benchmarks.md
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// module is the Go module path the benchmark packages are named under.
const module = "mobilefactory"

func main() {
	in := flag.String("in", "bin/bench.txt", "go test -bench output to read")
	notes := flag.String("notes", "docs/benchmarks-notes.md", "Markdown appended below the tables; missing means none")
	out := flag.String("out", "docs/benchmarks.md", "Markdown file to write")
	benchtime := flag.String("benchtime", "3x", "the -benchtime the benchmarks ran with, for the commands shown")
	flag.Parse()
	if err := run(*in, *notes, *out, *benchtime); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func run(inPath, notesPath, outPath, benchtime string) error {
	f, err := os.Open(inPath)
	if err != nil {
		return fmt.Errorf("reading benchmark output: %w", err)
	}
	defer f.Close()
	rs, err := parse(f, module)
	if err != nil {
		return fmt.Errorf("parsing %s: %w", inPath, err)
	}
	notes, err := os.ReadFile(notesPath)
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("reading notes: %w", err)
	}
	m := currentMachine(rs.cpu)
	var buf bytes.Buffer
	render(&buf, rs, m, benchtime, string(notes))
	return os.WriteFile(outPath, buf.Bytes(), 0o644)
}

// machine describes where the benchmarks ran.
type machine struct {
	cores     int
	model     string
	memory    string // such as "24 GiB", or empty when unknown
	goVersion string
	date      time.Time
}

// currentMachine describes this machine. cpu is go test's cpu line, used
// when /proc/cpuinfo is missing (on Windows and macOS).
func currentMachine(cpu string) machine {
	m := machine{cores: runtime.NumCPU(), model: cpu, goVersion: runtime.Version(), date: time.Now().UTC()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if v := procField(string(b), "model name"); v != "" {
			m.model = v
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kib int64
		if _, err := fmt.Sscanf(procField(string(b), "MemTotal"), "%d kB", &kib); err == nil {
			m.memory = fmt.Sprintf("%.0f GiB", float64(kib)/(1<<20))
		}
	}
	return m
}

// procField returns the value of the first "key: value" line of a /proc
// file with the given key.
func procField(text, key string) string {
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
