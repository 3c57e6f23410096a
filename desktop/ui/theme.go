package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"mobilefactory/assets/fonts"
)

// microHei is the bundled WenQuanYi Micro Hei face as a Fyne resource.
var microHei = fyne.NewStaticResource("wqy-microhei.ttf", fonts.MicroHei)

// chineseTheme is the default theme with every text style drawn in the
// bundled Chinese font. Without it Fyne falls back to a system font, which
// on Linux often draws Han characters in their Japanese forms.
//
// NOTE: the bundle has one face, so bold and italic text look regular.
type chineseTheme struct {
	fyne.Theme
}

func newChineseTheme() fyne.Theme {
	return chineseTheme{Theme: theme.DefaultTheme()}
}

// Font returns the bundled face for every style except symbols, which keep
// the default theme's symbol font.
func (t chineseTheme) Font(style fyne.TextStyle) fyne.Resource {
	if style.Symbol {
		return t.Theme.Font(style)
	}
	return microHei
}
