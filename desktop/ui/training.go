package ui

import (
	"errors"
	"slices"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// trainingSection lists a person's training records with their review
// state, and enrols the person into a class. Results are entered for the
// whole class in the class grid of the training tab.
type trainingSection struct {
	*recordSection
	w      *window
	person func() string // the id of the person shown
	saved  func()        // reloads the page after a record is saved
	last   *trainingDialog
}

// trainingDialog is the form that enrols the person into a class.
type trainingDialog struct {
	*recordDialog
	class   *widget.Select
	classes []record.Class // in the order of class.Options
}

func (w *window) newTrainingSection(person func() string) *trainingSection {
	s := &trainingSection{w: w, person: person}
	s.recordSection = newRecordSection(i18n.T("ui.training.title"), i18n.T("ui.training.enrol"),
		i18n.T("ui.training.empty"), s.showAddDialog)
	return s
}

// refresh reloads the rows: each shows the programme, the class and the
// completion its results add up to when the programme is known, else as
// entered in the old free-text form.
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
	rows := make([]historyRow, len(trainings))
	for i, t := range trainings {
		rows[i] = historyRow{ref: store.ReviewRef{Kind: record.KindTraining, ID: t.ID},
			text: s.rowText(t, programmes), review: t.Review}
	}
	s.setHistoryRows(s.w, rows)
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

// showAddDialog opens the form that enrols the person into a class that
// has not ended, as a draft with no results yet.
func (s *trainingSection) showAddDialog() {
	person := s.person()
	if person == "" {
		return
	}
	all, err := s.w.store.Classes()
	if err != nil {
		dialog.ShowError(errors.New(i18n.T("ui.records.load_failed", err)), s.w.win)
		return
	}
	classes := openClasses(all, s.w.now())
	programmes, _ := s.w.store.Programmes()
	d := &trainingDialog{classes: classes}
	options := make([]string, len(classes))
	for i, c := range classes {
		options[i] = c.Title
		if p := slices.IndexFunc(programmes, func(p record.Programme) bool { return p.ID == c.Programme }); p >= 0 {
			options[i] += " · " + display.ProgrammeTitle(programmes[p])
		}
	}
	d.class = widget.NewSelect(options, nil)
	d.class.PlaceHolder = i18n.T("ui.select.placeholder")

	form := newFieldForm()
	form.add(record.FieldClass, d.class)
	switch {
	case len(all) == 0:
		form.showErrors([]validate.FieldError{{Field: record.FieldClass, Err: &validate.Error{Key: "ui.training.no_classes"}}})
	case len(classes) == 0:
		form.showErrors([]validate.FieldError{{Field: record.FieldClass, Err: &validate.Error{Key: "ui.training.no_open_classes"}}})
	}
	d.recordDialog = s.w.newRecordDialog(i18n.T("ui.training.enrol"), form,
		func() func() error { return s.validate(person, d) }, s.saved)
	s.last = d
	d.dialog.Show()
}

// validate checks that a class is chosen and returns the function that
// enrols the person, or nil when none is.
func (s *trainingSection) validate(person string, d *trainingDialog) func() error {
	i := d.class.SelectedIndex()
	if i < 0 {
		d.form.showErrors([]validate.FieldError{{Field: record.FieldClass, Err: &validate.Error{Key: "ui.training.class_required"}}})
		return nil
	}
	d.form.showErrors(nil)
	class := d.classes[i]
	t := record.Training{Person: person, Programme: class.Programme, Class: class.ID,
		Review: record.Review{State: record.ReviewDraft}}
	return func() error {
		_, err := s.w.store.SaveTraining(t)
		return err
	}
}
