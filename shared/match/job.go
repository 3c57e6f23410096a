package match

import (
	"slices"
	"strings"
	"sync"
	"time"

	"mobilefactory/assets"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/record"
)

// allMonths is the season mask of a demand without a season: bit m-1 is
// month m.
const allMonths uint16 = 1<<12 - 1

// Job is a job demand compiled for scoring against the Engine's profiles:
// the demand with its employer and, when set, its job-tailored programme.
// A Job holds the Engine's interned ids, so it is only valid for the
// Engine that compiled it.
type Job struct {
	Demand       record.Demand
	EmployerName string
	// Region is the place of work: the demand's region, else the
	// employer's seat.
	Region string
	// Months is the season as a mask, bit m-1 for month m. A demand with
	// neither months nor dates recruits all year.
	Months uint16

	seasonal        bool // see Seasonal
	region          uint32
	employer        uint32 // interned EmployerName
	majors          []uint16
	classes         []uint16 // classes of the demand's majors and the classes it names
	categories      []uint16
	certs           []jobCert
	skills          []uint32 // sorted interned skills; 0 for skills no profile has
	programmes      []uint32 // interned programmes that train for this demand
	related         []uint32 // other job-tailored programmes that name a class of the job
	riasec          string   // interest code of the occupation's middle group, "" if unknown
	hasRequirements bool
}

type jobCert struct {
	title uint32 // interned title, 0 when no profile holds it
	rank  int    // lowest accepted skill rank, 0 (初级) when any level is accepted
	name  string
}

// CompileJob compiles a demand with its employer and its job-tailored
// programme (nil when the demand names none). It only reads the Engine,
// so jobs may be compiled while queries run. Compile jobs again after Put
// brings new skills, certificate titles or programmes.
func (e *Engine) CompileJob(d record.Demand, employer record.Employer, programme *record.Programme) *Job {
	j := &Job{Demand: d, EmployerName: employer.Name, Region: d.Region}
	j.Months, j.seasonal = season(d)
	if j.Region == "" {
		j.Region = employer.Region
	}
	j.region = regionNumber(j.Region)
	j.employer = e.texts.lookup(employer.Name)

	for _, m := range d.Majors {
		switch {
		case len(m) >= 6:
			if id := e.majors.lookup(m); id != 0 {
				j.majors = append(j.majors, uint16(id))
			}
			fallthrough
		case len(m) >= 4:
			if id := e.classes.lookup(m[:4]); id != 0 {
				j.classes = append(j.classes, uint16(id))
			}
			fallthrough
		case len(m) >= 2:
			if id := e.categories.lookup(m[:2]); id != 0 {
				j.categories = append(j.categories, uint16(id))
			}
		}
	}
	j.majors = uniqueSorted(j.majors)
	j.classes = uniqueSorted(j.classes)
	j.categories = uniqueSorted(j.categories)

	for _, c := range d.Certificates {
		if c.Title == "" {
			continue
		}
		j.certs = append(j.certs, jobCert{title: e.skills.lookup(c.Title), rank: max(skillRank(c.SkillLevel), 0), name: c.Title})
	}
	for _, s := range d.Skills {
		j.skills = append(j.skills, e.skills.lookup(s))
	}
	j.skills = uniqueSorted(j.skills)
	j.hasRequirements = len(j.categories) > 0 || len(j.certs) > 0 || len(d.Skills) > 0

	for _, id := range []string{d.Programme, programmeID(programme)} {
		if pid := e.programmeIDs.lookup(id); id != "" && pid != 0 {
			j.programmes = append(j.programmes, pid)
		}
	}
	if demand := e.texts.lookup(d.ID); d.ID != "" && demand != 0 {
		for pid := 1; pid < len(e.programmes); pid++ {
			if e.programmes[pid].demand == demand {
				j.programmes = append(j.programmes, uint32(pid))
			}
		}
	}
	j.programmes = uniqueSorted(j.programmes)
	for pid := 1; pid < len(e.programmes); pid++ {
		info := &e.programmes[pid]
		if info.tailored && intersects(info.classes, j.classes) && !containsID(j.programmes, uint32(pid)) {
			j.related = append(j.related, uint32(pid))
		}
	}
	j.riasec = occupationRIASEC(d.Occupation)
	return j
}

func programmeID(p *record.Programme) string {
	if p == nil {
		return ""
	}
	return p.ID
}

func uniqueSorted[T uint16 | uint32](s []T) []T {
	slices.Sort(s)
	return slices.Compact(s)
}

// maxSeasonMonths is the most calendar months a date range may touch and
// still be a season: a range of about 11 months or more is year-round work.
const maxSeasonMonths = 10

// Seasonal reports whether the job has a real season, the kind the
// off-season transfer looks for: months of the year (fewer than 12), or a
// date range touching at most maxSeasonMonths calendar months.
func (j *Job) Seasonal() bool { return j.seasonal }

// season returns the months a demand recruits for as a mask, and whether
// they form a real season (see Job.Seasonal). The months are its Months,
// else the months from Start to End (ISO dates or months), else all year.
// A range of a year or more, or one whose end is before its start, is all
// year.
func season(d record.Demand) (mask uint16, seasonal bool) {
	if len(d.Months) > 0 {
		for _, m := range d.Months {
			if m >= 1 && m <= 12 {
				mask |= 1 << (m - 1)
			}
		}
		if mask == 0 {
			return allMonths, false
		}
		return mask, mask != allMonths
	}
	start, okStart := parseMonth(d.Start)
	end, okEnd := parseMonth(d.End)
	if !okStart || !okEnd {
		return allMonths, false
	}
	span := (end.Year()-start.Year())*12 + int(end.Month()) - int(start.Month())
	if span < 0 || span >= 12 {
		return allMonths, false
	}
	for i := 0; i <= span; i++ {
		mask |= 1 << ((int(start.Month()) - 1 + i) % 12)
	}
	return mask, span+1 <= maxSeasonMonths
}

func parseMonth(s string) (time.Time, bool) {
	if len(s) >= 7 {
		if t, err := time.Parse("2006-01", s[:7]); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// SeasonMonths returns the months of a season mask, in order.
func SeasonMonths(mask uint16) []int {
	var months []int
	for m := 1; m <= 12; m++ {
		if mask&(1<<(m-1)) != 0 {
			months = append(months, m)
		}
	}
	return months
}

var (
	riasecOnce  sync.Once
	riasecTable map[string]string
)

// occupationRIASEC returns the interest code of an occupation code's
// middle group (6-18 of 6-18-01-01) from assets/data/occupation_riasec.csv.
func occupationRIASEC(occupation string) string {
	riasecOnce.Do(func() {
		rows, err := codes.ReadCSV(assets.Data, "data/occupation_riasec.csv")
		if err != nil {
			panic("bug: embedded occupation_riasec.csv is broken: " + err.Error())
		}
		riasecTable = make(map[string]string, len(rows))
		for _, r := range rows {
			riasecTable[r["code"]] = r["riasec"]
		}
	})
	parts := strings.SplitN(occupation, "-", 3)
	if len(parts) < 2 {
		return ""
	}
	return riasecTable[parts[0]+"-"+parts[1]]
}
