package validate

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"time"
)

// Date is a calendar date, or a month when Day is 0. A month stays a month,
// so the package never fills in the 1st for a day the input did not give.
type Date struct {
	Year, Month, Day int
}

// Years ParseDate accepts.
const (
	MinYear = 1900
	MaxYear = 2100
)

// IsZero reports whether d is the zero Date, meaning no date.
func (d Date) IsZero() bool { return d == Date{} }

// IsMonth reports whether d names a month without a day.
func (d Date) IsMonth() bool { return !d.IsZero() && d.Day == 0 }

// Valid reports whether d is a real date or month of the Gregorian calendar,
// with a year from 1 to 9999.
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 0 {
		return false
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

// String returns the ISO 8601 form, "2022-06-30" or "2022-06" for a month,
// and "" for the zero Date.
func (d Date) String() string {
	switch {
	case d.IsZero():
		return ""
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Chinese returns the form shown on screen, "2022年6月30日" or "2022年6月"
// for a month, and "" for the zero Date.
func (d Date) Chinese() string {
	switch {
	case d.IsZero():
		return ""
	case d.Day == 0:
		return fmt.Sprintf("%d年%d月", d.Year, d.Month)
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year, d.Month, d.Day)
}

var (
	// 2022-06-30, 2022/6/30, 2022.06.30, 2022-6 and 2022.06 (a month).
	separatedDate = regexp.MustCompile(`^([0-9]{4})([-/.])([0-9]{1,2})(?:([-/.])([0-9]{1,2}))?$`)
	// 2022年6月30日, 2022年6月30号 and 2022年6月 (a month).
	chineseDate = regexp.MustCompile(`^([0-9]{4})年([0-9]{1,2})月(?:([0-9]{1,2})[日号]?)?$`)
	// A time of day after a date, as spreadsheets export it: 2022-06-30 00:00:00.
	timeOfDay = regexp.MustCompile(`[ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$`)
	// An Excel serial number, possibly with a fraction for the time of day.
	// Only five digits (1927-05-18 to 2173-10-14) count, because a bare
	// four-digit number is far more often a year than a date in the 1910s.
	serialNumber = regexp.MustCompile(`^[0-9]{5}(\.[0-9]+)?$`)
)

// ParseDate reads a date or a month as people and spreadsheets write it.
// Dates: 2022-06-30, 2022/6/30, 2022.06.30, 2022年6月30日 and 20220630.
// Months: 2022-06, 2022.06, 2022年6月 and 202206. A five-digit number such as
// 44742 is an Excel serial number in the 1900 date system, and a cell of a
// 1904 workbook needs DateFromExcelSerial instead. Full-width digits and a
// trailing time of day are accepted. The year must be from MinYear to MaxYear.
//
// Error keys: validate.date.required, .format, .invalid and .year_range.
func ParseDate(s string) (Date, error) {
	text := trim(narrow(s))
	if text == "" {
		return Date{}, newError("validate.date.required")
	}
	compact := removeSpace(timeOfDay.ReplaceAllString(text, ""))

	d, ok, err := parseDateForms(compact)
	if err != nil {
		return Date{}, newError("validate.date.invalid", text)
	}
	if !ok {
		return Date{}, newError("validate.date.format", text)
	}
	if !d.Valid() {
		return Date{}, newError("validate.date.invalid", text)
	}
	if d.Year < MinYear || d.Year > MaxYear {
		return Date{}, newError("validate.date.year_range", text, d.Year, MinYear, MaxYear)
	}
	return d, nil
}

// parseDateForms matches s against each form ParseDate accepts. It reports
// ok false when no form matches, and an error when s is a serial number out
// of range.
func parseDateForms(s string) (d Date, ok bool, err error) {
	if m := separatedDate.FindStringSubmatch(s); m != nil {
		if m[4] != "" && m[4] != m[2] {
			return Date{}, false, nil // mixed separators, as in 2022-06/30
		}
		return Date{Year: atoi(m[1]), Month: atoi(m[3]), Day: atoi(m[5])}, true, nil
	}
	if m := chineseDate.FindStringSubmatch(s); m != nil {
		return Date{Year: atoi(m[1]), Month: atoi(m[2]), Day: atoi(m[3])}, true, nil
	}
	if isDigits(s) && len(s) == 8 {
		return Date{Year: atoi(s[:4]), Month: atoi(s[4:6]), Day: atoi(s[6:])}, true, nil
	}
	if isDigits(s) && len(s) == 6 {
		return Date{Year: atoi(s[:4]), Month: atoi(s[4:])}, true, nil
	}
	if serialNumber.MatchString(s) {
		serial, _ := strconv.ParseFloat(s, 64)
		d, err := DateFromExcelSerial(serial, false)
		return d, err == nil, err
	}
	return Date{}, false, nil
}

// Excel date systems: the serial number of day 0 (the date before day 1)
// and the largest serial, 9999-12-31.
var (
	epoch1900 = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

const (
	maxSerial1900 = 2958465
	maxSerial1904 = maxSerial1900 - 1462
)

// DateFromExcelSerial converts the serial number of an Excel date cell to a
// date, dropping the time of day. In the 1900 system, the default, 1 is
// 1900-01-01 and 60 is 1900-02-29, a day Excel counts although it never
// existed, so 60 is rejected and later serials are shifted back one day.
// In the 1904 system (date1904 true) 0 is 1904-01-01.
//
// Error key: validate.date.serial.
func DateFromExcelSerial(serial float64, date1904 bool) (Date, error) {
	if math.IsNaN(serial) || math.IsInf(serial, 0) {
		return Date{}, newError("validate.date.serial", serial)
	}
	day := math.Floor(serial)

	var t time.Time
	switch {
	case date1904:
		if day < 0 || day > maxSerial1904 {
			return Date{}, newError("validate.date.serial", serial)
		}
		t = epoch1904.AddDate(0, 0, int(day))
	case day < 1 || day > maxSerial1900 || day == 60:
		return Date{}, newError("validate.date.serial", serial)
	case day < 60:
		t = epoch1900.AddDate(0, 0, int(day))
	default:
		t = epoch1900.AddDate(0, 0, int(day)-1)
	}
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}, nil
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// atoi converts a string of at most a few ASCII digits; the callers have
// matched it already, and "" is 0.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}

// After reports whether d is later than other. A month is later than a date
// only when the whole month is, so 2026-12 is not after 2026-12-05.
func (d Date) After(other Date) bool {
	if d.Year != other.Year {
		return d.Year > other.Year
	}
	if d.Month != other.Month {
		return d.Month > other.Month
	}
	if d.Day == 0 || other.Day == 0 {
		return false
	}
	return d.Day > other.Day
}
