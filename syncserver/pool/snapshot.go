package pool

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

func scopeRecordKey(scope string, kind record.Kind, id [16]byte) []byte {
	k := make([]byte, 0, len(scope)+18)
	k = append(k, scope...)
	k = append(k, 0, byte(kind))
	return append(k, id[:]...)
}

// indexScopeRecords builds bucketScopeRecords from the records.
func indexScopeRecords(tx *bolt.Tx) error {
	index, err := tx.CreateBucket(bucketScopeRecords)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketRecords).ForEach(func(k, v []byte) error {
		var id [16]byte
		copy(id[:], k[1:])
		st, err := decodeStored(record.Kind(k[0]), id, v)
		if err != nil {
			return err
		}
		return index.Put(scopeRecordKey(st.Scope, st.Kind, id), nil)
	})
}

// snapshotScope appends to out the registers of one scope's records after
// the position from (empty for the scope's first record), until out holds at
// least limit changes. It returns out and the position of the next page,
// or nil when the scope has no more records.
func (p *Pool) snapshotScope(tx *bolt.Tx, scope string, from []byte, limit int, out []changeset.Change) ([]changeset.Change, []byte, error) {
	prefix := append([]byte(scope), 0)
	c := tx.Bucket(bucketScopeRecords).Cursor()
	records := tx.Bucket(bucketRecords)
	k, _ := c.Seek(prefix)
	if len(from) > 0 {
		if len(from) != len(prefix)+17 || string(from[:len(prefix)]) != string(prefix) {
			return out, nil, fmt.Errorf("%w: snapshot position", ErrInvalid)
		}
		k, _ = c.Seek(from)
		if k != nil && string(k) == string(from) {
			k, _ = c.Next()
		}
	}
	var last []byte
	for ; k != nil && len(k) == len(prefix)+17 && string(k[:len(prefix)]) == string(prefix); k, _ = c.Next() {
		if len(out) >= limit {
			// The next page resumes after the last record of this one.
			return out, last, nil
		}
		last = append(last[:0:0], k...)
		kind := record.Kind(k[len(prefix)])
		var id [16]byte
		copy(id[:], k[len(prefix)+1:])
		raw := records.Get(recordKey(kind, id))
		if raw == nil {
			continue
		}
		st, err := p.loadOpen(kind, id, raw)
		if err != nil {
			return out, nil, err
		}
		out = append(out, st.Changes()...)
	}
	return out, nil, nil
}
