package ui

import (
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// certificateSection lists a person's vocational certificates with their
// skill levels (职业技能等级证书).
type certificateSection struct {
	// history reads the person's history; the person page shares one
	// read between its sections.
	history func() (store.History, error)
	*recordSection
	w      *window
	person func() string // the id of the person shown
	saved  func()        // reloads the page after a record is saved
	last   *certificateDialog
}

// certificateDialog is the form for a new certificate or a correction of
// one.
type certificateDialog struct {
	*recordDialog
	title  *widget.Entry
	level  *widget.Select // labels of record.SkillLevels, 初级 to 高级技师
	issuer *widget.Entry
	number *widget.Entry
	date   *widget.Entry
}

func (w *window) newCertificateSection(person func() string) *certificateSection {
	s := &certificateSection{w: w, person: person}
	s.history = func() (store.History, error) { return w.store.HistoryOf(s.person()) }
	s.recordSection = newRecordSection(i18n.T("ui.certificate.title"), i18n.T("ui.certificate.add"),
		i18n.T("ui.certificate.empty"), func() { s.showDialog(record.Certificate{}) })
	return s
}

func (s *certificateSection) refresh() {
	h, err := s.history()
	if err != nil {
		s.setError(err)
		return
	}
	rows := make([]historyRow, len(h.Certificates))
	for i, c := range h.Certificates {
		rows[i] = historyRow{ref: store.ReviewRef{Kind: record.KindCertificate, ID: c.ID},
			text: display.CertificateRow(c), review: c.Review, edit: func() { s.showDialog(c) }}
	}
	s.setHistoryRows(s.w, rows)
}

// showDialog opens the form, prefilled with c when it has an id: saving it
// then stores a new version that supersedes c.
func (s *certificateSection) showDialog(c record.Certificate) {
	person := s.person()
	if person == "" {
		return
	}
	d := &certificateDialog{
		title:  widget.NewEntry(),
		level:  widget.NewSelect(codeLabels("skill_level.", record.SkillLevels), nil),
		issuer: widget.NewEntry(),
		number: widget.NewEntry(),
		date:   widget.NewEntry(),
	}
	d.level.PlaceHolder = i18n.T("ui.select.placeholder")
	d.date.SetPlaceHolder(i18n.T("ui.date.hint"))
	d.title.SetText(c.Title)
	selectCode(d.level, record.SkillLevels, c.SkillLevel)
	d.issuer.SetText(c.Issuer)
	d.number.SetText(c.CertNo)
	d.date.SetText(display.Date(c.Date))

	form := newFieldForm()
	form.add(record.FieldTitle, d.title)
	form.add(record.FieldSkillLevel, d.level)
	form.add(record.FieldIssuer, d.issuer)
	form.add(record.FieldCertNo, d.number)
	form.add(record.FieldDate, d.date)

	d.recordDialog = s.w.newHistoryDialog(dialogTitle("ui.certificate", c.ID), form, c.Review,
		func(draft bool) func() error { return s.validate(person, c.ID, d, draft) }, s.saved)
	s.last = d
	d.dialog.Show()
}

// validate checks the dialog's fields and returns the function that stores
// the certificate, or nil when a field is invalid.
func (s *certificateSection) validate(person, id string, d *certificateDialog, draft bool) func() error {
	c, errs := display.ParseCertificate(person, map[string]string{
		record.FieldTitle:      d.title.Text,
		record.FieldSkillLevel: selectedCode(d.level, record.SkillLevels),
		record.FieldIssuer:     d.issuer.Text,
		record.FieldCertNo:     d.number.Text,
		record.FieldDate:       d.date.Text,
	}, s.w.today())
	d.form.showErrors(errs)
	if len(errs) > 0 {
		return nil
	}
	return func() error {
		_, err := s.w.store.SaveHistory(record.KindCertificate, id, historyValues(c.Fields(), draft))
		return err
	}
}
