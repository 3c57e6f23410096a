package report

import (
	"fmt"
	"strconv"

	"github.com/go-analyze/charts"

	"mobilefactory/shared/assessment"
)

// Size of the radar chart image in pixels. The PDF scales it to
// radarWidthMM, so 640 pixels over 84 mm is about 190 dpi. The image is
// wider than tall to leave room for the labels beside the chart.
const (
	radarWidthPx  = 640
	radarHeightPx = 400
	radarWidthMM  = 84.0
	// radarLabelSize is the font size of the corner labels, chosen to read
	// like the body text once the image is scaled to radarWidthMM.
	radarLabelSize = 18
)

// RadarPNG renders the six interest scores of p (0–100) as a radar chart
// in PNG, each corner labelled with the dimension's name in locale and its
// score.
func RadarPNG(p assessment.Profile, locale string) ([]byte, error) {
	font, err := bundledFont()
	if err != nil {
		return nil, err
	}

	names := make([]string, 0, assessment.NumDimensions)
	maxima := make([]float64, 0, assessment.NumDimensions)
	scores := make([]float64, 0, assessment.NumDimensions)
	for _, d := range assessment.Dimensions {
		names = append(names, d.Name(locale)+" "+strconv.FormatFloat(p.Scores[d], 'f', 1, 64))
		maxima = append(maxima, 100)
		scores = append(scores, p.Scores[d])
	}

	opt := charts.NewRadarChartOptionWithData([][]float64{scores}, names, maxima)
	for i := range opt.RadarIndicators {
		opt.RadarIndicators[i].FontStyle = charts.FontStyle{FontSize: radarLabelSize, Font: font}
	}
	painter := charts.NewPainter(charts.PainterOptions{
		OutputFormat: charts.ChartOutputPNG,
		Width:        radarWidthPx,
		Height:       radarHeightPx,
		Font:         font,
	})

	if err := painter.RadarChart(opt); err != nil {
		return nil, fmt.Errorf("rendering the radar chart: %w", err)
	}
	png, err := painter.Bytes()
	if err != nil {
		return nil, fmt.Errorf("encoding the radar chart: %w", err)
	}
	return png, nil
}
