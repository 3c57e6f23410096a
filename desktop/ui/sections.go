package ui

import (
	"fyne.io/fyne/v2"

	"mobilefactory/desktop/store"

	"mobilefactory/shared/record"
)

// pageSection is a part of the person page below the form that shows the
// person's records and reloads them when they change.
type pageSection interface {
	object() fyne.CanvasObject
	refresh()
}

func (s *recordSection) object() fyne.CanvasObject { return s.content }

// newSections makes the sections of the person page below the form, in the
// order they show. Each reloads the page's records after a save.
func (p *personPage) newSections() []pageSection {
	p.trainings = p.w.newTrainingSection(func() string { return p.id })
	p.internships = p.w.newInternshipSection(func() string { return p.id })
	p.trainings.saved = p.refreshRecords
	p.internships.saved = p.refreshRecords
	assess := p.w.newAssessSection(func() record.Person { return p.current })
	assess.saved = p.refreshRecords
	assess.resized = p.relayout
	trajectory := p.w.newTrajectorySection(func() string { return p.id })
	trajectory.resized = p.relayout
	awards := p.w.newAwardSection(func() string { return p.id })
	certificates := p.w.newCertificateSection(func() string { return p.id })
	counsellings := p.w.newCounsellingSection(func() string { return p.id })
	awards.saved = p.refreshRecords
	certificates.saved = p.refreshRecords
	counsellings.saved = p.refreshRecords
	awards.history, certificates.history, counsellings.history = p.history, p.history, p.history
	return []pageSection{trajectory, p.trainings, assess, p.internships, awards, certificates, counsellings}
}

// sharedHistory is the shown person's history as read once for one reload
// of the page's sections, so the sections that list it do not each read
// all six kinds again.
type sharedHistory struct {
	loaded  bool
	history store.History
	err     error
}

// history returns the shown person's history, read once while
// refreshRecords reloads the sections and afresh at any other time.
func (p *personPage) history() (store.History, error) {
	if p.shared.loaded {
		return p.shared.history, p.shared.err
	}
	h, err := p.w.store.HistoryOf(p.id)
	if p.refreshing {
		p.shared = sharedHistory{loaded: true, history: h, err: err}
	}
	return h, err
}
