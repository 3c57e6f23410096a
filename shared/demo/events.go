package demo

import (
	"math/rand/v2"
	"strconv"
	"time"

	"mobilefactory/shared/record"
)

var (
	internshipCounts = newWeighted([]int{0, 1, 2}, []float64{30, 50, 20})
	ratings          = newWeighted([]int{1, 2, 3, 4, 5}, []float64{3, 7, 25, 35, 30})
	// experienceRatings are the ratings of job-experience sessions, which
	// last a few days and are rarely rated poor.
	experienceRatings = newWeighted([]int{3, 4, 5}, []float64{30, 45, 25})
)

// Shares of the people with each kind of record.
const (
	basicShare      = 0.88 // basic-module training
	experienceShare = 0.3  // a job-experience session (岗位体验)
)

// studyStart is the first day of a graduate's three years of study.
func studyStart(gradYear int) time.Time {
	return time.Date(gradYear-3, time.September, 1, 0, 0, 0, 0, time.UTC)
}

// dayBetween returns a day from from to to, both days in UTC.
func dayBetween(r *rand.Rand, from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	return addDays(from, r.IntN(days+1))
}

// addDays adds n days to a time in UTC, which has no daylight saving, so
// that a day is always 24 hours. It is much cheaper than AddDate.
func addDays(t time.Time, n int) time.Time { return t.Add(time.Duration(n) * 24 * time.Hour) }

// addTrainings adds the basic-module training of most people, finished in
// their second year, and for some a job-tailored programme in the custom
// class of their major category and year.
func (g *generator) addTrainings(d *Data, p record.Person, m major) {
	r := g.history
	if chance(r, basicShare) {
		day := dayBetween(r, time.Date(p.GradYear-2, time.December, 15, 0, 0, 0, 0, time.UTC),
			time.Date(p.GradYear-1, time.June, 30, 0, 0, 0, 0, time.UTC))
		d.Trainings = append(d.Trainings, g.training(p, record.Basic(), "", day))
	}
	pp := g.plan(d, p.College).find(m.category, p.GradYear)
	if pp != nil && chance(r, classShare) {
		class := pp.classes[p.GradYear]
		end, _ := time.Parse(time.DateOnly, class.End)
		d.Trainings = append(d.Trainings, g.training(p, pp.programme, class.ID, end))
	}
}

// training makes a training record finished on day with generated results.
// Hours, Score and Completed are computed by record.Complete, never drawn.
func (g *generator) training(p record.Person, programme record.Programme, class string, day time.Time) record.Training {
	review := g.review(record.KindTraining, day)
	results := g.results(programme, review.Current() == record.ReviewDraft)
	return completedTraining(record.Training{
		ID: g.newHistoryID(), College: p.College, Person: p.ID, Programme: programme.ID,
		Class: class, Results: results, Date: g.dayString(day), Review: review,
	}, programme)
}

// completedTraining fills t's Hours, Score and Completed from its results.
func completedTraining(t record.Training, programme record.Programme) record.Training {
	c := record.Complete(programme, t.Results)
	t.Hours, t.Completed, t.Score = c.Hours, c.Completed, ""
	if c.Average >= 0 {
		t.Score = strconv.Itoa(c.Average)
	}
	return t
}

// results makes the attendance and score of every module of a programme.
// Most students attend nearly every hour and pass. A few miss more than
// record.MinAttendance allows or fail the score, which leaves the
// programme not completed. A draft may still lack its last score.
func (g *generator) results(p record.Programme, draft bool) record.Results {
	r := g.history
	out := make(record.Results, len(p.Modules))
	for i, mod := range p.Modules {
		attended := mod.Hours - r.IntN(mod.Hours/8+1)
		if chance(r, 0.03) {
			attended = mod.Hours * between(r, 50, 78) / 100
		}
		score := between(r, 62, 98)
		if chance(r, 0.05) {
			score = between(r, 35, mod.PassMark-1)
		}
		if draft && i == len(p.Modules)-1 && chance(r, 0.5) {
			score = -1
		}
		out[mod.Key] = record.Result{Attended: attended, Score: score}
	}
	return out
}

// addInternships adds a job-experience session in the second year for some
// people, and up to two internships: a summer one before the final year
// and a longer one in the final semester.
func (g *generator) addInternships(d *Data, p record.Person, m major) {
	r := g.history
	if chance(r, experienceShare) {
		d.Internships = append(d.Internships, g.experience(d, p, m))
	}
	n := internshipCounts.pick(r)
	for i := range n {
		region := outsideRegion(r)
		if chance(r, 0.55) {
			region = jiangxiRegion(r, g.t, p.HomeRegion, g.collegeCity(p.College))
		}
		in := record.Internship{
			ID:         g.newHistoryID(),
			College:    p.College,
			Person:     p.ID,
			Kind:       record.InternWork,
			Employer:   employerName(r, g.t, region, m.category),
			Position:   position(r, m.category),
			WorkRegion: region,
			Supervisor: g.staffName(),
			Rating:     ratings.pick(r),
		}
		in.Evaluation = pickText(r, evaluations[in.Rating])
		var start time.Time
		months := 0
		if n == 2 && i == 0 {
			start = time.Date(p.GradYear-1, time.July, 1, 0, 0, 0, 0, time.UTC)
			months = 2
		} else {
			start = time.Date(p.GradYear, time.Month(between(r, 1, 3)), 1, 0, 0, 0, 0, time.UTC)
			months = between(r, 3, 6)
		}
		end := start.AddDate(0, months, -1)
		in.Start = g.dayString(start)
		in.End = g.dayString(end)
		in.Review = g.review(record.KindInternship, end)
		d.Internships = append(d.Internships, in)
	}
}

// experience makes a job-experience session of one to four days in the
// spring of the second year, at an employer in the college's city: the employer of a programme for the
// person's major category when the college has one.
func (g *generator) experience(d *Data, p record.Person, m major) record.Internship {
	r := g.history
	city := g.collegeCity(p.College)
	employer, job := employerName(r, g.t, city, m.category), ""
	for _, pp := range g.plan(d, p.College).programmes {
		if pp.category == m.category {
			employer, job = pp.programme.Employer, pp.programme.Position
			break
		}
	}
	if job == "" {
		job = position(r, m.category)
	}
	start := dayBetween(r, time.Date(p.GradYear-1, time.March, 1, 0, 0, 0, 0, time.UTC),
		time.Date(p.GradYear-1, time.June, 15, 0, 0, 0, 0, time.UTC))
	end := addDays(start, between(r, 1, 4))
	in := record.Internship{
		ID: g.newHistoryID(), College: p.College, Person: p.ID, Kind: record.InternExperience,
		Employer: employer, Position: job, WorkRegion: city,
		Start: g.dayString(start), End: g.dayString(end),
		Supervisor: g.staffName(), Rating: experienceRatings.pick(r),
		Evaluation: pickText(r, experienceEvaluations),
	}
	in.Review = g.review(record.KindInternship, end)
	return in
}

func (g *generator) collegeCity(code string) string {
	if city, ok := g.collegeCities[code]; ok {
		return city
	}
	return nanchang
}
