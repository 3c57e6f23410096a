package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// render writes the Markdown page: the machine, the budget table, the
// other benchmarks and the notes.
func render(w io.Writer, rs *results, m machine, benchtime, notes string) {
	fmt.Fprintln(w, "# Benchmarks")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "<!-- Written by `make bench` (scripts/benchreport); edit docs/benchmarks-notes.md instead. -->")
	fmt.Fprintln(w)
	model := m.model
	if model == "" {
		model = "unknown CPU"
	}
	memory := m.memory
	if memory == "" {
		memory = "unknown"
	}
	fmt.Fprintf(w, "Run on %s with %s: %d cores (%s), %s of memory. Each benchmark ran with `-benchtime %s` unless its command below says otherwise.\n",
		m.date.Format("2006-01-02 15:04 UTC"), m.goVersion, m.cores, model, memory, benchtime)
	fmt.Fprintln(w)

	fmt.Fprintln(w, "## Budgets")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| what | budget | measured | result | benchmark |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, b := range budgets {
		for i, ms := range b.measures {
			what, limit := b.what, b.budget
			if i > 0 {
				what, limit = "″", "″"
			}
			fmt.Fprintf(w, "| %s | %s | %s |\n", what, limit, judge(rs, ms, benchtime))
		}
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "## All benchmarks")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| package | benchmark | time/op | other metrics |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, res := range rs.order {
		fmt.Fprintf(w, "| %s | `%s` | %s | %s |\n", res.pkg, res.name, formatNs(res.metrics["ns/op"]), otherMetrics(res.metrics))
	}
	if notes = strings.TrimSpace(notes); notes != "" {
		fmt.Fprintln(w)
		fmt.Fprintln(w, notes)
	}
}

// judge returns the measured, result and benchmark cells of one measure.
func judge(rs *results, ms measure, benchtime string) string {
	v, from, ok := rs.find(ms)
	if !ok {
		return fmt.Sprintf("not measured yet | — | `%s` (to be added)", ms.bench)
	}
	var met bool
	switch ms.cmp {
	case below:
		met = v < ms.limit
	case atMost:
		met = v <= ms.limit
	case atLeast:
		met = v >= ms.limit
	}
	// The factor is how far the value is from the limit, in the direction
	// that matters: 2.0 means twice the budget or half of it.
	factor := v / ms.limit
	if ms.cmp == atLeast {
		factor = ms.limit / v
	}
	result := fmt.Sprintf("met, %s of the budget", formatFactor(factor))
	if !met {
		result = fmt.Sprintf("**missed by a factor of %s**", formatFactor(factor))
	}
	measured := formatValue(v, ms.metric)
	if from != ms.bench {
		measured += " (worst: `" + strings.TrimPrefix(from, ms.bench+"/") + "`)"
	}
	if ms.benchtime != "" {
		benchtime = ms.benchtime
	}
	cmd := fmt.Sprintf("go test -tags migrated_fynedo -run '^$' -bench '^%s$' -benchtime %s ./%s", ms.bench, benchtime, ms.pkg)
	return fmt.Sprintf("%s | %s | `%s` (%s): `%s`", measured, result, ms.bench, ms.metric, cmd)
}

// formatFactor prints a factor with two significant digits, such as 0.64×
// or 3.9×.
func formatFactor(f float64) string {
	return strconv.FormatFloat(f, 'g', 2, 64) + "×"
}

// formatValue prints a metric's value in a readable unit.
func formatValue(v float64, metric string) string {
	switch metric {
	case "ns/op":
		return formatNs(v)
	case "records/s":
		return fmt.Sprintf("%.1fk records/s", v/1000)
	default:
		return formatNumber(v) + " " + metric
	}
}

// formatNumber prints whole numbers from 100 up without decimals and
// smaller ones with three significant digits.
func formatNumber(v float64) string {
	if v >= 100 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// formatNs prints a duration in nanoseconds as s, ms or µs with three
// significant digits.
func formatNs(ns float64) string {
	switch {
	case ns == 0:
		return "—"
	case ns >= 1e9:
		return strconv.FormatFloat(ns/1e9, 'g', 3, 64) + " s"
	case ns >= 1e6:
		return strconv.FormatFloat(ns/1e6, 'g', 3, 64) + " ms"
	default:
		return strconv.FormatFloat(ns/1e3, 'g', 3, 64) + " µs"
	}
}

// otherMetrics lists every metric but ns/op, sorted by unit.
func otherMetrics(metrics map[string]float64) string {
	units := make([]string, 0, len(metrics))
	for u := range metrics {
		if u != "ns/op" {
			units = append(units, u)
		}
	}
	sort.Strings(units)
	parts := make([]string, len(units))
	for i, u := range units {
		parts[i] = formatNumber(metrics[u]) + " " + u
	}
	return strings.Join(parts, ", ")
}
