package match

import (
	"slices"
	"strings"

	"mobilefactory/shared/record"
)

// Points of the Engine's reasons that Rank does not give. See the package
// documentation.
const (
	PointsTrainingForDemand = 30 // completed job-tailored training for this very demand
	PointsTrainingRelated   = 10 // completed job-tailored training for another demand of a required class
	PointsCertificateMet    = 15 // each required certificate held at or above the required level
	PointsCertificateBelow  = 5  // each required certificate held below the required level
	PointsSkill             = 5  // each required skill the person has
	maxSkillsCounted        = 3
	PointsInterestFirst     = 10 // the interest code starts with the occupation's first letter
	PointsInterestShared    = 5  // the interest code contains that letter further on
	PointsRegionCounty      = PointsHomeCounty
	PointsRegionPrefecture  = PointsHomePrefecture
	PointsRegionProvince    = PointsHomeProvince
	PointsWillReturn        = 10 // lives outside Jiangxi, willing to return, and the job is in Jiangxi
)

// Translation keys of the Engine's reasons, in assets/i18n/*/match.json.
const (
	KeyTrainingForDemand = "match.job.training.demand"
	KeyTrainingRelated   = "match.job.training.related"
	KeyCertificateMet    = "match.job.certificate.met"
	KeyCertificateBelow  = "match.job.certificate.below"
	KeySkills            = "match.job.skills"
	KeyInterestFirst     = "match.job.interest.first"
	KeyInterestShared    = "match.job.interest.shared"
	KeyRegionCounty      = "match.job.region.county"
	KeyRegionPrefecture  = "match.job.region.prefecture"
	KeyRegionProvince    = "match.job.region.province"
	KeyWillReturn        = "match.job.region.return"
)

// Score returns the score of the profile at position i against j, and
// false when the person fits none of the job's requirements (see
// the package documentation). It applies no hard filter, so callers that
// build their own candidate lists check Eligible first. Score allocates
// nothing.
func (e *Engine) Score(i int, j *Job) (int, bool) {
	return e.fit(&e.list[i], j, nil)
}

// Explain returns the reasons behind Score(i, j), in scoring order.
func (e *Engine) Explain(i int, j *Job) []Reason {
	var reasons []Reason
	e.fit(&e.list[i], j, &reasons)
	return reasons
}

// Eligible reports whether the profile at position i passes the hard
// filters of matching.
func (e *Engine) Eligible(i int) bool { return e.list[i].Flags&flagEligible != 0 }

// EligibleCount returns the number of people the hard filters let take
// part in matching.
func (e *Engine) EligibleCount() int { return int(e.eligible.GetCardinality()) }

// fit scores p against j and appends reasons to out unless out is nil.
// Without reasons it must not allocate, because it runs once per
// candidate of every query.
func (e *Engine) fit(p *Profile, j *Job, out *[]Reason) (total int, relevant bool) {
	var t *tables
	if out != nil {
		t = loadTables()
	}

	if points := e.fitMajor(p, j, out, t); points > 0 {
		relevant = true
		total += points
	}

	total += e.fitTraining(p, j, out)

	if points, held := e.fitCertificates(p, j, out); held {
		relevant = true
		total += points
	}

	if n := e.fitSkills(p, j, out); n > 0 {
		relevant = true
		total += PointsSkill * min(n, maxSkillsCounted)
	}

	total += int(p.InternshipPoints)
	if out != nil {
		ins := e.internships(p)
		for k := 0; k+2 < len(ins); k += 3 {
			kr := ins[k]
			*out = append(*out, Reason{internshipKeys[kr], []any{e.texts.names[ins[k+1]], e.texts.names[ins[k+2]]}, float64(internshipPoints[kr])})
		}
	}

	total += fitInterest(p, j, out)

	// A job without requirements is relevant to the people of its
	// province and, in Jiangxi, to those willing to return: exactly those
	// whom fitRegion credits.
	region := e.fitRegion(p, j, out, t)
	total += region
	if !j.hasRequirements {
		relevant = j.region == 0 || region > 0
	}

	if p.Flags&flagSeeking != 0 {
		total += PointsSeeking
		if out != nil {
			*out = append(*out, Reason{KeySeeking, nil, PointsSeeking})
		}
	}
	return total, relevant
}

// fitInterest compares the interest code of the person's assessment with
// the RIASEC code of the job's occupation.
func fitInterest(p *Profile, j *Job, out *[]Reason) int {
	if p.Interest == 0 || j.riasec == "" {
		return 0
	}
	first := uint16(riasecLetter(j.riasec[0]))
	switch {
	case first == 0:
		return 0
	case p.Interest&7 == first:
		if out != nil {
			*out = append(*out, Reason{KeyInterestFirst, []any{unpackInterest(p.Interest), j.riasec}, PointsInterestFirst})
		}
		return PointsInterestFirst
	case (p.Interest>>3)&7 == first || (p.Interest>>6)&7 == first:
		if out != nil {
			*out = append(*out, Reason{KeyInterestShared, []any{unpackInterest(p.Interest), j.riasec}, PointsInterestShared})
		}
		return PointsInterestShared
	}
	return 0
}

// bound returns an upper bound of p's score against j that reads only
// the profile, not the arena: the exact points of major, internships,
// interest, region and availability, and the most that trainings,
// certificates and skills could add. Ranking skips a candidate whose
// bound cannot beat the worst of a full top K.
func (e *Engine) bound(p *Profile, j *Job) int {
	b := e.fitMajor(p, j, nil, nil) + int(p.InternshipPoints) + fitInterest(p, j, nil) + e.fitRegion(p, j, nil, nil)
	if p.Flags&flagSeeking != 0 {
		b += PointsSeeking
	}
	if p.NumTrainings > 0 {
		b += PointsTrainingForDemand + PointsTrainingRelated
	}
	if p.NumCerts > 0 {
		b += PointsCertificateMet * len(j.certs)
	}
	if p.NumSkills > 0 && len(j.skills) > 0 {
		b += PointsSkill * maxSkillsCounted
	}
	return b
}

// fitMajor scores the closest of: the same major, the same class, the
// same category as one the job names.
func (e *Engine) fitMajor(p *Profile, j *Job, out *[]Reason, t *tables) int {
	switch {
	case p.Major == 0:
		return 0
	case containsID(j.majors, p.Major):
		if out != nil {
			*out = append(*out, Reason{KeyMajorExact, []any{t.majorName(e.majors.names[p.Major])}, PointsMajorExact})
		}
		return PointsMajorExact
	case p.Class != 0 && containsID(j.classes, p.Class):
		if out != nil {
			*out = append(*out, Reason{KeyMajorClass, []any{t.className(e.classes.names[p.Class])}, PointsMajorClass})
		}
		return PointsMajorClass
	case containsID(j.categories, p.Category):
		if out != nil {
			*out = append(*out, Reason{KeyMajorCategory, []any{t.categoryName(e.categories.names[p.Category])}, PointsMajorCategory})
		}
		return PointsMajorCategory
	}
	return 0
}

// fitCertificates scores each required certificate the person holds, at
// its highest level. held is true when they hold any of them.
func (e *Engine) fitCertificates(p *Profile, j *Job, out *[]Reason) (points int, held bool) {
	certs := e.certs(p)
	for k := range j.certs {
		jc := &j.certs[k]
		if jc.title == 0 {
			continue
		}
		best := -1
		for _, w := range certs {
			if w>>certLevelBits == jc.title {
				best = max(best, int(w&(1<<certLevelBits-1)))
			}
		}
		switch {
		case best < 0:
			continue
		case best >= jc.rank:
			points += PointsCertificateMet
			if out != nil {
				*out = append(*out, Reason{KeyCertificateMet, []any{jc.name, levelTerm(best)}, PointsCertificateMet})
			}
		default:
			points += PointsCertificateBelow
			if out != nil {
				*out = append(*out, Reason{KeyCertificateBelow, []any{jc.name, levelTerm(best), levelTerm(jc.rank)}, PointsCertificateBelow})
			}
		}
		held = true
	}
	return points, held
}

// fitTraining scores completed job-tailored trainings: the one for this
// demand with the most hours, and one for another demand whose title
// names a class the job requires.
func (e *Engine) fitTraining(p *Profile, j *Job, out *[]Reason) int {
	var forDemand, related uint32
	forHours, relatedHours := -1, -1
	for _, w := range e.trainings(p) {
		pid, hours := w>>trainHoursBits, int(w&maxTrainHours)
		switch {
		case containsID(j.programmes, pid):
			if hours > forHours {
				forDemand, forHours = pid, hours
			}
		case e.programmes[pid].tailored && intersects(e.programmes[pid].classes, j.classes):
			if hours > relatedHours {
				related, relatedHours = pid, hours
			}
		}
	}
	points := 0
	if forDemand != 0 {
		points += PointsTrainingForDemand
		if out != nil {
			*out = append(*out, Reason{KeyTrainingForDemand, []any{e.programmes[forDemand].title}, PointsTrainingForDemand})
		}
	}
	if related != 0 {
		points += PointsTrainingRelated
		if out != nil {
			*out = append(*out, Reason{KeyTrainingRelated, []any{e.programmes[related].title}, PointsTrainingRelated})
		}
	}
	return points
}

// fitSkills counts the job's skills the person has, by a merge of the two
// sorted lists, and appends one reason naming them in the demand's order.
func (e *Engine) fitSkills(p *Profile, j *Job, out *[]Reason) int {
	have := e.skillsOf(p)
	n := 0
	for a, b := 0, 0; a < len(have) && b < len(j.skills); {
		switch {
		case j.skills[b] == 0 || j.skills[b] < have[a]:
			b++
		case have[a] < j.skills[b]:
			a++
		default:
			n++
			a++
			b++
		}
	}
	if n == 0 || out == nil {
		return n
	}
	var names []string
	for _, s := range j.Demand.Skills {
		if _, found := slices.BinarySearch(have, e.skills.lookup(s)); found && !slices.Contains(names, s) {
			names = append(names, s)
		}
	}
	points := PointsSkill * min(n, maxSkillsCounted)
	*out = append(*out, Reason{KeySkills, []any{strings.Join(names, "、")}, float64(points)})
	return n
}

// fitRegion compares the current region with the job's by code prefix,
// or credits a person outside Jiangxi who is willing to return for a job
// in Jiangxi.
func (e *Engine) fitRegion(p *Profile, j *Job, out *[]Reason, t *tables) int {
	cur, job := p.Region, j.region
	if cur == 0 || job == 0 {
		return 0
	}
	var key string
	var points int
	var place uint32
	switch {
	case job%100 != 0 && cur == job:
		key, points, place = KeyRegionCounty, PointsRegionCounty, job
	case job%10000 != 0 && cur/100 == job/100:
		key, points, place = KeyRegionPrefecture, PointsRegionPrefecture, job/100*100
	case cur/10000 == job/10000:
		key, points, place = KeyRegionProvince, PointsRegionProvince, job/10000*10000
	case job/10000 == jiangxiNumber && p.Flags&flagWillReturn != 0:
		if out != nil {
			*out = append(*out, Reason{KeyWillReturn, []any{t.regionName(regionCode(cur), true)}, PointsWillReturn})
		}
		return PointsWillReturn
	default:
		return 0
	}
	if out != nil {
		*out = append(*out, Reason{key, []any{t.regionName(regionCode(place), false)}, float64(points)})
	}
	return points
}

func levelTerm(rank int) Term { return Term("skill_level." + skillLevelOf(rank)) }

func skillLevelOf(rank int) string {
	if rank < 0 || rank >= len(record.SkillLevels) {
		return ""
	}
	return record.SkillLevels[rank]
}

func containsID[T uint16 | uint32](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// intersects reports whether two sorted lists share an element.
func intersects(a, b []uint16) bool {
	for i, k := 0, 0; i < len(a) && k < len(b); {
		switch {
		case a[i] < b[k]:
			i++
		case a[i] > b[k]:
			k++
		default:
			return true
		}
	}
	return false
}
