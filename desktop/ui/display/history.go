package display

import (
	"slices"
	"strings"
	"unicode/utf8"

	"mobilefactory/shared/assessment"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// Limits of the award, certificate, counselling and internship forms, in
// characters (runes).
const (
	MaxIssuerRunes     = 100
	MaxCertNoRunes     = 50
	MaxTopicRunes      = 100
	MaxNameRunes       = 50 // a counsellor's or supervisor's name
	MaxNotesRunes      = 2000
	MaxEvaluationRunes = 1000
)

// maxNotesShown is how many characters of counselling notes a row shows.
const maxNotesShown = 30

// fieldErrors collects the messages of one form.
type fieldErrors []validate.FieldError

func (e *fieldErrors) add(field, key string, args ...any) {
	*e = append(*e, validate.FieldError{Field: field, Err: &validate.Error{Key: key, Args: args}})
}

// text trims raw[field] and checks its length. An empty value is an error
// only when required.
func (e *fieldErrors) text(raw map[string]string, field string, max int, required bool) string {
	value := strings.TrimSpace(raw[field])
	n := utf8.RuneCountInString(value)
	switch {
	case n == 0 && required:
		e.add(field, "ui.history.required", i18n.T("field."+field))
	case n > max:
		e.add(field, "ui.history.too_long", i18n.T("field."+field), shorten(value, 20), n, max)
	}
	return value
}

// choice checks that raw[field] is one of the allowed codes.
func (e *fieldErrors) choice(raw map[string]string, field string, allowed []string, required bool) string {
	value := strings.TrimSpace(raw[field])
	switch {
	case value == "" && required:
		e.add(field, "ui.history.choose", i18n.T("field."+field))
	case value != "" && !slices.Contains(allowed, value):
		e.add(field, "ui.history.not_an_option", i18n.T("field."+field), value)
	}
	return value
}

// date parses raw[field] as a required date that is not after today and
// returns it in ISO 8601.
func (e *fieldErrors) date(raw map[string]string, field string, today validate.Date) string {
	d, err := validate.ParseDate(raw[field])
	if err != nil {
		*e = append(*e, validate.FieldError{Field: field, Err: err.(*validate.Error)})
		return ""
	}
	e.notFuture(field, d, today)
	return d.String()
}

// notFuture adds an error when d, the value of field, is after today.
func (e *fieldErrors) notFuture(field string, d, today validate.Date) {
	if d.After(today) {
		e.add(field, "ui.history.date_future", i18n.T("field."+field), d.Chinese(), today.Chinese())
	}
}

// ParseAward validates an award form for the person with the given id. raw
// holds the form's text keyed by record field names, with the level as its
// code (one of record.AwardLevels). Title, level and date are required, and
// the date must not be after today.
func ParseAward(person string, raw map[string]string, today validate.Date) (record.Award, []validate.FieldError) {
	var errs fieldErrors
	a := record.Award{Person: person}
	a.Title = errs.text(raw, record.FieldTitle, MaxTitleRunes, true)
	a.Level = errs.choice(raw, record.FieldLevel, record.AwardLevels, true)
	a.Issuer = errs.text(raw, record.FieldIssuer, MaxIssuerRunes, false)
	a.Date = errs.date(raw, record.FieldDate, today)
	return a, errs
}

// ParseCertificate validates a certificate form, with the skill level as
// its code (one of record.SkillLevels). Title, skill level and date are
// required, and the date must not be after today.
func ParseCertificate(person string, raw map[string]string, today validate.Date) (record.Certificate, []validate.FieldError) {
	var errs fieldErrors
	c := record.Certificate{Person: person}
	c.Title = errs.text(raw, record.FieldTitle, MaxTitleRunes, true)
	c.SkillLevel = errs.choice(raw, record.FieldSkillLevel, record.SkillLevels, true)
	c.Issuer = errs.text(raw, record.FieldIssuer, MaxIssuerRunes, false)
	c.CertNo = validate.Narrow(errs.text(raw, record.FieldCertNo, MaxCertNoRunes, false))
	c.Date = errs.date(raw, record.FieldDate, today)
	return c, errs
}

// ParseCounselling validates a counselling form. Topic, counsellor and
// date are required, the date must not be after today, and the notes may
// span several lines.
func ParseCounselling(person string, raw map[string]string, today validate.Date) (record.Counselling, []validate.FieldError) {
	var errs fieldErrors
	c := record.Counselling{Person: person}
	c.Topic = errs.text(raw, record.FieldTopic, MaxTopicRunes, true)
	c.Counsellor = errs.text(raw, record.FieldCounsellor, MaxNameRunes, true)
	c.Notes = errs.text(raw, record.FieldNotes, MaxNotesRunes, false)
	c.Date = errs.date(raw, record.FieldDate, today)
	return c, errs
}

// parseInternshipDetails validates the kind (empty reads as
// record.InternWork), the supervisor and the evaluation of an internship
// form.
func parseInternshipDetails(in *record.Internship, raw map[string]string) []validate.FieldError {
	var errs fieldErrors
	in.Kind = errs.choice(raw, record.FieldInternKind, record.InternKinds, false)
	in.Supervisor = errs.text(raw, record.FieldSupervisor, MaxNameRunes, false)
	in.Evaluation = errs.text(raw, record.FieldEvaluation, MaxEvaluationRunes, false)
	return errs
}

// ReviewTag returns the review state as a person's page tags a record:
// 草稿, 待审核, 已通过, or 已退回 with the reviewer's reason.
func ReviewTag(r record.Review) string {
	state := i18n.T("review." + r.Current())
	if r.Current() == record.ReviewReturned && r.Reason != "" {
		return i18n.T("ui.history.returned_tag", state, r.Reason)
	}
	return state
}

// AwardRow returns the text of an award in a person's page, such as
// "全省职业院校技能大赛一等奖 · 省级 · 江西省教育厅 · 2024年5月10日".
func AwardRow(a record.Award) string {
	parts := []string{a.Title}
	if a.Level != "" {
		parts = append(parts, i18n.T("award_level."+a.Level))
	}
	return joinParts(append(parts, a.Issuer, Date(a.Date)))
}

// CertificateRow returns the text of a certificate in a person's page, such
// as "电工 · 中级 · 江西省人力资源和社会保障厅 · 证书编号 S0001 · 2024年6月1日".
func CertificateRow(c record.Certificate) string {
	parts := []string{c.Title}
	if c.SkillLevel != "" {
		parts = append(parts, i18n.T("skill_level."+c.SkillLevel))
	}
	parts = append(parts, c.Issuer)
	if c.CertNo != "" {
		parts = append(parts, i18n.T("ui.certificate.row.number", c.CertNo))
	}
	return joinParts(append(parts, Date(c.Date)))
}

// CounsellingRow returns the text of a counselling session in a person's
// page, such as "面试准备 · 辅导人 王老师 · 2024年4月2日 · 模拟面试两次…",
// with the start of the notes.
func CounsellingRow(c record.Counselling) string {
	parts := []string{c.Topic}
	if c.Counsellor != "" {
		parts = append(parts, i18n.T("ui.counselling.row.counsellor", c.Counsellor))
	}
	notes := strings.Join(strings.Fields(c.Notes), " ")
	return joinParts(append(parts, Date(c.Date), shorten(notes, maxNotesShown)))
}

// AssessmentRow returns the text of an assessment result, such as
// "职业方向测评 · 兴趣代码 RIS · 2024年3月1日". A profile that does not parse
// shows without its code.
func AssessmentRow(a record.Assessment) string {
	return joinParts([]string{i18n.T("kind.assessment"), AssessmentSummary(a)})
}

// AssessmentSummary returns AssessmentRow without the kind, such as
// "兴趣代码 RIS · 2024年3月1日", for lists that name the kind already.
func AssessmentSummary(a record.Assessment) string {
	var parts []string
	if p, err := assessment.ParseProfile(a.Profile); err == nil {
		parts = append(parts, i18n.T("ui.review.assessment_code", p.Code()))
	}
	return joinParts(append(parts, Date(a.Date)))
}

// RatingOption returns the text of a rating in a select, "4 / 5".
func RatingOption(rating int) string {
	return i18n.T("ui.internship.rating_option", rating, MaxRating)
}

// joinParts joins the non-empty parts with " · ".
func joinParts(parts []string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " · ")
}

// shorten cuts s to max characters, marking a cut with "…".
func shorten(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}
