package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// bucketRefused holds the changes the server refused, until the user
// dismisses them: big-endian outbox seq + record ULID + field → JSON
// RefusedChange. The seq alone is not unique, because a restored server
// makes the device number its outbox again.
var bucketRefused = []byte("refused")

// RefusedChange is a change of this device that the server refused. Its
// value stays in the local record; the server and other devices do not
// have it.
type RefusedChange struct {
	Seq    uint64        `json:"seq"` // the change's outbox sequence
	Kind   record.Kind   `json:"kind"`
	Record string        `json:"record"` // the record's ULID
	Field  string        `json:"field"`
	Reason protocol.Code `json:"reason"` // CodeScope, CodeRole, CodeInvalid or CodeErased
	At     time.Time     `json:"at"`     // when the ack that refused it arrived
}

func refusedKey(seq uint64, recordID, field string) []byte {
	k := seqKey(seq)
	k = append(k, recordID...)
	k = append(k, 0)
	return append(k, field...)
}

// SaveRefused stores the refusals of an ack, received at. Saving the same
// refusal again, from a repeated push, keeps one copy. In the same
// transaction it drops the province records the pool never accepted
// (dropRefusedProvince).
func (s *Store) SaveRefused(refused []protocol.Refusal, at time.Time) error {
	if len(refused) == 0 {
		return nil
	}
	err := s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketRefused)
		if err != nil {
			return err
		}
		for _, r := range refused {
			raw, err := json.Marshal(RefusedChange{Seq: r.Seq, Kind: record.Kind(r.Kind), Record: r.Record,
				Field: r.Field, Reason: r.Reason, At: at})
			if err != nil {
				return err
			}
			if err := b.Put(refusedKey(r.Seq, r.Record, r.Field), raw); err != nil {
				return err
			}
		}
		return s.dropRefusedProvince(tx, refused)
	})
	if err != nil {
		return fmt.Errorf("saving %d refused changes: %w", len(refused), err)
	}
	s.publish(Event{Sync: true})
	return nil
}

// Refused returns the refused changes not yet dismissed, newest first.
func (s *Store) Refused() ([]RefusedChange, error) {
	var out []RefusedChange
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRefused)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var r RefusedChange
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("reading refused change %x: %w", k, err)
			}
			out = append(out, r)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.After(out[j].At)
		}
		return out[i].Seq > out[j].Seq
	})
	return out, err
}

// RefusedCount returns the number of refused changes not yet dismissed.
func (s *Store) RefusedCount() int {
	n := 0
	_ = s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketRefused); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	return n
}

// DismissRefused removes a refused change from the list once the user has
// seen it. The local record keeps the value.
func (s *Store) DismissRefused(r RefusedChange) error {
	key := refusedKey(r.Seq, r.Record, r.Field)
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRefused)
		if b == nil || !bytes.Equal(firstKey(b, key), key) {
			return fmt.Errorf("refused change %d of %s: %w", r.Seq, r.Record, ErrNotFound)
		}
		return b.Delete(key)
	})
	if err != nil {
		return fmt.Errorf("dismissing refused change: %w", err)
	}
	s.publish(Event{Sync: true})
	return nil
}

// firstKey returns the first key of b at or after key.
func firstKey(b *bolt.Bucket, key []byte) []byte {
	k, _ := b.Cursor().Seek(key)
	return k
}
