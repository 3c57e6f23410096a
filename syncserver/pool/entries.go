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
	// value across the members, except that a college record's name,
	// gender and ID number win (see mergeFields). Its ID is Persons[0] and
	// its College the scope of the newest member record in a college scope,
	// empty when every member is a fair registration. EachEntry leaves the
	// ID number, phone and address empty unless EntryOptions.Personal is set.
	Person record.Person
	// Sources names, for each field of Person that has a value, the write
	// that gave it. EachEntry leaves it nil unless EntryOptions.Sources is
	// set.
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

// EntryOptions choose what EachEntryWith reads beyond the merged fields
// that are not personal and the name.
type EntryOptions struct {
	// Personal opens the ID number, phone and address too. Without them
	// they are empty: matching does not need them, and each opened value
	// costs a decryption.
	Personal bool
	// Sources fills Entry.Sources. Without it Sources is nil, which saves a
	// map per entry.
	Sources bool
}

// EachEntry calls fn once for every pool entry, so a caller that matches
// entries sees each person once. Of the personal fields it reads only the
// name, and it leaves Sources nil: see EachEntryWith.
func (p *Pool) EachEntry(fn func(Entry) error) error {
	return p.EachEntryWith(EntryOptions{}, fn)
}

// EachEntryWith calls fn once for every pool entry, reading what opts
// choose. Single-record entries come in key order as the scan meets them;
// entries of several records come after, once all their members were read.
// Deleted person records are no members.
//
// It keeps only the multi-record entries' rows in memory, so a pool of a
// million people costs about the memory of its duplicates.
func (p *Pool) EachEntryWith(opts EntryOptions, fn func(Entry) error) error {
	m, _, err := p.members()
	if err != nil {
		return err
	}
	roles, err := p.deviceRoles()
	if err != nil {
		return err
	}
	open, fields := record.PersonalFields, []string(nil) // nil reads every field
	if !opts.Personal {
		open = []string{record.FieldName}
		for _, f := range record.FieldsOf(record.KindPerson) {
			if !record.IsPersonal(record.KindPerson, f) || f == record.FieldName {
				fields = append(fields, f)
			}
		}
	}

	groups := map[ulid.ULID][]personRow{}
	// PersonFrom copies the values out, so single entries share one map.
	scratch := map[string]string{}
	err = p.scanPersons(fields, open, func(row *personRow) error {
		if _, ok := m.parent[row.id]; ok {
			root := m.find(row.id)
			groups[root] = append(groups[root], *row)
			return nil
		}
		clear(scratch)
		return fn(entryOfInto(scratch, []personRow{*row}, roles, opts.Sources))
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
		if err := fn(entryOf(groups[root], roles, opts.Sources)); err != nil {
			return err
		}
	}
	return nil
}

// Entries returns every pool entry, as EachEntryWith yields them.
func (p *Pool) Entries(opts EntryOptions) ([]Entry, error) {
	var out []Entry
	err := p.EachEntryWith(opts, func(e Entry) error {
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
	var rows []personRow
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
		rows = append(rows, rowOf(st))
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
	return entryOf(rows, roles, true), nil
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

// entryOf merges member rows into an entry, with the sources of its
// fields when withSources is set.
func entryOf(rows []personRow, roles map[string]string, withSources bool) Entry {
	return entryOfInto(map[string]string{}, rows, roles, withSources)
}

// entryOfInto is entryOf with values, an empty map, to merge the fields in.
func entryOfInto(values map[string]string, rows []personRow, roles map[string]string, withSources bool) Entry {
	slices.SortFunc(rows, func(a, b personRow) int { return bytes.Compare(a.id[:], b.id[:]) })
	e := Entry{Persons: make([]ulid.ULID, len(rows))}
	for i, row := range rows {
		e.Persons[i] = row.id
	}
	sources := mergeFields(values, rows, withSources)
	if withSources {
		e.Sources = make(map[string]FieldSource, len(sources))
		for field, src := range sources {
			src.Role = roles[src.Device]
			e.Sources[field] = src
		}
	}
	e.Person = record.PersonFrom(rows[0].id.String(), newestCollege(rows), values)
	return e
}

// consentFields are the person fields an entry takes together from one
// member record: a consent with the date, method and account of another
// write would describe a consent nobody gave.
var consentFields = []string{record.FieldConsent, record.FieldConsentAt, record.FieldConsentMethod, record.FieldConsentBy}

// mergeFields puts in values, for each person field, the newest non-empty
// value across rows under the registers' merge rule (greater stamp, then
// greater device id), and returns its source when withSources is set. An empty value
// never hides another record's value: a fair registration that left the
// major blank does not blank the college's. The deletion mark is not
// merged.
//
// The identity fields (identityFields) come from a college record when one
// has a value, however new a fair registration's value is: the college
// copied them from enrolment papers, while a fair visitor typed them in
// a hurry. Among college records, or when none has a value, the newest
// value wins as for the other fields.
//
// The consent fields come together from the member whose consent write is
// newest, even where that member left the date or method empty. Only when
// no member has a consent value are they merged one by one.
func mergeFields(values map[string]string, rows []personRow, withSources bool) map[string]FieldSource {
	var sources map[string]FieldSource
	if withSources {
		sources = map[string]FieldSource{}
	}
	take := func(row *personRow, c *changeset.Change) {
		values[c.Field] = c.Value
		if withSources {
			sources[c.Field] = FieldSource{Person: row.id, Scope: row.scope, Device: c.Device, At: c.Stamp.Time()}
		}
	}

	consentRow := newestConsent(rows)
	var best map[string]*changeset.Change
	var bestScope map[string]string
	if len(rows) > 1 {
		best = map[string]*changeset.Change{}
		bestScope = map[string]string{}
	}
	for i := range rows {
		row := &rows[i]
		for j := range row.changes {
			c := &row.changes[j]
			if c.Value == "" || c.Field == record.FieldDeleted {
				continue
			}
			if consentRow >= 0 && slices.Contains(consentFields, c.Field) {
				if i == consentRow {
					take(row, c)
				}
				continue
			}
			if best != nil {
				if cur, ok := best[c.Field]; ok && !outranks(row.scope, c, bestScope[c.Field], cur) {
					continue
				}
				best[c.Field] = c
				bestScope[c.Field] = row.scope
			}
			take(row, c)
		}
	}
	return sources
}

// identityFields are the person fields that name who the person is. A
// college record's value wins over a fair's or another source's in an
// entry, and the birth date read from the ID number follows it.
var identityFields = []string{record.FieldName, record.FieldGender, record.FieldIDNumber}

// outranks reports whether change c of a record in scope replaces cur, the
// value taken so far from a record in curScope: for identity fields a
// college record beats any other, and otherwise the newer write wins.
func outranks(scope string, c *changeset.Change, curScope string, cur *changeset.Change) bool {
	if slices.Contains(identityFields, c.Field) {
		college, curCollege := isCollegeScope(scope), isCollegeScope(curScope)
		if college != curCollege {
			return college
		}
	}
	return (changeset.Register{Stamp: cur.Stamp, Device: cur.Device}).Wins(c.Stamp, c.Device)
}

// newestConsent returns the index of the row whose consent register was
// written last, or -1 when no row has a consent value.
func newestConsent(rows []personRow) int {
	newest := -1
	var reg changeset.Register
	for i := range rows {
		for j := range rows[i].changes {
			c := &rows[i].changes[j]
			if c.Field != record.FieldConsent || c.Value == "" {
				continue
			}
			if newest < 0 || reg.Wins(c.Stamp, c.Device) {
				newest, reg = i, changeset.Register{Stamp: c.Stamp, Device: c.Device}
			}
		}
	}
	return newest
}

// newestCollege returns the scope of the member in a college scope whose
// newest write is the latest, or "" when every member is in a fair scope.
func newestCollege(rows []personRow) string {
	college := ""
	var newest changeset.Register
	for i := range rows {
		if !isCollegeScope(rows[i].scope) {
			continue
		}
		for _, c := range rows[i].changes {
			if college == "" || newest.Wins(c.Stamp, c.Device) {
				college, newest = rows[i].scope, changeset.Register{Stamp: c.Stamp, Device: c.Device}
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

// PersonDeleted reports whether the pool holds a person record of id that
// was deleted, so callers can tell a deleted person from an unknown ID.
func (p *Pool) PersonDeleted(id ulid.ULID) (bool, error) {
	var st *changeset.State
	err := p.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketRecords).Get(recordKey(record.KindPerson, id))
		if raw == nil {
			return nil
		}
		var err error
		st, err = decodeStored(record.KindPerson, id, raw)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("reading person %s: %w", id, err)
	}
	return st != nil && st.Deleted(), nil
}
