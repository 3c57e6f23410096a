package store

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// DuplicateIDError is returned by SavePerson for an ID number that another
// person of the store already has: one person per ID number.
type DuplicateIDError struct {
	IDNumber string
	Existing record.Person
}

func (e *DuplicateIDError) Error() string {
	return "ID number already belongs to person " + e.Existing.ID
}

// TranslationKey returns the key of the user's message in assets/i18n/*/store.json.
func (e *DuplicateIDError) TranslationKey() (string, []any) {
	return "store.duplicate_id", []any{e.IDNumber, e.Existing.Name, e.Existing.StudentNo}
}

// Errors of erasure.
var (
	// ErrErased is returned for a personal value or a consent written to a
	// person whose personal fields were erased, and for erasing them twice.
	ErrErased = errors.New("person's personal information was erased")
	// ErrEraseRole is returned by ErasePerson on a device whose role may
	// not erase.
	ErrEraseRole = errors.New("this device's role may not erase personal information")
)

// PersonByIDNumber returns the live person with the ID number.
func (s *Store) PersonByIDNumber(idNumber string) (record.Person, bool) {
	return s.index.byIDNumber(idNumber)
}

// SavePerson writes a person. A new person (empty ID) gets a fresh ULID.
// Only fields whose value differs from the stored one become changes; the
// record and its outbox entries are written in one transaction.
func (s *Store) SavePerson(p record.Person) (record.Person, error) {
	if p.IDNumber != "" {
		if other, ok := s.index.byIDNumber(p.IDNumber); ok && other.ID != p.ID {
			return p, &DuplicateIDError{IDNumber: p.IDNumber, Existing: other}
		}
	}
	id, err := s.save(record.KindPerson, p.ID, p.Fields())
	if err != nil {
		return p, err
	}
	p.ID = id
	p.College = s.college()
	return p, nil
}

// SaveTraining writes a training record of a person through SaveHistory:
// it is submitted for review unless t.Review.State is record.ReviewDraft,
// and saving one that has an ID stores a new version that supersedes it.
func (s *Store) SaveTraining(t record.Training) (record.Training, error) {
	id, err := s.SaveHistory(record.KindTraining, t.ID, historyFields(t.Fields(), t.Review))
	if err != nil {
		return t, err
	}
	return record.TrainingFrom(id, s.college(), s.mustValues(record.KindTraining, id)), nil
}

// SaveInternship writes an internship of a person, as SaveTraining does.
func (s *Store) SaveInternship(in record.Internship) (record.Internship, error) {
	id, err := s.SaveHistory(record.KindInternship, in.ID, historyFields(in.Fields(), in.Review))
	if err != nil {
		return in, err
	}
	return record.InternshipFrom(id, s.college(), s.mustValues(record.KindInternship, id)), nil
}

// historyFields returns a typed record's fields for SaveHistory, keeping a
// draft a draft.
func historyFields(f map[string]string, r record.Review) map[string]string {
	if r.State == record.ReviewDraft {
		f[record.FieldReview] = record.ReviewDraft
	}
	return f
}

// mustValues returns the values of a record just saved; empty when it
// cannot be read back, which SaveBatch's success rules out.
func (s *Store) mustValues(kind record.Kind, id string) map[string]string {
	st, err := s.state(kind, id)
	if err != nil {
		return map[string]string{}
	}
	return st.Values()
}

// Delete marks a record deleted.
func (s *Store) Delete(kind record.Kind, id string) error {
	_, err := s.save(kind, id, map[string]string{record.FieldDeleted: "1"})
	return err
}

func (s *Store) college() string {
	id, _ := s.Identity()
	return id.College
}

func (s *Store) save(kind record.Kind, idText string, fields map[string]string) (string, error) {
	ids, err := s.SaveBatch(kind, []string{idText}, []map[string]string{fields})
	if err != nil {
		return "", err
	}
	return ids[0], nil
}

// SavePersons writes many persons in one transaction, for imports: either
// all are saved or none. It returns the persons with their ids.
func (s *Store) SavePersons(people []record.Person) ([]record.Person, error) {
	ids := make([]string, len(people))
	fields := make([]map[string]string, len(people))
	for i, p := range people {
		ids[i], fields[i] = p.ID, p.Fields()
	}
	ids, err := s.SaveBatch(record.KindPerson, ids, fields)
	if err != nil {
		return nil, err
	}
	out := make([]record.Person, len(people))
	college := s.college()
	for i, p := range people {
		p.ID, p.College = ids[i], college
		out[i] = p
	}
	return out, nil
}

// SaveBatch writes records of one kind in one transaction, ids[i] with
// fields[i], and returns their ids. An empty id makes a new record; only
// fields whose value differs from the stored one become changes.
func (s *Store) SaveBatch(kind record.Kind, idTexts []string, fields []map[string]string) ([]string, error) {
	fieldsAt := func(i int) map[string]string { return fields[i] }
	return s.saveBatch(context.Background(), kind, idTexts, fieldsAt, nil)
}

// appendFillPercent is the page fill at which saveBatch's buckets split a
// page. The doc of bbolt's Bucket.FillPercent (v1.4) suggests raising it
// from 0.5 for mostly append-only writes.
const appendFillPercent = 0.9

// saveBatch is SaveBatch with the fields of record i built by fieldsAt(i)
// when the record is written, so a large batch never holds all of its
// field maps at once. It stops, writing nothing, when ctx ends, and calls
// progress (when not nil) inside the transaction after each record.
func (s *Store) saveBatch(ctx context.Context, kind record.Kind, idTexts []string, fieldsAt func(i int) map[string]string, progress func(done, total int)) ([]string, error) {
	college := s.college()
	if college == "" {
		return nil, ErrNotEnrolled
	}
	ids := make([]ulid.ULID, len(idTexts))
	for i, text := range idTexts {
		if text == "" {
			ids[i] = ulid.Make()
			continue
		}
		var err error
		if ids[i], err = ulid.ParseStrict(text); err != nil {
			return nil, fmt.Errorf("record id %q: %w", text, err)
		}
	}
	if err := s.reserveMap(len(ids)); err != nil {
		return nil, err
	}
	// The stamp comes first: the clock may write its own ceiling, and bbolt
	// allows one writer at a time.
	stamp, err := s.clock.Now()
	if err != nil {
		return nil, err
	}

	// Only persons are in the search index. Their entries are built in the
	// transaction and put in the index after the commit. The states are not
	// kept, because their register maps would be an estimated 1.5 KB per
	// record more to hold until the commit.
	var entries []*indexEntry
	if kind == record.KindPerson {
		entries = make([]*indexEntry, len(ids))
	}
	err = s.update(func(tx *bolt.Tx) error {
		// New record keys are ULIDs, which increase with time, and outbox
		// keys are increasing sequence numbers, so this transaction mostly
		// appends. bbolt splits a full page at FillPercent (0.5 by
		// default), which would leave the pages of a large import half
		// empty: twice the file size and twice the dirty pages to hold.
		tx.Bucket(bucketRecords).FillPercent = appendFillPercent
		tx.Bucket(bucketOutbox).FillPercent = appendFillPercent
		meta := tx.Bucket(bucketMeta)
		seq := getUint(meta, keyOutSeq)
		for i, id := range ids {
			st, err := s.loadState(tx, kind, id, scopeFor(kind, college))
			if err != nil {
				return err
			}
			if idTexts[i] != "" && len(st.Fields) == 0 {
				return fmt.Errorf("%s %s: %w", kind, idTexts[i], ErrNotFound)
			}
			if seq, err = s.writeFields(tx, st, fieldsAt(i), stamp, seq, false); err != nil {
				return err
			}
			if err := s.putState(tx, st); err != nil {
				return err
			}
			if entries != nil {
				entries[i] = entryOf(st)
			}
			if progress != nil {
				progress(i+1, len(ids))
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return putUint(meta, keyOutSeq, seq)
	})
	if err != nil {
		return nil, fmt.Errorf("saving %s: %w", kind, err)
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
		if entries != nil {
			s.index.put(out[i], entries[i])
		}
	}
	s.publish(Event{Local: true})
	return out, nil
}

// writeFields applies the changed fields to st and appends their changes,
// numbered after seq, to the outbox as one entry. It returns the last sequence used. With
// force set, a field is written even when its value is unchanged. A record
// of the province scope returns ErrProvinceRole unless the device's role
// may write it.
func (s *Store) writeFields(tx *bolt.Tx, st *changeset.State, fields map[string]string, stamp hlc.Stamp, seq uint64, force bool) (uint64, error) {
	if st.Scope == record.ProvinceScope && !s.mayWriteProvince() {
		return seq, fmt.Errorf("%s %s: %w", st.Kind, st.ID, ErrProvinceRole)
	}
	account := s.Account()
	erased := st.Kind == record.KindPerson && st.Fields[record.FieldErased].Value != ""
	var changes []changeset.Change
	for _, field := range record.FieldsOf(st.Kind) {
		value, ok := fields[field]
		if !ok {
			continue
		}
		if erased && value != "" && record.IsPersonal(st.Kind, field) {
			// The server drops such a value, so reject it here where the user sees the error.
			return seq, fmt.Errorf("%s %s: %w", st.Kind, st.ID, ErrErased)
		}
		cur, had := st.Fields[field]
		if !force && ((had && cur.Value == value) || (!had && value == "")) {
			continue
		}
		seq++
		prev := cur.Stamp
		if field == record.FieldDeleted && value == "1" {
			// A delete replaces the whole record as this device holds it.
			// Its Prev is the newest stamp of any field, so the server can
			// tell an edit the deleting clerk had not seen.
			for _, r := range st.Fields {
				prev = max(prev, r.Stamp)
			}
		}
		c := changeset.Change{Kind: st.Kind, ID: st.ID, Scope: st.Scope, Field: field,
			Value: value, Stamp: stamp, Prev: prev, Device: s.device, Account: account, Seq: seq}
		st.Apply(c)
		changes = append(changes, c)
		if field == record.FieldPerson {
			if err := indexByPerson(tx, c); err != nil {
				return seq, err
			}
		}
	}
	return seq, s.putOutbox(tx, changes)
}

func indexByPerson(tx *bolt.Tx, c changeset.Change) error {
	person, err := ulid.ParseStrict(c.Value)
	if err != nil {
		return nil // a training pointing at no valid person id is kept but not listed
	}
	key := append(append(person[:0:0], person[:]...), byte(c.Kind))
	key = append(key, c.ID[:]...)
	return tx.Bucket(bucketByPerson).Put(key, nil)
}

// Person returns the person with the given id.
func (s *Store) Person(id string) (record.Person, error) {
	st, err := s.state(record.KindPerson, id)
	if err != nil {
		return record.Person{}, err
	}
	return record.PersonFrom(st.ID.String(), st.Scope, st.Values()), nil
}

// State returns a record with its registers.
func (s *Store) State(kind record.Kind, id string) (*changeset.State, error) {
	return s.state(kind, id)
}

func (s *Store) state(kind record.Kind, idText string) (*changeset.State, error) {
	id, err := ulid.ParseStrict(idText)
	if err != nil {
		return nil, fmt.Errorf("record id %q: %w", idText, err)
	}
	var st *changeset.State
	err = s.view(func(tx *bolt.Tx) error {
		st, err = s.getState(tx, kind, id)
		if err == nil && st == nil {
			return fmt.Errorf("%s %s: %w", kind, idText, ErrNotFound)
		}
		return err
	})
	return st, err
}

// Persons returns every person not deleted, ordered for display.
func (s *Store) Persons() []record.Person { return s.index.all() }

// Count returns the number of persons not deleted.
func (s *Store) Count() int { return s.index.count() }

// Search returns up to limit persons matching a query typed in the search
// box: part of a name, pinyin initials, a student number or the last digits
// of an ID number. An empty query returns the first persons in display order.
func (s *Store) Search(query string, limit int) []record.Person {
	return s.index.search(query, limit)
}

// TrainingsOf returns a person's training records, oldest first.
func (s *Store) TrainingsOf(personID string) ([]record.Training, error) {
	var out []record.Training
	err := s.eachOfPerson(personID, record.KindTraining, func(st *changeset.State) {
		out = append(out, record.TrainingFrom(st.ID.String(), st.Scope, st.Values()))
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, err
}

// InternshipsOf returns a person's internships, oldest first.
func (s *Store) InternshipsOf(personID string) ([]record.Internship, error) {
	var out []record.Internship
	err := s.eachOfPerson(personID, record.KindInternship, func(st *changeset.State) {
		out = append(out, record.InternshipFrom(st.ID.String(), st.Scope, st.Values()))
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out, err
}

func (s *Store) eachOfPerson(personID string, kind record.Kind, fn func(*changeset.State)) error {
	person, err := ulid.ParseStrict(personID)
	if err != nil {
		return fmt.Errorf("person id %q: %w", personID, err)
	}
	prefix := append(person[:0:0], person[:]...)
	prefix = append(prefix, byte(kind))
	var versions []*changeset.State
	err = s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketByPerson).Cursor()
		for k, _ := c.Seek(prefix); k != nil && len(k) == len(prefix)+16 && string(k[:len(prefix)]) == string(prefix); k, _ = c.Next() {
			var id ulid.ULID
			copy(id[:], k[len(prefix):])
			st, err := s.getState(tx, kind, id)
			if err != nil {
				return err
			}
			if st == nil {
				continue
			}
			// A record re-pointed to another person keeps its old index
			// entry, so check the current value.
			if st.Fields[record.FieldPerson].Value != personID {
				continue
			}
			versions = append(versions, st)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Only the latest versions count: one that a newer version supersedes
	// is hidden, and so is the whole event when its newest version is deleted.
	superseded := map[string]bool{}
	for _, st := range versions {
		if prev := st.Fields[record.FieldSupersedes].Value; prev != "" {
			superseded[prev] = true
		}
	}
	for _, st := range versions {
		if !st.Deleted() && !superseded[st.ID.String()] {
			fn(st)
		}
	}
	return nil
}
