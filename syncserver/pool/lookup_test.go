package pool

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/chacha20poly1305"
)

// vaultSecrets returns every key an attacker holding dir's master.key and
// keys.db could try against an ID number index. These are the master key,
// the keys HKDF derives from it (including the lookup key derivation of
// earlier versions), every person key and the lookup key. It also returns the
// wrapped lookup key as stored. The pool must be closed.
func vaultSecrets(t *testing.T, dir string) (keys [][]byte, wrappedLookup []byte) {
	t.Helper()
	master, err := ReadMasterKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	wrapKey := derive(master, infoWrapKey)
	keys = append(keys, master, wrapKey, derive(master, "mobilefactory id_number lookup v1"))
	wrap, err := chacha20poly1305.New(wrapKey)
	if err != nil {
		t.Fatal(err)
	}
	n := wrap.NonceSize()
	db, err := bolt.Open(filepath.Join(dir, VaultFile), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		err := tx.Bucket(bucketPersonKeys).ForEach(func(k, v []byte) error {
			key, err := wrap.Open(nil, v[:n], v[n:], append([]byte(wrapADPrefix), k...))
			if err != nil {
				return err
			}
			keys = append(keys, key)
			return nil
		})
		if err != nil {
			return err
		}
		raw := tx.Bucket(bucketLookupKey).Get(keyLookup)
		gen := binary.BigEndian.Uint64(raw[:8])
		wrappedLookup = append([]byte(nil), raw[8:]...)
		key, err := wrap.Open(nil, raw[8:8+n], raw[8+n:], lookupAdditionalData(gen))
		if err != nil {
			return err
		}
		keys = append(keys, key)
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", VaultFile, err)
	}
	return keys, wrappedLookup
}

// indexMatches returns how many of keys find an entry for idNumber in the
// ID number index of the pool file at path.
func indexMatches(t *testing.T, path, idNumber string, keys [][]byte) int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var matches int
	err = db.View(func(tx *bolt.Tx) error {
		for _, key := range keys {
			prefix := lookupHash(key, idNumber)
			if k, _ := tx.Bucket(bucketIDIndex).Cursor().Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) {
				matches++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return matches
}

func backupTo(t *testing.T, p *Pool, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := p.Backup(f); err != nil {
		t.Fatal(err)
	}
}

func TestErasureShredsIDIndexOfBackups(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pool.db")
	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := enrolDevice(t, p)
	people := testPeople(3)
	pushPeople(t, p, d.ID, 1, people)
	erased, kept := ulid.MustParseStrict(people[0].ID), ulid.MustParseStrict(people[1].ID)
	backup := filepath.Join(dir, "before-erasure.db")
	backupTo(t, p, backup)
	p.Close()

	// Before the erasure the attack works: the backup's index is under a
	// key that keys.db holds.
	keys, oldWrapped := vaultSecrets(t, dir)
	if got := indexMatches(t, backup, people[0].IDNumber, keys); got != 1 {
		t.Fatalf("before the erasure %d keys find the ID number in the backup's index, want 1", got)
	}

	if p, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Erase(erased, "test"); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.PersonsByIDNumber(people[1].IDNumber); len(got) != 1 || got[0] != kept {
		t.Errorf("after the erasure PersonsByIDNumber(other person) = %v, want [%s]", got, kept)
	}
	if got, _ := p.PersonsByIDNumber(people[0].IDNumber); len(got) != 0 {
		t.Errorf("after the erasure PersonsByIDNumber(erased person) = %v, want none", got)
	}
	p.Close()

	keys, _ = vaultSecrets(t, dir)
	if got := indexMatches(t, backup, people[0].IDNumber, keys); got != 0 {
		t.Errorf("after the erasure %d keys of keys.db and master.key find the erased ID number in the backup's index, want 0", got)
	}
	assertFileLacks(t, filepath.Join(dir, VaultFile), []string{string(oldWrapped)})

	if _, err := Restore(backup, path); err != nil {
		t.Fatal(err)
	}
	if p, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	gen, _ := p.vault.LookupKey()
	var indexGen uint64
	var entries int
	_ = p.db.View(func(tx *bolt.Tx) error {
		indexGen = getUint(tx.Bucket(bucketMeta), keyIDIndexGen)
		entries = tx.Bucket(bucketIDIndex).Stats().KeyN
		return nil
	})
	if indexGen != gen {
		t.Errorf("restored index generation = %d, want the vault's %d", indexGen, gen)
	}
	if entries != 2 {
		t.Errorf("restored index holds %d entries, want 2 (the persons not erased)", entries)
	}
	if got, _ := p.PersonsByIDNumber(people[1].IDNumber); len(got) != 1 || got[0] != kept {
		t.Errorf("after the restore PersonsByIDNumber(other person) = %v, want [%s]", got, kept)
	}
	p.Close()
	if got := indexMatches(t, path, people[0].IDNumber, keys); got != 0 {
		t.Errorf("restored pool: %d keys find the erased ID number in the index, want 0", got)
	}
}

func TestLookupKeyRotationSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pool.db")
	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := enrolDevice(t, p)
	people := testPeople(2)
	pushPeople(t, p, d.ID, 1, people)
	before, _ := p.vault.LookupKey()
	if _, err := p.Erase(ulid.MustParseStrict(people[0].ID), "test"); err != nil {
		t.Fatal(err)
	}
	after, _ := p.vault.LookupKey()
	if after != before+1 {
		t.Errorf("lookup key generation after an erasure = %d, want %d", after, before+1)
	}
	p.Close()

	if p, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if gen, _ := p.vault.LookupKey(); gen != after {
		t.Errorf("lookup key generation after reopening = %d, want %d", gen, after)
	}
	if got, _ := p.PersonsByIDNumber(people[1].IDNumber); len(got) != 1 {
		t.Errorf("after reopening PersonsByIDNumber finds %d persons, want 1", len(got))
	}
}
