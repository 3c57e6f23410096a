package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"mobilefactory/shared/record"
)

// BasicModules are the basic training modules every college offers.
var BasicModules = []string{"办公软件应用", "职业道德与素养", "劳动法律常识", "工匠精神", "职业生涯规划"}

// tailoredFormats name job-tailored programmes after the major they serve.
var tailoredFormats = []string{"%s岗位定制班", "%s订单班", "%s岗位定制培训"}

var (
	trainingCounts   = newWeighted([]int{0, 1, 2, 3}, []float64{25, 35, 25, 15})
	internshipCounts = newWeighted([]int{0, 1, 2}, []float64{30, 50, 20})
	ratings          = newWeighted([]int{1, 2, 3, 4, 5}, []float64{3, 7, 25, 35, 30})
)

// studyStart is the first day of a graduate's three years of study.
func studyStart(gradYear int) time.Time {
	return time.Date(gradYear-3, time.September, 1, 0, 0, 0, 0, time.UTC)
}

func dayBetween(r *rand.Rand, from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, r.IntN(days+1))
}

func (g *generator) appendTrainings(out []record.Training, p record.Person, m major) []record.Training {
	r := g.r
	n := trainingCounts.pick(r)
	for range n {
		t := record.Training{ID: g.newID(), College: p.College, Person: p.ID, Completed: chance(r, 0.9)}
		grad := graduationDay(p.GradYear)
		if chance(r, 0.6) {
			t.Programme = BasicModules[r.IntN(len(BasicModules))]
			t.Hours = between(r, 8, 40)
			t.Date = dayBetween(r, studyStart(p.GradYear), grad).Format(time.DateOnly)
		} else {
			// Job-tailored programmes run in the final year.
			t.Programme = fmt.Sprintf(tailoredFormats[r.IntN(len(tailoredFormats))], m.name)
			t.Hours = between(r, 40, 120)
			t.Date = dayBetween(r, grad.AddDate(-1, 0, 0), grad).Format(time.DateOnly)
		}
		switch x := r.Float64(); {
		case x < 0.1:
			t.Score = "合格"
		case x < 0.2:
			t.Score = "优秀"
		default:
			t.Score = strconv.Itoa(between(r, 60, 100))
		}
		if !t.Completed {
			t.Score = ""
		}
		out = append(out, t)
	}
	return out
}

// appendInternships adds up to two internships: a summer one before the
// final year and a longer one in the final semester.
func (g *generator) appendInternships(out []record.Internship, p record.Person, m major) []record.Internship {
	r := g.r
	n := internshipCounts.pick(r)
	for i := range n {
		region := outsideRegion(r)
		if chance(r, 0.55) {
			region = jiangxiRegion(r, g.t, p.HomeRegion, g.collegeCity(p.College))
		}
		in := record.Internship{
			ID:         g.newID(),
			College:    p.College,
			Person:     p.ID,
			Employer:   employerName(r, g.t, region, m.category),
			Position:   position(r, m.category),
			WorkRegion: region,
			Rating:     ratings.pick(r),
		}
		var start time.Time
		months := 0
		if n == 2 && i == 0 {
			start = time.Date(p.GradYear-1, time.July, 1, 0, 0, 0, 0, time.UTC)
			months = 2
		} else {
			start = time.Date(p.GradYear, time.Month(between(r, 1, 3)), 1, 0, 0, 0, 0, time.UTC)
			months = between(r, 3, 6)
		}
		in.Start = start.Format(time.DateOnly)
		in.End = start.AddDate(0, months, -1).Format(time.DateOnly)
		out = append(out, in)
	}
	return out
}

func (g *generator) collegeCity(code string) string {
	if city, ok := g.collegeCities[code]; ok {
		return city
	}
	return nanchang
}
