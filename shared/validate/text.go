package validate

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameRunes is the maximum length of a person's name in characters.
const MaxNameRunes = 50

// MiddleDot (U+00B7 MIDDLE DOT) is the stored separator of transliterated
// names such as 阿依古丽·买买提.
const MiddleDot = '\u00B7'

// middleDots are the code points people and input methods use for the
// middle dot in names; Name stores all of them as MiddleDot.
var middleDots = map[rune]bool{
	'\u00B7': true, // middle dot
	'\u2022': true, // bullet
	'\u30FB': true, // katakana middle dot
	'\uFF0E': true, // full-width full stop
	'\u2027': true, // hyphenation point
	'\uFF65': true, // half-width katakana middle dot
}

// Name trims a person's name and makes its middle dot canonical. It rejects
// an empty name, a name longer than MaxNameRunes, control characters, and
// U+FFFD, which a decoder writes where the file's encoding could not represent
// a character (such as a rare character made with a "造字" tool).
func Name(s string) (string, error) {
	name := normaliseName(s)
	if name == "" {
		return "", newError("validate.name.required")
	}
	if err := checkText("name", name, MaxNameRunes); err != nil {
		return "", err
	}
	// A name that starts like a formula would run as one when the list goes
	// back into a spreadsheet.
	if strings.ContainsRune("=+-@", rune(name[0])) {
		return "", newError("validate.name.formula", name)
	}
	return name, nil
}

// NameKey returns the key a name search compares: the name as Name normalises
// it, without middle dots or spaces and in lower case. Both spellings of
// 阿依古丽·买买提, and 阿依古丽买买提, have one key. It returns a key for
// any input, so it also works on a partial name typed into a search box.
func NameKey(s string) string {
	var b strings.Builder
	for _, r := range normaliseName(s) {
		if r == MiddleDot || unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// normaliseName trims s, collapses each run of spaces to one space, makes
// every middle dot canonical and drops spaces next to a middle dot. A name
// of two or three Chinese characters loses its spaces, which lists add to
// line up 林  静 with 欧阳静.
func normaliseName(s string) string {
	name := collapseName(s)
	if han, other := hanCount(name); other == 0 && han <= 3 {
		name = strings.ReplaceAll(name, " ", "")
	}
	return name
}

// hanCount counts the Chinese characters of s, and the other characters
// that are not spaces.
func hanCount(s string) (han, other int) {
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r != ' ':
			other++
		}
	}
	return han, other
}

// collapseName is normaliseName without the removal of spaces from short
// Chinese names.
func collapseName(s string) string {
	var out []rune
	space := false
	for _, r := range trim(s) {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case middleDots[r]:
			out = append(out, MiddleDot)
		default:
			if space && (len(out) == 0 || out[len(out)-1] != MiddleDot) {
				out = append(out, ' ')
			}
			out = append(out, r)
		}
		space = false
	}
	return string(out)
}

// checkText rejects a value with U+FFFD, invalid UTF-8, a control character
// or more than maxRunes characters. The error keys are
// validate.<field>.replacement_char, .control_char and .too_long.
func checkText(field, s string, maxRunes int) *Error {
	for _, r := range s {
		if r == utf8.RuneError {
			return newError("validate."+field+".replacement_char", s)
		}
		if unicode.IsControl(r) {
			return newError("validate."+field+".control_char", s)
		}
	}
	if n := utf8.RuneCountInString(s); n > maxRunes {
		return newError("validate."+field+".too_long", s, n, maxRunes)
	}
	return nil
}

// trim removes leading and trailing white space, including tabs, U+3000
// (the full-width space), and the byte order mark and zero-width space that
// text copied from web pages and Word documents often carries.
func trim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B'
	})
}

// narrow maps full-width ASCII forms (U+FF01 to U+FF5E), which Chinese input
// methods produce, to ASCII, and U+3000 to a space.
func narrow(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '\uFF01' && r <= '\uFF5E':
			return r - 0xFEE0
		case r == '\u3000':
			return ' '
		}
		return r
	}, s)
}

// removeSpace drops every white-space character, as inside a number.
func removeSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B' {
			return -1
		}
		return r
	}, s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Narrow maps full-width ASCII forms, which Chinese input methods produce,
// to ASCII, and trims surrounding space: ４０ becomes 40.
func Narrow(s string) string { return trim(narrow(s)) }
