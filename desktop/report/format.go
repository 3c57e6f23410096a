package report

import (
	"strings"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// date returns a stored ISO 8601 date or month in the locale's form:
// 2024年5月10日 or 2024-05-10. A value that is not a date is returned as it
// is, so bad data stays visible.
func (d *doc) date(iso string) string {
	if iso == "" {
		return ""
	}
	parsed, err := validate.ParseDate(iso)
	if err != nil {
		return iso
	}
	if d.locale == i18n.English {
		return parsed.String()
	}
	return parsed.Chinese()
}

// period returns the time from start to end on two lines, or from start on
// while end is empty.
func (d *doc) period(start, end string) string {
	switch {
	case start == "" && end == "":
		return ""
	case end == "":
		return d.t("report.period.open", d.date(start))
	}
	return d.t("report.period", d.date(start), d.date(end))
}

// rating returns a supervisor rating as stars and a fraction, such as
// ★★★★☆ 4/5, or 未评价 for 0.
func (d *doc) rating(n int) string {
	if n < 1 || n > display.MaxRating {
		return d.t("report.rating.none")
	}
	stars := strings.Repeat("★", n) + strings.Repeat("☆", display.MaxRating-n)
	return d.t("report.rating", stars, n, display.MaxRating)
}

// personal returns a personal field's value, masked unless reveal is set.
func personal(field, value string, reveal bool) string {
	if reveal || value == "" {
		return value
	}
	switch field {
	case record.FieldIDNumber:
		return display.MaskID(value)
	case record.FieldPhone:
		return display.MaskPhone(value)
	case record.FieldAddress:
		return display.MaskAddress(value)
	}
	return value
}

// major returns a major's name from the catalogue, or its code when the
// catalogue lacks it.
func major(tables *codes.Tables, code string) string {
	if e, ok := tables.Majors.ByCode(code); ok {
		return e.Name
	}
	return code
}

// region returns a region's full name, or its code when the table lacks it.
func region(tables *codes.Tables, code string) string {
	if name := tables.RegionName(code); name != "" {
		return name
	}
	return code
}

// coded returns the translation of a code under prefix, such as
// award_level.national, or the code itself when it has none.
func (d *doc) coded(prefix, code string) string {
	if code == "" {
		return ""
	}
	key := prefix + "." + code
	if text := d.t(key); text != key {
		return text
	}
	return code
}

// orDash returns s, or a dash for an empty value, so a blank cell reads as
// "none" and not as a printing fault.
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
