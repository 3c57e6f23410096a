package validate

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// IDNumberLength is the length of a GB 11643-1999 resident ID number.
const IDNumberLength = 18

// idWeights are the GB 11643 weights of the first 17 digits, 2^(17-i) mod 11.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum mod 11 to the check character
// (ISO 7064 MOD 11-2, where X stands for 10).
const idCheckChars = "10X98765432"

// idProvinces are the first two digits of GB/T 2260 province codes an ID
// number can start with (83 is for residence permits of Taiwan residents).
var idProvinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// scientific matches a number as Excel shows it in scientific notation, such
// as 3.60102E+17: what is left of an ID number stored as a number.
var scientific = regexp.MustCompile(`^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$`)

// now is the clock the birth-date check compares against; tests replace it.
var now = time.Now

// IDNumber checks a resident ID number (GB 11643-1999) and returns it in
// stored form: 18 ASCII characters with an upper-case X. It accepts
// full-width digits, a lower-case x and surrounding spaces and tabs, and
// checks the province code, that the birth date is a real date no later than
// today, and the check digit. Of the area code only the province digits are
// checked, because an ID number keeps the county code of the year it was
// issued and many of those codes have since been abolished.
//
// Error keys: validate.id_number.required, .scientific (the cell was stored
// as a number and lost digits), .length, .characters, .province,
// .birth_date and .check_digit.
func IDNumber(s string) (string, error) {
	id := strings.ToUpper(removeSpace(unwrapExcelText(narrow(s))))
	if id == "" {
		return "", newError("validate.id_number.required")
	}
	if scientific.MatchString(id) {
		return "", newError("validate.id_number.scientific", id)
	}
	if n := utf8.RuneCountInString(id); n != IDNumberLength {
		return "", newError("validate.id_number.length", id, n)
	}
	if !isDigits(id[:17]) || !(isDigits(id[17:]) || id[17] == 'X') {
		return "", newError("validate.id_number.characters", id)
	}
	if !idProvinces[id[:2]] {
		return "", newError("validate.id_number.province", id, id[:2])
	}

	birth, err := time.Parse("20060102", id[6:14])
	if err != nil || birth.Year() < 1900 || birth.After(now()) {
		return "", newError("validate.id_number.birth_date", id, id[6:10]+"-"+id[10:12]+"-"+id[12:14])
	}

	if want := IDCheckChar(id[:17]); id[17] != want {
		return "", newError("validate.id_number.check_digit", id, string(want))
	}
	return id, nil
}

// IDCheckChar returns the check character of the first 17 digits of an ID
// number. It panics if first17 is not 17 ASCII digits.
func IDCheckChar(first17 string) byte {
	if len(first17) != 17 || !isDigits(first17) {
		panic("validate.IDCheckChar: want 17 digits")
	}
	sum := 0
	for i, w := range idWeights {
		sum += int(first17[i]-'0') * w
	}
	return idCheckChars[sum%11]
}

// unwrapExcelText removes the marks people add in Excel to keep a number as
// text: a leading apostrophe ('360102…) and a formula wrapper (="360102…").
func unwrapExcelText(s string) string {
	t := trim(s)
	if strings.HasPrefix(t, "'") {
		return t[1:]
	}
	if strings.HasPrefix(t, `="`) && strings.HasSuffix(t, `"`) && len(t) >= 3 {
		return t[2 : len(t)-1]
	}
	return s
}
