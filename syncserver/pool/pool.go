// Package pool is the provincial talent pool: the server's bbolt store of
// every record's registers, the change log devices pull from, and the
// enrolled devices with their acknowledged outbox sequence.
package pool

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/access"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// Errors returned by the pool.
var (
	// ErrUnknownDevice is returned for a device id that was never enrolled.
	ErrUnknownDevice = errors.New("unknown device")
	// ErrEnrolCode is returned for an enrolment code that does not exist,
	// was used already or has expired.
	ErrEnrolCode = errors.New("invalid or expired enrolment code")
	// ErrRevoked is returned by EnrolFor and ApplyPush for a device the
	// central office has revoked.
	ErrRevoked = errors.New("device revoked")
	// ErrScope is returned when a push changes a record of another college
	// than the device's, or carries another device's changes.
	ErrScope = errors.New("change outside the device's scope")
	// ErrSequence is returned when a push starts after a gap in the
	// device's outbox sequence.
	ErrSequence = errors.New("push leaves a gap in the outbox sequence")
	// ErrOtherCollege is returned by EnrolFor for a code of another college
	// than the one the device's records belong to.
	ErrOtherCollege = errors.New("enrolment code of another college")
	// ErrInvalid is returned for a push whose changes are not allowed.
	ErrInvalid = errors.New("invalid push")
	// ErrDeviceKnown is returned by EnrolFor for a device id enrolled
	// already when the request's proof is missing or not signed with the
	// device's registered key.
	ErrDeviceKnown = protocol.ErrDeviceKnown
)

var (
	bucketMeta     = []byte("meta")
	bucketRecords  = []byte("records")   // kind + ULID → encoded state
	bucketLog      = []byte("log")       // big-endian seq → encoded changes of one scope
	bucketScopeLog = []byte("scope_log") // scope + 0 + big-endian seq → id of the entry's sole device, or empty
	bucketDevices  = []byte("devices")   // device id → JSON Device
	bucketEnrol    = []byte("enrol")     // SHA-256 of a code's secret → JSON enrolment
	// bucketScopeRecords lists each scope's records for snapshots:
	// scope + 0 + kind + ULID → nothing.
	bucketScopeRecords = []byte("scope_records")
	// bucketRecordSeq holds the log sequence of each record's last change:
	// kind + ULID → big-endian seq. Compaction reads it.
	bucketRecordSeq = []byte("record_seq")
	// bucketPurged keeps deleted records that compaction moved out of the
	// records, so a late edit still becomes a conflict: kind + ULID → the
	// encoded state.
	bucketPurged = []byte("purged")

	keyEpoch      = []byte("epoch")
	keyLogSeq     = []byte("log_seq")
	keyLogChanges = []byte("log_changes")
)

// Device is an enrolled device as the pool keeps it.
type Device struct {
	ID            string            `json:"id"`
	College       string            `json:"college"`
	Role          string            `json:"role"`
	PublicKey     ed25519.PublicKey `json:"public_key"`
	EnrolledAt    time.Time         `json:"enrolled_at"`
	Acked         uint64            `json:"acked"` // highest outbox sequence applied
	LastContact   time.Time         `json:"last_contact"`
	ClientVersion string            `json:"client_version"`
	LastError     string            `json:"last_error,omitempty"` // detail of the last connection's failure
	// LastErrorCode is the category of LastError: a protocol.Code, or
	// "timeout" or "connection" for a network failure.
	LastErrorCode string `json:"last_error_code,omitempty"`
	SkewMillis    int64  `json:"skew_ms"` // device clock minus server clock
	Pulled        uint64 `json:"pulled"`  // log sequence the device has pulled up to
	Pending       int    `json:"pending"` // outbox entries it reported at its last contact
	// RevokedAt is when the central office revoked the device; zero while
	// it may sync.
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	// PreviousKeys are the keys that re-enrolments with proof replaced,
	// oldest first. They verify only change files exported before a
	// re-enrolment. A connection must sign with PublicKey.
	PreviousKeys []ed25519.PublicKey `json:"previous_keys,omitempty"`
}

// CheckDeviceID returns an error wrapping ErrInvalid unless id is a ULID in
// its canonical text form: 26 characters of upper-case Crockford base32, as
// ulid.ULID.String writes it. Device ids are bbolt keys and compared as
// strings, so the lower-case form of an enrolled id would name another
// device although it parses to the same ULID.
func CheckDeviceID(id string) error {
	parsed, err := ulid.ParseStrict(id)
	if err != nil {
		return fmt.Errorf("%w: device id: %v", ErrInvalid, err)
	}
	if parsed.String() != id {
		return fmt.Errorf("%w: device id %q is not in canonical upper-case form", ErrInvalid, id)
	}
	return nil
}

// Revoked reports whether the central office has revoked the device.
func (d Device) Revoked() bool { return !d.RevokedAt.IsZero() }

type enrolment struct {
	College   string    `json:"college"`
	Role      string    `json:"role"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Pool is an open pool. It is safe for concurrent use.
type Pool struct {
	db    *bolt.DB
	log   *slog.Logger
	now   func() time.Time
	epoch string
	// vault holds the per-person keys that seal personal values.
	vault *Vault
	// erasedSinceCompact is set when a key was destroyed and the lookup
	// key not rotated or the vault file not compacted since.
	erasedSinceCompact atomic.Bool
	// indexMu makes readers of the ID number index wait while
	// rotateLookupKey swaps the lookup key and rebuilds the index.
	indexMu sync.RWMutex

	unreadableMu sync.Mutex
	unreadable   map[ulid.ULID]bool // guarded by unreadableMu; persons noteUnreadable logged

	mu      sync.Mutex
	waiters map[chan struct{}]struct{} // guarded by mu
}

// Options tune Open. The zero value is ready to use.
type Options struct {
	Now     func() time.Time
	Logger  *slog.Logger
	NoSync  bool          // skip fsync on commit; for benchmarks of CPU cost only
	Timeout time.Duration // how long Open waits for another process's lock; 1 s when zero
	// MasterKey is the vault's 32-byte master key. When nil, Open takes it
	// from LoadMasterKey on the pool file's folder.
	MasterKey []byte
}

// Open opens or creates the pool file at path.
func Open(path string, opts Options) (*Pool, error) {
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = time.Second
	}
	// A large initial map saves the remaps bbolt makes while a fresh pool
	// grows. On Windows bbolt would also grow the file to this size.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, NoSync: opts.NoSync, InitialMmapSize: 1 << 30})
	if err != nil {
		return nil, fmt.Errorf("opening pool %s: %w", path, err)
	}
	// Pushes that arrive within this delay share a transaction, because
	// ApplyPush uses bbolt's Batch. bbolt's default of 10 ms cost a lone
	// device's push more than the fsync it saves.
	db.MaxBatchDelay = 2 * time.Millisecond
	p := &Pool{db: db, log: opts.Logger, now: opts.Now, waiters: map[chan struct{}]struct{}{},
		unreadable: map[ulid.ULID]bool{}}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.vault, err = openVaultBeside(path, opts.MasterKey, timeout); err != nil {
		db.Close()
		return nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketRecords, bucketLog, bucketScopeLog, bucketDevices, bucketEnrol, bucketRecordSeq, bucketPurged} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		if tx.Bucket(bucketScopeRecords) == nil {
			// Pools written before snapshots existed get the index once.
			if err := indexScopeRecords(tx); err != nil {
				return fmt.Errorf("indexing records by college: %w", err)
			}
		}
		if err := p.checkIDIndex(tx); err != nil {
			return err
		}
		meta := tx.Bucket(bucketMeta)
		if e := meta.Get(keyEpoch); e != nil {
			p.epoch = string(e)
			return nil
		}
		p.epoch = ulid.Make().String()
		return meta.Put(keyEpoch, []byte(p.epoch))
	})
	if err == nil {
		err = p.reconcileErasures()
	}
	if err != nil {
		p.vault.Close()
		db.Close()
		return nil, fmt.Errorf("initialising pool: %w", err)
	}
	return p, nil
}

// openVaultBeside opens the key vault in the pool file's folder.
func openVaultBeside(poolPath string, master []byte, timeout time.Duration) (*Vault, error) {
	dir := filepath.Dir(poolPath)
	if master == nil {
		var err error
		if master, err = LoadMasterKey(dir); err != nil {
			return nil, err
		}
	}
	return OpenVault(filepath.Join(dir, VaultFile), master, timeout)
}

// Close closes the pool file and the key vault.
func (p *Pool) Close() error {
	verr := p.vault.Close()
	if err := p.db.Close(); err != nil {
		return err
	}
	return verr
}

// Epoch returns the pool's epoch id, made when the pool file was created.
func (p *Pool) Epoch() string { return p.epoch }

// Changed returns a channel closed at the next commit that appends to the
// change log. Call it again after each wake-up.
func (p *Pool) Changed() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	ch := make(chan struct{})
	p.waiters[ch] = struct{}{}
	return ch
}

func (p *Pool) wake() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for ch := range p.waiters {
		close(ch)
		delete(p.waiters, ch)
	}
}

// CreateEnrolment stores a one-time enrolment for a device of college (a
// fair's access.FairScope for the fair role) with role, valid for ttl, and returns the code's secret, hex encoded. The
// pool keeps only the secret's SHA-256, so a copy of the pool file cannot
// enrol a device. It deletes the enrolments that have expired meanwhile;
// EnrolFor deletes a code when it is used.
func (p *Pool) CreateEnrolment(college, role string, ttl time.Duration) (string, error) {
	// A fair device gets its fair's scope and every other role a college,
	// so no fair device holds a college's scope.
	if err := access.CheckEnrolScope(access.Role(role), college); err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	secret := protocol.NewEnrolSecret()
	now := p.now()
	raw, err := json.Marshal(enrolment{College: college, Role: role, ExpiresAt: now.Add(ttl)})
	if err != nil {
		return "", err
	}
	err = p.db.Update(func(tx *bolt.Tx) error {
		codes := tx.Bucket(bucketEnrol)
		if err := deleteExpiredEnrolments(codes, now); err != nil {
			return err
		}
		return codes.Put(secretHash(secret), raw)
	})
	if err != nil {
		return "", fmt.Errorf("saving enrolment code: %w", err)
	}
	return hex.EncodeToString(secret), nil
}

// deleteExpiredEnrolments deletes the enrolments of codes that expired
// before now. An entry that cannot be read is deleted too, because no code
// could use it.
func deleteExpiredEnrolments(codes *bolt.Bucket, now time.Time) error {
	var expired [][]byte
	err := codes.ForEach(func(k, v []byte) error {
		var e enrolment
		if json.Unmarshal(v, &e) != nil || now.After(e.ExpiresAt) {
			expired = append(expired, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range expired {
		if err := codes.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func secretHash(secret []byte) []byte {
	sum := sha256.Sum256(secret)
	return sum[:]
}

// Enrol uses a one-time code's secret, as CreateEnrolment returned it, to
// register a new device and its public key.
func (p *Pool) Enrol(secret, device string, key ed25519.PublicKey, clientVersion string) (Device, error) {
	return p.EnrolFor(secret, device, key, clientVersion, "", nil)
}

// EnrolFor is Enrol for a device whose records belong to college: a code of
// another college is refused. An empty college accepts any.
//
// A device id the pool has enrolled is re-enrolled only when proof is the
// signature of protocol.EnrolProofMessage(secret, key) by the device's
// registered key, and only with a code of the device's college. Otherwise
// EnrolFor returns ErrDeviceKnown or ErrOtherCollege, so a code alone cannot
// take over another device. A revoked device id returns ErrRevoked. Each of
// these refusals leaves the code unused.
func (p *Pool) EnrolFor(secret, device string, key ed25519.PublicKey, clientVersion, college string, proof []byte) (Device, error) {
	if len(key) != ed25519.PublicKeySize {
		return Device{}, fmt.Errorf("%w: public key of %d bytes", ErrInvalid, len(key))
	}
	if err := CheckDeviceID(device); err != nil {
		return Device{}, err
	}
	secretBytes, err := hex.DecodeString(secret)
	if err != nil || len(secretBytes) != protocol.EnrolSecretSize {
		p.auditEnrolRefusal(AuditEntry{Device: device, Scope: college, Reason: protocol.CodeEnrol})
		return Device{}, fmt.Errorf("enrolling device %s: %w", device, ErrEnrolCode)
	}
	codeKey := secretHash(secretBytes)
	var d Device
	// refusal is the audit entry of a refused attempt, written after the
	// transaction rolls back; its Reason stays empty for other failures.
	refusal := AuditEntry{Device: device, Scope: college}
	err = p.db.Update(func(tx *bolt.Tx) error {
		codes := tx.Bucket(bucketEnrol)
		raw := codes.Get(codeKey)
		if raw == nil {
			refusal.Reason = protocol.CodeEnrol
			return ErrEnrolCode
		}
		var e enrolment
		if err := json.Unmarshal(raw, &e); err != nil {
			return err
		}
		refusal.Scope, refusal.Role = e.College, e.Role
		if college != "" && e.College != college {
			refusal.Reason = protocol.CodeOtherCollege
			return fmt.Errorf("%w: code for college %s, device records belong to %s", ErrOtherCollege, e.College, college)
		}
		devices := tx.Bucket(bucketDevices)
		if old := devices.Get([]byte(device)); old != nil {
			// Re-enrolling a known device keeps its acknowledged sequence.
			if err := json.Unmarshal(old, &d); err != nil {
				return err
			}
			refusal.Scope, refusal.Role = d.College, d.Role
			if d.Revoked() {
				refusal.Reason = protocol.CodeRevokedDevice
				return fmt.Errorf("%w: revoked at %s", ErrRevoked, d.RevokedAt.UTC().Format(time.RFC3339))
			}
			if len(d.PublicKey) != ed25519.PublicKeySize ||
				!ed25519.Verify(d.PublicKey, protocol.EnrolProofMessage(secretBytes, key), proof) {
				refusal.Reason = protocol.CodeDeviceKnown
				return ErrDeviceKnown
			}
			if e.College != d.College {
				refusal.Reason = protocol.CodeOtherCollege
				return fmt.Errorf("%w: code for college %s, device enrolled with %s", ErrOtherCollege, e.College, d.College)
			}
		}
		if err := codes.Delete(codeKey); err != nil {
			return err
		}
		if p.now().After(e.ExpiresAt) {
			refusal.Reason = ReasonEnrolCodeExpired
			return ErrEnrolCode
		}
		if d.PublicKey != nil && !d.PublicKey.Equal(key) {
			// The proof shows the new key belongs to the device that held
			// the old one, so files the old key signed are still its own.
			d.PreviousKeys = append(d.PreviousKeys, d.PublicKey)
		}
		d.ID, d.College, d.Role, d.PublicKey = device, e.College, e.Role, key
		d.EnrolledAt, d.ClientVersion = p.now(), clientVersion
		if err := p.appendAudit(tx, AuditEntry{Device: device, Role: e.Role, Action: ActionEnrol, Scope: e.College}); err != nil {
			return err
		}
		return putDevice(tx, d)
	})
	if err != nil {
		if refusal.Reason != "" {
			p.auditEnrolRefusal(refusal)
		}
		return Device{}, fmt.Errorf("enrolling device %s: %w", device, err)
	}
	p.log.Info("device enrolled", "device", device, "college", d.College, "role", d.Role)
	return d, nil
}

// ReasonEnrolCodeExpired is the Reason of an ActionEnrolRefused audit
// entry for a code used after it expired. The other reasons are the
// protocol codes the enrolment endpoint returns.
const ReasonEnrolCodeExpired = "enrol_code_expired"

// auditEnrolRefusal writes the audit entry of a refused enrolment, which
// names the device id as the request gave it but never the code. A failed
// write is logged, and the caller still returns the refusal.
//
// NOTE: every refused request appends an entry, so a client that keeps
// guessing codes grows the audit log; the endpoint has no rate limit here.
func (p *Pool) auditEnrolRefusal(e AuditEntry) {
	e.Action = ActionEnrolRefused
	if err := p.Audit(e); err != nil {
		p.log.Error("writing the audit entry of a refused enrolment failed", "device", e.Device, "reason", e.Reason, "err", err)
	}
}

// Revoke marks a device revoked: from the commit on, ApplyPush refuses its
// pushes and EnrolFor its re-enrolment. Revoking a revoked device keeps the
// first time. It returns the device as stored.
func (p *Pool) Revoke(id string) (Device, error) {
	var d Device
	err := p.db.Update(func(tx *bolt.Tx) error {
		var err error
		d, err = getDevice(tx, id)
		if err != nil {
			return err
		}
		if d.Revoked() {
			return nil
		}
		d.RevokedAt = p.now()
		if err := putDevice(tx, d); err != nil {
			return err
		}
		return p.appendAudit(tx, AuditEntry{Action: ActionRevoke, Device: d.ID, Role: d.Role, Scope: d.College})
	})
	if err != nil {
		return Device{}, fmt.Errorf("revoking device %s: %w", id, err)
	}
	p.log.Info("device revoked", "device", id, "college", d.College, "role", d.Role)
	return d, nil
}

// Device returns an enrolled device.
func (p *Pool) Device(id string) (Device, error) {
	var d Device
	err := p.db.View(func(tx *bolt.Tx) error {
		var err error
		d, err = getDevice(tx, id)
		return err
	})
	return d, err
}

// Devices returns every enrolled device.
func (p *Pool) Devices() ([]Device, error) {
	var out []Device
	err := p.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDevices).ForEach(func(_, v []byte) error {
			var d Device
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			out = append(out, d)
			return nil
		})
	})
	return out, err
}

// ReportPending records the outbox size a device reported at its handshake.
func (p *Pool) ReportPending(id string, pending int) error {
	return p.db.Update(func(tx *bolt.Tx) error {
		d, err := getDevice(tx, id)
		if err != nil {
			return err
		}
		d.Pending = pending
		return putDevice(tx, d)
	})
}

// Contact records that a device connected, with its version, clock skew
// and the category and detail of the connection's failure, empty for none.
func (p *Pool) Contact(id, clientVersion string, skew time.Duration, errCode, errDetail string) error {
	return p.db.Update(func(tx *bolt.Tx) error {
		d, err := getDevice(tx, id)
		if err != nil {
			return err
		}
		d.LastContact, d.ClientVersion, d.SkewMillis = p.now(), clientVersion, skew.Milliseconds()
		d.LastErrorCode, d.LastError = errCode, errDetail
		return putDevice(tx, d)
	})
}

func getDevice(tx *bolt.Tx, id string) (Device, error) {
	raw := tx.Bucket(bucketDevices).Get([]byte(id))
	if raw == nil {
		return Device{}, fmt.Errorf("%w: %s", ErrUnknownDevice, id)
	}
	d, err := decodeDevice(raw)
	if err != nil {
		return Device{}, fmt.Errorf("reading device %s: %w", id, err)
	}
	return d, nil
}

func decodeDevice(raw []byte) (Device, error) {
	var d Device
	err := json.Unmarshal(raw, &d)
	return d, err
}

func putDevice(tx *bolt.Tx, d Device) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketDevices).Put([]byte(d.ID), raw)
}

func recordKey(kind record.Kind, id ulid.ULID) []byte {
	k := make([]byte, 1+len(id))
	k[0] = byte(kind)
	copy(k[1:], id[:])
	return k
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

func scopeKey(scope string, seq uint64) []byte {
	k := make([]byte, 0, len(scope)+9)
	k = append(k, scope...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

func putUint(b *bolt.Bucket, key []byte, v uint64) error {
	return b.Put(key, binary.BigEndian.AppendUint64(nil, v))
}

func getUint(b *bolt.Bucket, key []byte) uint64 {
	v := b.Get(key)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// Check runs bbolt's consistency check.
func (p *Pool) Check() error {
	return p.db.View(func(tx *bolt.Tx) error {
		var first error
		for err := range tx.Check() {
			if first == nil {
				first = err
			}
		}
		return first
	})
}
