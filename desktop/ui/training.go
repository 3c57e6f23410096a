package ui

import (
	"slices"

	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// trainingSection lists a person's training records.
type trainingSection struct {
	*recordSection
	w      *window
	person func() string // the id of the person shown
	saved  func()        // reloads the page after a record is saved
	last   *trainingDialog
}

// trainingDialog is the form for a new training record.
type trainingDialog struct {
	*recordDialog
	programme *widget.Entry
	hours     *widget.Entry
	score     *widget.Entry
	completed *widget.Check
	date      *widget.Entry
}

func (w *window) newTrainingSection(person func() string) *trainingSection {
	s := &trainingSection{w: w, person: person}
	s.recordSection = newRecordSection(i18n.T("ui.training.title"), i18n.T("ui.training.add"),
		i18n.T("ui.training.empty"), s.showAddDialog)
	return s
}

// refresh shows each training record: with its programme's title, its
// class and the completion its results add up to when the programme is
// known, else as entered in the old free-text form.
//
// NOTE: it reads the store on the UI goroutine, as the other sections of
// the person page do. A person has only a few training records.
func (s *trainingSection) refresh() {
	trainings, err := s.w.store.TrainingsOf(s.person())
	if err != nil {
		s.setError(err)
		return
	}
	programmes, err := s.w.store.Programmes()
	if err != nil {
		s.setError(err)
		return
	}
	texts := make([]string, len(trainings))
	for i, t := range trainings {
		texts[i] = s.rowText(t, programmes)
	}
	s.setRows(texts)
}

func (s *trainingSection) rowText(t record.Training, programmes []record.Programme) string {
	i := slices.IndexFunc(programmes, func(p record.Programme) bool { return p.ID == t.Programme })
	if i < 0 {
		return display.TrainingRow(t)
	}
	classTitle := ""
	if t.Class != "" {
		if c, err := s.w.store.Class(t.Class); err == nil {
			classTitle = c.Title
		}
	}
	return display.TrainingSummary(t, programmes[i], classTitle)
}

func (s *trainingSection) showAddDialog() {
	person := s.person()
	if person == "" {
		return
	}
	d := &trainingDialog{
		programme: widget.NewEntry(),
		hours:     widget.NewEntry(),
		score:     widget.NewEntry(),
		completed: widget.NewCheck(i18n.T("ui.training.completed"), nil),
		date:      widget.NewEntry(),
	}
	d.date.SetPlaceHolder(i18n.T("ui.date.hint"))

	form := newFieldForm()
	form.add(record.FieldProgramme, d.programme)
	form.add(record.FieldHours, d.hours)
	form.add(record.FieldScore, d.score)
	form.add(record.FieldCompleted, d.completed)
	form.add(record.FieldDate, d.date)

	d.recordDialog = s.w.newRecordDialog(i18n.T("ui.training.add"), form,
		func() func() error { return s.validate(person, d) }, s.saved)
	s.last = d
	d.dialog.Show()
}

// validate checks the dialog's fields and returns the function that stores
// the record, or nil when a field is invalid.
func (s *trainingSection) validate(person string, d *trainingDialog) func() error {
	completed := "0"
	if d.completed.Checked {
		completed = "1"
	}
	t, errs := display.ParseTraining(person, map[string]string{
		record.FieldProgramme: d.programme.Text,
		record.FieldHours:     d.hours.Text,
		record.FieldScore:     d.score.Text,
		record.FieldCompleted: completed,
		record.FieldDate:      d.date.Text,
	})
	d.form.showErrors(errs)
	if len(errs) > 0 {
		return nil
	}
	return func() error {
		_, err := s.w.store.SaveTraining(t)
		return err
	}
}
