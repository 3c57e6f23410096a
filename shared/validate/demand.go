package validate

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"mobilefactory/shared/codes"
	"mobilefactory/shared/record"
)

// Limits of a job demand.
const (
	MaxDemandTitleRunes = 100
	MinHeadcount        = 1
	MaxHeadcount        = 10000
)

// Demand validates a job demand form (岗位需求). raw holds the values as
// typed, keyed by record.Field* names. Majors are separated by commas, 、
// or spaces, and certificates are title:level, one a line or separated by
// semicolons. The months of a season are a range (3-6) or a list (3,4,5),
// and the status is open, closed, 招聘中 or 已结束. Employer (a ULID), title and headcount are
// required. Codes are resolved with tables, or with codes.MustLoad() when
// tables is nil.
//
// It returns the normalised demand in record.ProvinceScope with ID left
// empty for the caller, and one FieldError for every field that failed. A
// field that failed is empty in the returned demand.
func Demand(raw map[string]string, tables *codes.Tables) (record.Demand, []FieldError) {
	if tables == nil {
		tables = codes.MustLoad()
	}
	d := record.Demand{Scope: record.ProvinceScope, Programme: trim(raw[record.FieldProgramme])}
	var errs []FieldError
	check := func(field string, err error) {
		if err != nil {
			errs = append(errs, FieldError{Field: field, Err: err.(*Error)})
		}
	}

	var err error
	if d.Employer = trim(raw[record.FieldEmployer]); d.Employer == "" {
		check(record.FieldEmployer, newError("validate.demand.employer_required"))
	}
	d.Title, err = demandTitle(raw[record.FieldTitle])
	check(record.FieldTitle, err)
	d.Occupation, err = occupation(raw[record.FieldOccupation], tables)
	check(record.FieldOccupation, err)
	d.Majors, err = demandMajors(raw[record.FieldMajors], tables)
	check(record.FieldMajors, err)
	d.Certificates, err = demandCertificates(raw[record.FieldCertificates])
	check(record.FieldCertificates, err)
	d.Skills = record.SplitList(raw[record.FieldSkills])
	d.Region, err = region(record.FieldRegion, raw[record.FieldRegion], tables)
	check(record.FieldRegion, err)
	d.Headcount, err = headcount(raw[record.FieldHeadcount])
	check(record.FieldHeadcount, err)

	d.SalaryMin, err = salary(raw[record.FieldSalaryMin])
	check(record.FieldSalaryMin, err)
	minOK := err == nil
	d.SalaryMax, err = salary(raw[record.FieldSalaryMax])
	check(record.FieldSalaryMax, err)
	if minOK && err == nil && d.SalaryMax > 0 && d.SalaryMin > d.SalaryMax {
		check(record.FieldSalaryMax, newError("validate.demand.salary_order", d.SalaryMax, d.SalaryMin))
		d.SalaryMax = 0
	}

	start, startErr := optionalDate(raw[record.FieldStart])
	check(record.FieldStart, startErr)
	end, endErr := optionalDate(raw[record.FieldEnd])
	check(record.FieldEnd, endErr)
	if startErr == nil && endErr == nil && !start.IsZero() && !end.IsZero() && start.After(end) {
		check(record.FieldEnd, newError("validate.demand.date_order", end.String(), start.String()))
		end = Date{}
	}
	d.Start, d.End = start.String(), end.String()

	d.Months, err = Months(raw[record.FieldMonths])
	check(record.FieldMonths, err)
	d.Status, err = demandStatus(raw[record.FieldDemandStatus])
	check(record.FieldDemandStatus, err)
	return d, errs
}

func demandTitle(s string) (string, error) {
	title := trim(s)
	if title == "" {
		return "", newError("validate.demand.title_required")
	}
	if checkText("title", title, MaxDemandTitleRunes) != nil {
		if n := utf8.RuneCountInString(title); n > MaxDemandTitleRunes {
			return "", newError("validate.demand.title_too_long", title, n, MaxDemandTitleRunes)
		}
		return "", newError("validate.demand.title_characters", title)
	}
	return title, nil
}

// occupation returns the dashed code of an occupation given in any form
// codes.Tables.Occupation accepts, or by its name when exactly one
// occupation has it.
func occupation(s string, tables *codes.Tables) (string, error) {
	s = trim(s)
	if s == "" {
		return "", nil
	}
	if e, ok := tables.Occupation(s); ok {
		return e.Code, nil
	}
	if found := tables.Occupations.ByName(s); len(found) == 1 {
		return found[0].Code, nil
	}
	return "", newError("validate.demand.occupation_unknown", s)
}

// demandMajors returns the codes of the majors a demand asks for: each a
// major (6 characters), a major class (4 digits) or a category (2 digits),
// given by code or exact name, in the order given and without repeats.
func demandMajors(s string, tables *codes.Tables) ([]string, error) {
	var out []string
	for _, item := range record.SplitList(s) {
		code, ok := majorCode(item, tables)
		if !ok {
			return nil, newError("validate.demand.major_unknown", item)
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out, nil
}

func majorCode(item string, tables *codes.Tables) (string, bool) {
	code := narrow(item)
	for _, table := range []*codes.Table{tables.Majors, tables.MajorClasses, tables.MajorCategories} {
		if e, ok := table.ByCode(code); ok {
			return e.Code, true
		}
		if found := table.ByName(item); len(found) == 1 {
			return found[0].Code, true
		}
	}
	return "", false
}

// demandCertificates reads certificates as title:level, one a line or
// separated by semicolons (record.CertificateSeparator). The
// level is one of record.SkillLevels (5 for 初级 up to 1 for 高级技师),
// written as that digit or its Chinese name, or empty for any level.
func demandCertificates(s string) ([]record.DemandCertificate, error) {
	var out []record.DemandCertificate
	items := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '；' || r == ';' })
	for _, line := range items {
		line = trim(line)
		if line == "" {
			continue
		}
		title, level, _ := strings.Cut(strings.ReplaceAll(line, "：", ":"), ":")
		title, level = trim(title), trim(narrow(level))
		if title == "" {
			return nil, newError("validate.demand.certificate_title", line)
		}
		code, ok := skillLevel(level)
		if !ok {
			return nil, newError("validate.demand.certificate_level", level, line)
		}
		out = append(out, record.DemandCertificate{Title: title, SkillLevel: code})
	}
	return out, nil
}

// skillLevelNames maps the Chinese names of the skill levels to their codes.
var skillLevelNames = map[string]string{
	"初级": "5", "初级工": "5", "五级": "5",
	"中级": "4", "中级工": "4", "四级": "4",
	"高级": "3", "高级工": "3", "三级": "3",
	"技师": "2", "二级": "2",
	"高级技师": "1", "一级": "1",
}

func skillLevel(s string) (string, bool) {
	if s == "" {
		return "", true
	}
	if slices.Contains(record.SkillLevels, s) {
		return s, true
	}
	code, ok := skillLevelNames[s]
	return code, ok
}

// headcount reads the number of people wanted, such as 20 or 20人.
func headcount(s string) (int, error) {
	text := trim(narrow(s))
	if text == "" {
		return 0, newError("validate.demand.headcount_required")
	}
	digits := strings.TrimSuffix(strings.TrimSuffix(removeSpace(text), "人"), "名")
	if !isDigits(digits) || len(digits) > 9 {
		return 0, newError("validate.demand.headcount_invalid", text)
	}
	n := atoi(digits)
	if n < MinHeadcount || n > MaxHeadcount {
		return 0, newError("validate.demand.headcount_range", text, MinHeadcount, MaxHeadcount)
	}
	return n, nil
}

// salary reads a monthly salary in yuan, such as 4500, 4,500 or 4500元.
// Empty is 0, meaning not given.
func salary(s string) (int, error) {
	text := trim(narrow(s))
	if text == "" {
		return 0, nil
	}
	digits := strings.ReplaceAll(removeSpace(text), ",", "")
	digits = strings.TrimSuffix(strings.TrimSuffix(digits, "元/月"), "元")
	if !isDigits(digits) || len(digits) > 9 {
		return 0, newError("validate.demand.salary_invalid", text)
	}
	return atoi(digits), nil
}

func optionalDate(s string) (Date, error) {
	if trim(s) == "" {
		return Date{}, nil
	}
	return ParseDate(s)
}

// Months reads the months of a recurring season: a range such as 3-6 or
// 3月-6月, a range across the new year such as 11-2, or a list such as
// 3,4,5 or 3、4、5月. It returns the months in ascending order without
// repeats, and nil for an empty value.
//
// Error key: validate.demand.month_invalid.
func Months(s string) ([]int, error) {
	text := trim(narrow(s))
	if text == "" {
		return nil, nil
	}
	normalised := strings.NewReplacer("月", "", "–", "-", "—", "-", "~", "-", "～", "-", "至", "-", "到", "-").Replace(text)
	set := map[int]bool{}
	for _, item := range record.SplitList(normalised) {
		from, to, isRange := strings.Cut(item, "-")
		first, ok1 := month(from)
		last, ok2 := first, true
		if isRange {
			last, ok2 = month(to)
		}
		if !ok1 || !ok2 {
			return nil, newError("validate.demand.month_invalid", text)
		}
		for m := first; ; m = m%12 + 1 {
			set[m] = true
			if m == last {
				break
			}
		}
	}
	out := make([]int, 0, len(set))
	for m := range set {
		out = append(out, m)
	}
	slices.Sort(out)
	return out, nil
}

func month(s string) (int, bool) {
	n, err := strconv.Atoi(trim(s))
	return n, err == nil && n >= 1 && n <= 12
}

func demandStatus(s string) (string, error) {
	switch trim(s) {
	case "", record.DemandOpen, "招聘中":
		return record.DemandOpen, nil
	case record.DemandClosed, "已结束":
		return record.DemandClosed, nil
	}
	return "", newError("validate.demand.status_invalid", trim(s))
}
