package validate

import (
	"strings"

	"mobilefactory/shared/codes"
	"mobilefactory/shared/record"
)

// Limits of free-text person fields, in characters.
const (
	MaxStudentNoRunes = 32
	MaxEmployerRunes  = 100
	// MaxAddressRunes bounds an address. A full Chinese postal address
	// with building and room stays well below it.
	MaxAddressRunes = 200
	MaxSkillsRunes  = 200 // a person's skills, joined with 、
)

// Graduation years Person accepts.
const (
	MinGradYear = 2000
	MaxGradYear = 2100
)

// genders maps what people write for gender (lower-cased) to GB/T 2261.1 codes.
var genders = map[string]string{
	"1": record.GenderMale, "男": record.GenderMale, "男性": record.GenderMale,
	"m": record.GenderMale, "male": record.GenderMale,
	"2": record.GenderFemale, "女": record.GenderFemale, "女性": record.GenderFemale,
	"f": record.GenderFemale, "female": record.GenderFemale,
}

// statusNames maps the Chinese employment status names to status codes.
var statusNames = map[string]string{
	"已就业": record.StatusEmployed,
	"待就业": record.StatusSeeking,
	"升学":  record.StatusStudy,
	"其他":  record.StatusOther,
}

// willReturnNames maps the answers lists and forms give to whether a
// person would work in Jiangxi to record.WillReturnYes and WillReturnNo.
var willReturnNames = map[string]string{
	"是": record.WillReturnYes, "愿意": record.WillReturnYes, "愿意回江西": record.WillReturnYes,
	"yes": record.WillReturnYes, "y": record.WillReturnYes, "1": record.WillReturnYes,
	"否": record.WillReturnNo, "不愿意": record.WillReturnNo, "no": record.WillReturnNo,
	"n": record.WillReturnNo, "0": record.WillReturnNo,
}

// maxAmbiguousShown is how many candidate regions an ambiguity error lists.
const maxAmbiguousShown = 5

// Person validates a person form or import row. raw holds the values as
// typed, keyed by record.Field* names; missing keys count as empty. Name and
// ID number are required, the other fields optional. Codes are resolved with
// tables, or with codes.MustLoad() when tables is nil.
//
// It returns the normalised person, with ID and College left empty for the
// caller, and one FieldError for every field that failed, in the order of
// record.FieldsOf(record.KindPerson). A field that failed is empty in the
// returned person.
func Person(raw map[string]string, tables *codes.Tables) (record.Person, []FieldError) {
	if tables == nil {
		tables = codes.MustLoad()
	}
	var p record.Person
	var errs []FieldError
	check := func(field string, err error) {
		if err != nil {
			errs = append(errs, FieldError{Field: field, Err: err.(*Error)})
		}
	}

	var err error
	p.Name, err = Name(raw[record.FieldName])
	check(record.FieldName, err)
	p.Gender, err = gender(raw[record.FieldGender])
	check(record.FieldGender, err)
	p.IDNumber, err = IDNumber(raw[record.FieldIDNumber])
	check(record.FieldIDNumber, err)
	if err := genderMatchesID(p.Gender, p.IDNumber, raw[record.FieldGender]); err != nil {
		p.Gender = ""
		check(record.FieldGender, err)
	}
	if trim(raw[record.FieldPhone]) != "" {
		p.Phone, err = Mobile(raw[record.FieldPhone])
		check(record.FieldPhone, err)
	}
	p.StudentNo, err = optionalText(record.FieldStudentNo, narrow(raw[record.FieldStudentNo]), MaxStudentNoRunes)
	check(record.FieldStudentNo, err)
	p.Major, err = major(raw[record.FieldMajor], tables)
	check(record.FieldMajor, err)
	p.GradYear, err = gradYear(raw[record.FieldGradYear])
	check(record.FieldGradYear, err)
	p.HomeRegion, err = region(record.FieldHomeRegion, raw[record.FieldHomeRegion], tables)
	check(record.FieldHomeRegion, err)
	p.Status, err = status(raw[record.FieldStatus])
	check(record.FieldStatus, err)
	p.WorkRegion, err = region(record.FieldWorkRegion, raw[record.FieldWorkRegion], tables)
	check(record.FieldWorkRegion, err)
	p.Employer, err = optionalText(record.FieldEmployer, raw[record.FieldEmployer], MaxEmployerRunes)
	check(record.FieldEmployer, err)
	p.Address, err = optionalText(record.FieldAddress, raw[record.FieldAddress], MaxAddressRunes)
	check(record.FieldAddress, err)
	p.Skills, err = optionalText(record.FieldSkills, record.JoinList(record.SplitList(raw[record.FieldSkills])), MaxSkillsRunes)
	check(record.FieldSkills, err)
	p.WillReturn, err = willReturn(raw[record.FieldWillReturn])
	check(record.FieldWillReturn, err)

	return p, errs
}

// The field parsers below return a nil error interface, not a nil *Error, on
// success, because check tests the interface against nil.

func gender(s string) (string, error) {
	s = trim(narrow(s))
	if s == "" {
		return "", nil
	}
	if code, ok := genders[strings.ToLower(s)]; ok {
		return code, nil
	}
	return "", newError("validate.gender.invalid", s)
}

// genderMatchesID checks a gender code against the 17th digit of a valid
// ID number, odd for male and even for female (GB 11643). It returns nil
// when either is empty. typed is the gender as the user wrote it.
func genderMatchesID(code, id, typed string) error {
	if code == "" || len(id) != IDNumberLength {
		return nil
	}
	want := record.GenderFemale
	key := "validate.gender.id_mismatch_female"
	if (id[16]-'0')%2 == 1 {
		want, key = record.GenderMale, "validate.gender.id_mismatch_male"
	}
	if code == want {
		return nil
	}
	return newError(key, trim(narrow(typed)))
}

func optionalText(field, s string, maxRunes int) (string, error) {
	s = trim(s)
	if err := checkText(field, s, maxRunes); err != nil {
		return "", err
	}
	return s, nil
}

// major returns the code of a major given by code (510203, 520101K) or by its
// exact catalogue name.
func major(s string, tables *codes.Tables) (string, error) {
	s = trim(s)
	if s == "" {
		return "", nil
	}
	if e, ok := tables.Majors.ByCode(narrow(s)); ok {
		return e.Code, nil
	}
	if found := tables.Majors.ByName(s); len(found) == 1 {
		return found[0].Code, nil
	}
	return "", newError("validate.major.unknown", s)
}

// gradYear reads a four-digit year, also written 2024届 or 2024年.
func gradYear(s string) (int, error) {
	text := trim(narrow(s))
	if text == "" {
		return 0, nil
	}
	digits := removeSpace(text)
	digits = strings.TrimSuffix(digits, "届")
	digits = strings.TrimSuffix(digits, "年")
	// A year cell Excel kept as a number can come out as 2025.0.
	digits = strings.TrimSuffix(digits, ".0")
	if len(digits) != 4 || !isDigits(digits) {
		return 0, newError("validate.grad_year.invalid", text)
	}
	year := atoi(digits)
	if year < MinGradYear || year > MaxGradYear {
		return 0, newError("validate.grad_year.range", text, MinGradYear, MaxGradYear)
	}
	return year, nil
}

// region returns the GB/T 2260 code of a region given by code or by name.
// Error keys: validate.<field>.unknown and validate.<field>.ambiguous.
func region(field, s string, tables *codes.Tables) (string, error) {
	s = trim(s)
	if s == "" {
		return "", nil
	}
	if code := removeSpace(narrow(s)); isDigits(code) {
		if _, ok := tables.Regions.ByCode(code); ok {
			return code, nil
		}
		return "", newError("validate."+field+".unknown", s)
	}

	found := tables.LookupRegion(s)
	switch len(found) {
	case 0:
		return "", newError("validate."+field+".unknown", s)
	case 1:
		return found[0].Code, nil
	}
	var names []string
	for _, e := range found[:min(len(found), maxAmbiguousShown)] {
		names = append(names, tables.RegionName(e.Code))
	}
	return "", newError("validate."+field+".ambiguous", s, strings.Join(names, "、"), len(found))
}

func willReturn(s string) (string, error) {
	s = trim(narrow(s))
	if s == "" {
		return "", nil
	}
	if code, ok := willReturnNames[strings.ToLower(s)]; ok {
		return code, nil
	}
	return "", newError("validate.will_return.invalid", s)
}

func status(s string) (string, error) {
	s = trim(s)
	if s == "" {
		return "", nil
	}
	if code, ok := statusNames[s]; ok {
		return code, nil
	}
	lower := strings.ToLower(s)
	for _, code := range record.Statuses {
		if lower == code {
			return code, nil
		}
	}
	return "", newError("validate.status.invalid", s)
}
