package pool

import (
	"container/list"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// Files of the key vault in the server's data folder, beside pool.db.
const (
	// VaultFile holds one wrapped key per person. Backups never include it.
	VaultFile = "keys.db"
	// MasterKeyFile holds the master key as 64 hex digits when
	// MasterKeyEnv is not set. LoadMasterKey makes it, with mode 0600.
	MasterKeyFile = "master.key"
	// MasterKeyEnv names the environment variable that gives the master key
	// as 64 hex digits instead of MasterKeyFile.
	MasterKeyEnv = "MF_MASTER_KEY"
)

// Errors returned by the vault.
var (
	// ErrErased is returned for a person whose key was destroyed.
	ErrErased = errors.New("person erased: key destroyed")
	// ErrMasterKey is returned for a master key that is not 32 bytes of hex,
	// or that does not open the keys in keys.db.
	ErrMasterKey = errors.New("invalid master key")
	// ErrMasterKeyFormat wraps ErrMasterKey for a master key that is not
	// 64 hex digits, in MasterKeyEnv or in the master key file.
	ErrMasterKeyFormat = fmt.Errorf("%w: not 64 hex digits", ErrMasterKey)
	// ErrMasterKeyMismatch wraps ErrMasterKey for a well-formed master key
	// that does not unwrap the keys in keys.db.
	ErrMasterKeyMismatch = fmt.Errorf("%w: does not open keys.db", ErrMasterKey)
	// ErrNoKey is returned for a person the vault has no key for and never
	// had, as for a pool restored beside another server's keys.db.
	ErrNoKey = errors.New("no key for person")
	// ErrNoMasterKey is returned by ReadMasterKey when neither MasterKeyEnv
	// nor the master key file exists, and by LoadMasterKey when keys.db
	// exists too, because a new master key would not open it.
	ErrNoMasterKey = errors.New("master key not found")
)

var (
	bucketPersonKeys = []byte("person_keys") // person ULID → nonce + wrapped key
	bucketErasedKeys = []byte("erased")      // person ULID → RFC 3339 time the key was destroyed
	// bucketLookupKey holds the one live key of the ID number index under
	// keyLookup: big-endian generation (8 bytes) + nonce + wrapped key.
	bucketLookupKey = []byte("lookup_key")
	keyLookup       = []byte("current")
)

// The HKDF-SHA256 info string that derives the wrap key from the master
// key, and the additional data of wrapped keys. Changing one makes every
// stored key unreadable.
const (
	infoWrapKey        = "mobilefactory keys.db wrap v1"
	wrapADPrefix       = "mobilefactory person key v1:"
	lookupWrapADPrefix = "mobilefactory id_number lookup key v1:"
)

// keyCacheSize bounds the person keys kept unwrapped in memory: about
// 100 bytes each, so 16,384 keys cost under 2 MB.
const keyCacheSize = 16384

// Vault is the key vault: a bbolt file of per-person 256-bit keys, each
// wrapped with ChaCha20-Poly1305 under a key derived from the master key.
// Destroying a person's key makes every value sealed with it unreadable,
// in pool.db and in its backups alike. It is safe for concurrent use.
type Vault struct {
	path string
	wrap cipher.AEAD

	lookupMu  sync.RWMutex
	lookup    []byte // guarded by lookupMu; HMAC-SHA256 key of the ID number index
	lookupGen uint64 // guarded by lookupMu; generation of lookup, from 1
	// transfer is the X25519 key that opens offline change files.
	transfer *ecdh.PrivateKey

	dbMu sync.RWMutex
	db   *bolt.DB // guarded by dbMu; Compact replaces it

	// erased mirrors bucketErasedKeys, so the check a push makes for each
	// change reads no file. Erasures are rare, so the set stays small.
	erasedMu sync.RWMutex
	erased   map[ulid.ULID]struct{} // guarded by erasedMu

	cacheMu sync.Mutex
	cache   map[ulid.ULID]*list.Element // guarded by cacheMu; values are *cachedKey
	lru     *list.List                  // guarded by cacheMu; front is the most recent
}

type cachedKey struct {
	person ulid.ULID
	aead   cipher.AEAD
}

// ReadMasterKey returns the master key from MasterKeyEnv, or else from
// dataDir/master.key. It returns ErrNoMasterKey when neither exists.
func ReadMasterKey(dataDir string) ([]byte, error) {
	if text, ok := os.LookupEnv(MasterKeyEnv); ok {
		key, err := parseMasterKey(text)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrMasterKeyFormat, MasterKeyEnv, err)
		}
		return key, nil
	}
	path := filepath.Join(dataDir, MasterKeyFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoMasterKey, path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading master key: %w", err)
	}
	key, err := parseMasterKey(string(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrMasterKeyFormat, path, err)
	}
	return key, nil
}

// LoadMasterKey returns the master key as ReadMasterKey does, and makes
// dataDir/master.key with a fresh random key when neither exists. When
// dataDir holds a keys.db but no master key, it returns ErrNoMasterKey and
// writes nothing, because the keys in keys.db need their own master key.
func LoadMasterKey(dataDir string) ([]byte, error) {
	key, err := ReadMasterKey(dataDir)
	if !errors.Is(err, ErrNoMasterKey) {
		return key, err
	}
	if _, statErr := os.Stat(filepath.Join(dataDir, VaultFile)); !errors.Is(statErr, os.ErrNotExist) {
		return nil, fmt.Errorf("%w, but %s exists", err, filepath.Join(dataDir, VaultFile))
	}
	path := filepath.Join(dataDir, MasterKeyFile)
	key = make([]byte, chacha20poly1305.KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	// O_EXCL: two processes starting at once must not write two keys.
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return LoadMasterKey(dataDir)
	}
	if err != nil {
		return nil, fmt.Errorf("creating master key: %w", err)
	}
	_, err = io.WriteString(f, hex.EncodeToString(key)+"\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("writing master key: %w", err)
	}
	return key, nil
}

func parseMasterKey(text string) ([]byte, error) {
	key, err := hex.DecodeString(strings.TrimSpace(text))
	if err != nil {
		return nil, errors.New("not hex")
	}
	if len(key) != chacha20poly1305.KeySize {
		return nil, fmt.Errorf("%d bytes, want %d", len(key), chacha20poly1305.KeySize)
	}
	return key, nil
}

// OpenVault opens or creates the vault file at path with the master key.
func OpenVault(path string, master []byte, timeout time.Duration) (*Vault, error) {
	if len(master) != chacha20poly1305.KeySize {
		return nil, fmt.Errorf("%w: %d bytes", ErrMasterKeyFormat, len(master))
	}
	wrapKey := derive(master, infoWrapKey)
	wrap, err := chacha20poly1305.New(wrapKey)
	if err != nil {
		return nil, err
	}
	v := &Vault{path: path, wrap: wrap, cache: map[ulid.ULID]*list.Element{}, lru: list.New()}
	v.transfer = transferKey(master)
	if v.db, err = openVaultDB(path, timeout); err != nil {
		return nil, err
	}
	if err := v.checkMaster(); err != nil {
		v.db.Close()
		return nil, err
	}
	if err := v.loadLookupKey(); err != nil {
		v.db.Close()
		return nil, err
	}
	if err := v.loadErased(); err != nil {
		v.db.Close()
		return nil, err
	}
	return v, nil
}

func openVaultDB(path string, timeout time.Duration) (*bolt.DB, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	if err != nil {
		return nil, fmt.Errorf("opening key vault %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketPersonKeys, bucketErasedKeys, bucketLookupKey} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("initialising key vault: %w", err)
	}
	return db, nil
}

// checkMaster unwraps one stored key, so a wrong master key fails at start
// rather than at the first pull.
func (v *Vault) checkMaster() error {
	return v.db.View(func(tx *bolt.Tx) error {
		k, wrapped := tx.Bucket(bucketPersonKeys).Cursor().First()
		if k == nil {
			return nil
		}
		var id ulid.ULID
		copy(id[:], k)
		if _, err := v.unwrap(id, wrapped); err != nil {
			return fmt.Errorf("%w: it does not open the keys in %s", ErrMasterKeyMismatch, v.path)
		}
		return nil
	})
}

func derive(master []byte, info string) []byte {
	out := make([]byte, 32)
	if _, err := io.ReadFull(hkdf.New(sha256.New, master, nil, []byte(info)), out); err != nil {
		panic("bug: hkdf read failed: " + err.Error())
	}
	return out
}

// infoTransferKey is the HKDF-SHA256 info string that derives the X25519
// private key of offline change files from the master key. Changing it
// makes every change file in transit unreadable.
const infoTransferKey = "mobilefactory change file transfer key v1"

func transferKey(master []byte) *ecdh.PrivateKey {
	// X25519 accepts any 32 bytes as a private key, because it clamps them.
	key, err := ecdh.X25519().NewPrivateKey(derive(master, infoTransferKey))
	if err != nil {
		panic("bug: X25519 rejected a 32-byte key: " + err.Error())
	}
	return key
}

// TransferKey returns the server's X25519 private key for offline change
// files, derived from the master key. Devices encrypt their change files to
// its public key, so a server with another master key cannot read them.
func (v *Vault) TransferKey() *ecdh.PrivateKey { return v.transfer }

// TransferKey returns the X25519 private key that opens the change files
// devices write for this server (see Vault.TransferKey).
func (p *Pool) TransferKey() *ecdh.PrivateKey { return p.vault.TransferKey() }

// Close closes the vault file.
func (v *Vault) Close() error {
	v.dbMu.Lock()
	defer v.dbMu.Unlock()
	return v.db.Close()
}

// LookupHash returns the keyed hash of a normalised resident ID number,
// HMAC-SHA256 under the current lookup key.
func (v *Vault) LookupHash(idNumber string) []byte {
	_, key := v.LookupKey()
	return lookupHash(key, idNumber)
}

func lookupHash(key []byte, idNumber string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(NormaliseIDNumber(idNumber)))
	return m.Sum(nil)
}

// NormaliseIDNumber returns a resident ID number as the index keys it:
// without surrounding spaces, with the check character X in upper case.
func NormaliseIDNumber(id string) string { return strings.ToUpper(strings.TrimSpace(id)) }

// EnsureKeys makes a key for each person that has none yet, in one
// transaction of the vault file. A person whose key was destroyed gets no
// new one.
func (v *Vault) EnsureKeys(persons []ulid.ULID) error {
	var missing []ulid.ULID
	v.cacheMu.Lock()
	for _, id := range persons {
		if _, ok := v.cache[id]; !ok {
			missing = append(missing, id)
		}
	}
	v.cacheMu.Unlock()
	if len(missing) == 0 {
		return nil
	}
	v.dbMu.RLock()
	defer v.dbMu.RUnlock()
	// A View first: most persons of a push have keys already, and a read
	// costs no fsync.
	var create []ulid.ULID
	err := v.db.View(func(tx *bolt.Tx) error {
		keys, erased := tx.Bucket(bucketPersonKeys), tx.Bucket(bucketErasedKeys)
		for _, id := range missing {
			if keys.Get(id[:]) == nil && erased.Get(id[:]) == nil {
				create = append(create, id)
			}
		}
		return nil
	})
	if err != nil || len(create) == 0 {
		return err
	}
	made := map[ulid.ULID]cipher.AEAD{}
	err = v.db.Update(func(tx *bolt.Tx) error {
		clear(made)
		keys, erased := tx.Bucket(bucketPersonKeys), tx.Bucket(bucketErasedKeys)
		for _, id := range create {
			if keys.Get(id[:]) != nil || erased.Get(id[:]) != nil {
				continue
			}
			key := make([]byte, chacha20poly1305.KeySize)
			if _, err := rand.Read(key); err != nil {
				return err
			}
			if err := keys.Put(id[:], v.wrapKey(id, key)); err != nil {
				return err
			}
			aead, err := chacha20poly1305.New(key)
			if err != nil {
				return err
			}
			made[id] = aead
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("creating person keys: %w", err)
	}
	// The new keys are committed, so caching them saves the unwrap that
	// sealing the push's values would do next.
	for id, aead := range made {
		v.cacheKey(id, aead)
	}
	return nil
}

func (v *Vault) wrapKey(person ulid.ULID, key []byte) []byte {
	nonce := make([]byte, v.wrap.NonceSize(), v.wrap.NonceSize()+len(key)+v.wrap.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic("bug: crypto/rand failed: " + err.Error())
	}
	return v.wrap.Seal(nonce, nonce, key, []byte(wrapADPrefix+string(person[:])))
}

func (v *Vault) unwrap(person ulid.ULID, wrapped []byte) (cipher.AEAD, error) {
	n := v.wrap.NonceSize()
	if len(wrapped) < n {
		return nil, errors.New("wrapped key too short")
	}
	key, err := v.wrap.Open(nil, wrapped[:n], wrapped[n:], []byte(wrapADPrefix+string(person[:])))
	if err != nil {
		return nil, err
	}
	return chacha20poly1305.New(key)
}

// personKey returns the AEAD of a person's key, from the cache or unwrapped
// from the vault file. It returns ErrErased for a destroyed key and
// ErrNoKey for a person that never had one.
func (v *Vault) personKey(person ulid.ULID) (cipher.AEAD, error) {
	v.cacheMu.Lock()
	if el, ok := v.cache[person]; ok {
		v.lru.MoveToFront(el)
		aead := el.Value.(*cachedKey).aead
		v.cacheMu.Unlock()
		return aead, nil
	}
	v.cacheMu.Unlock()

	var aead cipher.AEAD
	v.dbMu.RLock()
	err := v.db.View(func(tx *bolt.Tx) error {
		wrapped := tx.Bucket(bucketPersonKeys).Get(person[:])
		if wrapped == nil {
			if tx.Bucket(bucketErasedKeys).Get(person[:]) != nil {
				return ErrErased
			}
			return ErrNoKey
		}
		var err error
		if aead, err = v.unwrap(person, wrapped); err != nil {
			return fmt.Errorf("%w: unwrapping the key of %s: %v", ErrMasterKeyMismatch, person, err)
		}
		return nil
	})
	v.dbMu.RUnlock()
	if err != nil {
		return nil, err
	}

	v.cacheKey(person, aead)
	return aead, nil
}

func (v *Vault) forget(person ulid.ULID) {
	v.cacheMu.Lock()
	defer v.cacheMu.Unlock()
	if el, ok := v.cache[person]; ok {
		v.lru.Remove(el)
		delete(v.cache, person)
	}
}

func (v *Vault) cacheKey(person ulid.ULID, aead cipher.AEAD) {
	v.cacheMu.Lock()
	defer v.cacheMu.Unlock()
	if _, ok := v.cache[person]; ok {
		return
	}
	v.cache[person] = v.lru.PushFront(&cachedKey{person: person, aead: aead})
	if v.lru.Len() > keyCacheSize {
		oldest := v.lru.Back()
		v.lru.Remove(oldest)
		delete(v.cache, oldest.Value.(*cachedKey).person)
	}
}

// Erased reports whether the person's key was destroyed.
func (v *Vault) Erased(person ulid.ULID) bool {
	v.erasedMu.RLock()
	defer v.erasedMu.RUnlock()
	_, erased := v.erased[person]
	return erased
}

// loadErased fills the in-memory set of erased persons from the file.
func (v *Vault) loadErased() error {
	persons, err := v.ErasedPersons()
	if err != nil {
		return err
	}
	v.erasedMu.Lock()
	defer v.erasedMu.Unlock()
	v.erased = make(map[ulid.ULID]struct{}, len(persons))
	for _, id := range persons {
		v.erased[id] = struct{}{}
	}
	return nil
}

// ErasedPersons returns every person whose key was destroyed.
func (v *Vault) ErasedPersons() ([]ulid.ULID, error) {
	v.dbMu.RLock()
	defer v.dbMu.RUnlock()
	var out []ulid.ULID
	err := v.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketErasedKeys).ForEach(func(k, _ []byte) error {
			var id ulid.ULID
			copy(id[:], k)
			out = append(out, id)
			return nil
		})
	})
	return out, err
}

// Destroy deletes a person's key and records when, so no value sealed with
// it can be opened again. The wrapped key may linger in a free page of the
// vault file until Compact rewrites it.
func (v *Vault) Destroy(person ulid.ULID, at time.Time) error {
	v.forget(person)
	v.dbMu.RLock()
	defer v.dbMu.RUnlock()
	err := v.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketPersonKeys).Delete(person[:]); err != nil {
			return err
		}
		erased := tx.Bucket(bucketErasedKeys)
		if erased.Get(person[:]) != nil {
			return nil
		}
		return erased.Put(person[:], []byte(at.UTC().Format(time.RFC3339)))
	})
	if err != nil {
		return fmt.Errorf("destroying the key of %s: %w", person, err)
	}
	v.erasedMu.Lock()
	v.erased[person] = struct{}{}
	v.erasedMu.Unlock()
	// A read that ran meanwhile may have cached the key again.
	v.forget(person)
	return nil
}

// Compact rewrites the vault file into a new file and renames it over the
// old one, so no free page keeps a destroyed key. Other calls wait while it
// runs.
//
// NOTE: the file system may still hold the old file's blocks until it
// reuses them. Compact removes the key from every file the server keeps,
// not from the disk's free space.
func (v *Vault) Compact() error {
	v.dbMu.Lock()
	defer v.dbMu.Unlock()
	tmp := v.path + ".compact"
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("compacting key vault: %w", err)
	}
	err = bolt.Compact(dst, v.db, 0)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compacting key vault: %w", err)
	}
	if err := v.db.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("closing key vault for compaction: %w", err)
	}
	renameErr := os.Rename(tmp, v.path)
	// Reopen whichever file is now at the path, so the vault keeps working
	// even when the rename failed.
	db, err := openVaultDB(v.path, time.Second)
	if err != nil {
		return fmt.Errorf("reopening key vault after compaction: %w", err)
	}
	v.db = db
	if renameErr != nil {
		os.Remove(tmp)
		return fmt.Errorf("replacing key vault after compaction: %w", renameErr)
	}
	syncDir(filepath.Dir(v.path))
	return nil
}

// syncDir makes a rename in dir durable where the system allows it.
// Windows cannot sync a directory, so errors are ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
