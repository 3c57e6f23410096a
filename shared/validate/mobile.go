package validate

import "strings"

// Mobile checks a mainland China mobile number and returns its 11 digits.
// It accepts full-width digits, spaces, hyphens and a +86, 0086 or 86 country
// prefix. A valid number has 11 digits and starts with 13 to 19.
//
// Error keys: validate.phone.required, .characters, .length and .prefix.
func Mobile(s string) (string, error) {
	number := strings.Map(func(r rune) rune {
		if r == '-' || r == '\u2010' || r == '\u2011' || r == '\u2212' {
			return -1
		}
		return r
	}, removeSpace(unwrapExcelText(narrow(s))))
	if number == "" {
		return "", newError("validate.phone.required")
	}

	switch {
	case strings.HasPrefix(number, "+86"):
		number = number[3:]
	case strings.HasPrefix(number, "0086"):
		number = number[4:]
	case strings.HasPrefix(number, "86") && len(number) == 13:
		number = number[2:]
	}

	if !isDigits(number) {
		return "", newError("validate.phone.characters", trim(s))
	}
	if len(number) != 11 {
		return "", newError("validate.phone.length", trim(s), len(number))
	}
	if number[0] != '1' || number[1] < '3' {
		return "", newError("validate.phone.prefix", trim(s))
	}
	return number, nil
}
