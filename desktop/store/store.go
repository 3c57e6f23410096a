// Package store keeps the desktop client's records in a bbolt file: the
// records as per-field registers, the outbox of changes waiting to be pushed,
// the pull cursor, the device's identity and the local accounts.
//
// Record values, outbox entries and the identity are sealed with a data key
// (see crypto.go), which each local account wraps with a key derived from its
// password (see account.go). A store without accounts keeps the data key in
// the clear in a setup slot until the first account is made.
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
	"sync/atomic"
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
	// ErrScope is returned when a pulled change names another college, or
	// a record kind that does not belong to its scope.
	ErrScope = errors.New("change outside this device's scopes")
	// ErrLocked is returned by reads and writes of sealed data before an
	// account has signed in with Unlock.
	ErrLocked = errors.New("store is locked: sign in with an account first")
)

var (
	bucketMeta     = []byte("meta")
	bucketRecords  = []byte("records")   // kind byte + ULID → encoded state
	bucketOutbox   = []byte("outbox")    // big-endian seq of a save's first change → encoded changes of that save
	bucketByPerson = []byte("by_person") // person ULID + kind + record ULID → nothing

	keyIdentity = []byte("identity")
	keyDevice   = []byte("device")
	keyClock    = []byte("clock")
	keyOutSeq   = []byte("outbox_seq") // last outbox sequence written
	keyAcked    = []byte("acked")      // last outbox sequence the server acknowledged
	keyCursor   = []byte("cursor")
	keyLastSync = []byte("last_sync")
	keyEpoch    = []byte("epoch")
	// keyFormat marks a store that seals its values; a file without it was
	// written before encryption at rest.
	keyFormat = []byte("format")
	// keySetupKey is the data key in the clear while the store has no
	// account. Making the first account deletes it and rewrites the file.
	keySetupKey = []byte("setup_key")
)

// storeFormat is the value of keyFormat this version writes and reads.
const storeFormat = "2"

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
	// TransferKey is the server's X25519 public key that change files are
	// encrypted to, from enrolment or the last sync. Identities stored
	// before it existed have none until the next sync.
	TransferKey []byte `json:"transfer_key,omitempty"`
}

// Event is a notice to subscribers of the kind of change committed.
type Event struct {
	Local  bool // a local edit added outbox entries
	Remote bool // pulled changes were applied
	Sync   bool // sync state changed: outbox acked or cursor moved
}

// Store is an open client store. It is safe for concurrent use.
type Store struct {
	// dbMu guards the db handle, which the rewrite after the first
	// account replaces. Transactions hold it shared through view and update.
	dbMu   sync.RWMutex
	db     *bolt.DB
	clock  *hlc.Clock
	log    *slog.Logger
	now    func() time.Time
	kdf    Argon2Params
	device string
	keys   atomic.Pointer[keyring] // nil while the store is locked

	mu      sync.Mutex
	ident   *Identity          // guarded by mu
	account string             // the signed-in account, "" for none; guarded by mu
	admin   bool               // the signed-in account is an administrator; guarded by mu
	subs    map[int]chan Event // guarded by mu
	nextID  int                // guarded by mu
	index   *searchIndex       // has its own lock
	outbox  outboxCache        // has its own lock
}

// Options tune Open. The zero value is ready to use.
type Options struct {
	Now    func() time.Time // clock source; time.Now when nil
	Logger *slog.Logger     // discards when nil
	// Account and Password sign in to a store that has accounts. When
	// Account is empty such a store opens locked, and Unlock signs in later.
	// A store without accounts ignores both.
	Account  string
	Password string
	// Argon2 is the cost of the password hash for accounts this store
	// makes; the zero value means DefaultArgon2. Tests lower it.
	Argon2 Argon2Params
}

// Open opens or creates the store at path. Only one process may have a
// store open; a second Open waits up to a second, then fails.
//
// A store without accounts opens unlocked. A store with accounts opens
// locked when opts names no account. When opts names one, Open signs it in
// and returns the sign-in error if that fails.
func Open(path string, opts Options) (*Store, error) {
	// No InitialMmapSize: on Windows bbolt grows the file to the map size,
	// and campus PCs should not carry a mostly empty file.
	db, err := bolt.Open(path, 0o600, boltOptions())
	if err != nil {
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	s := &Store{db: db, log: opts.Logger, now: opts.Now, kdf: opts.Argon2,
		subs: map[int]chan Event{}, index: newSearchIndex()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.kdf == (Argon2Params{}) {
		s.kdf = DefaultArgon2
	}
	setupKey, err := s.init()
	if err != nil {
		db.Close()
		return nil, err
	}
	s.clock, err = hlc.New(opts.Now, clockPersister{s})
	if err != nil {
		db.Close()
		return nil, err
	}
	switch {
	case setupKey != nil:
		err = s.unlockWith(setupKey, "", false)
	case opts.Account != "":
		err = s.Unlock(opts.Account, opts.Password)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func boltOptions() *bolt.Options { return &bolt.Options{Timeout: time.Second} }

// init creates the buckets and, for a new file, the device id and the data
// key. It returns the data key of a store without accounts, nil otherwise.
func (s *Store) init() ([]byte, error) {
	var setupKey []byte
	err := s.update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if meta.Get(keyDevice) != nil && string(meta.Get(keyFormat)) != storeFormat {
			return ErrOldFormat
		}
		for _, b := range [][]byte{bucketRecords, bucketOutbox, bucketByPerson, bucketAccounts} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("creating bucket %s: %w", b, err)
			}
		}
		if dev := meta.Get(keyDevice); dev != nil {
			s.device = string(dev)
		} else {
			// The device id is made once, before enrolment, so that edits made
			// offline can already carry it.
			s.device = ulid.Make().String()
			for key, value := range map[string][]byte{
				string(keyDevice): []byte(s.device), string(keyFormat): []byte(storeFormat),
				string(keySetupKey): randomBytes(dataKeySize),
			} {
				if err := meta.Put([]byte(key), value); err != nil {
					return err
				}
			}
		}
		if key := meta.Get(keySetupKey); key != nil {
			setupKey = append([]byte(nil), key...)
		} else if tx.Bucket(bucketAccounts).Stats().KeyN == 0 {
			return errors.New("store has neither accounts nor a setup key")
		}
		return nil
	})
	return setupKey, err
}

// unlockWith installs the data key, signs the account in and loads what
// needs the key: the identity and the search index.
func (s *Store) unlockWith(dataKey []byte, account string, admin bool) error {
	keys, err := newKeyring(dataKey)
	if err != nil {
		return err
	}
	first := s.keys.Load() == nil
	s.keys.Store(keys)
	s.mu.Lock()
	s.account, s.admin = account, admin
	s.mu.Unlock()
	s.index.setHash(keys.idHash)
	if !first {
		return nil
	}
	var ident *Identity
	err = s.view(func(tx *bolt.Tx) error {
		raw, err := s.getSealed(tx, bucketMeta, keyIdentity)
		if err != nil || raw == nil {
			return err
		}
		ident = &Identity{}
		if err := json.Unmarshal(raw, ident); err != nil {
			return fmt.Errorf("reading identity: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.ident = ident
	s.mu.Unlock()
	return s.loadIndex()
}

// Locked reports whether no account has signed in to a store with accounts.
func (s *Store) Locked() bool { return s.keys.Load() == nil }

// Close closes the store. It is safe to call more than once.
func (s *Store) Close() error {
	s.mu.Lock()
	for id, ch := range s.subs {
		close(ch)
		delete(s.subs, id)
	}
	s.mu.Unlock()
	s.dbMu.RLock()
	defer s.dbMu.RUnlock()
	return s.db.Close()
}

// view runs a read-only transaction on the current db handle.
func (s *Store) view(fn func(*bolt.Tx) error) error {
	s.dbMu.RLock()
	defer s.dbMu.RUnlock()
	return s.db.View(fn)
}

// update runs a read-write transaction on the current db handle.
func (s *Store) update(fn func(*bolt.Tx) error) error {
	s.dbMu.RLock()
	defer s.dbMu.RUnlock()
	return s.db.Update(fn)
}

// getSealed returns the opened value under bucket and key, nil when absent.
func (s *Store) getSealed(tx *bolt.Tx, bucket, key []byte) ([]byte, error) {
	raw := tx.Bucket(bucket).Get(key)
	if raw == nil {
		return nil, nil
	}
	return s.keysOpen(bucket, key, raw)
}

// keysOpen opens a sealed value read with a cursor.
func (s *Store) keysOpen(bucket, key, sealed []byte) ([]byte, error) {
	keys := s.keys.Load()
	if keys == nil {
		return nil, ErrLocked
	}
	plain, err := keys.open(bucket, key, sealed)
	if err != nil {
		return nil, fmt.Errorf("reading %s entry: %w", bucket, err)
	}
	return plain, nil
}

// putSealed seals value and stores it under bucket and key.
func (s *Store) putSealed(tx *bolt.Tx, bucket, key, value []byte) error {
	keys := s.keys.Load()
	if keys == nil {
		return ErrLocked
	}
	return tx.Bucket(bucket).Put(key, keys.seal(bucket, key, value))
}

// Path returns the file the store keeps its data in.
func (s *Store) Path() string {
	s.dbMu.RLock()
	defer s.dbMu.RUnlock()
	return s.db.Path()
}

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
	// The identity holds the device's private key, so it is sealed.
	err = s.update(func(tx *bolt.Tx) error {
		return s.putSealed(tx, bucketMeta, keyIdentity, raw)
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
type clockPersister struct{ s *Store }

func (p clockPersister) LoadStamp() (hlc.Stamp, error) {
	var st hlc.Stamp
	err := p.s.view(func(tx *bolt.Tx) error {
		st = hlc.Stamp(getUint(tx.Bucket(bucketMeta), keyClock))
		return nil
	})
	return st, err
}

func (p clockPersister) SaveStamp(st hlc.Stamp) error {
	return p.s.update(func(tx *bolt.Tx) error {
		return putUint(tx.Bucket(bucketMeta), keyClock, uint64(st))
	})
}

// loadState returns a record's state, or a new empty state when the store
// does not have it.
func (s *Store) loadState(tx *bolt.Tx, kind record.Kind, id ulid.ULID, scope string) (*changeset.State, error) {
	st, err := s.getState(tx, kind, id)
	if err != nil || st != nil {
		return st, err
	}
	return changeset.NewState(kind, id, scope), nil
}

// eachState calls fn with the state of every record of kind, in ULID order.
func (s *Store) eachState(tx *bolt.Tx, kind record.Kind, fn func(*changeset.State) error) error {
	c := tx.Bucket(bucketRecords).Cursor()
	prefix := byte(kind)
	for k, v := c.Seek([]byte{prefix}); k != nil && k[0] == prefix; k, v = c.Next() {
		var id ulid.ULID
		copy(id[:], k[1:])
		plain, err := s.keysOpen(bucketRecords, k, v)
		if err != nil {
			return err
		}
		st, err := changeset.DecodeState(kind, id, plain)
		if err != nil {
			return err
		}
		if err := fn(st); err != nil {
			return err
		}
	}
	return nil
}

// getState returns a record's state, nil when the store does not have it.
func (s *Store) getState(tx *bolt.Tx, kind record.Kind, id ulid.ULID) (*changeset.State, error) {
	raw, err := s.getSealed(tx, bucketRecords, recordKey(kind, id))
	if err != nil || raw == nil {
		return nil, err
	}
	return changeset.DecodeState(kind, id, raw)
}

func (s *Store) putState(tx *bolt.Tx, st *changeset.State) error {
	return s.putSealed(tx, bucketRecords, recordKey(st.Kind, st.ID), changeset.EncodeState(st))
}

// putOutbox seals the changes of one save as one outbox entry, keyed by the
// sequence of its first change. Their sequences must be consecutive: an
// entry covers the sequences from its key up to the next entry's key.
func (s *Store) putOutbox(tx *bolt.Tx, changes []changeset.Change) error {
	if len(changes) == 0 {
		return nil
	}
	return s.putSealed(tx, bucketOutbox, seqKey(changes[0].Seq), changeset.Encode(changes))
}
