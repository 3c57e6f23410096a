package display

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// Limits of the programme form and the class grid.
const (
	MaxTitleRunes      = 100
	MaxDemandRunes     = validate.MaxEmployerRunes
	MaxModuleNameRunes = 50
	MaxModules         = 30
	MaxModuleHours     = 1000
	MaxPassMark        = 100
	MaxScore           = 100
)

// moduleNameForbidden are the characters a module name may not contain:
// ":" and ";" separate the stored module list, and "=" separates a module
// from its result in the stored results.
const moduleNameForbidden = ":;="

// ProgrammeTitle returns the title a screen shows for a programme: the
// translation for the built-in basic programme, else the stored title.
func ProgrammeTitle(p record.Programme) string {
	if p.ID == record.BasicProgramme {
		return i18n.T(p.Title)
	}
	return p.Title
}

// ModuleName returns the name a screen shows for module m of programme p.
func ModuleName(p record.Programme, m record.Module) string {
	if p.ID == record.BasicProgramme {
		return i18n.T(m.Name)
	}
	return m.Name
}

// ModuleInput is the text of one row of the programme form's module list.
type ModuleInput struct {
	Name     string
	Hours    string
	PassMark string
}

// ParseProgramme validates the programme form. raw contains the title,
// employer, position and demand keyed by record field names. modules
// contains the rows of the module list, and a row with every cell empty is
// skipped. The title and at least one module are required. Module names
// must be unique and free of ":", ";" and "=". All module errors are
// reported under record.FieldModules.
func ParseProgramme(raw map[string]string, modules []ModuleInput) (record.Programme, []validate.FieldError) {
	var p record.Programme
	var errs []validate.FieldError
	fail := func(field, key string, args ...any) {
		errs = append(errs, validate.FieldError{Field: field, Err: &validate.Error{Key: key, Args: args}})
	}

	p.Title = strings.TrimSpace(raw[record.FieldTitle])
	switch n := utf8.RuneCountInString(p.Title); {
	case n == 0:
		fail(record.FieldTitle, "ui.programme.title.required")
	case n > MaxTitleRunes:
		fail(record.FieldTitle, "ui.programme.title.too_long", p.Title, n, MaxTitleRunes)
	}
	p.Employer = strings.TrimSpace(raw[record.FieldEmployer])
	if n := utf8.RuneCountInString(p.Employer); n > validate.MaxEmployerRunes {
		fail(record.FieldEmployer, "validate.employer.too_long", p.Employer, n, validate.MaxEmployerRunes)
	}
	p.Position = strings.TrimSpace(raw[record.FieldPosition])
	if n := utf8.RuneCountInString(p.Position); n > MaxPositionRunes {
		fail(record.FieldPosition, "ui.internship.position.too_long", p.Position, n, MaxPositionRunes)
	}
	p.Demand = strings.TrimSpace(raw[record.FieldDemand])
	if n := utf8.RuneCountInString(p.Demand); n > MaxDemandRunes {
		fail(record.FieldDemand, "ui.programme.demand.too_long", n, MaxDemandRunes)
	}

	seen := map[string]bool{}
	for i, in := range modules {
		name := strings.TrimSpace(in.Name)
		hoursText, passText := validate.Narrow(in.Hours), validate.Narrow(in.PassMark)
		if name == "" && hoursText == "" && passText == "" {
			continue
		}
		row := i + 1
		switch n := utf8.RuneCountInString(name); {
		case n == 0:
			fail(record.FieldModules, "ui.programme.module.name_required", row)
		case n > MaxModuleNameRunes:
			fail(record.FieldModules, "ui.programme.module.name_too_long", name, n, MaxModuleNameRunes)
		case strings.ContainsAny(name, moduleNameForbidden):
			fail(record.FieldModules, "ui.programme.module.name_char", name)
		case seen[name]:
			fail(record.FieldModules, "ui.programme.module.name_duplicate", name)
		}
		seen[name] = true
		label := name
		if label == "" {
			label = strconv.Itoa(row)
		}
		hours, err := strconv.Atoi(hoursText)
		if err != nil || hours < 1 || hours > MaxModuleHours {
			fail(record.FieldModules, "ui.programme.module.hours_invalid", label, hoursText, MaxModuleHours)
		}
		pass, err := strconv.Atoi(passText)
		if err != nil || pass < 0 || pass > MaxPassMark {
			fail(record.FieldModules, "ui.programme.module.pass_invalid", label, passText, MaxPassMark)
		}
		p.Modules = append(p.Modules, record.Module{Key: name, Name: name, Hours: hours, PassMark: pass})
	}
	switch {
	case len(p.Modules) == 0:
		fail(record.FieldModules, "ui.programme.module.required")
	case len(p.Modules) > MaxModules:
		fail(record.FieldModules, "ui.programme.module.too_many", len(p.Modules), MaxModules)
	}
	return p, errs
}

// ParseClass validates the class form. raw holds the title, the programme
// id and the start and end dates keyed by record field names. All are
// required, and the end must not be before the start.
func ParseClass(raw map[string]string) (record.Class, []validate.FieldError) {
	var c record.Class
	var errs []validate.FieldError
	fail := func(field, key string, args ...any) {
		errs = append(errs, validate.FieldError{Field: field, Err: &validate.Error{Key: key, Args: args}})
	}

	c.Title = strings.TrimSpace(raw[record.FieldTitle])
	switch n := utf8.RuneCountInString(c.Title); {
	case n == 0:
		fail(record.FieldTitle, "ui.class.title.required")
	case n > MaxTitleRunes:
		fail(record.FieldTitle, "ui.class.title.too_long", c.Title, n, MaxTitleRunes)
	}
	c.Programme = raw[record.FieldProgramme]
	if c.Programme == "" {
		fail(record.FieldProgramme, "ui.class.programme.required")
	}

	start, err := validate.ParseDate(raw[record.FieldStart])
	if err != nil {
		errs = append(errs, validate.FieldError{Field: record.FieldStart, Err: err.(*validate.Error)})
	}
	c.Start = start.String()
	end, err := validate.ParseDate(raw[record.FieldEnd])
	switch {
	case err != nil:
		errs = append(errs, validate.FieldError{Field: record.FieldEnd, Err: err.(*validate.Error)})
	case !start.IsZero() && end.String() < start.String():
		fail(record.FieldEnd, "ui.internship.end.before_start", Date(end.String()), Date(start.String()))
	}
	c.End = end.String()
	return c, errs
}

// CellInput is the text of one module's two cells in the class grid.
type CellInput struct {
	Attended string
	Score    string
}

// ParseCell reads one cell of the class grid: the hours member attended
// module m of programme p, or the score when score is true. It returns -1
// for an empty cell. The error names the member, the module and the text
// typed, so the message alone finds the cell.
func ParseCell(member string, p record.Programme, m record.Module, score bool, text string) (int, *validate.Error) {
	text = validate.Narrow(text)
	if text == "" {
		return -1, nil
	}
	module := ModuleName(p, m)
	n, err := strconv.Atoi(text)
	switch {
	case score && (err != nil || n < 0 || n > MaxScore):
		return -1, &validate.Error{Key: "ui.grid.score.invalid", Args: []any{member, module, text, MaxScore}}
	case score:
		return n, nil
	case err != nil || n < 0:
		return -1, &validate.Error{Key: "ui.grid.attended.invalid", Args: []any{member, module, text, m.Hours}}
	case n > m.Hours:
		return -1, &validate.Error{Key: "ui.grid.attended.too_many", Args: []any{member, module, text, m.Hours}}
	}
	return n, nil
}

// ParseGridRow reads one member's row of the class grid: cells holds one
// CellInput per module of p, in order. A module with both cells empty has
// no result yet. An empty attendance with a score reads as 0 hours, and
// an empty score as no score. It returns every cell's error.
func ParseGridRow(member string, p record.Programme, cells []CellInput) (record.Results, []*validate.Error) {
	results := record.Results{}
	var errs []*validate.Error
	for i, m := range p.Modules {
		if i >= len(cells) {
			break
		}
		attended, err := ParseCell(member, p, m, false, cells[i].Attended)
		if err != nil {
			errs = append(errs, err)
		}
		score, err := ParseCell(member, p, m, true, cells[i].Score)
		if err != nil {
			errs = append(errs, err)
		}
		if validate.Narrow(cells[i].Attended) == "" && validate.Narrow(cells[i].Score) == "" {
			continue
		}
		results[m.Key] = record.Result{Attended: max(attended, 0), Score: score}
	}
	return results, errs
}

// CompletionCells returns the texts of the grid's computed columns for c:
// modules passed as "X/Y", total hours, average score ("—" without one),
// and whether the member completed the programme.
func CompletionCells(c record.Completion) [4]string {
	average := "—"
	if c.Average >= 0 {
		average = strconv.Itoa(c.Average)
	}
	completed := i18n.T("ui.grid.completed.no")
	if c.Completed {
		completed = i18n.T("ui.grid.completed.yes")
	}
	return [4]string{strconv.Itoa(c.Passed) + "/" + strconv.Itoa(c.Modules), strconv.Itoa(c.Hours), average, completed}
}

// CellText returns the text a grid cell starts with for a stored result:
// the attended hours or the score, "" when none was entered.
func CellText(r record.Result, ok, score bool) string {
	switch {
	case !ok:
		return ""
	case score && r.Score < 0:
		return ""
	case score:
		return strconv.Itoa(r.Score)
	}
	return strconv.Itoa(r.Attended)
}

// TrainingSummary returns the text of a training record in a person's page
// when its programme is known: "基础模块 · 2025 春季班 · 通过 5/5 个模块 ·
// 104 学时 · 平均分 85 · 已结业". Completion is computed from the results,
// so it matches the class grid. classTitle may be empty.
func TrainingSummary(t record.Training, p record.Programme, classTitle string) string {
	parts := []string{ProgrammeTitle(p)}
	if classTitle != "" {
		parts = append(parts, classTitle)
	}
	if len(t.Results) == 0 && (t.Hours > 0 || t.Score != "") {
		// An old record, typed before programmes had modules.
		return strings.Join(append(parts, enteredParts(t)...), " · ")
	}
	c := record.Complete(p, t.Results)
	parts = append(parts, i18n.T("ui.training.summary.passed", c.Passed, c.Modules),
		i18n.T("ui.training.row.hours", c.Hours))
	if c.Average >= 0 {
		parts = append(parts, i18n.T("ui.training.summary.average", c.Average))
	}
	if c.Completed {
		parts = append(parts, i18n.T("ui.training.row.completed"))
	} else {
		parts = append(parts, i18n.T("ui.training.row.not_completed"))
	}
	return strings.Join(parts, " · ")
}

// enteredParts returns the hours, score and completion of a training record
// as they were typed.
func enteredParts(t record.Training) []string {
	var parts []string
	if t.Hours > 0 {
		parts = append(parts, i18n.T("ui.training.row.hours", t.Hours))
	}
	if t.Score != "" {
		parts = append(parts, i18n.T("ui.training.row.score", t.Score))
	}
	if t.Completed {
		parts = append(parts, i18n.T("ui.training.row.completed"))
	}
	return parts
}

// MonthsSince returns the whole months from from to now, 0 when now is
// before from.
func MonthsSince(from, now time.Time) int {
	months := (now.Year()-from.Year())*12 + int(now.Month()) - int(from.Month())
	if now.Day() < from.Day() {
		months--
	}
	return max(months, 0)
}

// RetrainingRow returns the text of a graduate in the re-training list:
// name, major, grad year and months since graduation, such as
// "王芳 · 软件技术 · 2024 届 · 毕业 12 个月".
func RetrainingRow(p record.Person, majorName string, months int) string {
	parts := []string{p.Name}
	if majorName != "" {
		parts = append(parts, majorName)
	}
	parts = append(parts, i18n.T("ui.retraining.grad_year", p.GradYear),
		i18n.T("ui.retraining.months", months))
	return strings.Join(parts, " · ")
}
