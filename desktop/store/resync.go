package store

import (
	"fmt"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// RecordKey names a record in a set of records: its kind and ULID.
type RecordKey struct {
	Kind record.Kind
	ID   ulid.ULID
}

// KeyOf returns the key of the record a change names.
func KeyOf(c changeset.Change) RecordKey { return RecordKey{Kind: c.Kind, ID: c.ID} }

// FinishResync ends a resync from a snapshot: in one transaction it deletes
// the records the snapshot did not contain (seen holds those it did) and
// sets the pull cursor. The server compacted its log past this device's
// cursor and purged the deletes in it, so a record missing from the
// snapshot was deleted there. It returns the number of records deleted.
//
// Access events stay, because the server keeps none of them. While the
// outbox holds changes it deletes nothing, since a record with an unsent
// change is missing from the snapshot only because the server has not
// seen it yet.
func (s *Store) FinishResync(seen map[RecordKey]bool, cursor uint64) (int, error) {
	var gone []*changeset.State
	err := s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if getUint(meta, keyOutSeq) == getUint(meta, keyAcked) {
			var doomed [][]byte
			err := tx.Bucket(bucketRecords).ForEach(func(k, _ []byte) error {
				var key RecordKey
				key.Kind = record.Kind(k[0])
				copy(key.ID[:], k[1:])
				if key.Kind != record.KindAccess && !seen[key] {
					doomed = append(doomed, append([]byte(nil), k...))
				}
				return nil
			})
			if err != nil {
				return err
			}
			for _, k := range doomed {
				var id ulid.ULID
				copy(id[:], k[1:])
				// An empty deleted state takes the person out of the
				// search index after the commit.
				st := changeset.NewState(record.Kind(k[0]), id, "")
				st.Fields[record.FieldDeleted] = changeset.Register{Value: "1"}
				gone = append(gone, st)
				if err := tx.Bucket(bucketRecords).Delete(k); err != nil {
					return err
				}
			}
		}
		return putUint(meta, keyCursor, cursor)
	})
	if err != nil {
		return 0, fmt.Errorf("finishing the resync: %w", err)
	}
	for _, st := range gone {
		s.index.update(st)
	}
	if len(gone) > 0 {
		s.log.Info("records purged on the server dropped after a resync", "records", len(gone))
	}
	s.publish(Event{Remote: len(gone) > 0, Sync: true})
	return len(gone), nil
}
