package ui

import (
	"strconv"

	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// internshipSection lists a person's internships.
type internshipSection struct {
	*recordSection
	w      *window
	person func() string // the id of the person shown
	saved  func()        // reloads the page after a record is saved
	last   *internshipDialog
}

// internshipDialog is the form for a new internship.
type internshipDialog struct {
	*recordDialog
	employer   *widget.Entry
	position   *widget.Entry
	workRegion *widget.SelectEntry
	start      *widget.Entry
	end        *widget.Entry
	rating     *widget.Select // "unrated", then 1 to display.MaxRating
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
	texts := make([]string, len(internships))
	for i, in := range internships {
		texts[i] = display.InternshipRow(in)
	}
	s.setRows(texts)
}

func (s *internshipSection) showAddDialog() {
	person := s.person()
	if person == "" {
		return
	}
	ratings := []string{i18n.T("ui.internship.unrated")}
	for r := 1; r <= display.MaxRating; r++ {
		ratings = append(ratings, i18n.T("ui.internship.rating_option", r, display.MaxRating))
	}
	d := &internshipDialog{
		employer: widget.NewEntry(),
		position: widget.NewEntry(),
		workRegion: newCodePicker(i18n.T("ui.person.region.hint"), func(q string, limit int) []string {
			return display.RegionOptions(s.w.tables, q, limit)
		}),
		start:  widget.NewEntry(),
		end:    widget.NewEntry(),
		rating: widget.NewSelect(ratings, nil),
	}
	d.start.SetPlaceHolder(i18n.T("ui.date.hint"))
	d.end.SetPlaceHolder(i18n.T("ui.internship.end.hint"))
	d.rating.SetSelectedIndex(0)

	form := newFieldForm()
	form.add(record.FieldEmployer, d.employer)
	form.add(record.FieldPosition, d.position)
	form.add(record.FieldWorkRegion, d.workRegion)
	form.add(record.FieldStart, d.start)
	form.add(record.FieldEnd, d.end)
	form.add(record.FieldRating, d.rating)

	d.recordDialog = s.w.newRecordDialog(i18n.T("ui.internship.add"), form,
		func() func() error { return s.validate(person, d) }, s.saved)
	s.last = d
	d.dialog.Show()
}

// validate checks the dialog's fields and returns the function that stores
// the internship, or nil when a field is invalid.
func (s *internshipSection) validate(person string, d *internshipDialog) func() error {
	rating := ""
	if i := d.rating.SelectedIndex(); i > 0 {
		rating = strconv.Itoa(i)
	}
	in, errs := display.ParseInternship(person, map[string]string{
		record.FieldEmployer:   d.employer.Text,
		record.FieldPosition:   d.position.Text,
		record.FieldWorkRegion: d.workRegion.Text,
		record.FieldStart:      d.start.Text,
		record.FieldEnd:        d.end.Text,
		record.FieldRating:     rating,
	}, s.w.tables)
	d.form.showErrors(errs)
	if len(errs) > 0 {
		return nil
	}
	return func() error {
		_, err := s.w.store.SaveInternship(in)
		return err
	}
}
