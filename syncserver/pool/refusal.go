package pool

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/access"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// bucketRefused keeps the refusals of every push, so a repeated push gets
// the same ack: device id + 0 + big-endian seq → JSON protocol.Refusal.
var bucketRefused = []byte("refused")

// sortedPush is the new part of a push, sorted by what happens to each
// change.
type sortedPush struct {
	records []changeset.Change // allowed changes to records, for the log
	access  []changeset.Change // allowed access events, for the audit log only
	refused []protocol.Refusal
	// refusedChanges are the refused changes, in the order of refused.
	refusedChanges []changeset.Change
	acked          uint64 // the last sequence taken: the push's end unless cut short
	// history holds the history records the push changes, with its
	// accepted changes applied, for restoreRefused.
	history map[string]*changeset.State
	// absent contains the records that were neither stored nor purged before
	// the push (see pushKnown).
	absent map[string]bool
}

// sortPushed checks each change of a push the pool has not applied yet,
// in order, and sorts it into allowed and refused. already is the number
// of refusals the ack carries for the known part of the push. When the
// refusals reach MaxRefusalsPerAck, the push is cut before the change that
// would be refused next.
func (p *Pool) sortPushed(tx *bolt.Tx, d Device, changes []changeset.Change, already int) (sortedPush, error) {
	known := pushKnown{scopes: map[string]string{}, erased: map[ulid.ULID]bool{},
		history: map[string]*changeset.State{}, absent: map[string]bool{}}
	sp := sortedPush{acked: changes[len(changes)-1].Seq, history: known.history, absent: known.absent,
		records: make([]changeset.Change, 0, len(changes))}
	for _, c := range changes {
		code, err := p.refusalOf(tx, d, c, known)
		if err != nil {
			return sp, err
		}
		if code == "" {
			if c.Kind == record.KindAccess {
				sp.access = append(sp.access, c)
				continue
			}
			sp.records = append(sp.records, c)
			key := recordKeyOf(c.Kind, c.ID)
			if known.scopes[string(key[:])] == "" {
				known.scopes[string(key[:])] = c.Scope
			}
			if c.Kind == record.KindPerson && c.Field == record.FieldErased && c.Value != "" {
				known.erased[c.ID] = true
			}
			if st := known.history[string(key[:])]; st != nil {
				st.Apply(c)
			}
			continue
		}
		if already+len(sp.refused) >= MaxRefusalsPerAck {
			sp.acked = c.Seq - 1
			break
		}
		sp.refused = append(sp.refused, protocol.Refusal{Seq: c.Seq, Kind: uint8(c.Kind), Record: c.ID.String(),
			Field: c.Field, Reason: code})
		sp.refusedChanges = append(sp.refusedChanges, c)
	}
	return sp, nil
}

// pushKnown caches what refusalOf reads about the records a push names.
type pushKnown struct {
	// scopes holds the scope of each record read or created, for
	// recordScope.
	scopes map[string]string
	// erased holds whether each person read is erased, including persons
	// an earlier change of the push erased.
	erased map[ulid.ULID]bool
	// history holds the state of each history record read, with the
	// push's accepted changes applied, so a review move is checked against
	// the state the earlier changes of the push left.
	history map[string]*changeset.State
	// absent contains the keys of records that were neither stored nor
	// purged when the push began, so applying it need not look again.
	absent map[string]bool
}

// refusalOf returns the reason the pool refuses change c of device d, or ""
// when it applies it.
func (p *Pool) refusalOf(tx *bolt.Tx, d Device, c changeset.Change, known pushKnown) (protocol.Code, error) {
	role := access.Role(d.Role)
	var err error
	if isReplayedItem(c) {
		// A conflict item the server made, supplied again after a restore:
		// any role may return it to its own scope.
		err = access.CheckScope(role, d.College, c)
	} else {
		err = access.CheckChange(role, d.College, c)
	}
	if err != nil {
		return protocol.CodeOf(err), nil
	}

	if c.Kind != record.KindAccess {
		// A record keeps the scope it was created in: a change naming it
		// with another scope would move it out of its college.
		scope, exists, err := recordScope(tx, c.Kind, c.ID, known)
		if err != nil {
			return "", err
		}
		if exists && scope != c.Scope {
			return protocol.CodeScope, nil
		}
		// No device makes conflict items: a resolution names one the
		// server made.
		if c.Kind == record.KindConflict && !exists && !isReplayedItem(c) {
			return protocol.CodeInvalid, nil
		}
	}

	if validate.Stored(c.Kind, c.Field, c.Value, nil) != nil {
		return protocol.CodeInvalid, nil
	}
	// An erased person's personal fields stay empty, and the erasure
	// cannot be undone: a device that was offline learns of it from the
	// refusal.
	if c.Kind == record.KindPerson &&
		(record.IsPersonal(c.Kind, c.Field) && c.Value != "" || c.Field == record.FieldErased && c.Value == "") {
		erased, err := p.personErased(tx, c.ID, known.erased)
		if err != nil {
			return "", err
		}
		if erased {
			return protocol.CodeErased, nil
		}
	}
	if c.Kind == record.KindAccess && !validAccessValue(c) {
		return protocol.CodeInvalid, nil
	}
	if c.Kind.Reviewed() {
		return reviewRefusal(tx, role, c, known)
	}
	return "", nil
}

// personErased reports whether a person was erased: their key is
// destroyed in the vault, their stored record carries the erasure mark, or
// an earlier change of the push erased them. The record's mark counts on
// its own, because a vault copied before the erasure and restored with a
// later pool still holds the key. applyHooks.refuse would drop the value
// then, so the device must hear why. It keeps the result in cache.
func (p *Pool) personErased(tx *bolt.Tx, id ulid.ULID, cache map[ulid.ULID]bool) (bool, error) {
	if erased, ok := cache[id]; ok {
		return erased, nil
	}
	erased := p.vault.Erased(id)
	if !erased {
		if raw := tx.Bucket(bucketRecords).Get(recordKey(record.KindPerson, id)); raw != nil {
			st, err := changeset.DecodeState(record.KindPerson, id, raw)
			if err != nil {
				return false, fmt.Errorf("reading person %s: %w", id, err)
			}
			erased = st.Fields[record.FieldErased].Value != ""
		}
	}
	cache[id] = erased
	return erased, nil
}

// recordScope returns the scope of a record the pool holds, or that this
// push created, and whether there is one. It adds the scopes it reads to
// known.scopes, which holds the records the push created, and notes in
// known.absent the records that are neither stored nor purged.
func recordScope(tx *bolt.Tx, kind record.Kind, id ulid.ULID, known pushKnown) (string, bool, error) {
	scopes := known.scopes
	keyBytes := recordKeyOf(kind, id)
	key := keyBytes[:]
	if scope, ok := scopes[string(key)]; ok {
		return scope, true, nil
	}
	if raw := tx.Bucket(bucketRecords).Get(key); raw != nil {
		st, err := changeset.DecodeState(kind, id, raw)
		if err != nil {
			return "", false, err
		}
		scopes[string(key)] = st.Scope
		return st.Scope, true, nil
	}
	if raw := tx.Bucket(bucketPurged).Get(key); raw != nil {
		marks, err := changeset.Decode(raw, changeset.DefaultLimits)
		if err != nil {
			return "", false, fmt.Errorf("reading purged %s %s: %w", kind, id, err)
		}
		if len(marks) > 0 {
			return marks[0].Scope, true, nil
		}
		return "", false, nil
	}
	known.absent[string(key)] = true
	return "", false, nil
}

// validAccessValue reports whether a field of an access event holds what
// the audit log may keep: person field names, or the reveal or export
// action. Free text would let a device write personal data into the audit
// log.
func validAccessValue(c changeset.Change) bool {
	switch c.Field {
	case record.FieldFields:
		for _, f := range strings.Split(c.Value, ",") {
			if !record.HasField(record.KindPerson, f) {
				return false
			}
		}
	case record.FieldAction:
		return c.Value == record.AccessReveal || c.Value == record.AccessExport
	}
	return true
}

func refusalKey(device string, seq uint64) []byte {
	k := make([]byte, 0, len(device)+9)
	k = append(k, device...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

// storeRefusals keeps the refusals of a push for repeated pushes of it.
func storeRefusals(tx *bolt.Tx, device string, refused []protocol.Refusal) error {
	if len(refused) == 0 {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(bucketRefused)
	if err != nil {
		return err
	}
	for _, r := range refused {
		raw, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := b.Put(refusalKey(device, r.Seq), raw); err != nil {
			return err
		}
	}
	return nil
}

// storedRefusals returns the refusals stored for a device's changes
// from..to. When there are more than MaxRefusalsPerAck, it returns the
// first MaxRefusalsPerAck and, as cut, the sequence before the next one;
// cut is 0 otherwise.
func storedRefusals(tx *bolt.Tx, device string, from, to uint64) (refused []protocol.Refusal, cut uint64, err error) {
	b := tx.Bucket(bucketRefused)
	if b == nil {
		return nil, 0, nil
	}
	prefix := refusalKey(device, 0)[:len(device)+1]
	c := b.Cursor()
	for k, v := c.Seek(refusalKey(device, from)); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, v = c.Next() {
		seq := binary.BigEndian.Uint64(k[len(prefix):])
		if seq > to {
			break
		}
		if len(refused) == MaxRefusalsPerAck {
			return refused, seq - 1, nil
		}
		var r protocol.Refusal
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, 0, fmt.Errorf("reading refusal %d of device %s: %w", seq, device, err)
		}
		refused = append(refused, r)
	}
	return refused, 0, nil
}
