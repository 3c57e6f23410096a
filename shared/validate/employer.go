package validate

import (
	"regexp"
	"strings"

	"mobilefactory/shared/codes"
	"mobilefactory/shared/record"
)

// MaxContactRunes is the maximum length of an employer's contact person.
const MaxContactRunes = 50

// Employer validates an employer form of the directory (用人单位). raw
// holds the values as typed, keyed by record.Field* names: the employer's
// name is under record.FieldTitle. Name and credit code are required. The
// region, industry and nature are optional, but a value given must be a
// known code or name. Codes are resolved with tables, or with
// codes.MustLoad() when tables is nil.
//
// It returns the normalised employer in record.ProvinceScope with ID left
// empty for the caller, and one FieldError for every field that failed, in
// form order. A field that failed is empty in the returned employer.
func Employer(raw map[string]string, tables *codes.Tables) (record.Employer, []FieldError) {
	if tables == nil {
		tables = codes.MustLoad()
	}
	e := record.Employer{Scope: record.ProvinceScope}
	var errs []FieldError
	check := func(field string, err error) {
		if err != nil {
			errs = append(errs, FieldError{Field: field, Err: err.(*Error)})
		}
	}

	var err error
	e.Name, err = employerName(raw[record.FieldTitle])
	check(record.FieldTitle, err)
	e.CreditCode, err = CreditCode(raw[record.FieldCreditCode])
	check(record.FieldCreditCode, err)
	e.Region, err = region(record.FieldRegion, raw[record.FieldRegion], tables)
	check(record.FieldRegion, err)
	e.Industry, err = industry(raw[record.FieldIndustry], tables)
	check(record.FieldIndustry, err)
	e.Nature, err = employerNature(raw[record.FieldNature], tables)
	check(record.FieldNature, err)
	e.Contact, err = optionalText(record.FieldContact, raw[record.FieldContact], MaxContactRunes)
	check(record.FieldContact, err)
	if trim(raw[record.FieldContactPhone]) != "" {
		e.ContactPhone, err = ContactPhone(raw[record.FieldContactPhone])
		check(record.FieldContactPhone, err)
	}
	return e, errs
}

// employerName trims an employer's name and checks it as the person form
// checks the employer a graduate works for.
func employerName(s string) (string, error) {
	name := trim(s)
	if name == "" {
		return "", newError("validate.employer.name_required")
	}
	if err := checkText(record.FieldEmployer, name, MaxEmployerRunes); err != nil {
		return "", err
	}
	return name, nil
}

// industry returns the GB/T 4754-2017 code of an industry given by code at
// any level (C, 34, 341, 3411 or C3411) or by its exact name.
func industry(s string, tables *codes.Tables) (string, error) {
	s = trim(s)
	if s == "" {
		return "", nil
	}
	if e, ok := tables.Industry(s); ok {
		return e.Code, nil
	}
	if found := tables.Industries.ByName(s); len(found) == 1 {
		return found[0].Code, nil
	}
	return "", newError("validate.employer.industry_unknown", s)
}

// employerNature returns the employer nature code given by code (10) or by
// its exact name (机关).
func employerNature(s string, tables *codes.Tables) (string, error) {
	s = trim(s)
	if s == "" {
		return "", nil
	}
	if e, ok := tables.EmployerNature.ByCode(narrow(s)); ok {
		return e.Code, nil
	}
	if found := tables.EmployerNature.ByName(s); len(found) == 1 {
		return found[0].Code, nil
	}
	return "", newError("validate.employer.nature_unknown", s)
}

// landline matches a fixed-line number with its area code, as people write
// it: 0791-86123456, (0791)86123456, 0791 86123456 or 079186123456, with an
// optional extension after -, 转 or ext.
var landline = regexp.MustCompile(`^\(?(0[0-9]{2,3})\)?-?([2-9][0-9]{6,7})(?:(?:-|转|ext\.?)([0-9]{1,6}))?$`)

// ContactPhone checks a contact's phone: a mainland mobile number, or a
// fixed-line number with its area code. It returns a mobile number as its
// 11 digits and a fixed-line number as 0791-86123456, with -123 after it
// for an extension. Area codes are three digits for 010 and 020 to 029 and
// four digits otherwise, which decides where 079186123456 splits.
//
// Error keys: validate.contact_phone.area_code for a local number without
// its area code, and validate.contact_phone.invalid for anything else.
func ContactPhone(s string) (string, error) {
	text := trim(narrow(s))
	compact := strings.NewReplacer(" ", "", "\u2010", "-", "\u2011", "-", "\u2212", "-", "\u2014", "-").Replace(removeSpace(text))
	if mobile, err := Mobile(compact); err == nil {
		return mobile, nil
	}
	if isDigits(compact) && (len(compact) == 7 || len(compact) == 8) && compact[0] >= '2' {
		return "", newError("validate.contact_phone.area_code", text)
	}
	m := landline.FindStringSubmatch(strings.ToLower(compact))
	if m == nil {
		return "", newError("validate.contact_phone.invalid", text)
	}
	area, local := m[1], m[2]
	// Without a separator the split is by the area code's length.
	if digits := area + local; !strings.ContainsAny(compact, "-()") {
		areaLen := 4
		if digits[1] == '1' || digits[1] == '2' {
			areaLen = 3
		}
		area, local = digits[:areaLen], digits[areaLen:]
	}
	if wantLen := areaCodeLength(area); len(area) != wantLen || len(local) < 7 || len(local) > 8 || local[0] < '2' {
		return "", newError("validate.contact_phone.invalid", text)
	}
	number := area + "-" + local
	if m[3] != "" {
		number += "-" + m[3]
	}
	return number, nil
}

// areaCodeLength returns the length of the area code that starts like
// code: 010 and 020 to 029 have three digits, the others four.
func areaCodeLength(code string) int {
	if len(code) >= 2 && (code[1] == '1' || code[1] == '2') {
		return 3
	}
	return 4
}
