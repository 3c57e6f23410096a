package pool

import (
	"errors"
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// ErrNoPerson is returned by Erase for a person the pool does not hold.
var ErrNoPerson = errors.New("person not found")

// bucketIDIndex finds persons by resident ID number without storing it:
// HMAC-SHA256(lookup key, normalised ID number) + person ULID → nothing.
var bucketIDIndex = []byte("id_index")

// applyHooks carries what appendChanges needs beyond the merge: the ID
// number index, the refusal of personal values of erased persons, and the
// erasures to complete. One value serves one transaction.
type applyHooks struct {
	p       *Pool
	tx      *bolt.Tx
	oldIDs  map[ulid.ULID]string // id_number of each person when loaded
	destroy []ulid.ULID          // persons whose keys go once the log entries are written
}

func (p *Pool) newApplyHooks(tx *bolt.Tx) *applyHooks {
	return &applyHooks{p: p, tx: tx, oldIDs: map[ulid.ULID]string{}}
}

// loaded notes a record state as it was before the transaction changed it.
func (h *applyHooks) loaded(st *changeset.State) {
	if st.Kind == record.KindPerson {
		h.oldIDs[st.ID] = st.Fields[record.FieldIDNumber].Value
	}
}

// refuse reports whether c must not be stored because its person was
// erased: a personal value, or a change that clears the erasure mark.
// refusalOf already rejects such changes, with a reason in the ack, when
// the person was erased before the push. This check catches the rest: a
// push that erases a person and then writes to them, and changes applied
// without a device check. It drops them with a log line.
func (h *applyHooks) refuse(st *changeset.State, c changeset.Change) bool {
	if c.Kind != record.KindPerson || c.Device == serverDevice {
		return false
	}
	personal := record.IsPersonal(c.Kind, c.Field) && c.Value != ""
	unerase := c.Field == record.FieldErased && c.Value == ""
	if !personal && !unerase {
		return false
	}
	if st.Fields[record.FieldErased].Value == "" && !h.p.vault.Erased(c.ID) {
		return false
	}
	h.p.log.Warn("change to an erased person dropped", "person", c.ID, "field", c.Field, "device", c.Device, "seq", c.Seq)
	return true
}

// finish completes the erasure of every erased person among the states:
// server-made changes clear the personal values that are left, and the
// person's key is marked for destruction. Then it makes the keys the
// sealing needs and updates the ID number index.
func (h *applyHooks) finish(states map[string]*changeset.State, byScope map[string][]changeset.Change, scopes *[]string) error {
	for _, st := range states {
		if st.Kind != record.KindPerson || len(st.Fields) == 0 {
			continue
		}
		keyGone := h.p.vault.Erased(st.ID)
		if st.Fields[record.FieldErased].Value == "" && !keyGone {
			continue
		}
		clearing := erasureChanges(st, h.p.now())
		if len(clearing) > 0 {
			if _, ok := byScope[st.Scope]; !ok {
				*scopes = append(*scopes, st.Scope)
			}
			for _, c := range clearing {
				st.Apply(c)
			}
			byScope[st.Scope] = append(byScope[st.Scope], clearing...)
		}
		if !keyGone {
			h.destroy = append(h.destroy, st.ID)
		}
	}
	if err := h.p.ensureKeys(states, byScope); err != nil {
		return err
	}
	return h.updateIDIndex(states)
}

// erasureChanges returns the server-made changes that clear a person's
// personal values and, when missing, set the erasure mark. Their stamp
// orders after every register of the person, so every replica applies them.
func erasureChanges(st *changeset.State, now time.Time) []changeset.Change {
	stamp := nextStamp(st, now)
	change := func(field, value string) changeset.Change {
		return changeset.Change{Kind: record.KindPerson, ID: st.ID, Scope: st.Scope, Field: field,
			Value: value, Stamp: stamp, Device: serverDevice}
	}
	var out []changeset.Change
	if st.Fields[record.FieldErased].Value == "" {
		out = append(out, change(record.FieldErased, now.UTC().Format(time.RFC3339)))
	}
	for _, field := range record.PersonalFields {
		if st.Fields[field].Value != "" {
			out = append(out, change(field, ""))
		}
	}
	return out
}

func (h *applyHooks) updateIDIndex(states map[string]*changeset.State) error {
	index := h.tx.Bucket(bucketIDIndex)
	for _, st := range states {
		if st.Kind != record.KindPerson {
			continue
		}
		old, now := h.oldIDs[st.ID], st.Fields[record.FieldIDNumber].Value
		if old == now {
			continue
		}
		if old != "" {
			if err := index.Delete(h.indexKey(old, st.ID)); err != nil {
				return err
			}
		}
		if now != "" {
			if err := index.Put(h.indexKey(now, st.ID), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

func (h *applyHooks) indexKey(idNumber string, person ulid.ULID) []byte {
	return append(h.p.vault.LookupHash(idNumber), person[:]...)
}

// sealEntry seals the personal values of a log entry in place.
func (h *applyHooks) sealEntry(entry []changeset.Change, states map[string]*changeset.State, cache sealCache) error {
	return h.p.sealChangesInPlace(entry, func(c changeset.Change) *changeset.State {
		key := recordKeyOf(c.Kind, c.ID)
		return states[string(key[:])]
	}, cache)
}

// destroyKeys destroys the keys of the persons erased in this transaction.
// It runs last, so the transaction has sealed their values already. When
// the pool's commit fails after it, the keys are gone all the same, and a
// repeated erasure writes the log entry.
func (h *applyHooks) destroyKeys() error {
	for _, person := range h.destroy {
		if err := h.p.vault.Destroy(person, h.p.now()); err != nil {
			return err
		}
		h.p.erasedSinceCompact.Store(true)
	}
	return nil
}

// afterApply runs after a transaction that may have erased persons
// committed. After an erasure it rotates the ID number lookup key, so no
// backup's index entry of the person can be matched against guessed ID
// numbers, then compacts the key vault, so no free page keeps a destroyed
// key. When either fails, the next call tries again.
func (p *Pool) afterApply() error {
	if !p.erasedSinceCompact.Swap(false) {
		return nil
	}
	err := p.rotateLookupKey()
	if err == nil {
		err = p.vault.Compact()
	}
	if err != nil {
		// The person keys are destroyed. The old lookup key, or a copy of
		// a key in a free page of keys.db, remains until the next call.
		p.erasedSinceCompact.Store(true)
		p.log.Error("shredding the keys of an erasure failed", "err", err)
	}
	return err
}

// EraseResult is the outcome of Erase.
type EraseResult struct {
	Person  ulid.ULID
	Scope   string
	Already bool // the person was erased before; nothing changed
}

// Erase erases a person on request. In one transaction of pool.db it
// appends a log entry of server-made changes that set record.FieldErased
// and clear every personal field. It also destroys the person's key in the
// vault, so no copy of the pool (log, backups) opens their values again.
// Then it rotates the ID number lookup key and compacts the vault file,
// and Erase returns after both. The non-personal fields stay, so statistics
// still count the person. by names the account or tool that asked, for
// the audit log.
func (p *Pool) Erase(person ulid.ULID, by string) (EraseResult, error) {
	res, err := p.erase(person, by)
	if err != nil || res.Already {
		return res, err
	}
	p.wake()
	p.log.Info("person erased", "person", person, "by", by)
	if err := p.afterApply(); err != nil {
		return res, fmt.Errorf("erasing person %s: the key is destroyed, but: %w", person, err)
	}
	return res, nil
}

// erase is Erase without the rotation and compaction of afterApply.
func (p *Pool) erase(person ulid.ULID, by string) (EraseResult, error) {
	res := EraseResult{Person: person}
	err := p.db.Update(func(tx *bolt.Tx) error {
		st, err := p.personState(tx, person)
		if err != nil {
			return err
		}
		res.Scope = st.Scope
		if st.Fields[record.FieldErased].Value != "" && p.vault.Erased(person) {
			res.Already = true
			return nil
		}
		// The mark keeps an earlier erasure time. Setting it again touches
		// the person, so the transaction completes an unfinished erasure.
		at := st.Fields[record.FieldErased].Value
		if at == "" {
			at = p.now().UTC().Format(time.RFC3339)
		}
		mark := changeset.Change{Kind: record.KindPerson, ID: person, Scope: st.Scope, Field: record.FieldErased,
			Value: at, Stamp: nextStamp(st, p.now()), Device: serverDevice}
		if _, _, err = p.appendChanges(tx, []changeset.Change{mark}, 0, false); err != nil {
			return err
		}
		return p.appendAudit(tx, AuditEntry{Action: ActionErase, Device: serverDevice, Account: by,
			Kind: record.KindPerson, Record: person.String(), Person: person.String(), Scope: st.Scope,
			Fields: record.PersonalFields})
	})
	if err != nil {
		return res, fmt.Errorf("erasing person %s: %w", person, err)
	}
	return res, nil
}

// nextStamp returns a stamp that orders after every register of st and
// is no earlier than now.
func nextStamp(st *changeset.State, now time.Time) hlc.Stamp {
	stamp := hlc.Make(now.UnixMilli(), 0)
	for _, reg := range st.Fields {
		stamp = max(stamp, reg.Stamp+1)
	}
	return stamp
}

// personState returns a person's current state, from the records or, for a
// deleted person that compaction purged, from the purged registers.
func (p *Pool) personState(tx *bolt.Tx, person ulid.ULID) (*changeset.State, error) {
	key := recordKey(record.KindPerson, person)
	raw := tx.Bucket(bucketRecords).Get(key)
	if raw == nil {
		raw = tx.Bucket(bucketPurged).Get(key)
	}
	if raw == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoPerson, person)
	}
	return p.loadForUpdate(record.KindPerson, person, raw)
}

// PersonsByIDNumber returns the persons whose resident ID number is id,
// looked up by its keyed hash. Deleted persons are included; erased ones
// are not, because erasure clears the ID number.
func (p *Pool) PersonsByIDNumber(id string) ([]ulid.ULID, error) {
	p.indexMu.RLock()
	defer p.indexMu.RUnlock()
	prefix := p.vault.LookupHash(id)
	var out []ulid.ULID
	err := p.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketIDIndex).Cursor()
		for k, _ := c.Seek(prefix); k != nil && len(k) == len(prefix)+16 && string(k[:len(prefix)]) == string(prefix); k, _ = c.Next() {
			var person ulid.ULID
			copy(person[:], k[len(prefix):])
			out = append(out, person)
		}
		return nil
	})
	return out, err
}

// reconcileErasures erases again every person the vault lists as erased
// whose record does not show it, as after a restore from a backup made
// before the erasure. Their keys are gone already, so no lookup key
// rotation follows: the index was rebuilt when the pool opened.
func (p *Pool) reconcileErasures() error {
	erased, err := p.vault.ErasedPersons()
	if err != nil {
		return err
	}
	for _, person := range erased {
		var pending bool
		err := p.db.View(func(tx *bolt.Tx) error {
			raw := tx.Bucket(bucketRecords).Get(recordKey(record.KindPerson, person))
			if raw == nil {
				return nil
			}
			st, err := decodeStored(record.KindPerson, person, raw)
			if err != nil {
				return err
			}
			pending = st.Fields[record.FieldErased].Value == ""
			for _, field := range record.PersonalFields {
				pending = pending || st.Fields[field].Value != ""
			}
			return nil
		})
		if err != nil {
			return err
		}
		if !pending {
			continue
		}
		if _, err := p.erase(person, "restore"); err != nil {
			return err
		}
		p.log.Info("erasure applied again to a restored pool", "person", person)
	}
	return nil
}
