package match

import (
	"slices"
	"sort"
	"strings"

	"mobilefactory/shared/record"
)

// scorer scores candidates against one query.
type scorer struct {
	t      *tables
	q      Query
	majors map[string]bool
	// classes and categories are those of the query majors.
	classes    map[string]bool
	categories map[string]bool
	// regionLevel is the level of the query region, "" when the query names
	// none or the code is not six digits.
	regionLevel string
	// homeProvince is the two-digit province code outside which an employed
	// candidate counts as one who may return.
	homeProvince string
	newestYear   int
	// workNames caches the names of places of work in return reasons.
	workNames map[string]string
}

// newScorer prepares the scoring of q. newest is the latest graduation year
// among the eligible candidates (see newestGradYear).
func newScorer(t *tables, q Query, newest int) *scorer {
	s := &scorer{
		t: t, q: q,
		majors:       map[string]bool{},
		classes:      map[string]bool{},
		categories:   map[string]bool{},
		homeProvince: jiangxi,
		workNames:    map[string]string{},
	}
	for _, m := range q.Majors {
		if len(m) < 4 {
			continue
		}
		s.majors[m] = true
		s.classes[m[:4]] = true
		s.categories[m[:2]] = true
	}
	if len(q.Region) == 6 {
		s.regionLevel = t.regionLevel(q.Region)
		s.homeProvince = q.Region[:2]
	}
	s.newestYear = newest
	return s
}

// score appends the candidate's reasons to out and returns them with their
// sum. ok is false for a candidate whose major is unrelated to the query.
func (s *scorer) score(c *Candidate, out []Reason) (reasons []Reason, total float64, ok bool) {
	p := &c.Person
	out, ok = s.majorReason(p.Major, out)
	if !ok {
		return out, 0, false
	}
	out = s.trainingReasons(c, out)
	out = s.internshipReasons(c, out)
	out = s.certificateReasons(c, out)
	out = s.homeReason(p.HomeRegion, out)
	out = s.availabilityReason(p, out)
	out = s.gradYearReason(p.GradYear, out)

	for _, r := range out {
		total += r.Points
	}
	return out, total, true
}

func (s *scorer) majorReason(major string, out []Reason) ([]Reason, bool) {
	if len(s.majors) == 0 {
		return out, true
	}
	switch {
	case s.majors[major]:
		return append(out, Reason{KeyMajorExact, []any{s.t.majorName(major)}, PointsMajorExact}), true
	case len(major) >= 4 && s.classes[major[:4]]:
		return append(out, Reason{KeyMajorClass, []any{s.t.className(major[:4])}, PointsMajorClass}), true
	case len(major) >= 2 && s.categories[major[:2]]:
		return append(out, Reason{KeyMajorCategory, []any{s.t.categoryName(major[:2])}, PointsMajorCategory}), true
	}
	return out, false
}

// trainingReasons credits completed job-tailored programmes that name a
// major of a relevant class, those with the most hours first.
func (s *scorer) trainingReasons(c *Candidate, out []Reason) []Reason {
	type credited struct {
		title string
		tr    *record.Training
	}
	var relevant []credited
	for i := range c.Trainings {
		tr := &c.Trainings[i]
		if !tr.Completed {
			continue
		}
		title, tailored := programmeOf(c, tr.Programme)
		if tailored && s.relevantTitle(title, c.Person.Major) {
			relevant = append(relevant, credited{title, tr})
		}
	}
	if len(relevant) > 1 {
		sort.Slice(relevant, func(a, b int) bool {
			if relevant[a].tr.Hours != relevant[b].tr.Hours {
				return relevant[a].tr.Hours > relevant[b].tr.Hours
			}
			return relevant[a].tr.ID < relevant[b].tr.ID
		})
	}
	for _, r := range relevant[:min(len(relevant), maxTrainings)] {
		if r.tr.Hours > 0 {
			out = append(out, Reason{KeyTraining, []any{r.title, r.tr.Hours}, PointsTraining})
		} else {
			out = append(out, Reason{KeyTrainingNoHours, []any{r.title}, PointsTraining})
		}
	}
	return out
}

// relevantTitle reports whether a programme or certificate title names a
// major of a query major's class, or of the candidate's own class when the
// query has no majors.
func (s *scorer) relevantTitle(title, ownMajor string) bool {
	if len(s.classes) == 0 {
		if len(ownMajor) < 4 {
			return false
		}
		return namesClass(s.t, title, ownMajor[:4])
	}
	for class := range s.classes {
		if namesClass(s.t, title, class) {
			return true
		}
	}
	return false
}

func namesClass(t *tables, title, class string) bool {
	for _, st := range t.classStems[class] {
		if strings.Contains(title, st) {
			return true
		}
	}
	return false
}

// internshipReasons credits internships and job-experience sessions rated
// 4 or 5, those worth the most first. A session earns less than an
// internship of the same rating, so it never takes an internship's place
// among the maxInternships counted.
func (s *scorer) internshipReasons(c *Candidate, out []Reason) []Reason {
	type credited struct {
		id     string
		reason Reason
	}
	var rated []credited
	for i := range c.Internships {
		in := &c.Internships[i]
		if r, ok := internshipReason(in); ok {
			rated = append(rated, credited{in.ID, r})
		}
	}
	if len(rated) > 1 {
		sort.Slice(rated, func(a, b int) bool {
			if rated[a].reason.Points != rated[b].reason.Points {
				return rated[a].reason.Points > rated[b].reason.Points
			}
			return rated[a].id < rated[b].id
		})
	}
	for _, r := range rated[:min(len(rated), maxInternships)] {
		out = append(out, r.reason)
	}
	return out
}

// internshipReason returns the reason an internship or job-experience
// session earns, and false unless it is rated 4 or 5.
func internshipReason(in *record.Internship) (Reason, bool) {
	experience := in.Kind == record.InternExperience
	switch {
	case in.Rating == 5 && experience:
		return Reason{KeyExperienceExcellent, []any{in.Employer, in.Position}, PointsExperienceExcellent}, true
	case in.Rating == 5:
		return Reason{KeyInternshipExcellent, []any{in.Employer, in.Position}, PointsInternshipExcellent}, true
	case in.Rating == 4 && experience:
		return Reason{KeyExperienceGood, []any{in.Employer, in.Position}, PointsExperienceGood}, true
	case in.Rating == 4:
		return Reason{KeyInternshipGood, []any{in.Employer, in.Position}, PointsInternshipGood}, true
	}
	return Reason{}, false
}

// certificateReasons credits certificates whose title names a major of a
// relevant class, the highest skill level first. Of certificates with the
// same title only the highest level counts, so 初级 and 中级 certificates
// of 工业机器人系统运维员 earn what the 中级 one earns.
//
// NOTE: a title is related to majors only by the words of major names, as
// training titles are. Occupations whose name shares no word with a major
// (电工 for 电气自动化技术) are not credited until a table maps
// occupations to majors.
func (s *scorer) certificateReasons(c *Candidate, out []Reason) []Reason {
	var best []*record.Certificate
	for i := range c.Certificates {
		ct := &c.Certificates[i]
		// The certificate form and stored validation require one of
		// record.SkillLevels. A certificate without one is left out.
		if skillRank(ct.SkillLevel) < 0 || !s.relevantTitle(ct.Title, c.Person.Major) {
			continue
		}
		j := slices.IndexFunc(best, func(b *record.Certificate) bool { return b.Title == ct.Title })
		switch {
		case j < 0:
			best = append(best, ct)
		case higherCertificate(ct, best[j]):
			best[j] = ct
		}
	}
	if len(best) > 1 {
		sort.Slice(best, func(a, b int) bool { return higherCertificate(best[a], best[b]) })
	}
	for _, ct := range best[:min(len(best), maxCertificates)] {
		points := PointsCertificateEntry + PointsPerSkillLevel*skillRank(ct.SkillLevel)
		out = append(out, Reason{KeyCertificate, []any{ct.Title, Term("skill_level." + ct.SkillLevel)}, float64(points)})
	}
	return out
}

// skillRank returns 0 for 初级 up to 4 for 高级技师, and -1 for a value
// that is not one of record.SkillLevels.
func skillRank(level string) int { return slices.Index(record.SkillLevels, level) }

// higherCertificate reports whether a ranks before b: a higher skill
// level, or the same level and a smaller record ID.
func higherCertificate(a, b *record.Certificate) bool {
	if ra, rb := skillRank(a.SkillLevel), skillRank(b.SkillLevel); ra != rb {
		return ra > rb
	}
	return a.ID < b.ID
}

// homeReason compares the home region with the job's region by code
// prefix: six digits for a county, four for a prefecture, two for a
// province. A match is only as fine as the query region's level.
func (s *scorer) homeReason(home string, out []Reason) []Reason {
	region := s.q.Region
	if s.regionLevel == "" || len(home) != 6 {
		return out
	}
	switch {
	case s.regionLevel == "county" && home == region:
		return append(out, Reason{KeyHomeCounty, []any{s.t.regionName(region, false)}, PointsHomeCounty})
	case s.regionLevel != "province" && home[:4] == region[:4]:
		return append(out, Reason{KeyHomePrefecture, []any{s.t.regionName(region[:4]+"00", false)}, PointsHomePrefecture})
	case home[:2] == region[:2]:
		return append(out, Reason{KeyHomeProvince, []any{s.t.regionName(region[:2]+"0000", false)}, PointsHomeProvince})
	}
	return out
}

func (s *scorer) availabilityReason(p *record.Person, out []Reason) []Reason {
	switch {
	case p.Status == record.StatusSeeking:
		return append(out, Reason{KeySeeking, nil, PointsSeeking})
	case p.Status == record.StatusEmployed && len(p.WorkRegion) == 6 && p.WorkRegion[:2] != s.homeProvince:
		name, ok := s.workNames[p.WorkRegion]
		if !ok {
			name = s.t.regionName(p.WorkRegion, true)
			s.workNames[p.WorkRegion] = name
		}
		return append(out, Reason{KeyReturn, []any{name}, PointsReturn})
	}
	return out
}

func (s *scorer) gradYearReason(year int, out []Reason) []Reason {
	if year == 0 {
		return out
	}
	points := PointsNewestClass - PointsPerClassYear*(s.newestYear-year)
	if points <= 0 {
		return out
	}
	return append(out, Reason{KeyGradYear, []any{year}, float64(points)})
}
