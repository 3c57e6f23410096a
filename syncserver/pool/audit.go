package pool

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// Audit actions.
const (
	ActionWrite   = "write"   // a device changed fields of a record
	ActionRefuse  = "refuse"  // the server refused a pushed change
	ActionReveal  = "reveal"  // an account showed a person's personal fields in full
	ActionExport  = "export"  // an account exported a report or the person list with personal fields in full
	ActionEnrol   = "enrol"   // a device enrolled with a one-time code
	ActionRevoke  = "revoke"  // the central office revoked a device
	ActionErase   = "erase"   // a person's personal fields were erased on request
	ActionResolve = "resolve" // a reviewer resolved a conflict item
	ActionRestore = "restore" // syncserver restore replaced the pool with a backup
	// ActionReplay: a device supplied again, after a restore, values it
	// or the server had written before (changes with Prev equal to Stamp).
	// The device's own replays carry no account, because a record keeps
	// only the device of each value.
	ActionReplay = "replay"
)

// ActionEnrolRefused is an enrolment the server refused: an unknown or
// expired code, a code of another college, a revoked device, or a known
// device id without proof of its key.
const ActionEnrolRefused = "enrol_refused"

// AuditActions lists the actions in the order help text shows them.
var AuditActions = []string{ActionWrite, ActionRefuse, ActionReveal, ActionExport, ActionEnrol, ActionEnrolRefused, ActionRevoke, ActionErase, ActionResolve, ActionRestore, ActionReplay, ActionMerge, ActionApart, ActionUndoMerge}

// Reasons of a restore entry: what became of the audit log of the pool
// the backup replaced.
const (
	// RestoreCarried: the replaced pool's entries written after the
	// backup follow the backup's entries.
	RestoreCarried = "restore_carried"
	// RestoreDiverged: the replaced pool's log does not extend the
	// backup's, so its entries after the last one both share follow the
	// backup's entries with new sequence numbers and hashes.
	RestoreDiverged = "restore_diverged"
	// RestoreNoLivePool: there was no pool to replace, so the log is the
	// backup's.
	RestoreNoLivePool = "restore_no_live_pool"
)

// AuditEntry is one entry of the audit log: who did what to which record,
// and when. It holds field names, never field values, so the log holds no
// personal data beyond record ids.
type AuditEntry struct {
	Seq     uint64      `json:"seq"`  // position in the log, from 1; set by the pool
	Time    time.Time   `json:"time"` // server time; the pool's clock when zero
	Device  string      `json:"device,omitempty"`
	Role    string      `json:"role,omitempty"`    // the device's role at the time
	Account string      `json:"account,omitempty"` // the local account signed in on the device
	Action  string      `json:"action"`            // one of AuditActions
	Kind    record.Kind `json:"kind,omitempty"`
	Record  string      `json:"record,omitempty"` // the record's ULID
	// Person is the ULID of the person the entry is about: the record
	// itself for a person, the person of a training, internship or access
	// event. Empty when the push did not name one.
	Person string   `json:"person,omitempty"`
	Scope  string   `json:"scope,omitempty"`  // the record's college code
	Fields []string `json:"fields,omitempty"` // field names, never values
	// Reason is the protocol code of a refusal, or one of the Restore
	// reasons for a restore entry.
	Reason string `json:"reason,omitempty"`
	// Backup and BackupHead name the backup file of a restore entry and
	// the hash of its last audit entry. Carried counts the entries taken
	// over from the replaced pool.
	Backup     string `json:"backup,omitempty"`
	BackupHead string `json:"backup_head,omitempty"`
	Carried    uint64 `json:"carried,omitempty"`
	// Revoked lists the devices a restore entry marked revoked, because
	// the replaced pool had revoked them after the backup was written.
	Revoked []string `json:"revoked,omitempty"`
	// Prev is the hex SHA-256 of the previous entry as stored, "" for the
	// first entry. It chains the entries, so changing or removing one
	// breaks the chain at the entry after it.
	Prev string `json:"prev"`
}

var (
	// bucketAudit holds the audit log: big-endian seq → JSON AuditEntry.
	bucketAudit = []byte("audit")
	// keyAuditHead is the hex SHA-256 of the last audit entry, so removing
	// entries from the end also breaks the chain.
	keyAuditHead = []byte("audit_head")
)

// ErrAuditChain is returned by VerifyAudit when an entry does not match
// the hash the entry after it stores.
var ErrAuditChain = errors.New("audit log chain broken")

// AuditChainError reports where VerifyAudit found the chain broken. Entry
// Seq, or the hash stored after it, was changed; Seq 0 means an entry is
// missing before the one named in the message.
type AuditChainError struct {
	Seq    uint64
	Detail string
}

func (e *AuditChainError) Error() string {
	return fmt.Sprintf("%v at entry %d: %s", ErrAuditChain, e.Seq, e.Detail)
}

func (e *AuditChainError) Unwrap() error { return ErrAuditChain }

// Audit appends an entry for an action taken outside a push, such as an
// enrolment, a revocation or an erasure, in its own transaction.
func (p *Pool) Audit(e AuditEntry) error {
	err := p.db.Update(func(tx *bolt.Tx) error {
		return p.appendAudit(tx, e)
	})
	if err != nil {
		return fmt.Errorf("writing audit entry %s: %w", e.Action, err)
	}
	return nil
}

// appendAudit appends entries to the audit log within tx, setting each one's
// sequence, previous-entry hash and, when zero, its time.
func (p *Pool) appendAudit(tx *bolt.Tx, entries ...AuditEntry) error {
	return appendAuditAt(tx, p.now(), entries...)
}

// appendAuditAt is appendAudit with now as the time of entries without one.
func appendAuditAt(tx *bolt.Tx, now time.Time, entries ...AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(bucketAudit)
	if err != nil {
		return err
	}
	// Appending in key order lets bbolt fill pages completely.
	b.FillPercent = 1.0
	meta := tx.Bucket(bucketMeta)
	prev := string(meta.Get(keyAuditHead))
	for _, e := range entries {
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		e.Seq, e.Prev = seq, prev
		if e.Time.IsZero() {
			e.Time = now
		}
		raw, err := marshalAudit(e)
		if err != nil {
			return err
		}
		if err := b.Put(seqKey(seq), raw); err != nil {
			return err
		}
		prev = hashEntry(raw)
	}
	return meta.Put(keyAuditHead, []byte(prev))
}

func hashEntry(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// AuditFilter selects audit entries. Empty fields match every entry; From
// and To bound the entry's time, From inclusive and To exclusive.
type AuditFilter struct {
	// Person is a person's ULID or resident ID number. An ID number is
	// looked up through the keyed hash index, so it finds every person
	// record that carries it. After an erasure it finds none.
	Person  string
	Account string
	Device  string
	From    time.Time
	To      time.Time
}

func (f AuditFilter) match(e AuditEntry, persons map[string]bool) bool {
	switch {
	case f.Person != "" && !persons[e.Person] && !persons[e.Record]:
		return false
	case f.Account != "" && e.Account != f.Account:
		return false
	case f.Device != "" && e.Device != f.Device:
		return false
	case !f.From.IsZero() && e.Time.Before(f.From):
		return false
	case !f.To.IsZero() && !e.Time.Before(f.To):
		return false
	}
	return true
}

// AuditEntries returns the audit entries that match f, oldest first.
// NOTE: it reads the whole log; a person's entries need an index once the
// log holds years of pushes.
func (p *Pool) AuditEntries(f AuditFilter) ([]AuditEntry, error) {
	persons := map[string]bool{}
	if f.Person != "" {
		if _, err := ulid.ParseStrict(f.Person); err == nil {
			persons[f.Person] = true
		} else {
			ids, err := p.PersonsByIDNumber(f.Person)
			if err != nil {
				return nil, err
			}
			if len(ids) == 0 {
				return nil, nil
			}
			for _, id := range ids {
				persons[id.String()] = true
			}
		}
	}
	var out []AuditEntry
	err := p.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("reading audit entry %x: %w", k, err)
			}
			if f.match(e, persons) {
				out = append(out, e)
			}
			return nil
		})
	})
	return out, err
}

// AuditSummary is the result of VerifyAudit: the entries it checked and the head hash.
type AuditSummary struct {
	Entries uint64 // entries in the log
	Head    string // hex SHA-256 of the last entry; "" for an empty log
}

// VerifyAudit walks the audit log and checks that every entry carries the
// hash of the one before it, that the sequence has no gap, and that the
// last entry matches the stored head. It returns an *AuditChainError for
// the first break.
//
// The chain shows an entry changed or removed in the pool file by hand. It
// does not stop someone who rewrites every later entry and the head as
// well: compare Head with a value noted down earlier to catch that.
func (p *Pool) VerifyAudit() (AuditSummary, error) {
	var sum AuditSummary
	err := p.db.View(func(tx *bolt.Tx) error {
		head := string(tx.Bucket(bucketMeta).Get(keyAuditHead))
		b := tx.Bucket(bucketAudit)
		if b == nil {
			if head != "" {
				return &AuditChainError{Detail: "the log is missing but its head hash is stored"}
			}
			return nil
		}
		prev := ""
		var last uint64
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			seq := binary.BigEndian.Uint64(k)
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return &AuditChainError{Seq: seq, Detail: "entry is not valid JSON"}
			}
			if seq != last+1 || e.Seq != seq {
				return &AuditChainError{Seq: last + 1, Detail: fmt.Sprintf("entry missing; next stored key is %d holding seq %d", seq, e.Seq)}
			}
			if e.Prev != prev {
				return &AuditChainError{Seq: last, Detail: fmt.Sprintf("entry %d stores a hash that does not match it", seq)}
			}
			prev = hashEntry(v)
			last = seq
		}
		if head != prev {
			return &AuditChainError{Seq: last, Detail: "the last entry does not match the stored head hash"}
		}
		sum = AuditSummary{Entries: last, Head: prev}
		return nil
	})
	return sum, err
}

// pushAudit returns the audit entries of a push: one per record and account
// for the applied changes, kept apart from the replayed ones, one per
// access event, and one per refused change. It reads the person of a
// training, internship or conflict item the push did not name from the
// records, which tx has updated already.
func pushAudit(tx *bolt.Tx, d Device, sp sortedPush) ([]AuditEntry, error) {
	type group struct {
		kind    record.Kind
		id      ulid.ULID
		account string
		replay  bool
	}
	var order []group
	entries := map[group]*AuditEntry{}
	var lastGroup group
	var lastEntry *AuditEntry
	for i := range len(sp.records) + len(sp.access) {
		var c changeset.Change
		if i < len(sp.records) {
			c = sp.records[i]
		} else {
			c = sp.access[i-len(sp.records)]
		}
		replay := isReplay(c)
		g := group{c.Kind, c.ID, c.Account, replay}
		// A record's changes mostly come one after another, so the
		// previous change's entry is tried before the map.
		e, ok := lastEntry, lastEntry != nil && g == lastGroup
		if !ok {
			e, ok = entries[g]
		}
		if !ok {
			e = &AuditEntry{Device: d.ID, Role: d.Role, Account: c.Account, Action: ActionWrite,
				Kind: c.Kind, Record: c.ID.String(), Scope: c.Scope}
			if replay {
				e.Action = ActionReplay
			}
			if c.Kind == record.KindPerson {
				e.Person = e.Record
			}
			entries[g] = e
			order = append(order, g)
		}
		lastGroup, lastEntry = g, e
		switch {
		case replay:
			// A replay restores what was written before: it neither
			// resolves nor erases anew.
			if c.Field == record.FieldPerson {
				e.Person = c.Value
			}
		case c.Kind == record.KindAccess:
			// The entry names the fields shown, not the event's own fields.
			// NOTE: an event whose fields fall into two pushes gets two
			// entries, each with what its own push carried. An event without
			// an export action, as older devices send, is a reveal.
			if e.Action != ActionExport {
				e.Action = ActionReveal
			}
			switch c.Field {
			case record.FieldAction:
				if c.Value == record.AccessExport {
					e.Action = ActionExport
				}
			case record.FieldPerson:
				e.Person = c.Value
			case record.FieldFields:
				e.Fields = strings.Split(c.Value, ",")
			}
			continue
		case c.Kind == record.KindConflict:
			e.Action = ActionResolve
		case c.Field == record.FieldErased && c.Value != "":
			e.Action = ActionErase
		case c.Field == record.FieldPerson:
			e.Person = c.Value
		}
		if !slices.Contains(e.Fields, c.Field) {
			e.Fields = append(e.Fields, c.Field)
		}
	}

	out := make([]AuditEntry, 0, len(order)+len(sp.refused))
	for _, g := range order {
		e := entries[g]
		if e.Person == "" {
			person, err := personOfRecord(tx, g.kind, g.id)
			if err != nil {
				return nil, err
			}
			e.Person = person
		}
		out = append(out, *e)
	}
	for i, r := range sp.refused {
		c := sp.refusedChanges[i]
		e := AuditEntry{Device: d.ID, Role: d.Role, Account: c.Account, Action: ActionRefuse, Kind: c.Kind,
			Record: r.Record, Scope: c.Scope, Fields: []string{c.Field}, Reason: string(r.Reason)}
		switch {
		case c.Kind == record.KindPerson:
			e.Person = e.Record
		case c.Field == record.FieldPerson:
			e.Person = c.Value
		default:
			// A refused change to another scope's record names that
			// record's person, as the pool holds it.
			person, err := personOfRecord(tx, c.Kind, c.ID)
			if err != nil {
				return nil, err
			}
			e.Person = person
		}
		out = append(out, e)
	}
	return out, nil
}

// isReplay reports whether c supplies again a value written before a
// restore: a device's own write or a server-made conflict item, which the
// device queues with Prev equal to Stamp. A new write always has a stamp
// after the one it replaced.
func isReplay(c changeset.Change) bool { return c.Prev == c.Stamp }

// personOfRecord returns the ULID of the person a stored record concerns:
// the person itself, the person of a history record (training, internship,
// assessment, award, certificate, counselling), and for a conflict item
// the person of the record it is about. It returns "" when
// the pool does not hold the record or it names no person.
func personOfRecord(tx *bolt.Tx, kind record.Kind, id ulid.ULID) (string, error) {
	switch {
	case kind == record.KindPerson:
		return id.String(), nil
	case kind.Reviewed(), kind == record.KindConflict:
	default:
		return "", nil
	}
	raw := tx.Bucket(bucketRecords).Get(recordKey(kind, id))
	if raw == nil {
		return "", nil
	}
	st, err := changeset.DecodeState(kind, id, raw)
	if err != nil {
		return "", fmt.Errorf("reading %s %s for the audit log: %w", kind, id, err)
	}
	if kind != record.KindConflict {
		return st.Fields[record.FieldPerson].Value, nil
	}
	// The item names its record by kind and ULID in the clear: only the
	// winner and loser values may be sealed.
	about, ok := record.KindFromString(st.Fields[record.FieldRecordKind].Value)
	aboutID, err := ulid.ParseStrict(st.Fields[record.FieldRecord].Value)
	if !ok || err != nil || about == record.KindConflict {
		return "", nil
	}
	return personOfRecord(tx, about, aboutID)
}
