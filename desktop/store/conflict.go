package store

import (
	"errors"
	"fmt"
	"sort"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// ErrResolved is returned by ResolveConflict for a conflict item that is
// already resolved.
var ErrResolved = errors.New("conflict already resolved")

// Conflicts returns the conflict items of this device's college, and of
// the province records when the device's role may write them, newest
// first; with openOnly set, only those still open. An item's winner is the
// field's value in use now, which a later write may have changed.
func (s *Store) Conflicts(openOnly bool) ([]record.Conflict, error) {
	var out []record.Conflict
	err := s.view(func(tx *bolt.Tx) error {
		return s.eachState(tx, record.KindConflict, func(st *changeset.State) error {
			if st.Scope == record.ProvinceScope && !s.mayWriteProvince() {
				return nil
			}
			item := record.ConflictFrom(st.ID.String(), st.Scope, st.Values())
			if openOnly && item.Status != record.ConflictOpen {
				return nil
			}
			// Show the value in use now: a later write may have replaced the
			// one that won when the item was made.
			if item.Reason == record.ConflictSameField {
				if target, err := ulid.ParseStrict(item.Record); err == nil {
					if rec, err := s.getState(tx, item.RecordKind, target); err == nil && rec != nil {
						if reg, ok := rec.Fields[item.Field]; ok {
							item.Winner, item.WinnerDevice, item.WinnerStamp = reg.Value, reg.Device, uint64(reg.Stamp)
						}
					}
				}
			}
			out = append(out, item)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].LoserStamp > out[j].LoserStamp })
	return out, err
}

// ResolveConflict settles a conflict item with the value the reviewer
// chose: in one transaction it writes that value to the record's field (for
// an edit of a deleted record, a non-empty choice also restores the record)
// and marks the item resolved. Both sync like any edit.
func (s *Store) ResolveConflict(id, value string) error {
	itemID, err := ulid.ParseStrict(id)
	if err != nil {
		return fmt.Errorf("conflict id %q: %w", id, err)
	}
	stamp, err := s.clock.Now()
	if err != nil {
		return err
	}
	var touched []*changeset.State
	err = s.update(func(tx *bolt.Tx) error {
		itemState, err := s.getState(tx, record.KindConflict, itemID)
		if err != nil {
			return err
		}
		if itemState == nil {
			return fmt.Errorf("conflict %s: %w", id, ErrNotFound)
		}
		item := record.ConflictFrom(id, itemState.Scope, itemState.Values())
		if item.Status == record.ConflictResolved {
			return ErrResolved
		}
		target, err := ulid.ParseStrict(item.Record)
		if err != nil {
			return fmt.Errorf("conflict %s names record %q: %w", id, item.Record, err)
		}
		st, err := s.loadState(tx, item.RecordKind, target, itemState.Scope)
		if err != nil {
			return err
		}
		fields := map[string]string{item.Field: value}
		if item.Reason == record.ConflictDeleted && value != "" {
			fields[record.FieldDeleted] = "0"
		}
		meta := tx.Bucket(bucketMeta)
		seq := getUint(meta, keyOutSeq)
		// The chosen value is written even when it is the value in use, so
		// two reviewers choosing differently always meet as a conflict.
		if seq, err = s.writeFields(tx, st, fields, stamp, seq, true); err != nil {
			return err
		}
		resolution := map[string]string{record.FieldConflictStatus: record.ConflictResolved, record.FieldResolution: value}
		if seq, err = s.writeFields(tx, itemState, resolution, stamp, seq, false); err != nil {
			return err
		}
		for _, changed := range []*changeset.State{st, itemState} {
			if err := s.putState(tx, changed); err != nil {
				return err
			}
		}
		touched = []*changeset.State{st, itemState}
		return putUint(meta, keyOutSeq, seq)
	})
	if err != nil {
		return fmt.Errorf("resolving conflict: %w", err)
	}
	for _, st := range touched {
		s.index.update(st)
	}
	s.publish(Event{Local: true})
	return nil
}
