package ui

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// demandDialog is the form of a job demand.
type demandDialog struct {
	*recordDialog
	id           string // the demand edited, "" for a new one
	employer     *widget.SelectEntry
	title        *widget.Entry
	occupation   *widget.SelectEntry
	majors       *majorsPicker
	certificates *widget.Entry
	skills       *widget.Entry
	region       *widget.SelectEntry
	headcount    *widget.Entry
	salaryMin    *widget.Entry
	salaryMax    *widget.Entry
	start        *widget.Entry
	end          *widget.Entry
	months       *widget.Entry
	programme    *widget.Select
	status       *widget.Select
	scroll       *container.Scroll // around the form, below the title and above the buttons

	employers    []employerChoice // the employers the picker offers, in pinyin order
	offered      []string         // the employer picker's options now, for tests
	programmeIDs []string         // the ids of programme's options, "" for none
}

// demandDialogWidth leaves room for the pairs of salary and date entries.
const demandDialogWidth = 640

// showDemandDialog opens the form for d, empty for a new demand. employers
// are the employers it may name, as employerChoices returns them, and
// programmes the job-tailored programmes it may link. afterSave runs on the
// UI goroutine once the demand is stored.
func (w *window) showDemandDialog(d record.Demand, employers []employerChoice, programmes []record.Programme, afterSave func()) *demandDialog {
	f := &demandDialog{
		id:           d.ID,
		title:        widget.NewEntry(),
		certificates: widget.NewMultiLineEntry(),
		skills:       widget.NewEntry(),
		headcount:    widget.NewEntry(),
		salaryMin:    widget.NewEntry(),
		salaryMax:    widget.NewEntry(),
		start:        widget.NewEntry(),
		end:          widget.NewEntry(),
		months:       widget.NewEntry(),
		majors:       w.newMajorsPicker(),
	}
	f.employers = withDeletedEmployer(employers, d.Employer)
	hint := i18n.T("ui.demands.employer.hint")
	if len(employers) == 0 {
		hint = i18n.T("ui.demands.employer.none")
	}
	f.employer = newCodePicker(hint, func(q string, limit int) []string {
		f.offered = employerOptions(f.employers, q, limit)
		return f.offered
	})
	// The drop-down offers the first employers before anything is typed.
	f.employer.OnChanged("")
	f.occupation = newCodePicker(i18n.T("ui.demands.occupation.hint"), func(q string, limit int) []string {
		return occupationOptions(w.tables, q, limit)
	})
	f.region = newCodePicker(i18n.T("ui.person.region.hint"), func(q string, limit int) []string {
		return display.RegionOptions(w.tables, q, limit)
	})
	f.certificates.SetMinRowsVisible(2)
	f.certificates.SetPlaceHolder(i18n.T("ui.demands.certificates.hint"))
	f.skills.SetPlaceHolder(i18n.T("ui.demands.skills.hint"))
	f.salaryMin.SetPlaceHolder(i18n.T("ui.demands.salary.min_hint"))
	f.salaryMax.SetPlaceHolder(i18n.T("ui.demands.salary.max_hint"))
	f.start.SetPlaceHolder(i18n.T("ui.demands.start_hint"))
	f.end.SetPlaceHolder(i18n.T("ui.demands.end_hint"))
	f.months.SetPlaceHolder(i18n.T("ui.demands.months.hint"))
	programmeLabels := []string{i18n.T("ui.demands.programme.none")}
	f.programmeIDs = []string{""}
	for _, p := range programmes {
		f.programmeIDs = append(f.programmeIDs, p.ID)
		programmeLabels = append(programmeLabels, display.ProgrammeTitle(p))
	}
	f.programme = widget.NewSelect(programmeLabels, nil)
	f.programme.SetSelectedIndex(0)
	f.status = widget.NewSelect([]string{i18n.T("ui.demands.status.open"), i18n.T("ui.demands.status.closed")}, nil)
	f.status.SetSelectedIndex(0)

	form := newFieldForm()
	form.add(record.FieldEmployer, f.employer)
	form.add(record.FieldTitle, f.title)
	form.add(record.FieldOccupation, f.occupation)
	form.add(record.FieldMajors, f.majors.content)
	form.add(record.FieldCertificates, f.certificates)
	form.add(record.FieldSkills, f.skills)
	form.add(record.FieldRegion, f.region)
	form.add(record.FieldHeadcount, f.headcount)
	addPair(form, i18n.T("ui.demands.salary.label"), record.FieldSalaryMin, f.salaryMin, record.FieldSalaryMax, f.salaryMax)
	addPair(form, i18n.T("ui.demands.dates.label"), record.FieldStart, f.start, record.FieldEnd, f.end)
	form.add(record.FieldMonths, f.months)
	form.add(record.FieldProgramme, f.programme)
	form.add(record.FieldDemandStatus, f.status)
	f.load(d, w.tables)

	title := i18n.T("ui.demands.dialog.add")
	if d.ID != "" {
		title = i18n.T("ui.demands.dialog.edit")
	}
	// With several majors or messages the form is taller than the window,
	// so it scrolls and 保存 and 取消 stay below it.
	var scroll *container.Scroll
	wrap := func(body fyne.CanvasObject) fyne.CanvasObject {
		scroll = container.NewVScroll(body)
		return scroll
	}
	f.recordDialog = w.newRecordDialogWith(title, form, wrap, func() func() error { return f.validate(w) }, afterSave)
	f.scroll = scroll
	f.fit = f.fitWindow
	f.majors.changed = f.fitWindow
	f.dialog.Show()
	f.fit()
	return f
}

// demandDialogShare is the largest height of the demand dialog, as a
// share of the window's.
const demandDialogShare = 0.92

// fitWindow sizes the dialog to its form, but no taller than the window
// allows. The form scrolls when it is taller.
func (f *demandDialog) fitWindow() {
	chrome := f.dialog.MinSize().Height - f.scroll.MinSize().Height
	height := f.scroll.Content.MinSize().Height + chrome
	limit := f.w.win.Canvas().Size().Height * demandDialogShare
	f.dialog.Resize(fyne.NewSize(demandDialogWidth, min(height, limit)))
}

// addPair adds one form row with two inputs side by side, such as the
// lowest and highest salary. Each field's message shows under the row.
func addPair(form *fieldForm, label, firstField string, first fyne.CanvasObject, secondField string, second fyne.CanvasObject) {
	message := widget.NewLabel("")
	message.Importance = widget.DangerImportance
	message.Wrapping = fyne.TextWrapWord
	message.Hide()
	form.errors[firstField] = message
	form.errors[secondField] = message
	form.order = append(form.order, firstField, secondField)
	form.form.Append(label, container.NewVBox(container.NewGridWithColumns(2, first, second), message))
	form.watch(firstField, first, second)
}

// load fills the form with a stored demand.
func (f *demandDialog) load(d record.Demand, tables *codes.Tables) {
	for _, c := range f.employers {
		if c.id == d.Employer && d.Employer != "" {
			f.employer.SetText(c.label)
		}
	}
	f.title.SetText(d.Title)
	f.occupation.SetText(occupationLabel(tables, d.Occupation))
	f.majors.set(d.Majors)
	f.certificates.SetText(certificateLines(d.Certificates))
	f.skills.SetText(record.JoinList(d.Skills))
	f.region.SetText(display.RegionLabel(tables, d.Region))
	if d.Headcount > 0 {
		f.headcount.SetText(strconv.Itoa(d.Headcount))
	}
	if d.SalaryMin > 0 {
		f.salaryMin.SetText(strconv.Itoa(d.SalaryMin))
	}
	if d.SalaryMax > 0 {
		f.salaryMax.SetText(strconv.Itoa(d.SalaryMax))
	}
	f.start.SetText(d.Start)
	f.end.SetText(d.End)
	months := make([]string, len(d.Months))
	for i, m := range d.Months {
		months[i] = strconv.Itoa(m)
	}
	f.months.SetText(strings.Join(months, ","))
	if i := slices.Index(f.programmeIDs, d.Programme); i >= 0 {
		f.programme.SetSelectedIndex(i)
	}
	if !d.Open() {
		f.status.SetSelectedIndex(1)
	}
}

// certificateLines returns certificates one a line, in the form the
// entry's hint shows: 数控车工:中级, or 电工 for one without a level. The
// level names are the Chinese ones in every locale, because
// validate.Demand reads only those names and the level codes.
func certificateLines(certs []record.DemandCertificate) string {
	lines := make([]string, len(certs))
	for i, c := range certs {
		lines[i] = c.Title
		if c.SkillLevel != "" {
			lines[i] += ":" + i18n.In(i18n.Chinese, "skill_level."+c.SkillLevel)
		}
	}
	return strings.Join(lines, "\n")
}

// employerChoice is one option of the demand form's employer picker.
type employerChoice struct {
	id    string
	name  string
	code  string // unified social credit code, upper case
	label string // 江西洪都数控机械有限公司（91360100MA35F4XXXX）
}

// employerChoices returns the picker options for employers, in the pinyin
// order of their names. It took about 60 ms for 3,377 employers on a
// shared 2-core machine (BenchmarkEmployerChoices), so it runs off the UI
// goroutine.
func employerChoices(employers []record.Employer) []employerChoice {
	type keyed struct {
		key    string
		choice employerChoice
	}
	sorted := make([]keyed, len(employers))
	for i, e := range employers {
		sorted[i] = keyed{store.PinyinSortKey(e.Name), employerChoice{id: e.ID, name: e.Name,
			code: strings.ToUpper(e.CreditCode), label: i18n.T("ui.demands.employer_option", e.Name, e.CreditCode)}}
	}
	slices.SortStableFunc(sorted, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	out := make([]employerChoice, len(sorted))
	for i, k := range sorted {
		out[i] = k.choice
	}
	return out
}

// withDeletedEmployer returns choices with an option for current, the
// employer of the demand edited, when it is not among them because it was
// deleted. The demand can then still be edited or closed.
func withDeletedEmployer(choices []employerChoice, current string) []employerChoice {
	if current == "" || slices.ContainsFunc(choices, func(c employerChoice) bool { return c.id == current }) {
		return choices
	}
	return append(slices.Clip(choices), employerChoice{id: current, label: i18n.T("ui.demands.no_employer")})
}

// employerOptions returns up to limit labels of the employers whose name
// contains query or whose credit code starts with it, ignoring case. A
// query that is a whole label, as after a choice, returns that label.
func employerOptions(choices []employerChoice, query string, limit int) []string {
	query = strings.TrimSpace(query)
	upper := strings.ToUpper(query)
	var out []string
	for _, c := range choices {
		if len(out) >= limit {
			break
		}
		if query == "" || c.label == query || strings.Contains(c.name, query) || (c.code != "" && strings.HasPrefix(c.code, upper)) {
			out = append(out, c.label)
		}
	}
	return out
}

// employerOf returns the id of the employer the picker's text names: an
// option's label, an exact name or a credit code. It reports false when
// the text names no employer or a name shared by several. Empty text
// returns "" and true, so validation asks for an employer.
func employerOf(choices []employerChoice, text string) (id string, known bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", true
	}
	upper := strings.ToUpper(text)
	for _, c := range choices {
		if c.label == text || (c.code != "" && c.code == upper) {
			return c.id, true
		}
	}
	// Two employers may share a name, so a name alone picks one only
	// when it is unique.
	id = ""
	for _, c := range choices {
		if c.name == text {
			if id != "" {
				return "", false
			}
			id = c.id
		}
	}
	return id, id != ""
}

// validate checks the form and returns the function that stores the
// demand, or nil when a field is invalid.
func (f *demandDialog) validate(w *window) func() error {
	employer, known := employerOf(f.employers, f.employer.Text)
	programme := ""
	if i := f.programme.SelectedIndex(); i >= 0 {
		programme = f.programmeIDs[i]
	}
	status := record.DemandOpen
	if f.status.SelectedIndex() == 1 {
		status = record.DemandClosed
	}
	d, errs := validate.Demand(map[string]string{
		record.FieldEmployer:     employer,
		record.FieldTitle:        f.title.Text,
		record.FieldOccupation:   display.CodeOf(w.tables.Occupations, f.occupation.Text),
		record.FieldMajors:       strings.Join(f.majors.codesWithTyped(), ","),
		record.FieldCertificates: f.certificates.Text,
		record.FieldSkills:       f.skills.Text,
		record.FieldRegion:       display.CodeOf(w.tables.Regions, f.region.Text),
		record.FieldHeadcount:    f.headcount.Text,
		record.FieldSalaryMin:    f.salaryMin.Text,
		record.FieldSalaryMax:    f.salaryMax.Text,
		record.FieldStart:        f.start.Text,
		record.FieldEnd:          f.end.Text,
		record.FieldMonths:       f.months.Text,
		record.FieldProgramme:    programme,
		record.FieldDemandStatus: status,
	}, w.tables)
	if !known {
		errs = slices.DeleteFunc(errs, func(fe validate.FieldError) bool { return fe.Field == record.FieldEmployer })
		errs = append(errs, validate.FieldError{Field: record.FieldEmployer,
			Err: &validate.Error{Key: "ui.demands.employer.unknown", Args: []any{strings.TrimSpace(f.employer.Text)}}})
	}
	f.form.showErrors(errs)
	if len(errs) > 0 {
		return nil
	}
	d.ID = f.id
	return func() error {
		_, err := w.store.SaveDemand(d)
		return err
	}
}

// majorsPicker chooses the majors a demand requires: the person form's
// major picker, extended to major classes and categories, with an 添加
// button that moves the typed choice into the list of chosen codes below.
type majorsPicker struct {
	tables  *codes.Tables
	picker  *widget.SelectEntry
	add     *widget.Button
	chosen  *fyne.Container
	codes   []string
	content fyne.CanvasObject
	changed func() // called after the chosen majors changed, if set
}

func (w *window) newMajorsPicker() *majorsPicker {
	m := &majorsPicker{tables: w.tables, chosen: container.NewVBox()}
	m.picker = newCodePicker(i18n.T("ui.demands.majors.hint"), func(q string, limit int) []string {
		return majorLevelOptions(w.tables, q, limit)
	})
	m.add = widget.NewButtonWithIcon(i18n.T("ui.demands.majors.add"), theme.ContentAddIcon(), m.addTyped)
	m.content = container.NewVBox(container.NewBorder(nil, nil, nil, m.add, m.picker), m.chosen)
	return m
}

// addTyped adds the picker's text to the chosen majors and clears it. Text
// that is no known code is kept as typed, for validation to report.
func (m *majorsPicker) addTyped() {
	code := majorCodeOf(m.tables, m.picker.Text)
	if code == "" {
		return
	}
	if !slices.Contains(m.codes, code) {
		m.set(append(m.codes, code))
	}
	m.picker.SetText("")
}

// set replaces the chosen majors.
func (m *majorsPicker) set(majorCodes []string) {
	m.codes = append([]string(nil), majorCodes...)
	m.chosen.RemoveAll()
	for _, code := range m.codes {
		remove := widget.NewButtonWithIcon("", theme.CancelIcon(), func() {
			m.set(slices.DeleteFunc(slices.Clone(m.codes), func(c string) bool { return c == code }))
		})
		m.chosen.Add(container.NewBorder(nil, nil, nil, remove, widget.NewLabel(majorCodeLabel(m.tables, code))))
	}
	if m.changed != nil {
		m.changed()
	}
}

// codesWithTyped returns the chosen codes and, last, the picker's text when
// the user typed a choice but did not tap 添加.
func (m *majorsPicker) codesWithTyped() []string {
	out := slices.Clone(m.codes)
	if code := majorCodeOf(m.tables, m.picker.Text); code != "" && !slices.Contains(out, code) {
		out = append(out, code)
	}
	return out
}

// majorTables are the tables a demand's majors come from: majors, major
// classes and categories.
func majorTables(tables *codes.Tables) []*codes.Table {
	return []*codes.Table{tables.Majors, tables.MajorClasses, tables.MajorCategories}
}

// majorCodeOf returns the code a majors picker's text stands for, or the
// trimmed text when it names none.
func majorCodeOf(tables *codes.Tables, text string) string {
	text = strings.TrimSpace(text)
	code, _, _ := strings.Cut(text, " ")
	for _, t := range majorTables(tables) {
		if e, ok := t.ByCode(code); ok {
			return e.Code
		}
	}
	return text
}

// majorCodeLabel returns "code name" for a major, class or category code,
// and the code alone when it is unknown.
func majorCodeLabel(tables *codes.Tables, code string) string {
	for _, t := range majorTables(tables) {
		if e, ok := t.ByCode(code); ok {
			return e.Code + " " + e.Name
		}
	}
	return code
}

// majorLevelOptions returns up to limit picker labels: categories and
// classes first, because they are fewer and broader, then majors.
func majorLevelOptions(tables *codes.Tables, query string, limit int) []string {
	var out []string
	for _, t := range []*codes.Table{tables.MajorCategories, tables.MajorClasses, tables.Majors} {
		for _, e := range t.Search(query, limit-len(out)) {
			out = append(out, e.Code+" "+e.Name)
		}
		if len(out) >= limit {
			break
		}
	}
	return out
}

// occupationLabel returns the text an occupation picker shows for a code,
// such as "6-18-01-01 车工", or "" for an empty code.
func occupationLabel(tables *codes.Tables, code string) string {
	if code == "" {
		return ""
	}
	if e, ok := tables.Occupation(code); ok {
		return e.Code + " " + e.Name
	}
	return code
}

// occupationOptions returns up to limit picker labels for the occupations
// whose code starts with query or whose name contains it, detailed
// occupations (职业) first.
func occupationOptions(tables *codes.Tables, query string, limit int) []string {
	var detail, groups []string
	for _, e := range tables.Occupations.Search(query, 0) {
		label := e.Code + " " + e.Name
		if e.Level == codes.OccupationDetail {
			detail = append(detail, label)
		} else {
			groups = append(groups, label)
		}
	}
	out := append(detail, groups...)
	return out[:min(len(out), limit)]
}
