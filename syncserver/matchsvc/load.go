package matchsvc

import (
	"fmt"
	"slices"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/match"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// index is one build of the matching index: the engine over every pool
// entry and the compiled job demands. Queries only read it, and a rebuild
// replaces it whole, so no lock guards it.
type index struct {
	engine *match.Engine
	// people holds what result rows show of each person, by engine
	// position.
	people []personInfo
	// entryOf maps each member record of a multi-record pool entry to the
	// entry's ID (its oldest record). A record missing here is an entry
	// of its own.
	entryOf map[ulid.ULID]ulid.ULID

	jobs      []*match.Job // every demand, closed ones included, by ULID order
	demandPos map[string]int
	employers map[string]record.Employer // by ULID
	built     time.Time
}

// personInfo is what a result row shows of a person besides the profile.
// Personal numbers (resident ID number, phone) and the address are never
// kept.
type personInfo struct {
	name     string
	college  string
	major    string
	gradYear uint16
}

// history is the approved history of the member records of pool entries,
// keyed by member person ULID, before the entries are read.
type history struct {
	trainings    map[string][]record.Training
	internships  map[string][]record.Internship
	certificates map[string][]record.Certificate
	assessments  map[string]record.Assessment // the latest by date
}

// build reads the pool into a new index. It reads the approved history
// first (pool.EachCounted), then streams the pool entries (pool.EachEntry,
// so a person with records from several sources is one profile), so it
// holds only the history and the compiled profiles at once, never a
// million full person records.
func build(p *pool.Pool, now time.Time) (*index, error) {
	programmes := map[string]record.Programme{}
	err := p.Each(record.KindProgramme, func(st *changeset.State) error {
		id := st.ID.String()
		programmes[id] = record.ProgrammeFrom(id, st.Scope, st.Values())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading programmes: %w", err)
	}
	h, err := readHistory(p)
	if err != nil {
		return nil, err
	}

	ix := &index{entryOf: map[ulid.ULID]ulid.ULID{}, demandPos: map[string]int{},
		employers: map[string]record.Employer{}, built: now}
	profiles := match.NewProfiles()
	infos := map[string]personInfo{}
	strs := map[string]string{} // interns college and major codes
	intern := func(s string) string {
		if v, ok := strs[s]; ok {
			return v
		}
		strs[s] = s
		return s
	}
	err = p.EachEntry(func(e pool.Entry) error {
		c := match.Candidate{Person: e.Person, Programmes: programmes}
		var newest string
		for _, member := range e.Persons {
			id := member.String()
			if len(e.Persons) > 1 {
				ix.entryOf[member] = e.Persons[0]
			}
			c.Trainings = append(c.Trainings, h.trainings[id]...)
			c.Internships = append(c.Internships, h.internships[id]...)
			c.Certificates = append(c.Certificates, h.certificates[id]...)
			if a, ok := h.assessments[id]; ok && a.Date >= newest {
				c.Assessment, newest = a, a.Date
			}
		}
		profiles.Add(c)
		infos[e.Person.ID] = personInfo{name: e.Person.Name, college: intern(e.Person.College),
			major: intern(e.Person.Major), gradYear: uint16(max(0, min(e.Person.GradYear, 65535)))}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading pool entries: %w", err)
	}
	h = history{}

	ix.engine = match.NewEngine(profiles)
	ix.people = make([]personInfo, ix.engine.Len())
	for id, info := range infos {
		ix.people[ix.engine.Position(id)] = info
	}

	if err := ix.readDemands(p, programmes); err != nil {
		return nil, err
	}
	return ix, nil
}

// readHistory reads the approved trainings, internships, certificates and
// assessments of every person.
func readHistory(p *pool.Pool) (history, error) {
	h := history{trainings: map[string][]record.Training{}, internships: map[string][]record.Internship{},
		certificates: map[string][]record.Certificate{}, assessments: map[string]record.Assessment{}}
	err := p.EachCounted(record.KindTraining, func(st *changeset.State) error {
		t := record.TrainingFrom(st.ID.String(), st.Scope, st.Values())
		h.trainings[t.Person] = append(h.trainings[t.Person], t)
		return nil
	})
	if err != nil {
		return h, fmt.Errorf("reading trainings: %w", err)
	}
	err = p.EachCounted(record.KindInternship, func(st *changeset.State) error {
		in := record.InternshipFrom(st.ID.String(), st.Scope, st.Values())
		h.internships[in.Person] = append(h.internships[in.Person], in)
		return nil
	})
	if err != nil {
		return h, fmt.Errorf("reading internships: %w", err)
	}
	err = p.EachCounted(record.KindCertificate, func(st *changeset.State) error {
		ct := record.CertificateFrom(st.ID.String(), st.Scope, st.Values())
		h.certificates[ct.Person] = append(h.certificates[ct.Person], ct)
		return nil
	})
	if err != nil {
		return h, fmt.Errorf("reading certificates: %w", err)
	}
	err = p.EachCounted(record.KindAssessment, func(st *changeset.State) error {
		a := record.AssessmentFrom(st.ID.String(), st.Scope, st.Values())
		if old, ok := h.assessments[a.Person]; !ok || a.Date >= old.Date {
			h.assessments[a.Person] = a
		}
		return nil
	})
	if err != nil {
		return h, fmt.Errorf("reading assessments: %w", err)
	}
	return h, nil
}

// readDemands reads the employer directory and compiles every job demand.
func (ix *index) readDemands(p *pool.Pool, programmes map[string]record.Programme) error {
	err := p.Each(record.KindEmployer, func(st *changeset.State) error {
		id := st.ID.String()
		ix.employers[id] = record.EmployerFrom(id, st.Scope, st.Values())
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading employers: %w", err)
	}
	err = p.Each(record.KindDemand, func(st *changeset.State) error {
		d := record.DemandFrom(st.ID.String(), st.Scope, st.Values())
		var programme *record.Programme
		if pr, ok := programmes[d.Programme]; ok {
			programme = &pr
		}
		ix.demandPos[d.ID] = len(ix.jobs)
		ix.jobs = append(ix.jobs, ix.engine.CompileJob(d, ix.employers[d.Employer], programme))
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading job demands: %w", err)
	}
	return nil
}

// position returns the engine position of the pool entry that the person
// record belongs to, or -1.
func (ix *index) position(person string) int {
	id, err := ulid.ParseStrict(person)
	if err != nil {
		return -1
	}
	if entry, ok := ix.entryOf[id]; ok {
		id = entry
	}
	return ix.engine.Position(id.String())
}

// openJobs returns the positions of the open demands in ix.jobs.
func (ix *index) openJobs() []int {
	var out []int
	for n, j := range ix.jobs {
		if j.Demand.Open() {
			out = append(out, n)
		}
	}
	return slices.Clip(out)
}
