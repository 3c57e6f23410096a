package pool

import (
	"fmt"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// noteUnreadable logs, once per person while the pool is open, that a
// person's personal values cannot be opened.
func (p *Pool) noteUnreadable(person ulid.ULID) {
	p.unreadableMu.Lock()
	seen := p.unreadable[person]
	p.unreadable[person] = true
	p.unreadableMu.Unlock()
	if !seen {
		p.log.Warn("personal values of a person are unreadable: keys.db has no key that opens them; they are sent empty",
			"person", person, "vault", p.vault.path)
	}
}

// UnreadablePersons counts the persons with a sealed personal value whose
// key keys.db lacks although they were not erased.
//
// NOTE: it checks that a key exists, not that it opens the values, so a
// person whose key was lost and made again by a later push is not counted.
// Reads log such a person all the same (see noteUnreadable).
func (p *Pool) UnreadablePersons() (int, error) {
	var persons []ulid.ULID
	err := p.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRecords).Cursor()
		kind := byte(record.KindPerson)
		for k, raw := c.Seek([]byte{kind}); k != nil && k[0] == kind; k, raw = c.Next() {
			var id ulid.ULID
			copy(id[:], k[1:])
			changes, err := changeset.Decode(raw, storedLimits)
			if err != nil {
				return fmt.Errorf("reading person %s: %w", id, err)
			}
			for _, ch := range changes {
				if IsSealed(ch.Value) {
					persons = append(persons, sealedPerson(ch.Value))
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return p.vault.countMissingKeys(persons)
}

// countMissingKeys counts the persons that have no key in the vault and
// were not erased.
func (v *Vault) countMissingKeys(persons []ulid.ULID) (int, error) {
	v.dbMu.RLock()
	defer v.dbMu.RUnlock()
	var n int
	err := v.db.View(func(tx *bolt.Tx) error {
		keys, erased := tx.Bucket(bucketPersonKeys), tx.Bucket(bucketErasedKeys)
		for _, id := range persons {
			if keys.Get(id[:]) == nil && erased.Get(id[:]) == nil {
				n++
			}
		}
		return nil
	})
	return n, err
}
