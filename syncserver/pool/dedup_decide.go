package pool

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/mask"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// Audit actions of merge decisions. Each decision writes one entry per
// person it names, with Record the decision's ULID.
const (
	ActionMerge     = "merge"      // the central office merged person records into one entry
	ActionApart     = "apart"      // the central office decided person records are different people
	ActionUndoMerge = "undo_merge" // the central office undid a merge or apart decision
)

// Errors of the merge decisions.
var (
	// ErrDecisionPersons is returned by Decide for fewer than two distinct
	// persons.
	ErrDecisionPersons = errors.New("a decision needs at least two different persons")
	// ErrSameEntry is returned by Decide when the persons are one entry
	// already: merging changes nothing, and keeping apart records that
	// share an ID number or a merge is not possible without undoing it.
	ErrSameEntry = errors.New("the persons are one entry already")
	// ErrNoDecision is returned by Undo for a ULID that names no live
	// decision.
	ErrNoDecision = errors.New("decision not found")
)

// TwoPeopleError is returned by Decide for a merge of records whose ID
// numbers both pass the check character and differ: they are two people,
// because the check character catches every single typo and swap. It
// carries the two numbers masked (mask.ID), so it may be logged and shown.
type TwoPeopleError struct{ IDNumbers [2]string }

func (e *TwoPeopleError) Error() string {
	return fmt.Sprintf("records with the valid, different ID numbers %s and %s are two people", e.IDNumbers[0], e.IDNumbers[1])
}

// KeptApartError is returned by Decide for a merge that would join two
// persons a live apart decision keeps apart. Undoing that decision first
// lets the merge through.
type KeptApartError struct{ Decision string }

func (e *KeptApartError) Error() string {
	return fmt.Sprintf("the persons are kept apart by decision %s", e.Decision)
}

// NoPersonError is returned by Decide for a person ULID that names no live
// person record. It wraps ErrNoPerson.
type NoPersonError struct{ Person ulid.ULID }

func (e *NoPersonError) Error() string { return fmt.Sprintf("%v: %s", ErrNoPerson, e.Person) }

func (e *NoPersonError) Unwrap() error { return ErrNoPerson }

// Decide records a decision (record.DecisionMerge or record.DecisionApart)
// about persons, by the account or tool named in by. It writes a
// record.KindMerge record in record.ProvinceScope through the pool's change
// log, stamped by the server, so devices that pull the province scope get
// it, and audits it in the same transaction. It returns the decision.
func (p *Pool) Decide(decision string, persons []ulid.ULID, by string) (record.Merge, error) {
	if decision != record.DecisionMerge && decision != record.DecisionApart {
		return record.Merge{}, fmt.Errorf("%w: decision %q", ErrInvalid, decision)
	}
	ids := slices.Clone(persons)
	slices.SortFunc(ids, func(a, b ulid.ULID) int { return bytes.Compare(a[:], b[:]) })
	ids = slices.Compact(ids)
	if len(ids) < 2 {
		return record.Merge{}, ErrDecisionPersons
	}
	idNumbers := make([]string, 0, len(ids))
	for _, id := range ids {
		st, err := p.livePerson(id)
		if err != nil {
			return record.Merge{}, err
		}
		if st == nil {
			return record.Merge{}, &NoPersonError{Person: id}
		}
		idNumbers = append(idNumbers, st.Fields[record.FieldIDNumber].Value)
	}
	m, decisions, err := p.members()
	if err != nil {
		return record.Merge{}, err
	}
	if allJoined(m, ids) {
		return record.Merge{}, ErrSameEntry
	}
	if decision == record.DecisionApart && anyJoined(m, ids) {
		return record.Merge{}, ErrSameEntry
	}
	if decision == record.DecisionMerge {
		if err := twoPeople(idNumbers); err != nil {
			return record.Merge{}, err
		}
		if apart := apartJoined(m, decisions, ids); apart != "" {
			return record.Merge{}, &KeptApartError{Decision: apart}
		}
	}

	d := record.Merge{ID: ulid.Make().String(), Scope: record.ProvinceScope, Decision: decision, DecidedBy: by}
	for _, id := range ids {
		d.Persons = append(d.Persons, id.String())
	}
	decisionID := ulid.MustParse(d.ID)
	stamp := hlc.Make(p.now().UnixMilli(), 0)
	var changes []changeset.Change
	for field, value := range d.Fields() {
		changes = append(changes, changeset.Change{Kind: record.KindMerge, ID: decisionID, Scope: record.ProvinceScope,
			Field: field, Value: value, Stamp: stamp, Device: serverDevice, Account: by})
	}
	slices.SortFunc(changes, func(a, b changeset.Change) int { return strings.Compare(a.Field, b.Field) })
	action := ActionMerge
	if decision == record.DecisionApart {
		action = ActionApart
	}
	if err := p.writeDecision(changes, action, d, by); err != nil {
		return record.Merge{}, err
	}
	p.log.Info("merge decision recorded", "decision", d.ID, "kind", decision, "persons", len(ids), "by", by)
	return d, nil
}

// Undo deletes a live decision, which restores the entries and duplicate
// listing as they were before it. It returns the deleted decision.
func (p *Pool) Undo(decision ulid.ULID, by string) (record.Merge, error) {
	var st *changeset.State
	err := p.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketRecords).Get(recordKey(record.KindMerge, decision))
		if raw == nil {
			return nil
		}
		var err error
		st, err = decodeStored(record.KindMerge, decision, raw)
		return err
	})
	if err != nil {
		return record.Merge{}, fmt.Errorf("reading decision %s: %w", decision, err)
	}
	if st == nil || st.Deleted() {
		return record.Merge{}, fmt.Errorf("%w: %s", ErrNoDecision, decision)
	}
	d := record.MergeFrom(decision.String(), st.Scope, st.Values())
	del := changeset.Change{Kind: record.KindMerge, ID: decision, Scope: st.Scope, Field: record.FieldDeleted,
		Value: "1", Stamp: nextStamp(st, p.now()), Prev: st.Fields[record.FieldDeleted].Stamp,
		Device: serverDevice, Account: by}
	if err := p.writeDecision([]changeset.Change{del}, ActionUndoMerge, d, by); err != nil {
		return record.Merge{}, err
	}
	p.log.Info("merge decision undone", "decision", d.ID, "kind", d.Decision, "by", by)
	return d, nil
}

// writeDecision appends a decision's changes to the change log and one
// audit entry per person it names, in one transaction.
func (p *Pool) writeDecision(changes []changeset.Change, action string, d record.Merge, by string) error {
	err := p.db.Update(func(tx *bolt.Tx) error {
		if _, _, err := p.appendChanges(tx, changes, 0, false); err != nil {
			return err
		}
		fields := make([]string, 0, len(changes))
		for _, c := range changes {
			fields = append(fields, c.Field)
		}
		entries := make([]AuditEntry, 0, len(d.Persons))
		for _, person := range d.Persons {
			entries = append(entries, AuditEntry{Action: action, Device: serverDevice, Account: by,
				Kind: record.KindMerge, Record: d.ID, Person: person, Scope: record.ProvinceScope, Fields: fields})
		}
		return p.appendAudit(tx, entries...)
	})
	if err != nil {
		return fmt.Errorf("writing decision %s: %w", d.ID, err)
	}
	p.wake()
	return nil
}

// Decision returns a live decision by its ULID.
func (p *Pool) Decision(id ulid.ULID) (record.Merge, error) {
	decisions, err := p.decisions()
	if err != nil {
		return record.Merge{}, err
	}
	for _, d := range decisions {
		if d.ID == id.String() {
			return d, nil
		}
	}
	return record.Merge{}, fmt.Errorf("%w: %s", ErrNoDecision, id)
}

func allJoined(m *memberSet, ids []ulid.ULID) bool {
	for _, id := range ids[1:] {
		if !m.joined(ids[0], id) {
			return false
		}
	}
	return true
}

func anyJoined(m *memberSet, ids []ulid.ULID) bool {
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			if m.joined(ids[i], ids[j]) {
				return true
			}
		}
	}
	return false
}

// twoPeople returns a *TwoPeopleError when two of the ID numbers pass the
// check character and differ.
func twoPeople(idNumbers []string) error {
	var valid []string
	for _, n := range idNumbers {
		n = NormaliseIDNumber(n)
		if n == "" {
			continue
		}
		if _, err := validate.IDNumber(n); err != nil {
			continue
		}
		for _, other := range valid {
			if other != n {
				return &TwoPeopleError{IDNumbers: [2]string{mask.ID(other), mask.ID(n)}}
			}
		}
		valid = append(valid, n)
	}
	return nil
}

// apartJoined returns the ULID of a live apart decision two of whose
// persons a merge of ids would join, or "" when there is none. The merge
// joins the whole entries of ids, so a pair counts when both its persons
// are in those entries.
func apartJoined(m *memberSet, decisions []record.Merge, ids []ulid.ULID) string {
	roots := map[ulid.ULID]bool{}
	for _, id := range ids {
		roots[m.find(id)] = true
	}
	for _, d := range decisions {
		if d.Decision != record.DecisionApart {
			continue
		}
		inMerge := 0
		for _, id := range parseULIDs(d.Persons) {
			if roots[m.find(id)] {
				inMerge++
			}
		}
		if inMerge >= 2 {
			return d.ID
		}
	}
	return ""
}
