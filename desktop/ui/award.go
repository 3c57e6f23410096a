package ui

import (
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// awardSection lists a person's awards (获奖).
type awardSection struct {
	// history reads the person's history; the person page shares one
	// read between its sections.
	history func() (store.History, error)
	*recordSection
	w      *window
	person func() string // the id of the person shown
	saved  func()        // reloads the page after a record is saved
	last   *awardDialog
}

// awardDialog is the form for a new award or a correction of one.
type awardDialog struct {
	*recordDialog
	title  *widget.Entry
	level  *widget.Select // labels of record.AwardLevels, in order
	issuer *widget.Entry
	date   *widget.Entry
}

func (w *window) newAwardSection(person func() string) *awardSection {
	s := &awardSection{w: w, person: person}
	s.history = func() (store.History, error) { return w.store.HistoryOf(s.person()) }
	s.recordSection = newRecordSection(i18n.T("ui.award.title"), i18n.T("ui.award.add"),
		i18n.T("ui.award.empty"), func() { s.showDialog(record.Award{}) })
	return s
}

func (s *awardSection) refresh() {
	h, err := s.history()
	if err != nil {
		s.setError(err)
		return
	}
	rows := make([]historyRow, len(h.Awards))
	for i, a := range h.Awards {
		rows[i] = historyRow{ref: store.ReviewRef{Kind: record.KindAward, ID: a.ID},
			text: display.AwardRow(a), review: a.Review, edit: func() { s.showDialog(a) }}
	}
	s.setHistoryRows(s.w, rows)
}

// showDialog opens the form, prefilled with a when it has an id: saving it
// then stores a new version that supersedes a.
func (s *awardSection) showDialog(a record.Award) {
	person := s.person()
	if person == "" {
		return
	}
	d := &awardDialog{
		title:  widget.NewEntry(),
		level:  widget.NewSelect(codeLabels("award_level.", record.AwardLevels), nil),
		issuer: widget.NewEntry(),
		date:   widget.NewEntry(),
	}
	d.level.PlaceHolder = i18n.T("ui.select.placeholder")
	d.date.SetPlaceHolder(i18n.T("ui.date.hint"))
	d.title.SetText(a.Title)
	selectCode(d.level, record.AwardLevels, a.Level)
	d.issuer.SetText(a.Issuer)
	d.date.SetText(display.Date(a.Date))

	form := newFieldForm()
	form.add(record.FieldTitle, d.title)
	form.add(record.FieldLevel, d.level)
	form.add(record.FieldIssuer, d.issuer)
	form.add(record.FieldDate, d.date)

	d.recordDialog = s.w.newHistoryDialog(dialogTitle("ui.award", a.ID), form, a.Review,
		func(draft bool) func() error { return s.validate(person, a.ID, d, draft) }, s.saved)
	s.last = d
	d.dialog.Show()
}

// validate checks the dialog's fields and returns the function that stores
// the award, or nil when a field is invalid.
func (s *awardSection) validate(person, id string, d *awardDialog, draft bool) func() error {
	a, errs := display.ParseAward(person, map[string]string{
		record.FieldTitle:  d.title.Text,
		record.FieldLevel:  selectedCode(d.level, record.AwardLevels),
		record.FieldIssuer: d.issuer.Text,
		record.FieldDate:   d.date.Text,
	}, s.w.today())
	d.form.showErrors(errs)
	if len(errs) > 0 {
		return nil
	}
	return func() error {
		_, err := s.w.store.SaveHistory(record.KindAward, id, historyValues(a.Fields(), draft))
		return err
	}
}
