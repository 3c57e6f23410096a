package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// counsellingSection lists a person's counselling sessions on finding work
// (就业问题辅导).
type counsellingSection struct {
	// history reads the person's history; the person page shares one
	// read between its sections.
	history func() (store.History, error)
	*recordSection
	w      *window
	person func() string // the id of the person shown
	saved  func()        // reloads the page after a record is saved
	last   *counsellingDialog
}

// counsellingDialog is the form for a new session or a correction of one.
type counsellingDialog struct {
	*recordDialog
	topic      *widget.Entry
	counsellor *widget.Entry
	notes      *widget.Entry // multi-line
	date       *widget.Entry
}

func (w *window) newCounsellingSection(person func() string) *counsellingSection {
	s := &counsellingSection{w: w, person: person}
	s.history = func() (store.History, error) { return w.store.HistoryOf(s.person()) }
	s.recordSection = newRecordSection(i18n.T("ui.counselling.title"), i18n.T("ui.counselling.add"),
		i18n.T("ui.counselling.empty"), func() { s.showDialog(record.Counselling{}) })
	return s
}

func (s *counsellingSection) refresh() {
	h, err := s.history()
	if err != nil {
		s.setError(err)
		return
	}
	rows := make([]historyRow, len(h.Counsellings))
	for i, c := range h.Counsellings {
		rows[i] = historyRow{ref: store.ReviewRef{Kind: record.KindCounselling, ID: c.ID},
			text: display.CounsellingRow(c), review: c.Review, edit: func() { s.showDialog(c) }}
	}
	s.setHistoryRows(s.w, rows)
}

// showDialog opens the form, prefilled with c when it has an id: saving it
// then stores a new version that supersedes c.
func (s *counsellingSection) showDialog(c record.Counselling) {
	person := s.person()
	if person == "" {
		return
	}
	d := &counsellingDialog{
		topic:      widget.NewEntry(),
		counsellor: widget.NewEntry(),
		notes:      widget.NewMultiLineEntry(),
		date:       widget.NewEntry(),
	}
	d.notes.Wrapping = fyne.TextWrapWord
	d.notes.SetMinRowsVisible(4)
	d.date.SetPlaceHolder(i18n.T("ui.date.hint"))
	d.topic.SetText(c.Topic)
	d.counsellor.SetText(c.Counsellor)
	d.notes.SetText(c.Notes)
	d.date.SetText(display.Date(c.Date))

	form := newFieldForm()
	form.add(record.FieldTopic, d.topic)
	form.add(record.FieldCounsellor, d.counsellor)
	form.add(record.FieldNotes, d.notes)
	form.add(record.FieldDate, d.date)

	d.recordDialog = s.w.newHistoryDialog(dialogTitle("ui.counselling", c.ID), form, c.Review,
		func(draft bool) func() error { return s.validate(person, c.ID, d, draft) }, s.saved)
	s.last = d
	d.dialog.Show()
}

// validate checks the dialog's fields and returns the function that stores
// the session, or nil when a field is invalid.
func (s *counsellingSection) validate(person, id string, d *counsellingDialog, draft bool) func() error {
	c, errs := display.ParseCounselling(person, map[string]string{
		record.FieldTopic:      d.topic.Text,
		record.FieldCounsellor: d.counsellor.Text,
		record.FieldNotes:      d.notes.Text,
		record.FieldDate:       d.date.Text,
	}, s.w.today())
	d.form.showErrors(errs)
	if len(errs) > 0 {
		return nil
	}
	return func() error {
		_, err := s.w.store.SaveHistory(record.KindCounselling, id, historyValues(c.Fields(), draft))
		return err
	}
}
