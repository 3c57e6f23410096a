package ui

import "fyne.io/fyne/v2"

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
	awards := p.w.newAwardSection(func() string { return p.id })
	certificates := p.w.newCertificateSection(func() string { return p.id })
	counsellings := p.w.newCounsellingSection(func() string { return p.id })
	awards.saved = p.refreshRecords
	certificates.saved = p.refreshRecords
	counsellings.saved = p.refreshRecords
	return []pageSection{p.trainings, p.internships, awards, certificates, counsellings}
}
