package pool

import (
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/access"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// reviewRefusal returns the reason the pool refuses change c of a history
// record (a kind that goes through review), or "" when the review rules
// allow it. It checks c against the record's review state as the pool holds
// it after the earlier accepted changes of the push, which history caches.
//
// On top of access.CheckHistoryChange:
//   - A new version names, in FieldSupersedes, a record of the same kind
//     and scope that the pool holds or the push created, never itself.
//   - Who decided, when and why (FieldReviewBy, FieldReviewAt,
//     FieldReviewReason) is written only while the record is approved or
//     returned, so a refused approval leaves no approver behind.
//   - A value sent again after a restore (Prev equal to Stamp) that equals
//     the stored one changes nothing, so it passes even on an approved
//     record.
func reviewRefusal(tx *bolt.Tx, role access.Role, c changeset.Change, known pushKnown) (protocol.Code, error) {
	st, err := historyState(tx, c, known.history)
	if err != nil {
		return "", err
	}
	current := st.Fields[record.FieldReview].Value
	if isReplay(c) && st.Fields[c.Field].Value == c.Value {
		return "", nil
	}
	if err := access.CheckHistoryChange(role, current, c); err != nil {
		return protocol.CodeOf(err), nil
	}
	switch c.Field {
	case record.FieldReviewBy, record.FieldReviewAt, record.FieldReviewReason:
		if c.Value != "" && current != record.ReviewApproved && current != record.ReviewReturned {
			return protocol.CodeReview, nil
		}
	case record.FieldSupersedes:
		if c.Value == "" {
			return "", nil
		}
		prev, err := ulid.ParseStrict(c.Value)
		if err != nil || prev == c.ID {
			return protocol.CodeInvalid, nil
		}
		scope, exists, err := recordScope(tx, c.Kind, prev, known)
		if err != nil {
			return "", err
		}
		if !exists || scope != c.Scope {
			return protocol.CodeInvalid, nil
		}
	}
	return "", nil
}

// historyState returns the state of the history record c changes, as the
// pool holds it with the accepted changes of the push applied (sortPushed
// applies them to cache). A record the pool does not hold starts empty, so
// its review state reads as a draft.
func historyState(tx *bolt.Tx, c changeset.Change, cache map[string]*changeset.State) (*changeset.State, error) {
	keyBytes := recordKeyOf(c.Kind, c.ID)
	if st, ok := cache[string(keyBytes[:])]; ok {
		return st, nil
	}
	key := string(keyBytes[:])
	st := changeset.NewState(c.Kind, c.ID, c.Scope)
	if raw := tx.Bucket(bucketRecords).Get(keyBytes[:]); raw != nil {
		var err error
		if st, err = decodeStored(c.Kind, c.ID, raw); err != nil {
			return nil, err
		}
	}
	cache[key] = st
	return st, nil
}

// restoreRefused returns, for each refused change to a field of a record
// in states (history records, or province records from
// refusedProvinceStates), a change the server makes that writes the pool's
// value of that field again with a stamp after the refused one. The device that made the
// refused change keeps its value locally, under a newer stamp than the
// pool's. It pulls this change, which wins the merge, so a refused review
// move (a late approval, a take-back after an approval) ends with every
// replica holding the pool's state.
//
// It leaves out refusals for scope, whose record the device cannot pull,
// fields whose value the device already shares with the pool, and deleted
// records, which the device learns of otherwise. A refused stamp more than
// MaxSkew after now is capped there, so a device clock years ahead does not
// push the pool's register into the future.
//
// NOTE: the device whose clock is that far ahead keeps its refused value
// until it writes the field again.
func restoreRefused(sp sortedPush, states map[string]*changeset.State, now time.Time) []changeset.Change {
	saneUntil := hlc.Make(now.UnixMilli()+MaxSkew.Milliseconds(), 0)
	var out []changeset.Change
	index := map[string]int{} // record key + field → position in out
	for i, c := range sp.refusedChanges {
		reason := sp.refused[i].Reason
		if reason == protocol.CodeScope || reason == protocol.CodeInvalid {
			continue
		}
		st := states[string(recordKey(c.Kind, c.ID))]
		if st == nil || st.Deleted() || st.Scope != c.Scope {
			continue
		}
		cur := st.Fields[c.Field]
		if cur.Value == c.Value {
			continue
		}
		stamp := max(cur.Stamp, min(c.Stamp, saneUntil)) + 1
		key := string(recordKey(c.Kind, c.ID)) + "\x00" + c.Field
		if j, ok := index[key]; ok {
			out[j].Stamp = max(out[j].Stamp, stamp)
			continue
		}
		index[key] = len(out)
		out = append(out, changeset.Change{Kind: c.Kind, ID: c.ID, Scope: c.Scope, Field: c.Field,
			Value: cur.Value, Stamp: stamp, Prev: cur.Stamp, Device: serverDevice})
	}
	return out
}

// countedStates returns the history records of kind that count in
// matching and statistics: approved, not deleted, and the latest version,
// which no other record of the kind supersedes. A superseded version does
// not count even when approved, because its correction waits for review.
func (p *Pool) countedStates(tx *bolt.Tx, kind record.Kind) ([]*changeset.State, error) {
	superseded := map[string]bool{}
	var approved []*changeset.State
	c := tx.Bucket(bucketRecords).Cursor()
	for k, v := c.Seek([]byte{byte(kind)}); k != nil && k[0] == byte(kind); k, v = c.Next() {
		var id [16]byte
		copy(id[:], k[1:])
		st, err := p.loadOpen(kind, id, v)
		if err != nil {
			return nil, err
		}
		if prev := st.Fields[record.FieldSupersedes].Value; prev != "" {
			superseded[prev] = true
		}
		if !st.Deleted() && st.Fields[record.FieldReview].Value == record.ReviewApproved {
			approved = append(approved, st)
		}
	}
	out := approved[:0]
	for _, st := range approved {
		if !superseded[st.ID.String()] {
			out = append(out, st)
		}
	}
	return out, nil
}

// EachCounted calls fn for every history record of kind that counts in
// matching and statistics (see countedStates), in key order.
func (p *Pool) EachCounted(kind record.Kind, fn func(*changeset.State) error) error {
	return p.db.View(func(tx *bolt.Tx) error {
		states, err := p.countedStates(tx, kind)
		if err != nil {
			return err
		}
		for _, st := range states {
			if err := fn(st); err != nil {
				return err
			}
		}
		return nil
	})
}
