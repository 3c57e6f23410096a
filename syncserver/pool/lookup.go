package pool

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// The ID number index (bucketIDIndex in pool.db) is keyed by HMAC-SHA256
// under a random lookup key that keys.db keeps, wrapped, with a generation
// number. Resident ID numbers have little entropy, so anyone holding the
// lookup key finds a person's ID number in an index entry by trying every
// valid number. Erasure therefore rotates the key: the index is rebuilt
// under a new key from the persons that remain, and the old key is
// destroyed, which shreds the erased person's entry in every backup too.

// keyIDIndexGen is the meta key of the lookup key generation the ID number
// index of pool.db was built with, as a big-endian uint64.
var keyIDIndexGen = []byte("id_index_gen")

// LookupKey returns the generation and the key of the current lookup key.
func (v *Vault) LookupKey() (uint64, []byte) {
	v.lookupMu.RLock()
	defer v.lookupMu.RUnlock()
	return v.lookupGen, v.lookup
}

// loadLookupKey reads the lookup key from the vault file, and makes the
// first one when the file has none.
func (v *Vault) loadLookupKey() error {
	var gen uint64
	var key []byte
	err := v.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketLookupKey).Get(keyLookup)
		if raw == nil {
			return nil
		}
		if len(raw) < 8 {
			return fmt.Errorf("%w: the lookup key in %s is truncated", ErrMasterKey, v.path)
		}
		gen = binary.BigEndian.Uint64(raw[:8])
		var err error
		if key, err = v.unwrapLookupKey(gen, raw[8:]); err != nil {
			return fmt.Errorf("%w: it does not open the lookup key in %s", ErrMasterKeyMismatch, v.path)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if key == nil {
		gen, key = v.NewLookupKey()
		return v.InstallLookupKey(gen, key)
	}
	v.lookupMu.Lock()
	v.lookupGen, v.lookup = gen, key
	v.lookupMu.Unlock()
	return nil
}

// NewLookupKey returns a fresh random lookup key and the generation after
// the current one. The vault keeps it only after InstallLookupKey.
func (v *Vault) NewLookupKey() (uint64, []byte) {
	gen, _ := v.LookupKey()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic("bug: crypto/rand failed: " + err.Error())
	}
	return gen + 1, key
}

// InstallLookupKey stores key as the lookup key of generation gen in place
// of the current one. The old wrapped key may linger in a free page of the
// vault file until Compact rewrites it.
func (v *Vault) InstallLookupKey(gen uint64, key []byte) error {
	v.dbMu.RLock()
	defer v.dbMu.RUnlock()
	err := v.db.Update(func(tx *bolt.Tx) error {
		raw := binary.BigEndian.AppendUint64(nil, gen)
		return tx.Bucket(bucketLookupKey).Put(keyLookup, append(raw, v.wrapLookupKey(gen, key)...))
	})
	if err != nil {
		return fmt.Errorf("storing lookup key %d: %w", gen, err)
	}
	v.lookupMu.Lock()
	v.lookupGen, v.lookup = gen, key
	v.lookupMu.Unlock()
	return nil
}

func lookupAdditionalData(gen uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(lookupWrapADPrefix), gen)
}

func (v *Vault) wrapLookupKey(gen uint64, key []byte) []byte {
	nonce := make([]byte, v.wrap.NonceSize(), v.wrap.NonceSize()+len(key)+v.wrap.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic("bug: crypto/rand failed: " + err.Error())
	}
	return v.wrap.Seal(nonce, nonce, key, lookupAdditionalData(gen))
}

func (v *Vault) unwrapLookupKey(gen uint64, wrapped []byte) ([]byte, error) {
	n := v.wrap.NonceSize()
	if len(wrapped) < n {
		return nil, errors.New("wrapped key too short")
	}
	return v.wrap.Open(nil, wrapped[:n], wrapped[n:], lookupAdditionalData(gen))
}

// checkIDIndex rebuilds the ID number index within tx when it is missing
// or was built with another lookup key generation than the vault's. That
// happens to a pool restored from a backup made before an erasure, and to
// a pool of a version that derived the lookup key from the master key.
func (p *Pool) checkIDIndex(tx *bolt.Tx) error {
	gen, key := p.vault.LookupKey()
	if tx.Bucket(bucketIDIndex) != nil && getUint(tx.Bucket(bucketMeta), keyIDIndexGen) == gen {
		return nil
	}
	n, err := p.buildIDIndex(tx, gen, key)
	if err != nil {
		return fmt.Errorf("indexing ID numbers: %w", err)
	}
	p.log.Info("ID number index rebuilt", "generation", gen, "persons", n)
	return nil
}

// buildIDIndex replaces bucketIDIndex with an index under key, built from
// the ID numbers of the person records and of purged persons, and records
// gen in the meta bucket. It returns the number of persons indexed.
func (p *Pool) buildIDIndex(tx *bolt.Tx, gen uint64, key []byte) (int, error) {
	if tx.Bucket(bucketIDIndex) != nil {
		if err := tx.DeleteBucket(bucketIDIndex); err != nil {
			return 0, err
		}
	}
	index, err := tx.CreateBucket(bucketIDIndex)
	if err != nil {
		return 0, err
	}

	var entries [][]byte
	kind := byte(record.KindPerson)
	for _, source := range [][]byte{bucketRecords, bucketPurged} {
		c := tx.Bucket(source).Cursor()
		for k, raw := c.Seek([]byte{kind}); k != nil && k[0] == kind; k, raw = c.Next() {
			var id ulid.ULID
			copy(id[:], k[1:])
			idNumber, err := p.storedIDNumber(source, id, raw)
			if err != nil {
				return 0, err
			}
			if idNumber != "" {
				entries = append(entries, append(lookupHash(key, idNumber), id[:]...))
			}
		}
	}

	// bbolt splits nodes only at commit, so keys put in random order keep
	// moving inside ever larger nodes; sorted keys fill full pages.
	slices.SortFunc(entries, bytes.Compare)
	index.FillPercent = 1.0
	for _, entry := range entries {
		if err := index.Put(entry, nil); err != nil {
			return 0, err
		}
	}
	return len(entries), putUint(tx.Bucket(bucketMeta), keyIDIndexGen, gen)
}

// storedIDNumber returns the plain ID number of an encoded person state
// or purged registers, "" for an erased person or one whose key is
// missing. It reads the encoded changes without building the state, which
// halves the time of rebuilding the index.
func (p *Pool) storedIDNumber(source []byte, id ulid.ULID, raw []byte) (string, error) {
	changes, err := changeset.Decode(raw, storedLimits)
	if err != nil {
		return "", fmt.Errorf("reading person %s in %s: %w", id, source, err)
	}
	// Both encodings hold one change per register; the highest stamp wins
	// all the same, as State.Apply would choose.
	var latest *changeset.Change
	for i, c := range changes {
		if c.Field == record.FieldIDNumber && (latest == nil || c.Stamp > latest.Stamp) {
			latest = &changes[i]
		}
	}
	if latest == nil {
		return "", nil
	}
	return p.openRead(record.FieldIDNumber, latest.Value)
}

// rotateLookupKey makes a new lookup key, rebuilds the ID number index
// under it and destroys the old key, in one transaction of pool.db, so
// index entries in backups made before can no longer be tested against
// guessed ID numbers. The new key is stored in keys.db before pool.db
// commits: writers wait for the transaction, so none indexes under the
// old key after the swap. Readers wait on indexMu.
//
// When pool.db fails to commit after the swap, the index is rebuilt
// again under the new key. If that fails too, the next Open rebuilds it.
func (p *Pool) rotateLookupKey() error {
	p.indexMu.Lock()
	defer p.indexMu.Unlock()
	gen, key := p.vault.NewLookupKey()
	installed := false
	var persons int
	err := p.db.Update(func(tx *bolt.Tx) error {
		var err error
		if persons, err = p.buildIDIndex(tx, gen, key); err != nil {
			return err
		}
		if err := p.vault.InstallLookupKey(gen, key); err != nil {
			return err
		}
		installed = true
		return nil
	})
	if err != nil && installed {
		err = errors.Join(err, p.db.Update(p.checkIDIndex))
	}
	if err != nil {
		return fmt.Errorf("rotating the ID number lookup key: %w", err)
	}
	p.log.Info("ID number lookup key rotated", "generation", gen, "persons", persons)
	return nil
}
