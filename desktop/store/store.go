// Package store keeps the desktop client's records in a bbolt file: the
// records as per-field registers, the outbox of changes waiting to be pushed,
// the pull cursor and the device's identity.
//
// Every local edit writes the record and its outbox entries in one
// transaction, and every pulled page is applied together with its cursor, so
// a crash at any point leaves either both or neither.
package store

import (
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// Errors returned by the store.
var (
	// ErrNotEnrolled is returned by edits made before the device is
	// enrolled, because a record needs the college it belongs to.
	ErrNotEnrolled = errors.New("device not enrolled")
	// ErrNotFound is returned when a record id is not in the store.
	ErrNotFound = errors.New("record not found")
	// ErrScope is returned when a pulled change names another college.
	ErrScope = errors.New("change outside this device's college")
)

var (
	bucketMeta     = []byte("meta")
	bucketRecords  = []byte("records")   // kind byte + ULID → encoded state
	bucketOutbox   = []byte("outbox")    // big-endian seq → encoded change
	bucketByPerson = []byte("by_person") // person ULID + kind + record ULID → nothing

	keyIdentity = []byte("identity")
	keyDevice   = []byte("device")
	keyClock    = []byte("clock")
	keyOutSeq   = []byte("outbox_seq") // last outbox sequence written
	keyAcked    = []byte("acked")      // last outbox sequence the server acknowledged
	keyCursor   = []byte("cursor")
	keyLastSync = []byte("last_sync")
	keyEpoch    = []byte("epoch")
)

// Identity is the device identity that enrolment stores.
type Identity struct {
	Device      string             `json:"device"`
	College     string             `json:"college"`      // college code, the device's scope
	CollegeName string             `json:"college_name"` // for display
	Server      string             `json:"server"`       // base URL, ws:// or http://
	Role        string             `json:"role"`
	PrivateKey  ed25519.PrivateKey `json:"private_key"`
	// Fingerprint is the SHA-256 of the server's TLS certificate, from the
	// enrolment code; the client refuses a server that shows another.
	Fingerprint []byte `json:"fingerprint,omitempty"`
}

// Event is a notice to subscribers of the kind of change committed.
type Event struct {
	Local  bool // a local edit added outbox entries
	Remote bool // pulled changes were applied
	Sync   bool // sync state changed: outbox acked or cursor moved
}

// Store is an open client store. It is safe for concurrent use.
type Store struct {
	db     *boltHandle // compactAfterErasure replaces the file behind it
	clock  *hlc.Clock
	log    *slog.Logger
	device string

	mu     sync.Mutex
	ident  *Identity          // guarded by mu
	subs   map[int]chan Event // guarded by mu
	nextID int                // guarded by mu
	index  *searchIndex       // has its own lock
}

// Options tune Open. The zero value is ready to use.
type Options struct {
	Now    func() time.Time // clock source; time.Now when nil
	Logger *slog.Logger     // discards when nil
}

// Open opens or creates the store at path. Only one process may have a
// store open; a second Open waits up to a second, then fails.
func Open(path string, opts Options) (*Store, error) {
	// No InitialMmapSize: on Windows bbolt grows the file to the map size,
	// and campus PCs should not carry a mostly empty file.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	s := &Store{db: &boltHandle{db: db}, log: opts.Logger, subs: map[int]chan Event{}, index: newSearchIndex()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	s.clock, err = hlc.New(opts.Now, clockPersister{s.db})
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := s.loadIndex(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) init() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketRecords, bucketOutbox, bucketByPerson} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("creating bucket %s: %w", b, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if dev := meta.Get(keyDevice); dev != nil {
			s.device = string(dev)
		} else {
			// The device id is made once, before enrolment, so that edits made
			// offline can already carry it.
			s.device = ulid.Make().String()
			if err := meta.Put(keyDevice, []byte(s.device)); err != nil {
				return err
			}
		}
		if raw := meta.Get(keyIdentity); raw != nil {
			var id Identity
			if err := json.Unmarshal(raw, &id); err != nil {
				return fmt.Errorf("reading identity: %w", err)
			}
			s.ident = &id
		}
		return nil
	})
}

// Close closes the store. It is safe to call more than once.
func (s *Store) Close() error {
	s.mu.Lock()
	for id, ch := range s.subs {
		close(ch)
		delete(s.subs, id)
	}
	s.mu.Unlock()
	return s.db.Close()
}

// Path returns the file the store keeps its data in.
func (s *Store) Path() string { return s.db.Path() }

// Device returns this device's id.
func (s *Store) Device() string { return s.device }

// Clock returns the store's hybrid logical clock.
func (s *Store) Clock() *hlc.Clock { return s.clock }

// Identity returns the enrolment identity, and false before enrolment.
func (s *Store) Identity() (Identity, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ident == nil {
		return Identity{}, false
	}
	return *s.ident, true
}

// SetIdentity stores the enrolment identity. Its Device must be this
// store's device id.
func (s *Store) SetIdentity(id Identity) error {
	if id.Device != s.device {
		return fmt.Errorf("identity for device %s, store is device %s", id.Device, s.device)
	}
	raw, err := json.Marshal(id)
	if err != nil {
		return err
	}
	// NOTE: the private key is stored in the clear; wrapping it with an
	// account password is part of encryption at rest, not built yet.
	err = s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyIdentity, raw)
	})
	if err != nil {
		return fmt.Errorf("saving identity: %w", err)
	}
	s.mu.Lock()
	s.ident = &id
	s.mu.Unlock()
	s.publish(Event{Sync: true})
	return nil
}

// Subscribe returns a channel that receives an event after each committed
// change, coalescing events the reader has not taken yet, and a function
// that ends the subscription.
func (s *Store) Subscribe() (<-chan Event, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan Event, 1)
	id := s.nextID
	s.nextID++
	s.subs[id] = ch
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if c, ok := s.subs[id]; ok {
			close(c)
			delete(s.subs, id)
		}
	}
}

func (s *Store) publish(ev Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ch := range s.subs {
		select {
		case ch <- ev:
		default:
			// The reader has an event pending; merge this one into it.
			select {
			case old := <-ch:
				ev.Local = ev.Local || old.Local
				ev.Remote = ev.Remote || old.Remote
				ev.Sync = ev.Sync || old.Sync
			default:
			}
			select {
			case ch <- ev:
			default:
			}
		}
	}
}

func recordKey(kind record.Kind, id ulid.ULID) []byte {
	k := make([]byte, 1+len(id))
	k[0] = byte(kind)
	copy(k[1:], id[:])
	return k
}

func seqKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, seq)
}

func getUint(b *bolt.Bucket, key []byte) uint64 {
	v := b.Get(key)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func putUint(b *bolt.Bucket, key []byte, v uint64) error {
	return b.Put(key, binary.BigEndian.AppendUint64(nil, v))
}

// clockPersister keeps the clock's ceiling in the meta bucket.
type clockPersister struct{ db *boltHandle }

func (p clockPersister) LoadStamp() (hlc.Stamp, error) {
	var st hlc.Stamp
	err := p.db.View(func(tx *bolt.Tx) error {
		st = hlc.Stamp(getUint(tx.Bucket(bucketMeta), keyClock))
		return nil
	})
	return st, err
}

func (p clockPersister) SaveStamp(st hlc.Stamp) error {
	return p.db.Update(func(tx *bolt.Tx) error {
		return putUint(tx.Bucket(bucketMeta), keyClock, uint64(st))
	})
}

func loadState(tx *bolt.Tx, kind record.Kind, id ulid.ULID, scope string) (*changeset.State, error) {
	raw := tx.Bucket(bucketRecords).Get(recordKey(kind, id))
	if raw == nil {
		return changeset.NewState(kind, id, scope), nil
	}
	return changeset.DecodeState(kind, id, raw)
}

func putState(tx *bolt.Tx, st *changeset.State) error {
	return tx.Bucket(bucketRecords).Put(recordKey(st.Kind, st.ID), changeset.EncodeState(st))
}
