package chart

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"

	"mobilefactory/shared/assessment"
	"mobilefactory/shared/i18n"
)

var (
	practical = assessment.Profile{Scores: [assessment.NumDimensions]float64{87.5, 62.5, 25, 37.5, 50, 75}}
	social    = assessment.Profile{Scores: [assessment.NumDimensions]float64{25, 37.5, 62.5, 90, 75, 12.5}}
)

func TestRadarPNGDecodesAtRequestedSize(t *testing.T) {
	data, err := RadarPNG(practical, i18n.Chinese, 320, 260)
	if err != nil {
		t.Fatalf("RadarPNG: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("png.Decode: %v", err)
	}
	if got := img.Bounds().Size(); got != image.Pt(320, 260) {
		t.Errorf("image size = %v, want (320,260)", got)
	}
}

func TestRadarDrawsInTheMiddle(t *testing.T) {
	img, err := Radar(practical, i18n.Chinese, 320, 260)
	if err != nil {
		t.Fatalf("Radar: %v", err)
	}
	// The filled profile covers the centre, so the middle 40×40 pixels are
	// not all background.
	if n := countNonWhite(img, image.Rect(140, 110, 180, 150)); n == 0 {
		t.Error("the middle of the chart is blank")
	}
}

func TestRadarLabelsInsideImage(t *testing.T) {
	// English labels are wider than Chinese ones. When none is cut off, the
	// outer 3 pixels on the left and right stay background.
	img, err := Radar(practical, i18n.English, 320, 260)
	if err != nil {
		t.Fatalf("Radar: %v", err)
	}
	if n := countNonWhite(img, image.Rect(0, 0, 3, 260)); n != 0 {
		t.Errorf("left edge has %d drawn pixels, want 0", n)
	}
	if n := countNonWhite(img, image.Rect(317, 0, 320, 260)); n != 0 {
		t.Errorf("right edge has %d drawn pixels, want 0", n)
	}
}

func TestRadarDiffersByProfile(t *testing.T) {
	a, err := RadarPNG(practical, i18n.Chinese, 200, 200)
	if err != nil {
		t.Fatalf("RadarPNG(practical): %v", err)
	}
	b, err := RadarPNG(social, i18n.Chinese, 200, 200)
	if err != nil {
		t.Fatalf("RadarPNG(social): %v", err)
	}
	again, err := RadarPNG(practical, i18n.Chinese, 200, 200)
	if err != nil {
		t.Fatalf("RadarPNG(practical) again: %v", err)
	}
	if bytes.Equal(a, b) {
		t.Error("two different profiles gave the same image")
	}
	if !bytes.Equal(a, again) {
		t.Error("one profile drawn twice gave different images")
	}
}

func TestRadarRejectsBadInput(t *testing.T) {
	cases := []struct {
		name          string
		profile       assessment.Profile
		width, height int
		want          error
	}{
		{"too narrow", practical, MinSize - 1, 200, ErrSize},
		{"too tall", practical, 200, MaxSize + 1, ErrSize},
		{"score above 100", assessment.Profile{Scores: [assessment.NumDimensions]float64{100.1}}, 200, 200, ErrScore},
		{"negative score", assessment.Profile{Scores: [assessment.NumDimensions]float64{0, -1}}, 200, 200, ErrScore},
		{"NaN score", assessment.Profile{Scores: [assessment.NumDimensions]float64{math.NaN()}}, 200, 200, ErrScore},
	}
	for _, c := range cases {
		_, err := RadarPNG(c.profile, i18n.Chinese, c.width, c.height)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: RadarPNG error = %v, want %v", c.name, err, c.want)
		}
	}
}

// countNonWhite returns the number of pixels in r that are not white.
func countNonWhite(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if !isWhite(img.At(x, y)) {
				n++
			}
		}
	}
	return n
}

func isWhite(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r == 0xffff && g == 0xffff && b == 0xffff
}
