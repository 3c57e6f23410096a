package chart

import (
	"errors"
	"fmt"
	"image"
	"strconv"

	"github.com/go-analyze/charts"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// ErrNoDates is returned when no entry of a timeline has a usable date.
var ErrNoDates = errors.New("no dated records to chart")

// TimelineEntry is one approved record on a growth trajectory.
type TimelineEntry struct {
	Date string      // ISO 8601 date or month (YYYY-MM-DD or YYYY-MM)
	Kind record.Kind // one of record.HistoryKinds
}

// axisLabelColor is the grey of the timeline's axis labels.
var axisLabelColor = charts.Color{R: 70, G: 70, B: 70, A: 255}

// maxTimelineHalves bounds the half-years one chart shows, so a wrong date
// such as 1900-01-01 does not squeeze the bars to nothing. Older records
// fall into the first bar shown.
const maxTimelineHalves = 16

// TimelinePNG draws a growth trajectory as a stacked bar chart, width×height
// pixels: one bar per half-year from the first dated record to the last,
// split by kind, so the chart shows when the person trained, took the
// assessment, interned, won awards, got certificates and was counselled.
// Labels are in locale. Entries without a parseable date are left out.
func TimelinePNG(entries []TimelineEntry, locale string, width, height int) ([]byte, error) {
	first, last := -1, -1
	halves := make([]int, len(entries))
	for i, e := range entries {
		halves[i] = halfYear(e.Date)
		if halves[i] < 0 {
			continue
		}
		if first < 0 || halves[i] < first {
			first = halves[i]
		}
		last = max(last, halves[i])
	}
	if first < 0 {
		return nil, ErrNoDates
	}
	first = max(first, last-maxTimelineHalves+1)

	labels := make([]string, 0, last-first+1)
	for h := first; h <= last; h++ {
		labels = append(labels, i18n.In(locale, "chart.half_year."+strconv.Itoa(h%2+1), h/2))
	}
	var names []string
	var values [][]float64
	for _, kind := range record.HistoryKinds {
		counts := make([]float64, len(labels))
		any := false
		for i, e := range entries {
			if e.Kind != kind || halves[i] < 0 {
				continue
			}
			counts[max(halves[i], first)-first]++
			any = true
		}
		if any {
			names = append(names, i18n.In(locale, "kind."+kind.String()))
			values = append(values, counts)
		}
	}

	painter, err := newPainter(width, height)
	if err != nil {
		return nil, err
	}
	opt := charts.NewBarChartOptionWithData(values)
	opt.StackSeries = charts.Ptr(true)
	opt.Padding = charts.Box{Top: 10, Right: 20, Bottom: 10, Left: 10}
	opt.CategoryAxis = categoryAxis(painter, labels, width-opt.Padding.Left-opt.Padding.Right)
	opt.ValueAxis = []charts.ValueAxisOption{valueAxis(maxStack(values))}
	opt.Legend = charts.LegendOption{SeriesNames: names, Offset: charts.OffsetCenter}
	if err := painter.BarChart(opt); err != nil {
		return nil, fmt.Errorf("drawing timeline chart: %w", err)
	}
	data, err := painter.Bytes()
	if err != nil {
		return nil, fmt.Errorf("encoding timeline chart: %w", err)
	}
	return data, nil
}

// Timeline draws the chart TimelinePNG draws, as an image.
func Timeline(entries []TimelineEntry, locale string, width, height int) (image.Image, error) {
	data, err := TimelinePNG(entries, locale, width, height)
	if err != nil {
		return nil, err
	}
	return decode(data)
}

// valueAxisWidth is an estimate of the pixels the value axis and its labels
// take from the plot's width.
const valueAxisWidth = 40

// maxValueLabels bounds the value axis's labels, so a tall stack gets a tick
// every few records instead of one label per record.
const maxValueLabels = 6

// categoryAxis returns the half-year axis with a label for every half-year.
// The library drops labels that it thinks collide unless the label count is
// set. Labels that do not fit side by side in plotWidth pixels are turned by
// 45 degrees.
func categoryAxis(painter *charts.Painter, labels []string, plotWidth int) charts.CategoryAxisOption {
	// The axis labels take their own font, not the painter's, so without
	// this the Chinese half-year names show as empty boxes.
	style := charts.FontStyle{FontSize: 10, FontColor: axisLabelColor, Font: charts.GetFont(fontFamily)}
	axis := charts.CategoryAxisOption{Labels: labels, LabelFontStyle: style, LabelCount: len(labels)}

	widest := 0
	for _, label := range labels {
		widest = max(widest, painter.MeasureText(label, 0, style).Width())
	}
	const gap = 8 // pixels between two labels
	if len(labels)*(widest+gap) > plotWidth-valueAxisWidth {
		axis.LabelRotation = charts.DegreesToRadians(45)
	}
	return axis
}

// valueAxis returns the count axis for stacks of up to maxTotal records. It
// runs from 0 to a multiple of its step, with one label per step, so every
// tick falls on a whole number and no label repeats.
func valueAxis(maxTotal int) charts.ValueAxisOption {
	maxTotal = max(maxTotal, 1)
	step := (maxTotal + maxValueLabels - 2) / (maxValueLabels - 1)
	top := (maxTotal + step - 1) / step * step
	return charts.ValueAxisOption{
		Min:                 charts.Ptr(0.0),
		Max:                 charts.Ptr(float64(top)),
		LabelCount:          top/step + 1,
		PreferNiceIntervals: charts.Ptr(false),
		ValueFormatter:      func(f float64) string { return strconv.FormatFloat(f, 'f', 0, 64) },
	}
}

// maxStack returns the highest bar of a stacked chart: the largest sum of
// the series' values at one category.
func maxStack(values [][]float64) int {
	if len(values) == 0 {
		return 0
	}
	highest := 0.0
	for category := range values[0] {
		sum := 0.0
		for _, series := range values {
			sum += series[category]
		}
		highest = max(highest, sum)
	}
	return int(highest)
}

// halfYear returns year*2 for January to June of the date's year and
// year*2+1 for July to December, or -1 when the date does not parse.
func halfYear(date string) int {
	if len(date) < 7 || date[4] != '-' {
		return -1
	}
	year, err1 := strconv.Atoi(date[:4])
	month, err2 := strconv.Atoi(date[5:7])
	if err1 != nil || err2 != nil || year < 1900 || month < 1 || month > 12 {
		return -1
	}
	if month <= 6 {
		return year * 2
	}
	return year*2 + 1
}
