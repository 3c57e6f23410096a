package localmatch

import (
	"context"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/match"
	"mobilefactory/shared/record"
)

// data is the store's matching input compiled for one request.
type data struct {
	engine      *match.Engine
	jobs        []*match.Job               // every demand of the store, open and closed
	live        []*match.Job               // the demands whose employer is in the directory
	openDemands int                        // the demands among live that still recruit today
	demandIndex map[string]int             // demand ULID to its index in jobs
	persons     map[string]record.Person   // every live person by ULID, consented or not
	employers   map[string]record.Employer // by ULID
	built       time.Time
}

// load reads the store and builds the Engine and the jobs.
func load(ctx context.Context, st *store.Store) (*data, error) {
	programmeList, err := st.Programmes()
	if err != nil {
		return nil, err
	}
	programmes := make(map[string]record.Programme, len(programmeList))
	for _, p := range programmeList {
		programmes[p.ID] = p
	}

	d := &data{persons: map[string]record.Person{}, employers: map[string]record.Employer{}}
	profiles := match.NewProfiles()
	for _, person := range st.Persons() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d.persons[person.ID] = person
		if !person.Consented() {
			continue
		}
		c, err := candidate(st, person, programmes)
		if err != nil {
			return nil, err
		}
		profiles.Add(c)
	}
	d.engine = match.NewEngine(profiles)

	employers, err := st.Employers()
	if err != nil {
		return nil, err
	}
	for _, e := range employers {
		d.employers[e.ID] = e
	}
	demands, err := st.Demands()
	if err != nil {
		return nil, err
	}
	d.demandIndex = make(map[string]int, len(demands))
	today := record.Today()
	for _, dm := range demands {
		var programme *record.Programme
		if p, ok := programmes[dm.Programme]; ok {
			programme = &p
		}
		employer, listed := d.employers[dm.Employer]
		job := d.engine.CompileJob(dm, employer, programme)
		d.demandIndex[dm.ID] = len(d.jobs)
		d.jobs = append(d.jobs, job)
		// A demand outlives its deleted employer in the store, but nobody
		// can be recommended to an employer that left the directory.
		if listed {
			d.live = append(d.live, job)
			if dm.OpenOn(today) {
				d.openDemands++
			}
		}
	}
	d.built = time.Now()
	return d, nil
}

// candidate returns the person with their approved history: what
// reviewers approved is all that matching counts.
func candidate(st *store.Store, person record.Person, programmes map[string]record.Programme) (match.Candidate, error) {
	history, err := st.HistoryOf(person.ID)
	if err != nil {
		return match.Candidate{}, err
	}
	approved := history.Approved()
	c := match.Candidate{Person: person, Trainings: approved.Trainings, Internships: approved.Internships,
		Certificates: approved.Certificates, Programmes: programmes}
	// HistoryOf orders assessments oldest first.
	if n := len(approved.Assessments); n > 0 {
		c.Assessment = approved.Assessments[n-1]
	}
	return c, nil
}
