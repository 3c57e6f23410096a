package store

import (
	"errors"
	"fmt"
	"sort"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/access"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// ErrProvinceRole is returned for a local write to a record of
// record.ProvinceScope (an employer, a job demand, a merge decision, or a
// conflict item about one) on a device whose role is not the central
// office's. Such devices pull these records read-only, and the server
// would reject the change anyway.
var ErrProvinceRole = errors.New("only the central office may change employers, job demands and merge decisions")

// mayWriteProvince reports whether this device's role may write the
// province scope.
func (s *Store) mayWriteProvince() bool {
	return access.Role(s.role()).MayWriteProvince()
}

// scopeFor returns the scope a new record of kind gets on this device:
// record.ProvinceScope for the province kinds, the college otherwise.
func scopeFor(kind record.Kind, college string) string {
	if access.ProvinceKind(kind) {
		return record.ProvinceScope
	}
	return college
}

// pulledScope reports whether a pulled change may enter this store: one of
// the device's own scope, or a province record (access.InProvinceScope).
func pulledScope(college string, c changeset.Change) bool {
	if c.Scope == record.ProvinceScope {
		return access.InProvinceScope(c.Kind)
	}
	return c.Scope == college && !access.ProvinceKind(c.Kind)
}

// SaveEmployer writes an employer of the provincial directory and returns
// it with its id. An empty ID makes a new employer with a new ULID. Only a
// central-office device may save one (ErrProvinceRole otherwise). Saving
// checks nothing else: the screen validates the values first.
func (s *Store) SaveEmployer(e record.Employer) (record.Employer, error) {
	id, err := s.save(record.KindEmployer, e.ID, e.Fields())
	if err != nil {
		return e, err
	}
	e.ID, e.Scope = id, record.ProvinceScope
	return e, nil
}

// Employers returns every employer not deleted, by name.
func (s *Store) Employers() ([]record.Employer, error) {
	states, err := s.liveStates(record.KindEmployer)
	if err != nil {
		return nil, err
	}
	out := make([]record.Employer, len(states))
	for i, st := range states {
		out[i] = record.EmployerFrom(st.ID.String(), st.Scope, st.Values())
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Employer returns the employer with the given id, or ErrNotFound when the
// store lacks it or it is deleted.
func (s *Store) Employer(id string) (record.Employer, error) {
	st, err := s.liveState(record.KindEmployer, id)
	if err != nil {
		return record.Employer{}, err
	}
	return record.EmployerFrom(st.ID.String(), st.Scope, st.Values()), nil
}

// DeleteEmployer marks an employer deleted. Only a central-office device
// may (ErrProvinceRole otherwise).
func (s *Store) DeleteEmployer(id string) error {
	return s.Delete(record.KindEmployer, id)
}

// SaveDemand writes a job demand and returns it with its id, as
// SaveEmployer does.
func (s *Store) SaveDemand(d record.Demand) (record.Demand, error) {
	id, err := s.save(record.KindDemand, d.ID, d.Fields())
	if err != nil {
		return d, err
	}
	d.ID, d.Scope = id, record.ProvinceScope
	return d, nil
}

// Demands returns every job demand not deleted, newest first (reverse ULID
// order), open and closed alike: a new demand heads its list.
func (s *Store) Demands() ([]record.Demand, error) {
	states, err := s.liveStates(record.KindDemand)
	if err != nil {
		return nil, err
	}
	out := make([]record.Demand, len(states))
	for i, st := range states {
		out[len(states)-1-i] = record.DemandFrom(st.ID.String(), st.Scope, st.Values())
	}
	return out, nil
}

// Demand returns the job demand with the given id, or ErrNotFound when the
// store lacks it or it is deleted.
func (s *Store) Demand(id string) (record.Demand, error) {
	st, err := s.liveState(record.KindDemand, id)
	if err != nil {
		return record.Demand{}, err
	}
	return record.DemandFrom(st.ID.String(), st.Scope, st.Values()), nil
}

// DeleteDemand marks a job demand deleted. Only a central-office device
// may (ErrProvinceRole otherwise).
func (s *Store) DeleteDemand(id string) error {
	return s.Delete(record.KindDemand, id)
}

// Merges returns every merge decision not deleted, oldest first. Undoing a
// decision deletes it.
func (s *Store) Merges() ([]record.Merge, error) {
	states, err := s.liveStates(record.KindMerge)
	if err != nil {
		return nil, err
	}
	out := make([]record.Merge, len(states))
	for i, st := range states {
		out[i] = record.MergeFrom(st.ID.String(), st.Scope, st.Values())
	}
	return out, nil
}

// liveStates returns the records of kind not deleted, in ULID order.
func (s *Store) liveStates(kind record.Kind) ([]*changeset.State, error) {
	var out []*changeset.State
	err := s.view(func(tx *bolt.Tx) error {
		return s.eachState(tx, kind, func(st *changeset.State) error {
			if !st.Deleted() {
				out = append(out, st)
			}
			return nil
		})
	})
	return out, err
}

// liveState returns a record not deleted, or an error wrapping ErrNotFound.
func (s *Store) liveState(kind record.Kind, id string) (*changeset.State, error) {
	st, err := s.state(kind, id)
	if err != nil {
		return nil, err
	}
	if st.Deleted() {
		return nil, fmt.Errorf("%s %s is deleted: %w", kind, id, ErrNotFound)
	}
	return st, nil
}

// dropRefusedProvince deletes, in tx, the province records named by
// refusals for role that hold only this device's writes. The server never
// accepted any of their changes, so the pool lacks them, and the replica
// returns to the pool's state by dropping them. A province record that
// came from the server stays: the server logs its own values again with
// the refusal, and the next pull restores them.
func (s *Store) dropRefusedProvince(tx *bolt.Tx, refused []protocol.Refusal) error {
	for _, r := range refused {
		kind := record.Kind(r.Kind)
		if r.Reason != protocol.CodeRole || !access.ProvinceKind(kind) {
			continue
		}
		id, err := ulid.ParseStrict(r.Record)
		if err != nil {
			continue
		}
		st, err := s.getState(tx, kind, id)
		if err != nil {
			return err
		}
		if st == nil || st.Scope != record.ProvinceScope || !onlyWrittenBy(st, s.device) {
			continue
		}
		if err := tx.Bucket(bucketRecords).Delete(recordKey(kind, id)); err != nil {
			return err
		}
		s.log.Info("dropped a province record the server refused", "kind", kind, "record", r.Record)
	}
	return nil
}

// onlyWrittenBy reports whether every register of st was written by device.
func onlyWrittenBy(st *changeset.State, device string) bool {
	for _, reg := range st.Fields {
		if reg.Device != device {
			return false
		}
	}
	return true
}
