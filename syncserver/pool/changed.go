package pool

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// ErrCompacted is returned by ChangedSince when compaction removed log
// entries after the caller's sequence, so the changes since it are no
// longer known: the caller must read the whole pool again.
var ErrCompacted = errors.New("change log compacted after the sequence: read the whole pool again")

// LogHead returns the sequence of the last change-log entry of any scope,
// 0 for an empty pool.
func (p *Pool) LogHead() uint64 {
	var head uint64
	_ = p.db.View(func(tx *bolt.Tx) error {
		head = getUint(tx.Bucket(bucketMeta), keyLogSeq)
		return nil
	})
	return head
}

// ChangedSince calls fn once for every record changed by the log entries
// after seq, of every scope, in the order of each record's first change
// there. It reads only the kinds, ULIDs and scopes of the changes and never
// opens sealed values. It returns the log head it read up to, so the next
// call passes that head as seq.
//
// fn runs inside a read transaction of the pool, so it must not call the
// pool. An error from fn stops the walk and is returned as is, with the
// head. ChangedSince returns ErrCompacted, with the head, when the log of
// some scope was compacted past seq.
func (p *Pool) ChangedSince(seq uint64, fn func(kind record.Kind, id ulid.ULID, scope string) error) (uint64, error) {
	var head uint64
	err := p.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		head = getUint(meta, keyLogSeq)
		if seq >= head {
			return nil
		}
		if scope, start, ok := compactedAfter(meta, seq); ok {
			return fmt.Errorf("%w: log of %s starts after %d, cursor %d", ErrCompacted, scope, start, seq)
		}

		type recordID struct {
			kind record.Kind
			id   ulid.ULID
		}
		seen := map[recordID]bool{}
		c := tx.Bucket(bucketLog).Cursor()
		for k, v := c.Seek(seqKey(seq + 1)); k != nil; k, v = c.Next() {
			changes, err := changeset.Decode(v, storedLimits)
			if err != nil {
				return fmt.Errorf("reading log entry %x: %w", k, err)
			}
			for _, ch := range changes {
				key := recordID{ch.Kind, ch.ID}
				if seen[key] {
					continue
				}
				seen[key] = true
				if err := fn(ch.Kind, ch.ID, ch.Scope); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return head, err
}

// compactedAfter returns a scope whose log compaction removed entries
// after seq, with that log's start.
func compactedAfter(meta *bolt.Bucket, seq uint64) (string, uint64, bool) {
	prefix := logStartKey("")
	c := meta.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if start := getUint(meta, k); start > seq {
			return string(k[len(prefix):]), start, true
		}
	}
	return "", 0, false
}

// Records returns the opened current states of the records of kind with
// the given ULIDs, deleted ones included, in the order of ids. ULIDs the
// pool holds no record of are left out.
func (p *Pool) Records(kind record.Kind, ids []ulid.ULID) ([]*changeset.State, error) {
	out := make([]*changeset.State, 0, len(ids))
	err := p.db.View(func(tx *bolt.Tx) error {
		records := tx.Bucket(bucketRecords)
		for _, id := range ids {
			raw := records.Get(recordKey(kind, id))
			if raw == nil {
				continue
			}
			st, err := p.loadOpen(kind, id, raw)
			if err != nil {
				return err
			}
			out = append(out, st)
		}
		return nil
	})
	return out, err
}
