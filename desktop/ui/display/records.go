package display

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// Limits of the internship form.
const (
	MaxPositionRunes = 50
	MaxRating        = 5
)

// ParseInternship validates an internship form for the person with the given
// id. Employer and start date are required, and the start must not be after
// today. The kind is a code of record.InternKinds, empty for a work
// placement. The end date may be empty or in the future while the
// internship lasts, and otherwise must not be before the start. The work
// region is a code or a name the region table resolves to one region.
func ParseInternship(person string, raw map[string]string, tables *codes.Tables, today validate.Date) (record.Internship, []validate.FieldError) {
	in := record.Internship{Person: person}
	var errs []validate.FieldError
	fail := func(field, key string, args ...any) {
		errs = append(errs, validate.FieldError{Field: field, Err: &validate.Error{Key: key, Args: args}})
	}

	in.Employer = strings.TrimSpace(raw[record.FieldEmployer])
	switch n := utf8.RuneCountInString(in.Employer); {
	case n == 0:
		fail(record.FieldEmployer, "ui.internship.employer.required")
	case n > validate.MaxEmployerRunes:
		fail(record.FieldEmployer, "validate.employer.too_long", in.Employer, n, validate.MaxEmployerRunes)
	}

	in.Position = strings.TrimSpace(raw[record.FieldPosition])
	if n := utf8.RuneCountInString(in.Position); n > MaxPositionRunes {
		fail(record.FieldPosition, "ui.internship.position.too_long", in.Position, n, MaxPositionRunes)
	}

	if text := CodeOf(tables.Regions, raw[record.FieldWorkRegion]); text != "" {
		code, err := resolveRegion(tables, text)
		if err != nil {
			errs = append(errs, validate.FieldError{Field: record.FieldWorkRegion, Err: err})
		}
		in.WorkRegion = code
	}

	var startErrs fieldErrors
	in.Start = startErrs.date(raw, record.FieldStart, today)
	errs = append(errs, startErrs...)
	start, _ := validate.ParseDate(in.Start)
	if strings.TrimSpace(raw[record.FieldEnd]) != "" {
		end, err := validate.ParseDate(raw[record.FieldEnd])
		switch {
		case err != nil:
			errs = append(errs, validate.FieldError{Field: record.FieldEnd, Err: err.(*validate.Error)})
		case !start.IsZero() && end.String() < start.String():
			fail(record.FieldEnd, "ui.internship.end.before_start", Date(end.String()), Date(start.String()))
		}
		in.End = end.String()
	}

	if text := validate.Narrow(raw[record.FieldRating]); text != "" {
		rating, err := strconv.Atoi(text)
		if err != nil || rating < 1 || rating > MaxRating {
			fail(record.FieldRating, "ui.internship.rating.invalid", text, MaxRating)
		}
		in.Rating = rating
	}

	errs = append(errs, parseInternshipDetails(&in, raw)...)
	return in, errs
}

// maxAmbiguousShown is how many candidate regions an ambiguity error lists.
const maxAmbiguousShown = 5

// resolveRegion returns the code of a work region given by code or by a name
// that names exactly one region. The errors have the keys validate.Person
// uses for the same field.
func resolveRegion(tables *codes.Tables, text string) (string, *validate.Error) {
	if e, ok := tables.Regions.ByCode(text); ok {
		return e.Code, nil
	}
	found := tables.LookupRegion(text)
	switch len(found) {
	case 0:
		return "", &validate.Error{Key: "validate.work_region.unknown", Args: []any{text}}
	case 1:
		return found[0].Code, nil
	}
	var names []string
	for _, e := range found[:min(len(found), maxAmbiguousShown)] {
		names = append(names, tables.RegionName(e.Code))
	}
	return "", &validate.Error{Key: "validate.work_region.ambiguous",
		Args: []any{text, strings.Join(names, "、"), len(found)}}
}

// TrainingRow returns the text of a training record in a person's page,
// such as "办公软件应用 · 32 学时 · 成绩 92 · 已结业 · 2024年5月10日".
func TrainingRow(t record.Training) string {
	parts := []string{t.Programme}
	if t.Hours > 0 {
		parts = append(parts, i18n.T("ui.training.row.hours", t.Hours))
	}
	if t.Score != "" {
		parts = append(parts, i18n.T("ui.training.row.score", t.Score))
	}
	if t.Completed {
		parts = append(parts, i18n.T("ui.training.row.completed"))
	} else {
		parts = append(parts, i18n.T("ui.training.row.not_completed"))
	}
	if t.Date != "" {
		parts = append(parts, Date(t.Date))
	}
	return strings.Join(parts, " · ")
}

// InternshipRow returns the text of an internship in a person's page, such as
// "江西铜业集团 · 设备维护员 · 2024年3月1日 至 2024年6月30日 · 评价 4/5", with
// 体验 after the employer for a job-experience session.
func InternshipRow(in record.Internship) string {
	parts := []string{in.Employer}
	if in.Kind == record.InternExperience {
		parts = append(parts, i18n.T("intern_kind."+in.Kind))
	}
	if in.Position != "" {
		parts = append(parts, in.Position)
	}
	if in.End == "" {
		parts = append(parts, i18n.T("ui.internship.row.since", Date(in.Start)))
	} else {
		parts = append(parts, i18n.T("ui.internship.row.period", Date(in.Start), Date(in.End)))
	}
	if in.Rating > 0 {
		parts = append(parts, i18n.T("ui.internship.row.rating", in.Rating, MaxRating))
	}
	return strings.Join(parts, " · ")
}
