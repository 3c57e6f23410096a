package pool

import (
	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/record"
)

// EachCountedValues calls fn for every history record of kind that counts
// in matching and statistics (see countedStates), in key order, with the
// record's values. It yields what EachCounted does with fewer
// allocations: it reads the records twice in one read transaction, first
// only for the versions that others supersede, then for the values, and
// decodes the stored registers without building states.
//
// values is reused between calls, so fn must copy what it keeps (the
// record.*From functions do). fn runs inside the read transaction and
// must not call the pool. History kinds carry no sealed values, so
// nothing is opened.
func (p *Pool) EachCountedValues(kind record.Kind, fn func(id ulid.ULID, scope string, values map[string]string) error) error {
	return p.db.View(func(tx *bolt.Tx) error {
		superseded := map[ulid.ULID]bool{}
		decoder := newFieldDecoder([]string{record.FieldSupersedes})
		err := eachOfKind(tx, kind, func(id ulid.ULID, raw []byte) error {
			_, changes, err := decoder.decode(raw)
			if err != nil {
				return err
			}
			for _, c := range changes {
				if prev, err := ulid.ParseStrict(c.Value); err == nil {
					superseded[prev] = true
				}
			}
			return nil
		})
		if err != nil {
			return err
		}

		decoder = newFieldDecoder(record.FieldsOf(kind))
		values := map[string]string{}
		return eachOfKind(tx, kind, func(id ulid.ULID, raw []byte) error {
			if superseded[id] {
				return nil
			}
			scope, changes, err := decoder.decode(raw)
			if err != nil {
				return err
			}
			clear(values)
			for _, c := range changes {
				values[c.Field] = c.Value
			}
			if values[record.FieldDeleted] == "1" || values[record.FieldReview] != record.ReviewApproved {
				return nil
			}
			return fn(id, scope, values)
		})
	})
}

// eachOfKind calls fn with the ULID and stored state of every record of
// kind, in key order.
func eachOfKind(tx *bolt.Tx, kind record.Kind, fn func(id ulid.ULID, raw []byte) error) error {
	c := tx.Bucket(bucketRecords).Cursor()
	for k, v := c.Seek([]byte{byte(kind)}); k != nil && k[0] == byte(kind); k, v = c.Next() {
		var id ulid.ULID
		copy(id[:], k[1:])
		if err := fn(id, v); err != nil {
			return err
		}
	}
	return nil
}
