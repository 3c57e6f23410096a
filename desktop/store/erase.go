package store

import (
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/access"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// keyCompactPending is set in the meta bucket when an erasure changed the
// file and the file was not compacted since, so a crash before compaction
// leaves the work for the next sync.
var keyCompactPending = []byte("compact_pending")

// erasedPersons returns the persons among states whose record carries the
// erasure mark.
func erasedPersons(states map[string]*changeset.State) []*changeset.State {
	var out []*changeset.State
	for _, st := range states {
		if st.Kind == record.KindPerson && st.Fields[record.FieldErased].Value != "" {
			out = append(out, st)
		}
	}
	return out
}

// eraseInPage removes the personal values of every person a pulled page
// erased: from the record, from this device's outbox entries and from
// conflict items. It runs inside ApplyPage's transaction, after the merge
// and before the states are written. The old values stay in free pages of
// the file until compactAfterErasure rewrites it at the end of the sync.
func (s *Store) eraseInPage(tx *bolt.Tx, states map[string]*changeset.State) error {
	erased := erasedPersons(states)
	if len(erased) == 0 {
		return nil
	}
	persons := map[ulid.ULID]bool{}
	for _, st := range erased {
		persons[st.ID] = true
		clearPersonalValues(st)
	}
	return s.eraseCopies(tx, states, persons)
}

// clearPersonalValues empties the personal registers of a person's state in
// place. The registers keep their stamps, so the server's clearing changes,
// stamped later, still apply on top.
func clearPersonalValues(st *changeset.State) {
	for _, field := range record.PersonalFields {
		if reg, ok := st.Fields[field]; ok && reg.Value != "" {
			reg.Value = ""
			st.Fields[field] = reg
		}
	}
}

// eraseCopies clears the personal values of the persons from conflict items
// and outbox entries, and marks the file for compaction. states are the
// records the transaction writes itself afterwards.
func (s *Store) eraseCopies(tx *bolt.Tx, states map[string]*changeset.State, persons map[ulid.ULID]bool) error {
	if err := s.eraseConflictValues(tx, states, persons); err != nil {
		return err
	}
	if err := s.eraseOutboxValues(tx, persons); err != nil {
		return err
	}
	return putUint(tx.Bucket(bucketMeta), keyCompactPending, 1)
}

// ErasePerson erases a person's personal fields on the person's request.
// It saves FieldErased with the current time, which syncs like any edit
// and makes the server erase the person everywhere. It also clears the
// person's name, ID number, phone and address from this store right away:
// from the record, the outbox and conflict items. The file is compacted at
// the end, so no free page keeps an old value. Only a role that MayErase
// may call it; the server rejects the mark from any other role.
func (s *Store) ErasePerson(personID string) error {
	ident, _ := s.Identity()
	if ident.College == "" {
		return ErrNotEnrolled
	}
	if !access.Role(ident.Role).MayErase() {
		return ErrEraseRole
	}
	id, err := ulid.ParseStrict(personID)
	if err != nil {
		return fmt.Errorf("person id %q: %w", personID, err)
	}
	stamp, err := s.clock.Now()
	if err != nil {
		return err
	}
	mark := map[string]string{record.FieldErased: time.Now().UTC().Format(time.RFC3339)}

	var st *changeset.State
	err = s.update(func(tx *bolt.Tx) error {
		st, err = s.getState(tx, record.KindPerson, id)
		if err != nil {
			return err
		}
		if st == nil {
			return fmt.Errorf("person %s: %w", personID, ErrNotFound)
		}
		if st.Fields[record.FieldErased].Value != "" {
			return fmt.Errorf("person %s: %w", personID, ErrErased)
		}
		meta := tx.Bucket(bucketMeta)
		seq, err := s.writeFields(tx, st, mark, stamp, getUint(meta, keyOutSeq), false)
		if err != nil {
			return err
		}
		if err := putUint(meta, keyOutSeq, seq); err != nil {
			return err
		}
		clearPersonalValues(st)
		if err := s.eraseCopies(tx, map[string]*changeset.State{}, map[ulid.ULID]bool{id: true}); err != nil {
			return err
		}
		return s.putState(tx, st)
	})
	if err != nil {
		return fmt.Errorf("erasing person: %w", err)
	}
	s.index.update(st)
	s.publish(Event{Local: true})

	// The erasure is saved and syncs whatever happens here. A failed
	// compaction stays marked and runs again at the end of the next sync.
	if err := s.compactAfterErasure(); err != nil {
		s.log.Warn("compaction after a local erasure failed; it runs again after the next sync", "person", personID, "err", err)
	}
	return nil
}

// conflictPerson returns the person whose personal field a conflict item is
// about, and false for any other item.
func conflictPerson(st *changeset.State) (ulid.ULID, bool) {
	if st.Fields[record.FieldRecordKind].Value != record.KindPerson.String() ||
		!record.IsPersonal(record.KindPerson, st.Fields[record.FieldField].Value) {
		return ulid.ULID{}, false
	}
	id, err := ulid.ParseStrict(st.Fields[record.FieldRecord].Value)
	return id, err == nil
}

// conflictValueFields are the fields of a conflict item that hold values of
// the field in conflict.
var conflictValueFields = []string{record.FieldWinner, record.FieldLoser, record.FieldResolution}

// eraseConflictValues clears the values of conflict items about personal
// fields of the persons, in the stored items and in those of the page.
func (s *Store) eraseConflictValues(tx *bolt.Tx, states map[string]*changeset.State, persons map[ulid.ULID]bool) error {
	clear := func(st *changeset.State) bool {
		person, ok := conflictPerson(st)
		if !ok || !persons[person] {
			return false
		}
		changed := false
		for _, field := range conflictValueFields {
			if reg, ok := st.Fields[field]; ok && reg.Value != "" {
				reg.Value = ""
				st.Fields[field] = reg
				changed = true
			}
		}
		return changed
	}
	var stored []*changeset.State
	err := s.eachState(tx, record.KindConflict, func(st *changeset.State) error {
		if _, inPage := states[string(recordKey(record.KindConflict, st.ID))]; !inPage && clear(st) {
			stored = append(stored, st)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, st := range states {
		if st.Kind == record.KindConflict {
			clear(st)
		}
	}
	for _, st := range stored {
		if err := s.putState(tx, st); err != nil {
			return err
		}
	}
	return nil
}

// eraseOutboxValues clears the personal values of the persons in outbox
// entries not yet acknowledged. The entries stay, with empty values, so the
// outbox sequence keeps no gap the server would reject.
func (s *Store) eraseOutboxValues(tx *bolt.Tx, persons map[ulid.ULID]bool) error {
	outbox := tx.Bucket(bucketOutbox)
	type rewrite struct {
		key   []byte
		value []byte
	}
	var rewrites []rewrite
	err := outbox.ForEach(func(k, v []byte) error {
		plain, err := s.keysOpen(bucketOutbox, k, v)
		if err != nil {
			return err
		}
		changes, err := changeset.Decode(plain, changeset.DefaultLimits)
		if err != nil {
			return fmt.Errorf("reading outbox entry: %w", err)
		}
		changed := false
		for i := range changes {
			c := &changes[i]
			if c.Value == "" {
				continue
			}
			switch {
			case c.Kind == record.KindPerson && persons[c.ID] && record.IsPersonal(c.Kind, c.Field):
			case c.Kind == record.KindConflict && c.Field == record.FieldResolution:
				item, err := s.getState(tx, record.KindConflict, c.ID)
				if err != nil {
					return err
				}
				if item == nil {
					continue
				}
				if person, ok := conflictPerson(item); !ok || !persons[person] {
					continue
				}
			default:
				continue
			}
			c.Value = ""
			changed = true
		}
		if changed {
			rewrites = append(rewrites, rewrite{append([]byte(nil), k...), changeset.Encode(changes)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range rewrites {
		if err := s.putSealed(tx, bucketOutbox, r.key, r.value); err != nil {
			return err
		}
	}
	return nil
}

// compactAfterErasure rewrites the store file when an erasure changed it
// since the last compaction, so no free page keeps an erased value. It
// copies the file into a new one with bbolt's Compact and renames that over
// the old one; other calls wait meanwhile.
//
// NOTE: the file system may keep the old file's blocks until it reuses
// them; the values are gone from every file the store keeps.
func (s *Store) compactAfterErasure() error {
	var pending bool
	_ = s.view(func(tx *bolt.Tx) error {
		pending = getUint(tx.Bucket(bucketMeta), keyCompactPending) != 0
		return nil
	})
	if !pending {
		return nil
	}
	if err := s.rewrite(); err != nil {
		return fmt.Errorf("compacting store after an erasure: %w", err)
	}
	err := s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Delete(keyCompactPending)
	})
	if err != nil {
		return err
	}
	s.log.Info("store compacted after an erasure")
	return nil
}
