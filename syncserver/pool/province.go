package pool

import (
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// refusedProvinceStates returns the pool's state of each province record
// that a refused change of the push names, keyed by record key, for
// restoreRefused: a device that may not write the province scope then
// pulls the pool's values back in place of its own. A record the pool does
// not hold is left out, because there is nothing to send back. The device
// drops such a record itself when it stores the refusal.
func refusedProvinceStates(tx *bolt.Tx, sp sortedPush) (map[string]*changeset.State, error) {
	states := map[string]*changeset.State{}
	records := tx.Bucket(bucketRecords)
	for _, c := range sp.refusedChanges {
		if c.Scope != record.ProvinceScope {
			continue
		}
		key := recordKey(c.Kind, c.ID)
		if _, ok := states[string(key)]; ok {
			continue
		}
		raw := records.Get(key)
		if raw == nil {
			continue
		}
		st, err := decodeStored(c.Kind, c.ID, raw)
		if err != nil {
			return nil, err
		}
		states[string(key)] = st
	}
	return states, nil
}
