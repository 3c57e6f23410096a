package display

import (
	"strings"
	"unicode/utf8"
)

// MaskReason returns an import message with the personal values it quotes
// masked: value, the cell the message is about, when it is an address, and
// every run of digits that may be an ID number or a phone.
func MaskReason(message, value string, address bool) string {
	if address && value != "" {
		message = strings.ReplaceAll(message, value, MaskAddress(value))
	}
	return maskDigitRuns(message)
}

// maskDigitRuns masks the runs of ASCII or full-width digits in s that an
// import message may quote from a cell:
//   - 15 to 18 characters, the last possibly X: an ID number, even with a
//     digit too many or too few, masked as MaskID does;
//   - 10 to 12 digits from a 1: a mainland mobile number, masked as
//     MaskPhone does;
//   - any other run of 12 or more digits, such as the digits of an ID
//     number Excel stored as 3.60102200305142e+17, masked as an ID number.
//
// Shorter runs, such as a phone cell of 12345, stay visible so that the
// clerk can find the wrong value.
func maskDigitRuns(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isDigit(r) {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		j, digits := i, 0
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !isDigit(r) {
				break
			}
			j += n
			digits++
		}
		if r, n := utf8.DecodeRuneInString(s[j:]); digits >= 14 && digits <= 17 && (r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ') {
			j += n
			digits++
		}
		run := s[i:j]
		first, _ := utf8.DecodeRuneInString(run)
		switch {
		case digits >= 15 && digits <= 18, digits >= 12 && !(first == '1' || first == '１'):
			run = MaskID(run)
		case digits >= 10 && digits <= 12:
			run = MaskPhone(run)
		}
		b.WriteString(run)
		i = j
	}
	return b.String()
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }
