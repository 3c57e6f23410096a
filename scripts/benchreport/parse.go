package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// result is one benchmark's figures, averaged over the lines go test
// printed for it (one per -count).
type result struct {
	name    string // such as BenchmarkSearchKeystroke50k/zzz, without the -N suffix
	pkg     string // import path below the module
	metrics map[string]float64
	runs    int
}

// results is the parsed output of one make bench run.
type results struct {
	byName map[string]*result // keyed by pkg + " " + name
	order  []*result          // in the order first seen
	cpu    string             // the "cpu:" line of go test, when present
}

// parse reads go test -bench output in its plain form. It skips lines
// that are no benchmark results, such as PASS, ok and log output.
func parse(r io.Reader, module string) (*results, error) {
	out := &results{byName: map[string]*result{}}
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		switch {
		case strings.HasPrefix(text, "pkg: "):
			pkg = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(text, "pkg: "), module), "/")
		case strings.HasPrefix(text, "cpu: "):
			out.cpu = strings.TrimPrefix(text, "cpu: ")
		case strings.HasPrefix(text, "Benchmark"):
			if err := out.add(pkg, text); err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
		}
	}
	return out, sc.Err()
}

// add folds one result line into the results: a name, the iterations,
// then value and unit pairs.
func (rs *results) add(pkg, text string) error {
	fields := strings.Fields(text)
	if len(fields) < 2 {
		return nil // a benchmark's name printed alone before its log output
	}
	if _, err := strconv.Atoi(fields[1]); err != nil {
		return nil // a log line that starts with a benchmark's name
	}
	if len(fields)%2 != 0 {
		return fmt.Errorf("result %q: values and units do not pair up", text)
	}
	name := trimProcs(fields[0])
	key := pkg + " " + name
	res, ok := rs.byName[key]
	if !ok {
		res = &result{name: name, pkg: pkg, metrics: map[string]float64{}}
		rs.byName[key] = res
		rs.order = append(rs.order, res)
	}
	res.runs++
	for i := 2; i < len(fields); i += 2 {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil {
			return fmt.Errorf("result %q: invalid value %q: %w", text, fields[i], err)
		}
		unit := fields[i+1]
		// A running mean, so -count=N gives the mean of its N lines.
		res.metrics[unit] += (v - res.metrics[unit]) / float64(res.runs)
	}
	return nil
}

// trimProcs removes the -N GOMAXPROCS suffix go test adds to a name.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}

// find returns the value of a measure: the named benchmark's metric or,
// for worstSub, the largest over its sub-benchmarks, with the name of the
// benchmark it came from. ok is false when the benchmark did not run.
func (rs *results) find(m measure) (value float64, from string, ok bool) {
	for _, res := range rs.order {
		if m.pkg != "" && res.pkg != m.pkg {
			continue
		}
		matches := res.name == m.bench || (m.worstSub && strings.HasPrefix(res.name, m.bench+"/"))
		v, has := res.metrics[m.metric]
		if !matches || !has {
			continue
		}
		if !ok || v > value {
			value, from, ok = v, res.name, true
		}
		if !m.worstSub {
			break
		}
	}
	return value, from, ok
}
