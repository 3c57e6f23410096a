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
	opt.CategoryAxis.Labels = labels
	// The axis labels take their own font, not the painter's, so without
	// this the Chinese half-year names show as empty boxes.
	opt.CategoryAxis.LabelFontStyle = charts.FontStyle{FontSize: 10, FontColor: axisLabelColor,
		Font: charts.GetFont(fontFamily)}
	opt.Legend = charts.LegendOption{SeriesNames: names, Offset: charts.OffsetCenter}
	opt.Padding = charts.Box{Top: 10, Right: 20, Bottom: 10, Left: 10}
	// Counts are whole records, so the value axis shows no fractions.
	opt.ValueFormatter = func(f float64) string { return strconv.FormatFloat(f, 'f', 0, 64) }
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
