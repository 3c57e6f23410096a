package pool

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// PulledScopes returns the scopes a device enrolled with scope pulls, in
// the order a snapshot reads them: its own, then record.ProvinceScope,
// which holds the employers, job demands and merge decisions every device
// reads.
func PulledScopes(scope string) []string {
	if scope == record.ProvinceScope {
		return []string{scope}
	}
	return []string{scope, record.ProvinceScope}
}

// pullsScope reports whether a device enrolled with deviceScope pulls the
// log of scope.
func pullsScope(deviceScope, scope string) bool {
	return deviceScope == scope || scope == record.ProvinceScope
}

// scopeHead returns the sequence of the last log entry of one scope, 0
// when there is none.
func scopeHead(tx *bolt.Tx, scope string) uint64 {
	c := tx.Bucket(bucketScopeLog).Cursor()
	k, _ := c.Seek(scopeKey(scope, ^uint64(0)))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if k != nil && len(k) == len(scope)+9 && string(k[:len(scope)]) == scope && k[len(scope)] == 0 {
		return binary.BigEndian.Uint64(k[len(scope)+1:])
	}
	return 0
}

// scopeLogCursor walks one scope's index of the change log in sequence
// order. After next, ok reports whether it points at an entry.
type scopeLogCursor struct {
	scope  string
	prefix []byte
	c      *bolt.Cursor
	ok     bool
	seq    uint64
	device string // the entry's sole device, or ""
}

func newScopeLogCursor(tx *bolt.Tx, scope string, after uint64) *scopeLogCursor {
	lc := &scopeLogCursor{scope: scope, prefix: scopeKey(scope, 0)[:len(scope)+1], c: tx.Bucket(bucketScopeLog).Cursor()}
	lc.read(lc.c.Seek(scopeKey(scope, after+1)))
	return lc
}

func (lc *scopeLogCursor) read(k, v []byte) {
	lc.ok = k != nil && len(k) == len(lc.prefix)+8 && bytes.HasPrefix(k, lc.prefix)
	if lc.ok {
		lc.seq = binary.BigEndian.Uint64(k[len(lc.prefix):])
		lc.device = string(v)
	}
}

func (lc *scopeLogCursor) next() { lc.read(lc.c.Next()) }

// earliest returns the cursor at the lowest sequence, nil when all are
// done.
func earliest(cursors []*scopeLogCursor) *scopeLogCursor {
	var first *scopeLogCursor
	for _, lc := range cursors {
		if lc.ok && (first == nil || lc.seq < first.seq) {
			first = lc
		}
	}
	return first
}

// Pull returns the changes a device enrolled with scope pulls, from the
// log entries after cursor, whole entries until the page holds at least
// limit changes. These are the entries of scope and of
// record.ProvinceScope (PulledScopes), merged in sequence order, so one
// cursor covers both. Changes made by exclude, the pulling device, are left
// out because it has them already, unless the server corrected their
// stamps.
//
// Pull returns ErrResync when cursor lies before the compacted start of
// either log.
func (p *Pool) Pull(scope string, cursor uint64, limit int, exclude string) (Page, error) {
	page := Page{Cursor: cursor}
	err := p.db.View(func(tx *bolt.Tx) error {
		scopes := PulledScopes(scope)
		cursors := make([]*scopeLogCursor, len(scopes))
		for i, s := range scopes {
			if start := getUint(tx.Bucket(bucketMeta), logStartKey(s)); cursor < start {
				return fmt.Errorf("%w: cursor %d, log of %s starts after %d", ErrResync, cursor, s, start)
			}
			cursors[i] = newScopeLogCursor(tx, s, cursor)
		}
		logB := tx.Bucket(bucketLog)
		for lc := earliest(cursors); lc != nil; lc = earliest(cursors) {
			if len(page.Changes) >= limit {
				page.More = true
				break
			}
			seq, device := lc.seq, lc.device
			lc.next()
			if exclude != "" && device == exclude {
				page.Cursor = seq
				continue
			}
			changes, err := changeset.Decode(logB.Get(seqKey(seq)), storedLimits)
			if err == nil {
				err = p.openChanges(changes)
			}
			if err != nil {
				return fmt.Errorf("reading log entry %d: %w", seq, err)
			}
			for _, ch := range changes {
				// The scope index names only entries of the scope, so a
				// change of another scope here means a corrupt index:
				// fail rather than send it to a device.
				if ch.Scope != lc.scope {
					return fmt.Errorf("log entry %d in the index of %s contains a change of %s", seq, lc.scope, ch.Scope)
				}
				// A device's own change comes back only with a corrected stamp.
				if ch.Device != exclude || ch.Raw != 0 {
					page.Changes = append(page.Changes, ch)
				}
			}
			page.Cursor = seq
		}
		return nil
	})
	return page, err
}

// Snapshot returns the current registers of the records a device enrolled
// with scope reads, deleted ones included, as changes: one page of whole
// records holding at least limit changes, starting after the position from
// (empty for the first page). It reads the scopes of PulledScopes one after
// the other, so a new device gets every province record too. It returns
// the position of the next page, or nil after the last.
//
// A device's first sync reads the snapshot instead of the whole log. Pages
// are read in separate transactions, so a record changed meanwhile may show
// its newer value. The device then pulls the log from the head it saw before
// the snapshot, and the merge rule makes the overlap harmless.
func (p *Pool) Snapshot(scope string, from []byte, limit int) ([]changeset.Change, []byte, error) {
	scopes := PulledScopes(scope)
	first := 0
	if len(from) > 0 {
		first = -1
		for i, s := range scopes {
			if bytes.HasPrefix(from, append([]byte(s), 0)) {
				first = i
			}
		}
		if first < 0 {
			return nil, nil, fmt.Errorf("%w: snapshot position outside scope %s", ErrInvalid, scope)
		}
	}
	var out []changeset.Change
	var next []byte
	err := p.db.View(func(tx *bolt.Tx) error {
		for i := first; i < len(scopes); i++ {
			pos := from
			if i != first {
				if len(out) >= limit {
					// The page is full: the next one starts at this scope.
					next = scopeStart(scopes[i])
					return nil
				}
				pos = nil
			}
			var err error
			out, next, err = p.snapshotScope(tx, scopes[i], pos, limit, out)
			if err != nil || next != nil {
				return err
			}
		}
		return nil
	})
	return out, next, err
}

// scopeStart returns the snapshot position before a scope's first record:
// a record key of kind 0, which no record has.
func scopeStart(scope string) []byte {
	return scopeRecordKey(scope, 0, [16]byte{})
}
