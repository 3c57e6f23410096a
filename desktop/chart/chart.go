// Package chart draws the charts of a person's record as PNG images with
// github.com/go-analyze/charts v0.6.4 in the bundled Chinese font: the
// radar chart of an assessment profile and the growth trajectory's chart
// of approved records per half-year.
//
// It has no Fyne import, so the desktop screens and the PDF report can both
// use it and tests run without a display.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"sync"

	"github.com/go-analyze/charts"

	"mobilefactory/assets/fonts"
)

// Limits of a chart image's width and height in pixels. Screens and an A4
// report need far less, and a 4096×4096 image already takes 64 MiB as RGBA.
const (
	MinSize = 64
	MaxSize = 4096
)

// ErrSize is returned when a requested width or height is outside
// MinSize–MaxSize.
var ErrSize = errors.New("chart size out of range")

// fontFamily is the name the bundled font is installed under in charts.
const fontFamily = "wqy-microhei"

var (
	fontOnce sync.Once
	fontErr  error
)

// installFont installs the bundled font in charts once per process. The
// charts library keeps installed fonts in a registry shared by the process.
func installFont() error {
	fontOnce.Do(func() {
		if err := charts.InstallFont(fontFamily, fonts.MicroHei); err != nil {
			fontErr = fmt.Errorf("installing chart font %s: %w", fontFamily, err)
		}
	})
	return fontErr
}

// newPainter returns a PNG painter of the given size in the bundled font.
func newPainter(width, height int) (*charts.Painter, error) {
	if width < MinSize || width > MaxSize || height < MinSize || height > MaxSize {
		return nil, fmt.Errorf("%w: %d×%d pixels, want %d to %d each", ErrSize, width, height, MinSize, MaxSize)
	}
	if err := installFont(); err != nil {
		return nil, err
	}
	return charts.NewPainter(charts.PainterOptions{
		OutputFormat: charts.ChartOutputPNG,
		Width:        width,
		Height:       height,
		Font:         charts.GetFont(fontFamily),
	}), nil
}

// decode turns PNG bytes into an image.
func decode(data []byte) (image.Image, error) {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decoding chart PNG: %w", err)
	}
	return img, nil
}
