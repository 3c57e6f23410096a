package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// Pending returns the number of outbox entries not yet acknowledged. The
// outbox holds a contiguous run of sequences, so this is a subtraction.
func (s *Store) Pending() int {
	n := 0
	_ = s.view(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		n = int(getUint(meta, keyOutSeq) - getUint(meta, keyAcked))
		return nil
	})
	return n
}

// Outbox returns up to limit outbox changes with sequence after after, in
// sequence order.
func (s *Store) Outbox(after uint64, limit int) ([]changeset.Change, error) {
	var out []changeset.Change
	err := s.view(func(tx *bolt.Tx) error {
		// Acknowledged changes are gone, even those of an entry an ack
		// covered only in part.
		meta := tx.Bucket(bucketMeta)
		after := max(after, getUint(meta, keyAcked))
		// Sized for the whole batch, the result is not grown and copied
		// change by change.
		if pending := getUint(meta, keyOutSeq) - min(after, getUint(meta, keyOutSeq)); pending > 0 && limit > 0 {
			out = make([]changeset.Change, 0, min(uint64(limit), pending))
		}
		c := tx.Bucket(bucketOutbox).Cursor()
		k, v := c.Seek(seqKey(after + 1))
		// The entry holding after+1 may start before it, when an ack
		// covered part of a save.
		if k == nil || binary.BigEndian.Uint64(k) > after+1 {
			pk, pv := c.Prev()
			if k == nil {
				pk, pv = c.Last()
			}
			if pk != nil {
				k, v = pk, pv
			} else {
				k, v = c.First()
			}
		}
		for ; k != nil && len(out) < limit; k, v = c.Next() {
			changes, err := s.outboxEntry(k, v)
			if err != nil {
				return err
			}
			// An entry's changes have rising sequences, so the first one
			// not yet acknowledged is found by binary search.
			first := sort.Search(len(changes), func(i int) bool { return changes[i].Seq > after })
			rest := changes[first:]
			out = append(out, rest[:min(len(rest), limit-len(out))]...)
		}
		return nil
	})
	return out, err
}

// outboxCache keeps the outbox entry Outbox decoded last. One save can
// hold more changes than a push carries, and without the cache each push
// would open and decode the whole save again.
type outboxCache struct {
	mu      sync.Mutex
	key     []byte             // guarded by mu
	sealed  []byte             // the entry as stored; guarded by mu
	changes []changeset.Change // read-only once cached; guarded by mu
}

// minCachedEntry is the smallest entry, in changes, that outboxEntry
// keeps: a smaller one is cheap to decode again.
const minCachedEntry = 1000

// outboxEntry returns the decoded changes of the outbox entry stored under
// key as sealed. The result is shared with the cache and must not be
// changed. An entry rewritten since it was cached, as by an erasure, has
// other sealed bytes and is decoded again.
func (s *Store) outboxEntry(key, sealed []byte) ([]changeset.Change, error) {
	if s.keys.Load() == nil {
		return nil, ErrLocked
	}
	c := &s.outbox
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.changes != nil && bytes.Equal(c.key, key) && bytes.Equal(c.sealed, sealed) {
		return c.changes, nil
	}
	plain, err := s.keysOpen(bucketOutbox, key, sealed)
	if err != nil {
		return nil, err
	}
	changes, err := changeset.Decode(plain, changeset.DefaultLimits)
	if err != nil {
		return nil, fmt.Errorf("reading outbox entry: %w", err)
	}
	if len(changes) >= minCachedEntry {
		c.key, c.sealed, c.changes = bytes.Clone(key), bytes.Clone(sealed), changes
	}
	return changes, nil
}

// dropOutboxCache frees the cached entry once the outbox is empty.
func (s *Store) dropOutboxCache() {
	c := &s.outbox
	c.mu.Lock()
	c.key, c.sealed, c.changes = nil, nil, nil
	c.mu.Unlock()
}

// Ack deletes the outbox entries up to and including seq: the server has
// applied them.
func (s *Store) Ack(seq uint64) error {
	err := s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		acked := getUint(meta, keyAcked)
		seq = min(seq, getUint(meta, keyOutSeq))
		if seq <= acked {
			return nil
		}
		if seq == getUint(meta, keyOutSeq) {
			// Everything is acknowledged, the usual case after a sync:
			// dropping the bucket is cheaper than deleting key by key.
			if err := tx.DeleteBucket(bucketOutbox); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(bucketOutbox); err != nil {
				return err
			}
			s.dropOutboxCache()
			return putUint(meta, keyAcked, seq)
		}
		// An entry covers the sequences up to the next entry's key, so it
		// goes once that key is at most seq+1. The entry holding seq+1
		// stays, and Outbox skips its acknowledged changes.
		var done [][]byte
		c := tx.Bucket(bucketOutbox).Cursor()
		k, _ := c.First()
		for k != nil {
			next, _ := c.Next()
			if next == nil || binary.BigEndian.Uint64(next) > seq+1 {
				break
			}
			done = append(done, append([]byte(nil), k...))
			k = next
		}
		outbox := tx.Bucket(bucketOutbox)
		for _, k := range done {
			if err := outbox.Delete(k); err != nil {
				return err
			}
		}
		return putUint(meta, keyAcked, seq)
	})
	if err != nil {
		return fmt.Errorf("deleting acknowledged outbox entries: %w", err)
	}
	s.publish(Event{Sync: true})
	return nil
}

// Cursor returns the change-log sequence up to which pulled changes are applied.
func (s *Store) Cursor() uint64 {
	var v uint64
	_ = s.view(func(tx *bolt.Tx) error {
		v = getUint(tx.Bucket(bucketMeta), keyCursor)
		return nil
	})
	return v
}

// ApplyPage merges pulled changes and moves the cursor in one transaction.
// It takes changes of the device's college and of the province records
// every device pulls (pulledScope). A page with any other change is
// rejected whole: the server filters by scope, so one arriving here means
// something is wrong.
func (s *Store) ApplyPage(changes []changeset.Change, cursor uint64) error {
	college := s.college()
	var touched []*changeset.State
	err := s.update(func(tx *bolt.Tx) error {
		states := map[string]*changeset.State{}
		for _, c := range changes {
			if !pulledScope(college, c) {
				return fmt.Errorf("%w: %s %s of scope %s", ErrScope, c.Kind, c.ID, c.Scope)
			}
			if err := changeset.Validate(c, changeset.DefaultLimits); err != nil {
				return err
			}
			key := string(recordKey(c.Kind, c.ID))
			st, ok := states[key]
			if !ok {
				var err error
				if st, err = s.loadState(tx, c.Kind, c.ID, c.Scope); err != nil {
					return err
				}
				states[key] = st
			}
			if st.Apply(c) && c.Field == record.FieldPerson {
				if err := indexByPerson(tx, c); err != nil {
					return err
				}
			}
		}
		if err := s.eraseInPage(tx, states); err != nil {
			return err
		}
		// Writing in key order keeps bbolt from shifting keys inside its
		// nodes, which random order does on every insert.
		keys := make([]string, 0, len(states))
		for key := range states {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for _, key := range keys {
			st := states[key]
			if err := s.putState(tx, st); err != nil {
				return err
			}
			touched = append(touched, st)
		}
		return putUint(tx.Bucket(bucketMeta), keyCursor, cursor)
	})
	if err != nil {
		return fmt.Errorf("applying pulled page: %w", err)
	}
	var newest changeset.Change
	for _, c := range changes {
		if c.Stamp > newest.Stamp {
			newest = c
		}
	}
	if err := s.clock.Observe(newest.Stamp); err != nil {
		return err
	}
	for _, st := range touched {
		s.index.update(st)
	}
	s.publish(Event{Remote: len(changes) > 0, Sync: true})
	return nil
}

// LastSync returns when the last complete sync ended, zero if never.
func (s *Store) LastSync() time.Time {
	var v uint64
	_ = s.view(func(tx *bolt.Tx) error {
		v = getUint(tx.Bucket(bucketMeta), keyLastSync)
		return nil
	})
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(v))
}

// SetLastSync records when a sync ended, and compacts the file when the
// sync erased persons.
func (s *Store) SetLastSync(t time.Time) error {
	err := s.update(func(tx *bolt.Tx) error {
		return putUint(tx.Bucket(bucketMeta), keyLastSync, uint64(t.UnixMilli()))
	})
	if err == nil {
		err = s.compactAfterErasure()
	}
	s.publish(Event{Sync: true})
	return err
}

// Epoch returns the server epoch this store last synced with.
func (s *Store) Epoch() string {
	var v string
	_ = s.view(func(tx *bolt.Tx) error {
		v = string(tx.Bucket(bucketMeta).Get(keyEpoch))
		return nil
	})
	return v
}

// SetEpoch records the server epoch.
func (s *Store) SetEpoch(epoch string) error {
	return s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyEpoch, []byte(epoch))
	})
}

// Check runs bbolt's consistency check; tests call it after each run.
func (s *Store) Check() error {
	return s.view(func(tx *bolt.Tx) error {
		var first error
		for err := range tx.Check() {
			if first == nil {
				first = err
			}
		}
		return first
	})
}

// serverDevice is the device id of the conflict items the server makes.
const serverDevice = "server"

// Rebase prepares the store for a server restored from a backup, which has
// a new epoch and may lack changes this device pushed after the backup. In
// one transaction it replaces the outbox with one entry per field this
// device wrote last and per field of the conflict items the server made.
// The entries are numbered after serverAcked, the restored server's
// high-water mark for this device. It also resets the pull cursor, so the
// restored log is pulled from the start, and records the new epoch. It
// returns the number of changes queued.
func (s *Store) Rebase(epoch string, serverAcked uint64) (int, error) {
	queued := 0
	err := s.update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketOutbox); err != nil {
			return err
		}
		if _, err := tx.CreateBucket(bucketOutbox); err != nil {
			return err
		}
		seq := serverAcked
		err := tx.Bucket(bucketRecords).ForEach(func(k, v []byte) error {
			var id ulid.ULID
			copy(id[:], k[1:])
			plain, err := s.keysOpen(bucketRecords, k, v)
			if err != nil {
				return err
			}
			st, err := changeset.DecodeState(record.Kind(k[0]), id, plain)
			if err != nil {
				return err
			}
			var again []changeset.Change
			for _, c := range st.Changes() {
				serverItem := c.Kind == record.KindConflict && c.Device == serverDevice
				if c.Device != s.device && !serverItem {
					continue
				}
				// The server refuses province records from a role that
				// may not write them, replays included.
				if st.Scope == record.ProvinceScope && !s.mayWriteProvince() {
					continue
				}
				seq++
				c.Seq = seq
				// Prev equal to Stamp marks a write supplied again, which
				// the server does not take for a new edit.
				c.Prev = c.Stamp
				again = append(again, c)
			}
			queued += len(again)
			return s.putOutbox(tx, again)
		})
		if err != nil {
			return err
		}
		meta := tx.Bucket(bucketMeta)
		for key, v := range map[string]uint64{string(keyOutSeq): seq, string(keyAcked): serverAcked, string(keyCursor): 0} {
			if err := putUint(meta, []byte(key), v); err != nil {
				return err
			}
		}
		return meta.Put(keyEpoch, []byte(epoch))
	})
	if err != nil {
		return 0, fmt.Errorf("rebasing on epoch %s: %w", epoch, err)
	}
	s.log.Warn("server epoch changed, own changes queued again", "epoch", epoch, "queued", queued)
	s.publish(Event{Sync: true})
	return queued, nil
}
