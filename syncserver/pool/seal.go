package pool

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// A sealed value is
//
//	sealMarker | person ULID (16 bytes) | nonce (12 bytes) | ChaCha20-Poly1305 ciphertext and tag
//
// under the person's key, with sealAD | person ULID | field name as the
// additional data, so a sealed value moved to another person or field does
// not open. The marker starts with a NUL byte, which no pushed value
// carries: validate.Stored rejects control characters in every field.
const (
	sealMarker   = "\x00mfs1"
	sealAD       = "mobilefactory sealed value v1:"
	sealOverhead = len(sealMarker) + 16 + 12 + 16
)

// storedLimits are the limits of change sets the pool reads from its own
// file: a pushed value of the wire's maximum length grows by sealOverhead
// when sealed.
var storedLimits = func() changeset.Limits {
	l := changeset.DefaultLimits
	l.MaxValueBytes += sealOverhead
	return l
}()

// IsSealed reports whether a stored value is sealed.
func IsSealed(value string) bool {
	return len(value) >= sealOverhead && value[:len(sealMarker)] == sealMarker
}

// sealValue seals a plain value of a person's field.
func (v *Vault) sealValue(person ulid.ULID, field, plain string) (string, error) {
	aead, err := v.personKey(person)
	if err != nil {
		return "", err
	}
	out := make([]byte, 0, len(plain)+sealOverhead)
	out = append(out, sealMarker...)
	out = append(out, person[:]...)
	nonce := out[len(out) : len(out)+aead.NonceSize()]
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out = out[:len(out)+aead.NonceSize()]
	out = aead.Seal(out, nonce, []byte(plain), sealAdditionalData(person, field))
	return string(out), nil
}

func sealAdditionalData(person ulid.ULID, field string) []byte {
	ad := make([]byte, 0, len(sealAD)+16+len(field))
	ad = append(ad, sealAD...)
	ad = append(ad, person[:]...)
	return append(ad, field...)
}

// errSealBroken is returned for a sealed value that its person's key does
// not open, as for a value sealed under a key that keys.db lost and made
// again.
var errSealBroken = errors.New("sealed value does not open")

// openValue returns the plain value of a stored value of field: a value
// that is not sealed as it is, and "" for one whose person was erased. It
// returns ErrNoKey or errSealBroken for a value its person's key cannot
// open.
func (v *Vault) openValue(field, stored string) (string, error) {
	if !IsSealed(stored) {
		return stored, nil
	}
	person := sealedPerson(stored)
	aead, err := v.personKey(person)
	return openWithKey(aead, err, person, field, stored)
}

// sealedPerson returns the person whose key sealed a sealed value.
func sealedPerson(stored string) ulid.ULID {
	var person ulid.ULID
	copy(person[:], stored[len(sealMarker):])
	return person
}

// unreadable reports whether err means the key of a sealed value's person
// is missing from keys.db, or does not open the value.
func unreadable(err error) bool {
	return errors.Is(err, ErrNoKey) || errors.Is(err, errSealBroken)
}

// openRead returns the plain value of a stored value that is sent to a
// device or used. A value whose person's key is missing, though the person
// was not erased, reads as "": one such person must not fail every sync.
// The pool logs the person once and Stats counts them.
func (p *Pool) openRead(field, stored string) (string, error) {
	plain, err := p.vault.openValue(field, stored)
	if unreadable(err) {
		p.noteUnreadable(sealedPerson(stored))
		return "", nil
	}
	return plain, err
}

// openForUpdate returns the plain value of a stored value that a
// transaction merges changes into. A value whose person's key is missing
// stays sealed, so writing the record back keeps it for a vault that
// opens it.
func (p *Pool) openForUpdate(field, stored string) (string, error) {
	plain, err := p.vault.openValue(field, stored)
	if unreadable(err) {
		p.noteUnreadable(sealedPerson(stored))
		return stored, nil
	}
	return plain, err
}

// sealOwner returns the person whose key seals the value a change of st
// carries in field, and false when the field is not personal. A person's
// own personal fields are sealed, and so are the values of a conflict item
// about a personal field of a person.
func sealOwner(st *changeset.State, field string) (ulid.ULID, bool) {
	switch st.Kind {
	case record.KindPerson:
		return st.ID, record.IsPersonal(record.KindPerson, field)
	case record.KindConflict:
		if field != record.FieldWinner && field != record.FieldLoser && field != record.FieldResolution {
			return ulid.ULID{}, false
		}
		if st.Fields[record.FieldRecordKind].Value != record.KindPerson.String() ||
			!record.IsPersonal(record.KindPerson, st.Fields[record.FieldField].Value) {
			return ulid.ULID{}, false
		}
		id, err := ulid.ParseStrict(st.Fields[record.FieldRecord].Value)
		return id, err == nil
	}
	return ulid.ULID{}, false
}

// sealCache maps a plain personal value to its sealed form within one
// transaction. A value goes into both the log entry and the record state,
// and a record read and written back keeps most of its values, so the
// cache lets each value be sealed once. A nil cache seals every value anew.
type sealCache map[sealedValueKey]string

type sealedValueKey struct {
	person       ulid.ULID
	field, plain string
}

// seal returns plain sealed with person's key for field, "" when the
// person was erased.
func (p *Pool) seal(cache sealCache, person ulid.ULID, field, plain string) (string, error) {
	key := sealedValueKey{person: person, field: field, plain: plain}
	if sealed, ok := cache[key]; ok {
		return sealed, nil
	}
	sealed, err := p.vault.sealValue(person, field, plain)
	if errors.Is(err, ErrErased) {
		// The person was erased: the value is not stored.
		sealed, err = "", nil
	}
	if err != nil {
		return "", err
	}
	if cache != nil {
		cache[key] = sealed
	}
	return sealed, nil
}

// sealChangesInPlace seals each personal value of changes. state returns
// the record state each change belongs to, after the changes were merged,
// which decides whether a conflict item's values are personal.
func (p *Pool) sealChangesInPlace(changes []changeset.Change, state func(changeset.Change) *changeset.State, cache sealCache) error {
	for i := range changes {
		c := &changes[i]
		if c.Value == "" || IsSealed(c.Value) {
			continue
		}
		person, ok := sealOwner(state(*c), c.Field)
		if !ok {
			continue
		}
		sealed, err := p.seal(cache, person, c.Field, c.Value)
		if err != nil {
			return fmt.Errorf("sealing %s of %s %s: %w", c.Field, c.Kind, c.ID, err)
		}
		c.Value = sealed
	}
	return nil
}

// sealStateInPlace seals the personal values of st.
func (p *Pool) sealStateInPlace(st *changeset.State, cache sealCache) error {
	for field, reg := range st.Fields {
		if reg.Value == "" || IsSealed(reg.Value) {
			continue
		}
		person, ok := sealOwner(st, field)
		if !ok {
			continue
		}
		sealed, err := p.seal(cache, person, field, reg.Value)
		if err != nil {
			return fmt.Errorf("sealing %s of %s %s: %w", field, st.Kind, st.ID, err)
		}
		reg.Value = sealed
		st.Fields[field] = reg
	}
	return nil
}

// openState replaces the sealed values of st with their plain values, in
// place, for sending or use: see openRead.
func (p *Pool) openState(st *changeset.State) error {
	return openStateWith(st, p.openRead)
}

func openStateWith(st *changeset.State, open func(field, stored string) (string, error)) error {
	for field, reg := range st.Fields {
		if !IsSealed(reg.Value) {
			continue
		}
		plain, err := open(field, reg.Value)
		if err != nil {
			return fmt.Errorf("reading %s %s: %w", st.Kind, st.ID, err)
		}
		reg.Value = plain
		st.Fields[field] = reg
	}
	return nil
}

// openChanges replaces the sealed values of changes with their plain
// values, in place, for sending or use: see openRead.
func (p *Pool) openChanges(changes []changeset.Change) error {
	return openChangesWith(changes, p.openRead)
}

// openChangesForUpdate is openChanges for changes a transaction merges
// into a record: see openForUpdate.
func (p *Pool) openChangesForUpdate(changes []changeset.Change) error {
	return openChangesWith(changes, p.openForUpdate)
}

func openChangesWith(changes []changeset.Change, open func(field, stored string) (string, error)) error {
	for i := range changes {
		c := &changes[i]
		if !IsSealed(c.Value) {
			continue
		}
		plain, err := open(c.Field, c.Value)
		if err != nil {
			return fmt.Errorf("reading %s %s: %w", c.Kind, c.ID, err)
		}
		c.Value = plain
	}
	return nil
}

// decodeStored reads a record state the pool wrote, sealed values and all.
func decodeStored(kind record.Kind, id ulid.ULID, raw []byte) (*changeset.State, error) {
	changes, err := changeset.Decode(raw, storedLimits)
	if err != nil {
		return nil, fmt.Errorf("reading %s %s: %w", kind, id, err)
	}
	st := changeset.NewState(kind, id, "")
	for _, c := range changes {
		st.Scope = c.Scope
		st.Apply(c)
	}
	return st, nil
}

// loadOpen reads a stored record state and opens its sealed values for
// sending or use: see openRead.
func (p *Pool) loadOpen(kind record.Kind, id ulid.ULID, raw []byte) (*changeset.State, error) {
	st, err := decodeStored(kind, id, raw)
	if err != nil {
		return nil, err
	}
	return st, p.openState(st)
}

// loadForUpdate reads a stored record state that a transaction merges
// changes into: see openForUpdate.
func (p *Pool) loadForUpdate(kind record.Kind, id ulid.ULID, raw []byte) (*changeset.State, error) {
	return p.loadForUpdateCached(kind, id, raw, nil)
}

// loadForUpdateCached is loadForUpdate that adds each value it opens to
// cache, so writing the value back unchanged keeps its sealed form.
func (p *Pool) loadForUpdateCached(kind record.Kind, id ulid.ULID, raw []byte, cache sealCache) (*changeset.State, error) {
	st, err := decodeStored(kind, id, raw)
	if err != nil {
		return nil, err
	}
	return st, openStateWith(st, func(field, stored string) (string, error) {
		plain, err := p.openForUpdate(field, stored)
		// An unreadable value stays sealed, and an erased one opens as "":
		// neither is sealed again.
		if err == nil && cache != nil && plain != "" && plain != stored {
			cache[sealedValueKey{person: sealedPerson(stored), field: field, plain: plain}] = stored
		}
		return plain, err
	})
}

// ensureKeys makes keys, in one transaction of the vault file, for the
// persons whose personal values the states and the log entries about to
// be written hold in plain.
func (p *Pool) ensureKeys(states map[string]*changeset.State, entries map[string][]changeset.Change) error {
	var persons []ulid.ULID
	seen := map[ulid.ULID]bool{}
	note := func(st *changeset.State, field, value string) {
		// Only persons and conflict items hold personal values.
		if st == nil || value == "" || st.Kind != record.KindPerson && st.Kind != record.KindConflict ||
			st.Kind == record.KindPerson && seen[st.ID] || IsSealed(value) {
			return
		}
		if person, ok := sealOwner(st, field); ok && !seen[person] {
			seen[person] = true
			persons = append(persons, person)
		}
	}
	for _, st := range states {
		for field, reg := range st.Fields {
			note(st, field, reg.Value)
		}
	}
	for _, entry := range entries {
		for _, c := range entry {
			if c.Kind == record.KindPerson && seen[c.ID] || c.Kind != record.KindPerson && c.Kind != record.KindConflict {
				continue
			}
			key := recordKeyOf(c.Kind, c.ID)
			note(states[string(key[:])], c.Field, c.Value)
		}
	}
	return p.vault.EnsureKeys(persons)
}
