package matchsvc

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/match"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// index is the matching index: the engine over every pool entry and the
// compiled job demands. A full build makes a new index and swaps it in
// whole. Service.Update changes the current one in place under mu, which
// queries hold for reading.
type index struct {
	mu     sync.RWMutex
	engine *match.Engine
	// people holds what result rows show of each person, by engine
	// position.
	people []personInfo
	// size is the number of pool entries in the engine, which
	// engine.Len exceeds by the positions that Engine.Remove left blank.
	size int
	// entryOf maps each member record of a multi-record pool entry to the
	// entry's ID (its oldest record). A record missing here is an entry
	// of its own. members maps each such entry ID back to its members.
	entryOf map[ulid.ULID]ulid.ULID
	members map[ulid.ULID][]ulid.ULID

	jobs      []*match.Job // every demand, closed ones included, by ULID order
	demandPos map[string]int
	employers map[string]record.Employer // by ULID
	built     time.Time                  // when the index last took in the pool's changes

	// The fields below are read and written only by the goroutine that
	// holds Service.buildMu, never by queries.

	programmes map[string]record.Programme // by ULID

	// history lists the history records of each member person record:
	// those counted at the build and those changed since.
	history map[ulid.ULID][]histRef
	// cursor is the change-log sequence the index reflects.
	cursor uint64
}

// histRef names one history record.
type histRef struct {
	kind record.Kind
	id   ulid.ULID
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
	// olderAssessments are the IDs of the other counted assessments, which
	// count again when the latest stops counting.
	olderAssessments map[string][]string
}

// build reads the pool into a new index. It reads the approved history
// first (pool.EachCountedValues), then streams the pool entries (pool.EachEntry,
// so a person with records from several sources is one profile), so it
// holds only the history and the compiled profiles at once, never a
// million full person records. The index reflects at least the change
// log up to cursor, the log head read before the build started.
func build(p *pool.Pool, now time.Time) (*index, error) {
	cursor := p.LogHead()
	programmes, err := readProgrammes(p)
	if err != nil {
		return nil, err
	}
	h, err := readHistory(p)
	if err != nil {
		return nil, err
	}

	ix := &index{entryOf: map[ulid.ULID]ulid.ULID{}, members: map[ulid.ULID][]ulid.ULID{},
		demandPos: map[string]int{}, employers: map[string]record.Employer{}, programmes: programmes,
		built: now, cursor: cursor}
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
		ix.join(e)
		profiles.Add(candidateOf(e, programmes, &h))
		info := infoOf(e)
		info.college, info.major = intern(info.college), intern(info.major)
		infos[e.Person.ID] = info
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading pool entries: %w", err)
	}
	ix.history = h.refs()
	h = history{}

	ix.engine = match.NewEngine(profiles)
	ix.size = ix.engine.Len()
	ix.people = make([]personInfo, ix.engine.Len())
	for id, info := range infos {
		ix.people[ix.engine.Position(id)] = info
	}

	employers, demands, err := readDemands(p)
	if err != nil {
		return nil, err
	}
	ix.setJobs(ix.compileJobs(employers, demands, programmes))
	return ix, nil
}

// join records the members of a multi-record entry.
func (ix *index) join(e pool.Entry) {
	if len(e.Persons) < 2 {
		return
	}
	ix.members[e.Persons[0]] = e.Persons
	for _, member := range e.Persons {
		ix.entryOf[member] = e.Persons[0]
	}
}

// candidateOf joins an entry with the approved history of its members.
func candidateOf(e pool.Entry, programmes map[string]record.Programme, h *history) match.Candidate {
	c := match.Candidate{Person: e.Person, Programmes: programmes}
	var newest string
	for _, member := range e.Persons {
		id := member.String()
		c.Trainings = append(c.Trainings, h.trainings[id]...)
		c.Internships = append(c.Internships, h.internships[id]...)
		c.Certificates = append(c.Certificates, h.certificates[id]...)
		if a, ok := h.assessments[id]; ok && a.Date >= newest {
			c.Assessment, newest = a, a.Date
		}
	}
	return c
}

// infoOf returns what result rows show of an entry.
func infoOf(e pool.Entry) personInfo {
	return personInfo{name: e.Person.Name, college: e.Person.College, major: e.Person.Major,
		gradYear: uint16(max(0, min(e.Person.GradYear, 65535)))}
}

// readProgrammes reads every live training programme by ULID.
func readProgrammes(p *pool.Pool) (map[string]record.Programme, error) {
	programmes := map[string]record.Programme{}
	err := p.Each(record.KindProgramme, func(st *changeset.State) error {
		id := st.ID.String()
		programmes[id] = record.ProgrammeFrom(id, st.Scope, st.Values())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading programmes: %w", err)
	}
	return programmes, nil
}

// readDemands reads the employer directory by ULID and every job demand
// in ULID order.
func readDemands(p *pool.Pool) (map[string]record.Employer, []record.Demand, error) {
	employers := map[string]record.Employer{}
	err := p.Each(record.KindEmployer, func(st *changeset.State) error {
		id := st.ID.String()
		employers[id] = record.EmployerFrom(id, st.Scope, st.Values())
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reading employers: %w", err)
	}
	var demands []record.Demand
	err = p.Each(record.KindDemand, func(st *changeset.State) error {
		demands = append(demands, record.DemandFrom(st.ID.String(), st.Scope, st.Values()))
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reading job demands: %w", err)
	}
	return employers, demands, nil
}

// jobSet is the compiled job demands with their employers.
type jobSet struct {
	jobs      []*match.Job
	demandPos map[string]int
	employers map[string]record.Employer
}

// compileJobs compiles every demand against the engine. It only reads the
// engine, so it may run beside queries but not beside Put.
func (ix *index) compileJobs(employers map[string]record.Employer, demands []record.Demand,
	programmes map[string]record.Programme) jobSet {
	set := jobSet{jobs: make([]*match.Job, 0, len(demands)), demandPos: make(map[string]int, len(demands)),
		employers: employers}
	for _, d := range demands {
		var programme *record.Programme
		if pr, ok := programmes[d.Programme]; ok {
			programme = &pr
		}
		set.demandPos[d.ID] = len(set.jobs)
		set.jobs = append(set.jobs, ix.engine.CompileJob(d, employers[d.Employer], programme))
	}
	return set
}

// setJobs makes set the index's jobs. An index that queries may read
// needs mu held for writing.
func (ix *index) setJobs(set jobSet) {
	ix.jobs, ix.demandPos, ix.employers = set.jobs, set.demandPos, set.employers
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

// openJobs returns the positions of the demands in ix.jobs that still
// recruit today.
func (ix *index) openJobs() []int {
	var out []int
	today := record.Today()
	for n, j := range ix.jobs {
		if j.Demand.OpenOn(today) {
			out = append(out, n)
		}
	}
	return slices.Clip(out)
}
