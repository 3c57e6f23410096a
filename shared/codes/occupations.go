package codes

import (
	"strings"
	"unicode"
)

// Occupation levels of occupations.csv (职业分类大典, 2022 edition).
const (
	OccupationMajor  = "major"  // 大类, such as 6
	OccupationMiddle = "middle" // 中类, such as 6-18
	OccupationMinor  = "minor"  // 小类, such as 6-18-01
	OccupationDetail = "detail" // 细类 (职业), such as 6-18-01-01
)

// Occupation returns the occupation a code names. It accepts the dashed
// form of the classification (6-18-01-01) and the same digits without
// dashes (6180101). It also accepts the five-digit GBM code of GB/T 6565,
// which the file gives for the major, middle and minor groups: 61801, or
// 61800 for the middle group 6-18. Spaces and full-width digits are ignored.
func (t *Tables) Occupation(code string) (Entry, bool) {
	compact := compactCode(code)
	if compact == "" {
		return Entry{}, false
	}
	if e, ok := t.Occupations.ByCode(compact); ok {
		return e, true
	}
	digits := strings.ReplaceAll(compact, "-", "")
	if !allDigits(digits) {
		return Entry{}, false
	}
	if dashed, ok := dashOccupation(digits); ok {
		if e, ok := t.Occupations.ByCode(dashed); ok {
			return e, true
		}
	}
	if dashed, ok := t.occupationGBM[digits]; ok {
		return t.Occupations.ByCode(dashed)
	}
	return Entry{}, false
}

// dashOccupation writes digits in the dashed form: one digit for the major
// group, then two for each level below it.
func dashOccupation(digits string) (string, bool) {
	switch len(digits) {
	case 1:
		return digits, true
	case 3:
		return digits[:1] + "-" + digits[1:], true
	case 5:
		return digits[:1] + "-" + digits[1:3] + "-" + digits[3:], true
	case 7:
		return digits[:1] + "-" + digits[1:3] + "-" + digits[3:5] + "-" + digits[5:], true
	}
	return "", false
}

// gbmIndex maps each GBM code of the occupations.csv rows to the dashed
// code of the deepest group that carries it. A middle group without minor
// groups, such as 1-01 and its only minor group 1-01-00, shares its GBM code
// 10100 with that minor group.
func gbmIndex(rows []map[string]string) map[string]string {
	depth := map[string]int{OccupationMajor: 1, OccupationMiddle: 2, OccupationMinor: 3, OccupationDetail: 4}
	index := map[string]string{}
	deepest := map[string]int{}
	for _, row := range rows {
		gbm := row["gbm_code"]
		if gbm == "" || depth[row["level"]] <= deepest[gbm] {
			continue
		}
		index[gbm] = row["code"]
		deepest[gbm] = depth[row["level"]]
	}
	return index
}

// Industry returns the GB/T 4754-2017 industry a code names, at any level:
// a section letter (C), a division (34), a group (341) or a class (3411).
// It also accepts a code that starts with its section letter, such as
// C3411, as statistics forms often write it, when the letter is the
// section the code belongs to.
func (t *Tables) Industry(code string) (Entry, bool) {
	compact := strings.ToUpper(compactCode(code))
	if e, ok := t.Industries.ByCode(compact); ok {
		return e, true
	}
	if len(compact) < 3 || compact[0] < 'A' || compact[0] > 'Z' || !allDigits(compact[1:]) {
		return Entry{}, false
	}
	e, ok := t.Industries.ByCode(compact[1:])
	if !ok || t.industrySection(e) != compact[:1] {
		return Entry{}, false
	}
	return e, true
}

// industrySection returns the section letter above an industry entry.
func (t *Tables) industrySection(e Entry) string {
	// Industries are four levels deep, and the bound guards against a parent
	// cycle in a damaged file.
	for range 4 {
		if e.Parent == "" {
			return e.Code
		}
		parent, ok := t.Industries.ByCode(e.Parent)
		if !ok {
			return ""
		}
		e = parent
	}
	return ""
}

// IndustryName returns an industry's name with its section, such as
// 制造业 › 锅炉及辅助设备制造, or "" for an unknown code. A section is
// named alone.
func (t *Tables) IndustryName(code string) string {
	e, ok := t.Industry(code)
	if !ok {
		return ""
	}
	section, ok := t.Industries.ByCode(t.industrySection(e))
	if !ok || section.Code == e.Code {
		return e.Name
	}
	return section.Name + " › " + e.Name
}

// compactCode drops spaces and maps full-width characters to ASCII.
func compactCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r >= '\uFF01' && r <= '\uFF5E':
			return r - 0xFEE0
		}
		return r
	}, s)
}

func allDigits(s string) bool {
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
