package i18n

import "golang.org/x/text/width"

// DisplayWidth returns how many columns s takes in a terminal, and how
// many character units in an Excel column: two for each East Asian wide or
// full-width character, such as a Chinese character, one for any other.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
