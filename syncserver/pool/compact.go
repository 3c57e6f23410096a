package pool

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// ErrResync is returned by Pull for a cursor before the start of the
// scope's compacted log: the device must start again from a snapshot.
var ErrResync = errors.New("cursor before the compacted log: resync from a snapshot")

// AwayLimit is how long a device may stay out of contact before compaction
// stops waiting for it; such a device resyncs from a snapshot.
const AwayLimit = 30 * 24 * time.Hour

func logStartKey(scope string) []byte { return []byte("log_start:" + scope) }

// LogStart returns the log sequence up to which a scope's log was compacted.
func (p *Pool) LogStart(scope string) uint64 {
	var start uint64
	_ = p.db.View(func(tx *bolt.Tx) error {
		start = getUint(tx.Bucket(bucketMeta), logStartKey(scope))
		return nil
	})
	return start
}

// RecordPulled stores how far a device has pulled, for compaction.
func (p *Pool) RecordPulled(device string, cursor uint64) error {
	return p.db.Update(func(tx *bolt.Tx) error {
		d, err := getDevice(tx, device)
		if err != nil {
			return err
		}
		if cursor <= d.Pulled {
			return nil
		}
		d.Pulled = cursor
		return putDevice(tx, d)
	})
}

// CompactResult is a summary of what Compact removed.
type CompactResult struct {
	Horizon       uint64 // the scope's log start after compaction
	Entries       int    // log entries removed
	Tombstones    int    // deleted records purged
	WaitedDevices int    // devices whose pull position set the horizon
}

// Compact removes the log entries of a scope that every device pulling it
// has pulled (every device, for record.ProvinceScope), and moves the deleted records whose last change is
// among them out of the records and snapshots. Compaction does not wait for
// revoked devices, nor for devices out of contact for longer than
// AwayLimit, and their next pull
// gets the instruction to resync from a snapshot. A purged
// record's registers are kept aside, so a late edit of it becomes a
// conflict item rather than bringing it back, and an undelete restores it
// whole.
func (p *Pool) Compact(scope string) (CompactResult, error) {
	var res CompactResult
	err := p.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		horizon := uint64(0)
		first := true
		cutoff := p.now().Add(-AwayLimit)
		err := tx.Bucket(bucketDevices).ForEach(func(_, v []byte) error {
			d, err := decodeDevice(v)
			if err != nil {
				return err
			}
			if !pullsScope(d.College, scope) || d.LastContact.Before(cutoff) || d.Revoked() {
				return nil
			}
			res.WaitedDevices++
			if first || d.Pulled < horizon {
				horizon, first = d.Pulled, false
			}
			return nil
		})
		if err != nil {
			return err
		}
		start := getUint(meta, logStartKey(scope))
		if first || horizon <= start {
			res.Horizon = start
			return nil
		}

		// Remove the scope's log entries up to the horizon.
		scopeLog := tx.Bucket(bucketScopeLog)
		logB := tx.Bucket(bucketLog)
		prefix := append([]byte(scope), 0)
		var doomed [][]byte
		c := scopeLog.Cursor()
		for k, _ := c.Seek(prefix); k != nil && len(k) == len(prefix)+8 && string(k[:len(prefix)]) == string(prefix); k, _ = c.Next() {
			if binary.BigEndian.Uint64(k[len(prefix):]) > horizon {
				break
			}
			doomed = append(doomed, append([]byte(nil), k...))
		}
		for _, k := range doomed {
			if err := logB.Delete(k[len(prefix):]); err != nil {
				return err
			}
			if err := scopeLog.Delete(k); err != nil {
				return err
			}
		}
		res.Entries = len(doomed)

		// Purge deleted records last changed at or before the horizon.
		records := tx.Bucket(bucketRecords)
		recordSeq := tx.Bucket(bucketRecordSeq)
		scopeRecords := tx.Bucket(bucketScopeRecords)
		var purge, marks [][]byte
		rc := scopeRecords.Cursor()
		for k, _ := rc.Seek(prefix); k != nil && len(k) == len(prefix)+17 && string(k[:len(prefix)]) == string(prefix); k, _ = rc.Next() {
			key := k[len(prefix):]
			raw := records.Get(key)
			if raw == nil || getUint(recordSeq, key) > horizon {
				continue
			}
			var id [16]byte
			copy(id[:], key[1:])
			st, err := decodeStored(record.Kind(key[0]), id, raw)
			if err != nil {
				return err
			}
			if st.Deleted() {
				purge = append(purge, append([]byte(nil), k...))
				// Keep the registers, so a late edit or an undelete
				// restores exactly what every device holds.
				marks = append(marks, changeset.EncodeState(st))
			}
		}
		purged := tx.Bucket(bucketPurged)
		for i, k := range purge {
			key := k[len(prefix):]
			mark := marks[i]
			for _, del := range []func() error{
				func() error { return records.Delete(key) },
				func() error { return recordSeq.Delete(key) },
				func() error { return scopeRecords.Delete(k) },
				func() error { return purged.Put(key, mark) },
			} {
				if err := del(); err != nil {
					return err
				}
			}
		}
		res.Tombstones = len(purge)
		res.Horizon = horizon
		return putUint(meta, logStartKey(scope), horizon)
	})
	if err != nil {
		return CompactResult{}, fmt.Errorf("compacting %s: %w", scope, err)
	}
	p.log.Info("log compacted", "college", scope, "horizon", res.Horizon, "entries", res.Entries, "tombstones", res.Tombstones)
	return res, nil
}

// Scopes returns the colleges that have records in the pool.
func (p *Pool) Scopes() ([]string, error) {
	var out []string
	err := p.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketScopeRecords).Cursor()
		for k, _ := c.First(); k != nil; {
			i := 0
			for i < len(k) && k[i] != 0 {
				i++
			}
			scope := string(k[:i])
			out = append(out, scope)
			k, _ = c.Seek(append([]byte(scope), 1))
		}
		return nil
	})
	return out, err
}
