package report

import (
	"mobilefactory/desktop/chart"
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
// in PNG for the report, each corner labelled with the dimension's name in
// locale and its score.
func RadarPNG(p assessment.Profile, locale string) ([]byte, error) {
	return chart.RadarPNGWithLabels(p, locale, radarWidthPx, radarHeightPx, radarLabelSize)
}
