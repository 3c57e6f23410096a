package report

import (
	"strings"
	"unicode"
)

// noLineStart holds punctuation that must not begin a line, so it stays
// with the character before it.
const noLineStart = "，。、；：？！）》」』”’,.;:?!)]}%"

// wrap splits text into lines that fit width millimetres at the current
// font, less the cell margins. Lines may break after any CJK character or
// at a space, and only a word wider than the line is cut inside, with a
// hyphen between two letters. Explicit line breaks are kept.
//
// fpdf's SplitText (v0.12.0) drops the CJK character at which it breaks
// a line, so the report wraps text itself.
func (d *doc) wrap(text string, width float64) []string {
	limit := width - 2*d.pdf.GetCellMargin()
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		lines = append(lines, d.wrapParagraph(para, limit)...)
	}
	return lines
}

func (d *doc) wrapParagraph(text string, limit float64) []string {
	var lines []string
	line, lineWidth := "", 0.0
	for _, token := range tokens(text) {
		w := d.pdf.GetStringWidth(token)
		if lineWidth+w <= limit {
			line += token
			lineWidth += w
			continue
		}
		if line != "" {
			lines = append(lines, strings.TrimRight(line, " "))
		}
		token = strings.TrimLeft(token, " ")
		line, lineWidth = "", 0
		// A token wider than a whole line is cut into pieces that fit. A
		// cut between two letters of a word gets a hyphen. A cut in a
		// number or code gets none, because a hyphen would read as part
		// of it.
		hyphen := d.pdf.GetStringWidth("-")
		prev := rune(0)
		for _, r := range token {
			rw := d.pdf.GetStringWidth(string(r))
			inWord := isLatinLetter(prev) && isLatinLetter(r)
			reserve := 0.0
			if inWord {
				reserve = hyphen
			}
			if lineWidth+rw+reserve > limit && line != "" {
				if inWord {
					line += "-"
				}
				lines = append(lines, line)
				line, lineWidth = "", 0
			}
			line += string(r)
			lineWidth += rw
			prev = r
		}
	}
	return append(lines, strings.TrimRight(line, " "))
}

// tokens splits text into the pieces a line may not break inside: a CJK
// character, or a run of other characters up to and including the spaces
// after it. Punctuation in noLineStart joins the piece before it.
func tokens(text string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	prevSpace := false
	for _, r := range text {
		switch {
		case strings.ContainsRune(noLineStart, r):
			if cur.Len() == 0 && len(out) > 0 {
				out[len(out)-1] += string(r)
				continue
			}
			cur.WriteRune(r)
		case isWide(r):
			flush()
			cur.WriteRune(r)
			flush()
		case r == ' ':
			cur.WriteRune(r)
		default:
			if prevSpace {
				flush()
			}
			cur.WriteRune(r)
		}
		prevSpace = r == ' '
	}
	flush()
	return out
}

// longestWord returns the width, at the current font, of the widest piece
// of text that wrap keeps on one line when it can: a word without CJK
// characters.
func (d *doc) longestWord(text string) float64 {
	longest := 0.0
	for _, token := range tokens(text) {
		if strings.IndexFunc(token, isWide) >= 0 {
			continue
		}
		longest = max(longest, d.pdf.GetStringWidth(strings.TrimRight(token, " ")))
	}
	return longest
}

func isLatinLetter(r rune) bool { return unicode.IsLetter(r) && !isWide(r) }

// isWide reports whether a line may break before and after r: CJK
// ideographs, kana, hangul and full-width forms.
func isWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}
