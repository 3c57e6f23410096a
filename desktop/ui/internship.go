package ui

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// internshipSection lists a person's internships and job-experience
// sessions.
type internshipSection struct {
	*recordSection
	w      *window
	person func() string // the id of the person shown
	saved  func()        // reloads the page after a record is saved
	last   *internshipDialog
}

// internshipDialog is the form for a new internship or a correction of one.
type internshipDialog struct {
	*recordDialog
	kind       *widget.Select      // labels of record.InternKinds: 实习, 体验
	employer   *widget.SelectEntry // offers employers already in the store
	position   *widget.Entry
	workRegion *widget.SelectEntry
	start      *widget.Entry
	end        *widget.Entry
	supervisor *widget.Entry
	rating     *widget.Select // "unrated", then 1 to display.MaxRating
	evaluation *widget.Entry  // multi-line
	// employers are the known employer names, filled off the UI goroutine
	// after the dialog opens.
	employers []string
}

func (w *window) newInternshipSection(person func() string) *internshipSection {
	s := &internshipSection{w: w, person: person}
	s.recordSection = newRecordSection(i18n.T("ui.internship.title"), i18n.T("ui.internship.add"),
		i18n.T("ui.internship.empty"), s.showAddDialog)
	return s
}

func (s *internshipSection) refresh() {
	internships, err := s.w.store.InternshipsOf(s.person())
	if err != nil {
		s.setError(err)
		return
	}
	rows := make([]historyRow, len(internships))
	for i, in := range internships {
		rows[i] = historyRow{ref: store.ReviewRef{Kind: record.KindInternship, ID: in.ID},
			text: display.InternshipRow(in), review: in.Review, edit: func() { s.showDialog(in) }}
	}
	s.setHistoryRows(s.w, rows)
}

func (s *internshipSection) showAddDialog() { s.showDialog(record.Internship{}) }

// showDialog opens the form, prefilled with in when it has an id: saving
// it then stores a new version that supersedes in.
func (s *internshipSection) showDialog(in record.Internship) {
	kind := in.Kind
	if kind == "" {
		kind = record.InternWork
	}
	s.openDialog(in, kind, nil)
}

// internshipInputs are the texts and choices of an open internship form,
// carried over when a change of kind reopens the form.
type internshipInputs struct {
	employer, position, workRegion, start, end, supervisor, evaluation string
	rating                                                             int
}

// inputs returns what the form's inputs hold now.
func (d *internshipDialog) inputs() *internshipInputs {
	return &internshipInputs{employer: d.employer.Text, position: d.position.Text,
		workRegion: d.workRegion.Text, start: d.start.Text, end: d.end.Text,
		supervisor: d.supervisor.Text, evaluation: d.evaluation.Text, rating: d.rating.SelectedIndex()}
}

// internshipWording returns the i18n key prefix of the form's title and
// hints for a kind: a job-experience session (体验) is worded as one, not
// as an internship.
func internshipWording(kind string) string {
	if kind == record.InternExperience {
		return "ui.internship.experience"
	}
	return "ui.internship"
}

// openDialog opens the form for kind, worded for that kind, prefilled with
// typed when a change of kind reopened it, else with in. The dialog's title
// cannot change once shown, so choosing another kind reopens the form.
func (s *internshipSection) openDialog(in record.Internship, kind string, typed *internshipInputs) {
	person := s.person()
	if person == "" {
		return
	}
	ratings := []string{i18n.T("ui.internship.unrated")}
	for r := 1; r <= display.MaxRating; r++ {
		ratings = append(ratings, display.RatingOption(r))
	}
	d := &internshipDialog{
		kind:     widget.NewSelect(codeLabels("intern_kind.", record.InternKinds), nil),
		position: widget.NewEntry(),
		workRegion: newCodePicker(i18n.T("ui.person.region.hint"), func(q string, limit int) []string {
			return display.RegionOptions(s.w.tables, q, limit)
		}),
		start:      widget.NewEntry(),
		end:        widget.NewEntry(),
		supervisor: widget.NewEntry(),
		rating:     widget.NewSelect(ratings, nil),
		evaluation: widget.NewMultiLineEntry(),
	}
	d.employer = newCodePicker(i18n.T("ui.internship.employer.hint"), func(q string, limit int) []string {
		return matchingNames(d.employers, q, limit)
	})
	wording := internshipWording(kind)
	d.start.SetPlaceHolder(i18n.T("ui.date.hint"))
	d.end.SetPlaceHolder(i18n.T(wording + ".end.hint"))
	d.evaluation.Wrapping = fyne.TextWrapWord
	d.evaluation.SetMinRowsVisible(3)

	selectCode(d.kind, record.InternKinds, kind)
	if typed == nil {
		typed = &internshipInputs{employer: in.Employer, position: in.Position,
			workRegion: display.RegionLabel(s.w.tables, in.WorkRegion),
			start:      display.Date(in.Start), end: display.Date(in.End), supervisor: in.Supervisor,
			evaluation: in.Evaluation, rating: min(max(in.Rating, 0), display.MaxRating)}
	}
	d.employer.SetText(typed.employer)
	d.position.SetText(typed.position)
	d.workRegion.SetText(typed.workRegion)
	d.start.SetText(typed.start)
	d.end.SetText(typed.end)
	d.supervisor.SetText(typed.supervisor)
	d.rating.SetSelectedIndex(typed.rating)
	d.evaluation.SetText(typed.evaluation)
	d.kind.OnChanged = func(string) {
		chosen := selectedCode(d.kind, record.InternKinds)
		if chosen == "" || internshipWording(chosen) == wording {
			return
		}
		d.dialog.Hide()
		s.openDialog(in, chosen, d.inputs())
	}

	form := newFieldForm()
	form.add(record.FieldInternKind, d.kind)
	form.add(record.FieldEmployer, d.employer)
	form.add(record.FieldPosition, d.position)
	form.add(record.FieldWorkRegion, d.workRegion)
	form.add(record.FieldStart, d.start)
	form.add(record.FieldEnd, d.end)
	form.add(record.FieldSupervisor, d.supervisor)
	form.add(record.FieldRating, d.rating)
	form.add(record.FieldEvaluation, d.evaluation)
	form.form.Items[len(form.form.Items)-1].Text = i18n.T(wording + ".evaluation")

	d.recordDialog = s.w.newHistoryDialog(dialogTitle(wording, in.ID), form, in.Review,
		func(draft bool) func() error { return s.validate(person, in.ID, d, draft) }, s.saved)
	s.last = d
	d.dialog.Show()

	s.w.spawn(func() {
		employers := knownEmployers(s.w.store)
		s.w.do(func() { d.employers = employers })
	})
}

// validate checks the dialog's fields and returns the function that stores
// the internship, or nil when a field is invalid.
func (s *internshipSection) validate(person, id string, d *internshipDialog, draft bool) func() error {
	rating := ""
	if i := d.rating.SelectedIndex(); i > 0 {
		rating = strconv.Itoa(i)
	}
	in, errs := display.ParseInternship(person, map[string]string{
		record.FieldInternKind: selectedCode(d.kind, record.InternKinds),
		record.FieldEmployer:   d.employer.Text,
		record.FieldPosition:   d.position.Text,
		record.FieldWorkRegion: d.workRegion.Text,
		record.FieldStart:      d.start.Text,
		record.FieldEnd:        d.end.Text,
		record.FieldSupervisor: d.supervisor.Text,
		record.FieldRating:     rating,
		record.FieldEvaluation: d.evaluation.Text,
	}, s.w.tables, s.w.today())
	d.form.showErrors(errs)
	if len(errs) > 0 {
		return nil
	}
	return func() error {
		_, err := s.w.store.SaveHistory(record.KindInternship, id, historyValues(in.Fields(), draft))
		return err
	}
}

// knownEmployers returns the employer names the store holds, on persons
// and on internships, sorted and without repeats. It reads every person's
// internships, so it runs off the UI goroutine.
// TODO: offer the employer directory once employers are records.
func knownEmployers(st *store.Store) []string {
	seen := map[string]bool{}
	for _, p := range st.Persons() {
		seen[p.Employer] = true
		internships, err := st.InternshipsOf(p.ID)
		if err != nil {
			continue // the suggestions are a convenience; the form works without them
		}
		for _, in := range internships {
			seen[in.Employer] = true
		}
	}
	delete(seen, "")
	names := make([]string, 0, len(seen))
	for name := range seen {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// matchingNames returns up to limit names that contain query, all of the
// first limit names for an empty query.
func matchingNames(names []string, query string, limit int) []string {
	query = strings.TrimSpace(query)
	var out []string
	for _, name := range names {
		if len(out) == limit {
			break
		}
		if strings.Contains(name, query) {
			out = append(out, name)
		}
	}
	return out
}
