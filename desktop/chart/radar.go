package chart

import (
	"errors"
	"fmt"
	"image"
	"math"
	"strconv"

	"github.com/go-analyze/charts"

	"mobilefactory/shared/assessment"
)

// ErrScore is returned when a profile holds a score outside 0–100.
var ErrScore = errors.New("assessment score out of range 0–100")

// RadarPNG draws the interest profile p as a radar chart, width×height
// pixels: six axes from 0 at the centre to 100 at the rim, in RIASEC order,
// each labelled with the dimension's name in the locale and its score, such
// as 实际型 75.0.
func RadarPNG(p assessment.Profile, locale string, width, height int) ([]byte, error) {
	return RadarPNGWithLabels(p, locale, width, height, radarLabelSize)
}

// RadarPNGWithLabels draws the chart RadarPNG draws with axis labels of
// labelSize points, for an image that is scaled down, as in the PDF report.
func RadarPNGWithLabels(p assessment.Profile, locale string, width, height int, labelSize float64) ([]byte, error) {
	names := make([]string, 0, assessment.NumDimensions)
	maxima := make([]float64, 0, assessment.NumDimensions)
	values := make([]float64, 0, assessment.NumDimensions)
	for _, d := range assessment.Dimensions {
		score := p.Scores[d]
		if !(score >= 0 && score <= 100) {
			return nil, fmt.Errorf("%w: dimension %s has %v", ErrScore, d.Letter(), score)
		}
		names = append(names, d.Name(locale)+" "+strconv.FormatFloat(score, 'f', 1, 64))
		maxima = append(maxima, 100)
		values = append(values, score)
	}

	painter, err := newPainter(width, height)
	if err != nil {
		return nil, err
	}
	opt := charts.NewRadarChartOptionWithData([][]float64{values}, names, maxima)
	opt.Legend.Show = charts.Ptr(false)
	opt.Padding = charts.NewBoxEqual(radarPadding)
	opt.Radius = strconv.Itoa(radarRadius(painter, names, width, height, labelSize))
	if labelSize != radarLabelSize {
		for i := range opt.RadarIndicators {
			opt.RadarIndicators[i].FontStyle = charts.FontStyle{FontSize: labelSize,
				FontColor: charts.ColorBlack, Font: charts.GetFont(fontFamily)}
		}
	}
	if err := painter.RadarChart(opt); err != nil {
		return nil, fmt.Errorf("drawing radar chart: %w", err)
	}
	data, err := painter.Bytes()
	if err != nil {
		return nil, fmt.Errorf("encoding radar chart: %w", err)
	}
	return data, nil
}

// Radar draws the radar chart RadarPNG draws, as an image.
func Radar(p assessment.Profile, locale string, width, height int) (image.Image, error) {
	data, err := RadarPNG(p, locale, width, height)
	if err != nil {
		return nil, err
	}
	return decode(data)
}

// radarPadding is the margin around a radar chart in pixels.
const radarPadding = 10

// radarLabelSize is the font size charts uses for radar axis labels by
// default.
const radarLabelSize = 10.0

// radarRadius returns the radius in pixels that leaves room for the axis
// labels inside the image: at most 40% of the shorter side, as charts draws
// by default, and less when the labels would otherwise be cut off. Of the
// six corners, the four at the sides sit sin(60°) of the radius away from
// the centre, and their labels extend outwards from there.
func radarRadius(painter *charts.Painter, labels []string, width, height int, labelSize float64) int {
	// MeasureText measures nothing in a transparent colour, the zero value.
	style := charts.FontStyle{FontSize: labelSize, FontColor: charts.ColorBlack, Font: charts.GetFont(fontFamily)}
	widest, tallest := 0, 0
	for _, label := range labels {
		box := painter.MeasureText(label, 0, style)
		widest = max(widest, box.Width())
		tallest = max(tallest, box.Height())
	}

	// The label offset charts adds, plus a pixel of slack on each side.
	const gap = 5 + 2
	innerWidth := float64(width - 2*radarPadding)
	innerHeight := float64(height - 2*radarPadding)
	radius := 0.4 * math.Min(innerWidth, innerHeight)
	radius = math.Min(radius, (innerWidth/2-float64(widest+gap))/math.Sin(math.Pi/3))
	radius = math.Min(radius, innerHeight/2-float64(tallest+gap))
	return max(int(radius), minRadarRadius)
}

// minRadarRadius keeps a radar chart visible when its labels take the whole
// width, at the cost of cutting them off.
const minRadarRadius = 10
