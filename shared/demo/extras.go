package demo

import "mobilefactory/shared/record"

// Shares of the people with the person fields added for matching.
const (
	skillsShare = 0.85 // people who listed skills
	// Of the people working outside Jiangxi, returnYesShare want to come
	// back and returnNoShare do not; the rest were not asked.
	returnYesShare = 0.65
	returnNoShare  = 0.2
)

// addPersonExtras fills a generated person's skills and willingness to
// return, and places some at seasonal employers. It draws only from the
// extras stream, so the person's other values stay as they were before
// these fields existed.
func (g *generator) addPersonExtras(p *record.Person, m major) {
	r := g.extras
	g.placeAtSeasonalEmployer(p, m)
	if chance(r, skillsShare) {
		p.Skills = record.JoinList(pickSkills(r, m.category, between(r, 1, 4)))
	}
	if p.Status != record.StatusEmployed || p.WorkRegion[:2] == "36" {
		return
	}
	switch x := r.Float64(); {
	case x < returnYesShare:
		p.WillReturn = record.WillReturnYes
	case x < returnYesShare+returnNoShare:
		p.WillReturn = record.WillReturnNo
	}
}
