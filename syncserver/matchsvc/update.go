package matchsvc

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// MaxIncremental is the number of changed records above which Update
// leaves the changes to a full rebuild. Each touched entry costs a few
// point reads of the pool.
//
// NOTE: the threshold is a guess. It was not measured against the cost of
// a full build.
const MaxIncremental = 50_000

// ErrRebuild is returned by Update when the changes cannot be applied one
// by one: there are more than MaxIncremental, the change log was
// compacted past the index (it then wraps pool.ErrCompacted), or no index
// was built yet. The caller builds the index again with Load.
var ErrRebuild = errors.New("the matching index must be built again")

// changed sorts the records that ChangedSince reported by what they
// affect.
type changed struct {
	persons map[ulid.ULID]bool
	history map[record.Kind][]ulid.ULID
	merges  []ulid.ULID
	jobs    bool // an employer, demand or programme changed
	records int
}

// errTooMany stops ChangedSince after MaxIncremental records.
var errTooMany = errors.New("too many changed records")

// Update applies the pool's changes since the current index was built or
// last updated to it, in place. Each pool entry the changes touch is read
// again and put into the engine, or removed when its records are gone.
// Then the job demands are compiled again. Queries wait only while the
// engine changes. Update returns an error wrapping ErrRebuild when a full
// build is needed instead.
func (s *Service) Update() error {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	ix := s.current.Load()
	if ix == nil {
		return fmt.Errorf("%w: no index was built", ErrRebuild)
	}
	start := time.Now()
	ch, head, err := s.readChanged(ix.cursor)
	if err != nil {
		return err
	}
	if head == ix.cursor {
		return nil
	}
	return s.applyChanged(ix, ch, head, start)
}

// applyChanged applies the changes that readChanged read up to head.
func (s *Service) applyChanged(ix *index, ch changed, head uint64, start time.Time) error {
	if len(ch.persons) == 0 && len(ch.history) == 0 && len(ch.merges) == 0 && !ch.jobs {
		// Only records that matching does not read changed.
		ix.cursor = head
		return nil
	}
	in, err := s.readJobInputs(ix, ch.jobs)
	if err != nil {
		return fmt.Errorf("updating the matching index: %w", err)
	}
	// Profiles read the programmes, so a changed programme is in place
	// before the entries are compiled.
	ix.programmes = in.programmes
	u, err := s.readEntries(ix, ch)
	if err != nil {
		return fmt.Errorf("updating the matching index: %w", err)
	}
	ix.apply(u, s.opts.Now())

	// Profiles put just now may bring skills, certificate titles or
	// programmes that the jobs compiled before them miss.
	set := ix.compileJobs(in.employers, in.demands, in.programmes)
	ix.mu.Lock()
	ix.setJobs(set)
	ix.cursor = head
	ix.mu.Unlock()
	s.updates.Add(1)
	s.log.Debug("matching index updated", "records", ch.records, "entries", len(u.entries),
		"removed", len(u.removed), "jobs", ch.jobs, "head", head, "seconds", time.Since(start).Seconds())
	return nil
}

// readChanged reads what changed after cursor.
func (s *Service) readChanged(cursor uint64) (changed, uint64, error) {
	ch := changed{persons: map[ulid.ULID]bool{}, history: map[record.Kind][]ulid.ULID{}}
	head, err := s.pool.ChangedSince(cursor, func(kind record.Kind, id ulid.ULID, _ string) error {
		ch.records++
		if ch.records > MaxIncremental {
			return errTooMany
		}
		switch {
		case kind == record.KindPerson:
			ch.persons[id] = true
		case isHistoryKind(kind):
			ch.history[kind] = append(ch.history[kind], id)
		case kind == record.KindMerge:
			ch.merges = append(ch.merges, id)
		case kind == record.KindEmployer || kind == record.KindDemand || kind == record.KindProgramme:
			ch.jobs = true
		}
		return nil
	})
	switch {
	case errors.Is(err, errTooMany):
		return ch, head, fmt.Errorf("%w: more than %d records changed", ErrRebuild, MaxIncremental)
	case errors.Is(err, pool.ErrCompacted):
		return ch, head, fmt.Errorf("%w: %w", ErrRebuild, err)
	case err != nil:
		return ch, head, fmt.Errorf("reading the pool's changes: %w", err)
	}
	return ch, head, nil
}

// entryUpdate is the work of one update: the entries to put into the
// engine and those to remove.
type entryUpdate struct {
	entries   []pool.Entry
	histories []*history // the counted history of each entry's members, by entry
	removed   []ulid.ULID
	// touched are the person records whose entry membership was read
	// again: the entryOf and members of the index are replaced for them.
	touched []ulid.ULID
	history map[ulid.ULID][]histRef // new history lists by member person
}

// readEntries reads again every pool entry the changes touch: the entries
// of changed persons, of the persons of changed history records and merge
// decisions, and every entry that shared a member with one of them before
// or shares one now. It reads the pool and the index's membership, which
// only the caller changes, so it takes no lock.
func (s *Service) readEntries(ix *index, ch changed) (entryUpdate, error) {
	u := entryUpdate{history: map[ulid.ULID][]histRef{}}
	persons := ch.persons
	for kind, ids := range ch.history {
		states, err := s.pool.Records(kind, ids)
		if err != nil {
			return u, err
		}
		for _, st := range states {
			person, err := ulid.ParseStrict(st.Fields[record.FieldPerson].Value)
			if err != nil {
				continue
			}
			persons[person] = true
			refs := u.historyOf(ix, person)
			if ref := (histRef{kind, st.ID}); !slices.Contains(refs, ref) {
				u.history[person] = append(refs, ref)
			}
		}
	}
	merges, err := s.pool.Records(record.KindMerge, ch.merges)
	if err != nil {
		return u, err
	}
	for _, st := range merges {
		m := record.MergeFrom(st.ID.String(), st.Scope, st.Values())
		for _, id := range m.Persons {
			if person, err := ulid.ParseStrict(id); err == nil {
				persons[person] = true
			}
		}
	}

	queue := make([]ulid.ULID, 0, len(persons))
	for id := range persons {
		queue = append(queue, id)
	}
	slices.SortFunc(queue, ulid.ULID.Compare)
	visited := map[ulid.ULID]bool{}
	covered := map[ulid.ULID]bool{} // members of an entry read already
	oldEntries := map[ulid.ULID]bool{}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if visited[id] {
			continue
		}
		visited[id] = true
		u.touched = append(u.touched, id)
		old := ix.entryID(id)
		oldEntries[old] = true
		queue = append(queue, ix.members[old]...)
		if covered[id] {
			continue
		}
		e, err := s.pool.EntryOf(id)
		if errors.Is(err, pool.ErrNoPerson) {
			continue
		}
		if err != nil {
			return u, err
		}
		// Matching needs no personal numbers, so the index never keeps them.
		e.Person.IDNumber, e.Person.Phone, e.Person.Address = "", "", ""
		e.Sources = nil
		u.entries = append(u.entries, e)
		for _, member := range e.Persons {
			covered[member] = true
			queue = append(queue, member)
		}
	}

	kept := map[ulid.ULID]bool{}
	for _, e := range u.entries {
		kept[e.Persons[0]] = true
		h, err := s.countedHistory(ix, &u, e.Persons)
		if err != nil {
			return u, err
		}
		u.histories = append(u.histories, h)
	}
	for old := range oldEntries {
		if !kept[old] {
			u.removed = append(u.removed, old)
		}
	}
	return u, nil
}

// historyOf returns the history list of a member person: the one this
// update made, else the index's.
func (u *entryUpdate) historyOf(ix *index, person ulid.ULID) []histRef {
	if refs, ok := u.history[person]; ok {
		return refs
	}
	return slices.Clone(ix.history[person])
}

// countedHistory reads the history records listed for the members and
// returns those that count in matching: approved, not deleted, and not
// superseded by another listed record. It drops the records the pool no
// longer holds from the lists.
//
// NOTE: a record superseded by a version that was never counted nor
// changed since the build is missing from the lists, so it counts here
// although pool.EachCounted would skip it. The next full build corrects
// it.
func (s *Service) countedHistory(ix *index, u *entryUpdate, members []ulid.ULID) (*history, error) {
	h := newHistory()
	for _, member := range members {
		refs := u.historyOf(ix, member)
		if len(refs) == 0 {
			continue
		}
		var live []histRef
		for _, kind := range historyKinds {
			var ids []ulid.ULID
			for _, r := range refs {
				if r.kind == kind {
					ids = append(ids, r.id)
				}
			}
			if len(ids) == 0 {
				continue
			}
			states, err := s.pool.Records(kind, ids)
			if err != nil {
				return nil, err
			}
			superseded := map[string]bool{}
			for _, st := range states {
				live = append(live, histRef{kind, st.ID})
				if prev := st.Fields[record.FieldSupersedes].Value; prev != "" {
					superseded[prev] = true
				}
			}
			for _, st := range states {
				if counts(st) && !superseded[st.ID.String()] {
					h.add(st)
				}
			}
		}
		u.history[member] = live
	}
	return &h, nil
}

// counts reports whether a history record is approved and not deleted.
func counts(st *changeset.State) bool {
	return !st.Deleted() && st.Fields[record.FieldReview].Value == record.ReviewApproved
}

// apply puts the read entries into the engine and removes the entries
// that are gone, holding ix.mu for writing.
func (ix *index) apply(u entryUpdate, now time.Time) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, id := range u.removed {
		if ix.engine.Remove(id.String()) {
			ix.size--
		}
	}
	for _, id := range u.touched {
		delete(ix.entryOf, id)
		delete(ix.members, id)
	}
	for n, e := range u.entries {
		if ix.engine.Position(e.Person.ID) < 0 {
			ix.size++
		}
		i := ix.engine.Put(candidateOf(e, ix.programmes, u.histories[n]))
		for len(ix.people) <= i {
			ix.people = append(ix.people, personInfo{})
		}
		ix.people[i] = infoOf(e)
		ix.join(e)
	}
	for person, refs := range u.history {
		if len(refs) == 0 {
			delete(ix.history, person)
		} else {
			ix.history[person] = refs
		}
	}
	ix.built = now
}

// jobInputs are the employers, demands and programmes that the job
// demands compile from.
type jobInputs struct {
	employers  map[string]record.Employer
	demands    []record.Demand
	programmes map[string]record.Programme
}

// readJobInputs reads the employers, demands and programmes from the pool
// when reread is set, and otherwise returns those the index holds.
func (s *Service) readJobInputs(ix *index, reread bool) (jobInputs, error) {
	if !reread {
		return jobInputs{employers: ix.employers, demands: ix.demands(), programmes: ix.programmes}, nil
	}
	programmes, err := readProgrammes(s.pool)
	if err != nil {
		return jobInputs{}, err
	}
	employers, demands, err := readDemands(s.pool)
	if err != nil {
		return jobInputs{}, err
	}
	return jobInputs{employers: employers, demands: demands, programmes: programmes}, nil
}

// entryID returns the ID of the entry that a person record belonged to at
// the last build or update.
func (ix *index) entryID(person ulid.ULID) ulid.ULID {
	if id, ok := ix.entryOf[person]; ok {
		return id
	}
	return person
}

// demands returns the demands of the index's jobs.
func (ix *index) demands() []record.Demand {
	out := make([]record.Demand, len(ix.jobs))
	for n, j := range ix.jobs {
		out[n] = j.Demand
	}
	return out
}
