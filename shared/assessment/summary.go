package assessment

import (
	"strings"

	"mobilefactory/shared/i18n"
)

// Summary returns the one-line summary of the profile's interest code in the
// locale, such as 兴趣类型：实际型、研究型、常规型 for the code "RIC".
func Summary(p Profile, locale string) string {
	code := p.Code()
	names := make([]string, 0, len(code))
	for _, letter := range code {
		d := Dimension(strings.IndexRune(dimensionLetters, letter))
		names = append(names, d.Name(locale))
	}
	separator := i18n.In(locale, "assessment.list_separator")
	return i18n.In(locale, "assessment.summary", strings.Join(names, separator))
}
