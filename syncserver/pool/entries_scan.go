package pool

import (
	"crypto/cipher"
	"errors"
	"fmt"
	"slices"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// scanBatch is the number of person records one read transaction of a scan
// covers. Short transactions matter to a running server: bbolt remaps a
// growing file only after every open read transaction has ended, so one
// transaction over a million records would stall pushes for its duration.
const scanBatch = 4096

// personRow is one live person record as a scan reads it: one change per
// register the scan reads, with Field, Value, Stamp and Device set. The
// personal values the scan opens are in plain, and every other personal
// value is blank.
type personRow struct {
	id      ulid.ULID
	scope   string
	changes []changeset.Change
}

// value returns the row's value of field, or "" when it has none.
func (r *personRow) value(field string) string {
	for i := range r.changes {
		if r.changes[i].Field == field {
			return r.changes[i].Value
		}
	}
	return ""
}

// rowOf returns a state as a row, with its values as they are.
func rowOf(st *changeset.State) personRow {
	return personRow{id: st.ID, scope: st.Scope, changes: st.Changes()}
}

// scanPersons calls fn for every live person record in key order, with
// the registers of the fields listed in fields only (all when nil). Of the
// personal fields, only the ones in open are opened; the others read as
// empty. It decodes only those registers, without building a state, and
// opens the values of a whole batch in one read transaction of the vault,
// which is what makes a scan of a million persons affordable. A goroutine reads
// and opens the next batch while fn runs on the current one.
//
// Batches are read in separate transactions, so a scan that runs while
// devices push reads each record as it was when its batch was read.
func (p *Pool) scanPersons(fields, open []string, fn func(*personRow) error) error {
	if fields == nil {
		fields = record.FieldsOf(record.KindPerson)
	}
	if !slices.Contains(fields, record.FieldDeleted) {
		fields = append(slices.Clone(fields), record.FieldDeleted)
	}
	decoder := newFieldDecoder(fields)
	type batch struct {
		rows []personRow
		err  error
	}
	batches := make(chan batch, 1)
	stop := make(chan struct{})
	go func() {
		defer close(batches)
		from := []byte{byte(record.KindPerson)}
		for from != nil {
			rows, next, err := p.readPersons(decoder, from)
			if err == nil {
				err = p.openRows(rows, open)
			}
			select {
			case batches <- batch{rows: rows, err: err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
			from = next
		}
	}()
	defer func() {
		// The reader goroutine ends before the scan returns, so the
		// caller may close the pool right after.
		close(stop)
		for range batches {
		}
	}()

	for b := range batches {
		if b.err != nil {
			return b.err
		}
		for i := range b.rows {
			if err := fn(&b.rows[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// readPersons reads up to scanBatch live person records from key from on,
// in one read transaction, with their sealed values as stored. It returns
// the key to continue from, or nil after the last person.
func (p *Pool) readPersons(decoder *fieldDecoder, from []byte) ([]personRow, []byte, error) {
	kind := byte(record.KindPerson)
	rows := make([]personRow, 0, scanBatch)
	var next []byte
	err := p.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRecords).Cursor()
		for k, raw := c.Seek(from); k != nil && k[0] == kind; k, raw = c.Next() {
			if len(rows) == scanBatch {
				next = append([]byte(nil), k...)
				return nil
			}
			var id ulid.ULID
			copy(id[:], k[1:])
			scope, changes, err := decoder.decode(raw)
			if err != nil {
				return fmt.Errorf("reading person %s: %w", id, err)
			}
			row := personRow{id: id, scope: scope, changes: changes}
			if row.value(record.FieldDeleted) != "1" {
				rows = append(rows, row)
			}
		}
		return nil
	})
	return rows, next, err
}

// openRows opens, in place, the sealed values of the fields in open and
// blanks the other sealed values, reading every key it needs in one read
// transaction of the vault file. Like openRead, it reads the value of an
// erased person, and of a person whose key is missing or does not open it,
// as "", and logs the latter once.
//
// Keys it unwraps do not enter the vault's cache: a scan meets each person
// once, and would only evict the keys of persons who are syncing.
func (p *Pool) openRows(rows []personRow, open []string) error {
	v := p.vault
	v.dbMu.RLock()
	defer v.dbMu.RUnlock()
	return v.db.View(func(tx *bolt.Tx) error {
		keys, erased := tx.Bucket(bucketPersonKeys), tx.Bucket(bucketErasedKeys)
		for i := range rows {
			var (
				owner  ulid.ULID
				aead   cipher.AEAD
				keyErr error
				loaded bool
			)
			for j := range rows[i].changes {
				c := &rows[i].changes[j]
				if !IsSealed(c.Value) {
					continue
				}
				if !slices.Contains(open, c.Field) {
					c.Value = ""
					continue
				}
				if person := sealedPerson(c.Value); !loaded || person != owner {
					owner, loaded = person, true
					aead, keyErr = v.scanKey(keys, erased, owner)
				}
				plain, err := openWithKey(aead, keyErr, owner, c.Field, c.Value)
				if unreadable(err) {
					p.noteUnreadable(owner)
					plain, err = "", nil
				}
				if err != nil {
					return fmt.Errorf("reading person %s: %w", rows[i].id, err)
				}
				c.Value = plain
			}
		}
		return nil
	})
}

// scanKey returns a person's key from the cache or unwrapped from the open
// vault transaction's buckets, with the errors of personKey.
func (v *Vault) scanKey(keys, erased *bolt.Bucket, person ulid.ULID) (cipher.AEAD, error) {
	v.cacheMu.Lock()
	el, ok := v.cache[person]
	v.cacheMu.Unlock()
	if ok {
		return el.Value.(*cachedKey).aead, nil
	}
	wrapped := keys.Get(person[:])
	if wrapped == nil {
		if erased.Get(person[:]) != nil {
			return nil, ErrErased
		}
		return nil, ErrNoKey
	}
	aead, err := v.unwrap(person, wrapped)
	if err != nil {
		return nil, fmt.Errorf("%w: unwrapping the key of %s: %v", ErrMasterKeyMismatch, person, err)
	}
	return aead, nil
}

// openWithKey opens a sealed value of field under the person's key, or
// returns "" for an erased person. keyErr is the error of fetching the key.
func openWithKey(aead cipher.AEAD, keyErr error, person ulid.ULID, field, stored string) (string, error) {
	if errors.Is(keyErr, ErrErased) {
		return "", nil
	}
	if keyErr != nil {
		return "", keyErr
	}
	rest := []byte(stored[len(sealMarker)+16:])
	n := aead.NonceSize()
	plain, err := aead.Open(nil, rest[:n], rest[n:], sealAdditionalData(person, field))
	if err != nil {
		return "", fmt.Errorf("%w: %s of %s: %v", errSealBroken, field, person, err)
	}
	return string(plain), nil
}
