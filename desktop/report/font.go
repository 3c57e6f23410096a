package report

import (
	"fmt"
	"strings"
	"sync"

	"github.com/golang/freetype/truetype"

	"mobilefactory/assets/fonts"
)

// fontFamily is the name the PDF registers the bundled font under.
const fontFamily = "wqy"

var (
	parseOnce  sync.Once
	parsedFont *truetype.Font
	parseErr   error
)

// bundledFont returns the bundled font parsed once, for checking which
// characters the PDF can draw.
func bundledFont() (*truetype.Font, error) {
	parseOnce.Do(func() {
		parsedFont, parseErr = truetype.Parse(fonts.MicroHei)
		if parseErr != nil {
			parseErr = fmt.Errorf("parsing the bundled font: %w", parseErr)
		}
	})
	return parsedFont, parseErr
}

// missingGlyph replaces characters the bundled font has no glyph for, such
// as emoji typed into an evaluation. fpdf stops with an error on a
// character outside the font's range, and draws nothing for one without a
// glyph, so the reader would not see that text was left out.
const missingGlyph = "?"

// drawable returns s with every character the font cannot draw replaced
// by missingGlyph. Line breaks and tabs become spaces, except that keepLines
// keeps line breaks for paragraphs.
func drawable(font *truetype.Font, s string, keepLines bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' && keepLines:
			b.WriteRune(r)
		case r == '\r':
		case r == '\n' || r == '\t':
			b.WriteRune(' ')
		case r < ' ' || r > 0xFFFF || font.Index(r) == 0:
			b.WriteString(missingGlyph)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
