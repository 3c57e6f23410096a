package pool

import (
	"fmt"
	"sort"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// PushResult is the outcome of ApplyPush.
type PushResult struct {
	Acked   uint64 // the sequence the device may delete its outbox up to
	Applied int    // changes appended to the log; 0 for a repeated push
	Head    uint64 // the change log's last sequence
	// Refused lists the changes of the acknowledged range the pool did not
	// apply, with the reason. A repeated push gets the same list.
	Refused []protocol.Refusal
}

// MaxRefusalsPerAck bounds the refusals one push returns, so the ack's
// JSON header stays under protocol.MaxHeader (a refusal takes at most
// about 110 bytes). A push with more is applied and acknowledged up to the
// change before the first refusal that does not fit, and the device pushes
// the rest again.
const MaxRefusalsPerAck = 400

// ApplyPush merges a device's outbox entries from..to in one transaction,
// and stores the device's new high-water mark in the same transaction.
//
// Each change is checked on its own against the device's scope and role
// (access.CheckChange), against the form the desktop stores
// (validate.Stored) and, for a history record, against its review state
// (reviewRefusal). A change that fails is refused: it is not applied, it
// is listed in PushResult.Refused and in the audit log, and the rest of the
// push is applied. For a refused change to a history record or to a
// province record, the pool logs its own value of the field again
// (restoreRefused). A push the pool
// has already applied, wholly or in part, is acknowledged with the
// refusals stored for it, without applying the known entries twice.
//
// A whole push is rejected, with nothing applied, when it starts after a
// gap (ErrSequence), when its changes do not fill its range or are
// malformed (ErrInvalid), and when it carries changes made by another
// device (ErrScope).
func (p *Pool) ApplyPush(deviceID string, from, to uint64, changes []changeset.Change) (PushResult, error) {
	var res PushResult
	if from == 0 || to < from {
		return res, fmt.Errorf("%w: range %d..%d", ErrInvalid, from, to)
	}
	// Batch lets pushes of many devices that arrive together share one
	// transaction and one fsync. bbolt may run this function again, alone,
	// when another push of the batch fails, so it starts from the
	// transaction's state every time.
	err := p.db.Batch(func(tx *bolt.Tx) error {
		res = PushResult{}
		d, err := getDevice(tx, deviceID)
		if err != nil {
			return err
		}
		if d.Revoked() {
			return ErrRevoked
		}
		res.Acked = d.Acked
		if from > d.Acked+1 {
			return fmt.Errorf("%w: push starts at %d, the server has up to %d", ErrSequence, from, d.Acked)
		}
		// The entries the pool has already applied get the refusals
		// stored for them, as in the ack the device may have lost.
		if from <= d.Acked {
			known, cut, err := storedRefusals(tx, d.ID, from, min(to, d.Acked))
			if err != nil {
				return err
			}
			res.Refused, res.Acked = known, min(to, d.Acked)
			if cut != 0 {
				res.Acked = cut
				return nil
			}
		}
		if to <= d.Acked {
			return nil
		}
		// The push must carry every entry of its range exactly once, in
		// order: an ack for entries it lacks would make the device delete
		// changes the server never saw.
		if uint64(len(changes)) != to-from+1 {
			return fmt.Errorf("%w: range %d..%d with %d changes", ErrInvalid, from, to, len(changes))
		}
		for i, c := range changes {
			if c.Seq != from+uint64(i) {
				return fmt.Errorf("%w: change %d of range %d..%d has seq %d", ErrInvalid, i, from, to, c.Seq)
			}
			if err := checkPushed(c, d); err != nil {
				return err
			}
		}
		sorted, err := p.sortPushed(tx, d, changes[d.Acked+1-from:], len(res.Refused))
		if err != nil {
			return err
		}
		corrected := correctStamps(sorted.records, time.Duration(d.SkewMillis)*time.Millisecond, p.now())
		corrected = append(corrected, restoreRefused(sorted, sorted.history, p.now())...)
		province, err := refusedProvinceStates(tx, sorted)
		if err != nil {
			return err
		}
		corrected = append(corrected, restoreRefused(sorted, province, p.now())...)
		applied, head, err := p.appendChangesKnown(tx, corrected, 0, true, sorted.absent)
		if err != nil {
			return err
		}
		if err := storeRefusals(tx, d.ID, sorted.refused); err != nil {
			return err
		}
		entries, err := pushAudit(tx, d, sorted)
		if err != nil {
			return err
		}
		if err := p.appendAudit(tx, entries...); err != nil {
			return err
		}
		d.Acked = sorted.acked
		res.Acked, res.Applied, res.Head = sorted.acked, applied, head
		res.Refused = append(res.Refused, sorted.refused...)
		return putDevice(tx, d)
	})
	if err != nil {
		return PushResult{Acked: res.Acked}, fmt.Errorf("applying push %d..%d of device %s: %w", from, to, deviceID, err)
	}
	p.afterApply()
	if len(res.Refused) > 0 {
		p.log.Info("push changes refused", "device", deviceID, "from", from, "to", to, "refused", len(res.Refused), "acked", res.Acked)
	}
	if res.Applied > 0 {
		p.wake()
	}
	return res, nil
}

// checkPushed checks what makes a whole push invalid: a malformed change,
// or one made by another device.
func checkPushed(c changeset.Change, d Device) error {
	if err := changeset.Validate(c, changeset.DefaultLimits); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	// d.ID is canonical (CheckDeviceID), so this also rejects another
	// spelling of the device's own id.
	if c.Device != d.ID && !isReplayedItem(c) {
		return fmt.Errorf("%w: change made by device %s", ErrScope, c.Device)
	}
	return nil
}

// isReplayedItem reports whether c is a field of a conflict item the server
// made, which a device supplies again after a restore (Prev equal to Stamp).
func isReplayedItem(c changeset.Change) bool {
	return c.Kind == record.KindConflict && c.Device == serverDevice && c.Prev == c.Stamp
}

// trustedBatch bounds the changes ApplyTrusted writes per transaction:
// bbolt splits nodes only at commit, so one huge transaction spends its time
// moving keys inside ever larger nodes.
const trustedBatch = 10_000

// ApplyTrusted merges changes that come from the server's own tools (the
// demo-data generator), with no device or scope check. It commits every
// trustedBatch changes, so a failure can leave the earlier batches applied.
func (p *Pool) ApplyTrusted(changes []changeset.Change) (int, error) {
	for _, c := range changes {
		if err := changeset.Validate(c, changeset.DefaultLimits); err != nil {
			return 0, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
	}
	var applied int
	for start := 0; start < len(changes); start += trustedBatch {
		batch := changes[start:min(start+trustedBatch, len(changes))]
		err := p.db.Update(func(tx *bolt.Tx) error {
			n, _, err := p.appendChanges(tx, batch, 0, false)
			applied += n
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("applying %d changes: %w", len(changes), err)
		}
	}
	p.afterApply()
	p.wake()
	return applied, nil
}

// appendChanges merges each change with Seq above skipBelow into its record
// and appends the changes to the change log, winners or not, so the log
// keeps every value ever written. The changes of one scope become one log
// entry, so a push costs one log write rather than one per field. With
// detect set, a change that conflicts with the record's current state also
// makes a conflict item, logged with the change.
func (p *Pool) appendChanges(tx *bolt.Tx, changes []changeset.Change, skipBelow uint64, detect bool) (int, uint64, error) {
	return p.appendChangesKnown(tx, changes, skipBelow, detect, nil)
}

// appendChangesKnown is appendChanges for a caller that knows which
// records are neither stored nor purged in tx (absent, keyed by
// recordKey), so it does not read them.
func (p *Pool) appendChangesKnown(tx *bolt.Tx, changes []changeset.Change, skipBelow uint64, detect bool, absent map[string]bool) (int, uint64, error) {
	meta := tx.Bucket(bucketMeta)
	logB := tx.Bucket(bucketLog)
	scopeB := tx.Bucket(bucketScopeLog)
	records := tx.Bucket(bucketRecords)
	scopeRecords := tx.Bucket(bucketScopeRecords)
	purged := tx.Bucket(bucketPurged)
	recordSeq := tx.Bucket(bucketRecordSeq)
	// Appending in key order lets bbolt fill pages completely.
	logB.FillPercent = 1.0
	head := getUint(meta, keyLogSeq)
	hooks := p.newApplyHooks(tx)
	seals := sealCache{}

	states := map[string]*changeset.State{}
	byScope := map[string][]changeset.Change{}
	var scopes []string
	for i, c := range changes {
		if skipBelow > 0 && c.Seq <= skipBelow {
			continue
		}
		keyBytes := recordKeyOf(c.Kind, c.ID)
		key := keyBytes[:]
		st, ok := states[string(key)]
		if !ok {
			var raw []byte
			if !absent[string(key)] {
				raw = records.Get(key)
			}
			if raw != nil {
				var err error
				if st, err = p.loadForUpdateCached(c.Kind, c.ID, raw, seals); err != nil {
					return 0, 0, err
				}
			} else {
				// Sizing the map for the record's run of changes saves
				// growing it field by field.
				st = &changeset.State{Kind: c.Kind, ID: c.ID, Scope: c.Scope,
					Fields: make(map[string]changeset.Register, recordRun(changes[i:]))}
				if err := scopeRecords.Put(scopeRecordKey(c.Scope, c.Kind, c.ID), nil); err != nil {
					return 0, 0, err
				}
			}
			states[string(key)] = st
			hooks.loaded(st)
		}
		if st.Scope != c.Scope {
			return 0, 0, fmt.Errorf("%w: %s %s moves from college %s to %s", ErrScope, c.Kind, c.ID, st.Scope, c.Scope)
		}
		if hooks.refuse(st, c) {
			continue
		}
		if _, ok := byScope[c.Scope]; !ok {
			scopes = append(scopes, c.Scope)
			// Most pushes have one scope: room for the rest of the
			// changes saves growing the entry change by change.
			byScope[c.Scope] = make([]changeset.Change, 0, len(changes)-i)
		}
		// Only a record without registers can have been purged, so the
		// purged bucket is read once per new record, not per change.
		if len(st.Fields) == 0 && !absent[string(key)] {
			if err := p.restorePurged(purged, key, st); err != nil {
				return 0, 0, err
			}
		}
		if detect {
			for _, item := range conflictsOf(st, c) {
				key := string(recordKey(item.Kind, item.ID))
				states[key] = item
				if err := scopeRecords.Put(scopeRecordKey(item.Scope, item.Kind, item.ID), nil); err != nil {
					return 0, 0, err
				}
				byScope[c.Scope] = append(byScope[c.Scope], item.Changes()...)
			}
		}
		st.Apply(c)
		byScope[c.Scope] = append(byScope[c.Scope], c)
	}

	if err := hooks.finish(states, byScope, &scopes); err != nil {
		return 0, 0, err
	}
	applied := 0
	for _, scope := range scopes {
		entry := byScope[scope]
		// The entry is this function's own copy of the changes, so its
		// values are sealed in place.
		if err := hooks.sealEntry(entry, states, seals); err != nil {
			return 0, 0, err
		}
		head++
		if err := logB.Put(seqKey(head), changeset.Encode(entry)); err != nil {
			return 0, 0, err
		}
		// The index value names the device when one device made the whole
		// entry, so a pull can skip that device's own entries unread.
		if err := scopeB.Put(scopeKey(scope, head), []byte(soleDevice(entry))); err != nil {
			return 0, 0, err
		}
		applied += len(entry)
	}
	// One entry per scope was appended, so each scope's records were last
	// changed by that scope's entry.
	entrySeq := map[string]uint64{}
	for i, scope := range scopes {
		entrySeq[scope] = head - uint64(len(scopes)-1-i)
	}
	// Writing in key order keeps bbolt from shifting keys inside its nodes.
	keys := make([]string, 0, len(states))
	for key := range states {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	// The states are this function's own, and nothing reads them after
	// they are written, so their values are sealed in place. One slice
	// holds each state's changes in turn for the encoder: the output is
	// what changeset.EncodeState writes.
	var stateChanges []changeset.Change
	for _, key := range keys {
		st := states[key]
		if err := p.sealStateInPlace(st, seals); err != nil {
			return 0, 0, err
		}
		stateChanges = st.AppendChanges(stateChanges[:0])
		if err := records.Put([]byte(key), changeset.Encode(stateChanges)); err != nil {
			return 0, 0, err
		}
		if err := putUint(recordSeq, []byte(key), entrySeq[st.Scope]); err != nil {
			return 0, 0, err
		}
	}
	if err := putUint(meta, keyLogSeq, head); err != nil {
		return 0, 0, err
	}
	if err := putUint(meta, keyLogChanges, getUint(meta, keyLogChanges)+uint64(applied)); err != nil {
		return 0, 0, err
	}
	if err := hooks.destroyKeys(); err != nil {
		return 0, 0, err
	}
	return applied, head, nil
}

// recordRun returns how many changes at the start of changes are to the
// same record as the first. A device pushes a record's changes together.
func recordRun(changes []changeset.Change) int {
	n := 1
	for n < len(changes) && changes[n].ID == changes[0].ID && changes[n].Kind == changes[0].Kind {
		n++
	}
	return n
}

// recordKeyBytes is a record's key, as recordKey returns it, in an array,
// so the loops over a push's changes can look records up in maps and
// buckets without allocating a key per change.
type recordKeyBytes [1 + len(ulid.ULID{})]byte

func recordKeyOf(kind record.Kind, id ulid.ULID) recordKeyBytes {
	var k recordKeyBytes
	k[0] = byte(kind)
	copy(k[1:], id[:])
	return k
}

// restorePurged restores the registers of a record that was deleted and
// purged into st, so an edit cannot bring the record back unnoticed, and
// removes its purge mark. It does nothing for a record not purged.
func (p *Pool) restorePurged(purged *bolt.Bucket, key []byte, st *changeset.State) error {
	mark := purged.Get(key)
	if mark == nil {
		return nil
	}
	marks, err := changeset.Decode(mark, storedLimits)
	if err == nil {
		err = p.openChangesForUpdate(marks)
	}
	if err != nil {
		return fmt.Errorf("reading purged %s %s: %w", st.Kind, st.ID, err)
	}
	for _, m := range marks {
		st.Apply(m)
	}
	return purged.Delete(key)
}

// Head returns the sequence of the last change-log entry that a device
// enrolled with scope pulls (see PulledScopes), 0 when there is none. It is
// never below a log start, so a device behind a log that compaction
// emptied still pulls and learns to resync.
func (p *Pool) Head(scope string) uint64 {
	var head uint64
	_ = p.db.View(func(tx *bolt.Tx) error {
		for _, s := range PulledScopes(scope) {
			head = max(head, scopeHead(tx, s), getUint(tx.Bucket(bucketMeta), logStartKey(s)))
		}
		return nil
	})
	return head
}

// Page is one page of pulled changes.
type Page struct {
	Changes []changeset.Change
	Cursor  uint64 // sequence of the last log entry read, or the request's cursor
	More    bool
}

// Stats counts live records by college and kind. History records (kinds
// that go through review) count only when approved and not superseded by
// a newer version, as in matching.
type Stats struct {
	ByCollege  map[string]map[record.Kind]int
	Total      map[record.Kind]int
	LogSeq     uint64 // entries in the change log
	LogChanges uint64 // changes in the change log
	Devices    int
	// UnreadablePersons counts persons, not erased, whose personal values
	// keys.db cannot open; devices receive those values empty.
	UnreadablePersons int
}

// Stats counts the pool's live records.
// NOTE: it scans every record; fine for a college-sized pool, slow for a
// province of a million people.
func (p *Pool) Stats() (Stats, error) {
	s := Stats{ByCollege: map[string]map[record.Kind]int{}, Total: map[record.Kind]int{}}
	err := p.db.View(func(tx *bolt.Tx) error {
		s.LogSeq = getUint(tx.Bucket(bucketMeta), keyLogSeq)
		s.LogChanges = getUint(tx.Bucket(bucketMeta), keyLogChanges)
		s.Devices = tx.Bucket(bucketDevices).Stats().KeyN
		err := tx.Bucket(bucketRecords).ForEach(func(k, v []byte) error {
			if record.Kind(k[0]).Reviewed() {
				return nil
			}
			var id [16]byte
			copy(id[:], k[1:])
			st, err := decodeStored(record.Kind(k[0]), id, v)
			if err != nil {
				return err
			}
			if !st.Deleted() {
				s.count(st)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, kind := range record.HistoryKinds {
			counted, err := p.countedStates(tx, kind)
			if err != nil {
				return err
			}
			for _, st := range counted {
				s.count(st)
			}
		}
		return nil
	})
	if err == nil {
		s.UnreadablePersons, err = p.UnreadablePersons()
	}
	return s, err
}

func (s *Stats) count(st *changeset.State) {
	if s.ByCollege[st.Scope] == nil {
		s.ByCollege[st.Scope] = map[record.Kind]int{}
	}
	s.ByCollege[st.Scope][st.Kind]++
	s.Total[st.Kind]++
}

// Each calls fn for every live record of a kind, in key order.
func (p *Pool) Each(kind record.Kind, fn func(*changeset.State) error) error {
	return p.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRecords).Cursor()
		for k, v := c.Seek([]byte{byte(kind)}); k != nil && k[0] == byte(kind); k, v = c.Next() {
			var id [16]byte
			copy(id[:], k[1:])
			st, err := p.loadOpen(kind, id, v)
			if err != nil {
				return err
			}
			if st.Deleted() {
				continue
			}
			if err := fn(st); err != nil {
				return err
			}
		}
		return nil
	})
}

// Now returns the pool's clock reading.
func (p *Pool) Now() time.Time { return p.now() }

// soleDevice returns the device that made every change, or "" when several
// did. It also returns "" when a stamp was corrected, because the device
// that made the change must pull the corrected stamp back.
func soleDevice(changes []changeset.Change) string {
	if len(changes) == 0 {
		return ""
	}
	for _, c := range changes {
		if c.Device != changes[0].Device || c.Raw != 0 {
			return ""
		}
	}
	return changes[0].Device
}

// MaxSkew is how far a device clock may be from the server's before the
// server corrects the device's stamps.
const MaxSkew = 10 * time.Minute

// correctStamps returns the changes with stamps corrected for a device
// clock that is wrong, keeping each device stamp as Raw. A device whose
// clock was skew ahead of the server's at its last contact has skew taken
// off its stamps. Then, if the latest stamp still lies more than MaxSkew
// after now, every stamp of the push moves back by the same amount so the
// latest is now. So a PC dated 2031 cannot win every race, and its own
// changes keep their order.
func correctStamps(changes []changeset.Change, skew time.Duration, now time.Time) []changeset.Change {
	var shift int64
	if skew > MaxSkew || skew < -MaxSkew {
		shift = skew.Milliseconds()
	}
	latest := int64(0)
	for _, c := range changes {
		latest = max(latest, c.Stamp.WallMillis()-shift)
	}
	if nowMillis := now.UnixMilli(); latest > nowMillis+MaxSkew.Milliseconds() {
		shift += latest - nowMillis
	}
	if shift == 0 {
		return changes
	}
	out := make([]changeset.Change, len(changes))
	saneUntil := hlc.Make(now.UnixMilli()+MaxSkew.Milliseconds(), 0)
	for i, c := range changes {
		wall := max(1, c.Stamp.WallMillis()-shift)
		corrected := hlc.Make(wall, c.Stamp.Logical())
		// A write always orders after the value it replaced, whatever the
		// correction: the skew measured now may not be the one the device
		// had when it wrote. Only a replaced stamp that is itself sane counts.
		if c.Prev != 0 && c.Prev <= saneUntil && corrected <= c.Prev {
			corrected = c.Prev + 1
		}
		if corrected == c.Stamp {
			out[i] = c
			continue
		}
		c.Raw = c.Stamp
		c.Stamp = corrected
		out[i] = c
	}
	return out
}

// serverDevice is the device id of the changes the server makes itself.
const serverDevice = "server"

// conflictsOf returns the conflict items c makes when merged into st. A
// delete makes one for each field another device wrote after the newest
// stamp the deleting device had seen (its Prev): an edit the deleting clerk
// did not know of. Any other change makes at most one, from conflictOf.
func conflictsOf(st *changeset.State, c changeset.Change) []*changeset.State {
	if c.Kind == record.KindConflict || c.Prev == c.Stamp {
		return nil
	}
	if c.Field != record.FieldDeleted || c.Value != "1" {
		if item := conflictOf(st, c); item != nil {
			return []*changeset.State{item}
		}
		return nil
	}
	if st.Deleted() {
		return nil
	}
	var items []*changeset.State
	for _, field := range record.FieldsOf(c.Kind) {
		reg, ok := st.Fields[field]
		if !ok || field == record.FieldDeleted || reg.Device == c.Device || reg.Stamp <= c.Prev || reg.Value == "" {
			continue
		}
		items = append(items, newConflictItem(c, field, record.ConflictDeleted,
			changeset.Register{Value: "", Stamp: c.Stamp, Device: c.Device}, reg))
	}
	return items
}

// conflictOf returns a new conflict item when c, about to be merged into
// st, conflicts with it, and nil otherwise. Two cases conflict: c changes a
// field to a new value from a starting point other than the field's current
// stamp (someone else wrote the field since the device last saw it), and c
// edits a record that is deleted.
func conflictOf(st *changeset.State, c changeset.Change) *changeset.State {
	cur, had := st.Fields[c.Field]
	reason := ""
	switch {
	case c.Field != record.FieldDeleted && st.Deleted():
		reason = record.ConflictDeleted
		cur = st.Fields[record.FieldDeleted]
		cur.Value = ""
	case had && cur.Value != c.Value && c.Prev != cur.Stamp && (cur.Raw == 0 || c.Prev != cur.Raw):
		reason = record.ConflictSameField
	default:
		return nil
	}

	winner, loser := cur, changeset.Register{Value: c.Value, Stamp: c.Stamp, Device: c.Device}
	if reason == record.ConflictSameField && cur.Wins(c.Stamp, c.Device) {
		winner, loser = loser, winner
	}
	return newConflictItem(c, c.Field, reason, winner, loser)
}

// newConflictItem returns the state of a new conflict item about field of
// the record c changes, stamped with c's stamp by the server.
func newConflictItem(c changeset.Change, field, reason string, winner, loser changeset.Register) *changeset.State {
	item := record.Conflict{RecordKind: c.Kind, Record: c.ID.String(), Field: field, Reason: reason,
		Winner: winner.Value, WinnerDevice: winner.Device, WinnerStamp: uint64(winner.Stamp),
		Loser: loser.Value, LoserDevice: loser.Device, LoserStamp: uint64(loser.Stamp),
		Status: record.ConflictOpen}
	st2 := changeset.NewState(record.KindConflict, ulid.Make(), c.Scope)
	for name, value := range item.Fields() {
		if value == "" {
			continue
		}
		st2.Apply(changeset.Change{Kind: record.KindConflict, ID: st2.ID, Scope: c.Scope, Field: name,
			Value: value, Stamp: c.Stamp, Device: serverDevice})
	}
	return st2
}
