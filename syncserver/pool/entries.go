package pool

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// A pool entry is one person as the province sees them: every live person
// record that shares a resident ID number with another (found through the
// ID number index), joined with the records that live merge decisions
// (record.KindMerge with record.DecisionMerge) name. Membership is
// transitive, so a fair registration without an ID number that a merge
// decision joins to one college's record joins every record sharing that
// record's ID number too.

// Entry is one pool entry.
type Entry struct {
	// Persons are the ULIDs of the member person records, sorted, so the
	// first is the oldest record. A single record is an entry of one.
	Persons []ulid.ULID
	// Person is the merged view: each field holds the newest non-empty
	// value across the members (see mergeFields). Its ID is Persons[0] and
	// its College the scope of the newest member record in a college scope,
	// empty when every member is a fair registration.
	Person record.Person
	// Sources names, for each field of Person that has a value, the write
	// that gave it.
	Sources map[string]FieldSource
}

// FieldSource is the write that gave an entry one field's value.
type FieldSource struct {
	Person ulid.ULID // the member record the value came from
	Scope  string    // that record's scope: a college code or a fair scope
	Device string    // the device that wrote the value; "server" for server-made changes
	Role   string    // the device's enrolled role, empty when the pool does not know the device
	At     time.Time // the write's hybrid-logical-clock wall time, UTC
}

// memberSet collects the members of every multi-record entry, keyed by
// person, as a union-find forest over person ULIDs.
type memberSet struct {
	parent map[ulid.ULID]ulid.ULID
}

func newMemberSet() *memberSet { return &memberSet{parent: map[ulid.ULID]ulid.ULID{}} }

func (m *memberSet) find(x ulid.ULID) ulid.ULID {
	p, ok := m.parent[x]
	if !ok {
		return x
	}
	if p == x {
		return x
	}
	root := m.find(p)
	m.parent[x] = root
	return root
}

func (m *memberSet) union(a, b ulid.ULID) {
	if _, ok := m.parent[a]; !ok {
		m.parent[a] = a
	}
	if _, ok := m.parent[b]; !ok {
		m.parent[b] = b
	}
	ra, rb := m.find(a), m.find(b)
	if ra == rb {
		return
	}
	// The smaller ULID stays the root, so a group's root is its oldest record.
	if bytes.Compare(ra[:], rb[:]) < 0 {
		m.parent[rb] = ra
	} else {
		m.parent[ra] = rb
	}
}

// joined reports whether a and b are members of one entry.
func (m *memberSet) joined(a, b ulid.ULID) bool { return m.find(a) == m.find(b) }

// decisions returns every live merge decision.
func (p *Pool) decisions() ([]record.Merge, error) {
	var out []record.Merge
	err := p.Each(record.KindMerge, func(st *changeset.State) error {
		out = append(out, record.MergeFrom(st.ID.String(), st.Scope, st.Values()))
		return nil
	})
	return out, err
}

// members builds the entry membership of the whole pool: the groups of the
// ID number index (deleted persons included, as the index keeps them) and
// the live merge decisions. It also returns the live decisions.
func (p *Pool) members() (*memberSet, []record.Merge, error) {
	m := newMemberSet()
	p.indexMu.RLock()
	err := p.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketIDIndex).Cursor()
		var prevHash []byte
		var prev ulid.ULID
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(k) < 16 {
				continue
			}
			hash := k[:len(k)-16]
			var person ulid.ULID
			copy(person[:], k[len(k)-16:])
			// Index keys sort by hash first, so one ID number's persons
			// are neighbours.
			if prevHash != nil && bytes.Equal(hash, prevHash) {
				m.union(prev, person)
			}
			prevHash, prev = append(prevHash[:0], hash...), person
		}
		return nil
	})
	p.indexMu.RUnlock()
	if err != nil {
		return nil, nil, fmt.Errorf("reading the ID number index: %w", err)
	}
	decisions, err := p.decisions()
	if err != nil {
		return nil, nil, fmt.Errorf("reading merge decisions: %w", err)
	}
	for _, d := range decisions {
		if d.Decision != record.DecisionMerge {
			continue
		}
		ids := parseULIDs(d.Persons)
		for _, id := range ids[min(1, len(ids)):] {
			m.union(ids[0], id)
		}
	}
	return m, decisions, nil
}

// parseULIDs returns the valid ULIDs among ids, skipping the rest: a
// decision naming a malformed id still joins the others.
func parseULIDs(ids []string) []ulid.ULID {
	out := make([]ulid.ULID, 0, len(ids))
	for _, s := range ids {
		if id, err := ulid.ParseStrict(s); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// EachEntry calls fn once for every pool entry, so a caller that matches
// entries sees each person once. Single-record entries come in key order
// as the scan meets them; entries of several records come after, once all
// their members were read. Deleted person records are no members.
//
// It keeps only the multi-record entries' states in memory, so a pool of a
// million people costs about the memory of its duplicates.
func (p *Pool) EachEntry(fn func(Entry) error) error {
	m, _, err := p.members()
	if err != nil {
		return err
	}
	roles, err := p.deviceRoles()
	if err != nil {
		return err
	}

	groups := map[ulid.ULID][]*changeset.State{}
	err = p.Each(record.KindPerson, func(st *changeset.State) error {
		if _, ok := m.parent[st.ID]; ok {
			root := m.find(st.ID)
			groups[root] = append(groups[root], st)
			return nil
		}
		return fn(entryOf([]*changeset.State{st}, roles))
	})
	if err != nil {
		return err
	}

	roots := make([]ulid.ULID, 0, len(groups))
	for root := range groups {
		roots = append(roots, root)
	}
	slices.SortFunc(roots, func(a, b ulid.ULID) int { return bytes.Compare(a[:], b[:]) })
	for _, root := range roots {
		if err := fn(entryOf(groups[root], roles)); err != nil {
			return err
		}
	}
	return nil
}

// Entries returns every pool entry, as EachEntry yields them.
func (p *Pool) Entries() ([]Entry, error) {
	var out []Entry
	err := p.EachEntry(func(e Entry) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// EntryOf returns the pool entry a live person record belongs to. It
// follows ID numbers through the index and merge decisions transitively,
// without scanning the person records. It returns ErrNoPerson when the
// person is not a live record.
func (p *Pool) EntryOf(person ulid.ULID) (Entry, error) {
	decisions, err := p.decisions()
	if err != nil {
		return Entry{}, err
	}
	byPerson := map[ulid.ULID][]ulid.ULID{}
	for _, d := range decisions {
		if d.Decision != record.DecisionMerge {
			continue
		}
		ids := parseULIDs(d.Persons)
		for _, id := range ids {
			byPerson[id] = append(byPerson[id], ids...)
		}
	}

	seen := map[ulid.ULID]bool{person: true}
	queue := []ulid.ULID{person}
	var states []*changeset.State
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		st, err := p.livePerson(id)
		if err != nil {
			return Entry{}, err
		}
		if st == nil {
			if id == person {
				return Entry{}, fmt.Errorf("%w: %s", ErrNoPerson, person)
			}
			continue
		}
		states = append(states, st)
		next := byPerson[id]
		if idNumber := st.Fields[record.FieldIDNumber].Value; idNumber != "" {
			same, err := p.PersonsByIDNumber(idNumber)
			if err != nil {
				return Entry{}, err
			}
			next = append(next, same...)
		}
		for _, other := range next {
			if !seen[other] {
				seen[other] = true
				queue = append(queue, other)
			}
		}
	}
	roles, err := p.deviceRoles()
	if err != nil {
		return Entry{}, err
	}
	return entryOf(states, roles), nil
}

// EntryFields returns the merged fields of the entry a person record
// belongs to, with the source of each.
func (p *Pool) EntryFields(person ulid.ULID) (record.Person, map[string]FieldSource, error) {
	e, err := p.EntryOf(person)
	return e.Person, e.Sources, err
}

// livePerson returns a person's opened state, or nil when the pool holds
// no live record of them.
func (p *Pool) livePerson(id ulid.ULID) (*changeset.State, error) {
	var st *changeset.State
	err := p.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketRecords).Get(recordKey(record.KindPerson, id))
		if raw == nil {
			return nil
		}
		var err error
		st, err = p.loadOpen(record.KindPerson, id, raw)
		return err
	})
	if err != nil || st == nil || st.Deleted() {
		return nil, err
	}
	return st, nil
}

// deviceRoles maps each enrolled device to its role.
func (p *Pool) deviceRoles() (map[string]string, error) {
	devices, err := p.Devices()
	if err != nil {
		return nil, fmt.Errorf("reading devices: %w", err)
	}
	roles := make(map[string]string, len(devices))
	for _, d := range devices {
		roles[d.ID] = d.Role
	}
	return roles, nil
}

// entryOf merges member states into an entry.
func entryOf(states []*changeset.State, roles map[string]string) Entry {
	slices.SortFunc(states, func(a, b *changeset.State) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	e := Entry{Persons: make([]ulid.ULID, len(states)), Sources: map[string]FieldSource{}}
	for i, st := range states {
		e.Persons[i] = st.ID
	}
	values, sources := mergeFields(states)
	for field, src := range sources {
		src.Role = roles[src.Device]
		e.Sources[field] = src
	}
	e.Person = record.PersonFrom(states[0].ID.String(), newestCollege(states), values)
	return e
}

// mergeFields returns, for each person field, the newest non-empty value
// across states under the registers' merge rule (greater stamp, then
// greater device id), with its source. An empty value never hides another
// record's value: a fair registration that left the major blank does not
// blank the college's. The deletion mark is not merged.
func mergeFields(states []*changeset.State) (map[string]string, map[string]FieldSource) {
	values := map[string]string{}
	sources := map[string]FieldSource{}
	best := map[string]changeset.Register{}
	for _, st := range states {
		for field, reg := range st.Fields {
			if reg.Value == "" || field == record.FieldDeleted {
				continue
			}
			if cur, ok := best[field]; ok && !cur.Wins(reg.Stamp, reg.Device) {
				continue
			}
			best[field] = reg
			values[field] = reg.Value
			sources[field] = FieldSource{Person: st.ID, Scope: st.Scope, Device: reg.Device, At: reg.Stamp.Time()}
		}
	}
	return values, sources
}

// newestCollege returns the scope of the member in a college scope whose
// newest write is the latest, or "" when every member is in a fair scope.
func newestCollege(states []*changeset.State) string {
	college := ""
	var newest changeset.Register
	for _, st := range states {
		if !isCollegeScope(st.Scope) {
			continue
		}
		for _, reg := range st.Fields {
			if college == "" || newest.Wins(reg.Stamp, reg.Device) {
				college, newest = st.Scope, reg
			}
		}
	}
	return college
}

// isCollegeScope reports whether scope is a college code: college codes
// are digits, fair scopes start with a prefix and the province scope is a
// word.
func isCollegeScope(scope string) bool {
	if scope == "" {
		return false
	}
	for _, r := range scope {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
