package store

import (
	"errors"
	"fmt"
	"sort"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

// ErrDirectoryRole is returned for a write to the employer directory or
// the job demands on a device whose role is not central: only the central
// office keeps them, and other devices pull them read-only.
var ErrDirectoryRole = errors.New("only a central office device may change employers and job demands")

// SaveEmployer writes an employer of the directory in record.ProvinceScope
// and returns it with its id. A new employer (empty ID) gets a fresh ULID.
func (s *Store) SaveEmployer(e record.Employer) (record.Employer, error) {
	id, err := s.saveProvince(record.KindEmployer, e.ID, e.Fields())
	if err != nil {
		return e, err
	}
	e.ID, e.Scope = id, record.ProvinceScope
	return e, nil
}

// Employers returns every employer not deleted, by name.
func (s *Store) Employers() ([]record.Employer, error) {
	states, err := s.latest(record.KindEmployer, nil)
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

// Employer returns the employer with the given id.
func (s *Store) Employer(id string) (record.Employer, error) {
	st, err := s.state(record.KindEmployer, id)
	if err != nil {
		return record.Employer{}, err
	}
	return record.EmployerFrom(st.ID.String(), st.Scope, st.Values()), nil
}

// DeleteEmployer marks an employer deleted. Its job demands stay, and the
// list shows them without an employer name.
func (s *Store) DeleteEmployer(id string) error {
	_, err := s.saveProvince(record.KindEmployer, id, map[string]string{record.FieldDeleted: "1"})
	return err
}

// SaveDemand writes a job demand in record.ProvinceScope and returns it
// with its id. A new demand (empty ID) gets a fresh ULID.
func (s *Store) SaveDemand(d record.Demand) (record.Demand, error) {
	id, err := s.saveProvince(record.KindDemand, d.ID, d.Fields())
	if err != nil {
		return d, err
	}
	d.ID, d.Scope = id, record.ProvinceScope
	return d, nil
}

// Demands returns every job demand not deleted, newest first.
func (s *Store) Demands() ([]record.Demand, error) {
	states, err := s.latest(record.KindDemand, nil)
	if err != nil {
		return nil, err
	}
	out := make([]record.Demand, len(states))
	for i, st := range states {
		out[len(states)-1-i] = record.DemandFrom(st.ID.String(), st.Scope, st.Values())
	}
	return out, nil
}

// Demand returns the job demand with the given id.
func (s *Store) Demand(id string) (record.Demand, error) {
	st, err := s.state(record.KindDemand, id)
	if err != nil {
		return record.Demand{}, err
	}
	return record.DemandFrom(st.ID.String(), st.Scope, st.Values()), nil
}

// DeleteDemand marks a job demand deleted.
func (s *Store) DeleteDemand(id string) error {
	_, err := s.saveProvince(record.KindDemand, id, map[string]string{record.FieldDeleted: "1"})
	return err
}

// saveProvince writes one record of the province scope as saveBatch
// writes a college's records: only changed fields become changes, and the
// record and its outbox entry are written in one transaction.
func (s *Store) saveProvince(kind record.Kind, idText string, fields map[string]string) (string, error) {
	ident, ok := s.Identity()
	if !ok {
		return "", ErrNotEnrolled
	}
	if access.Role(ident.Role) != access.Central {
		return "", fmt.Errorf("saving %s: %w", kind, ErrDirectoryRole)
	}
	id := ulid.Make()
	if idText != "" {
		var err error
		if id, err = ulid.ParseStrict(idText); err != nil {
			return "", fmt.Errorf("record id %q: %w", idText, err)
		}
	}
	if err := s.reserveMap(1); err != nil {
		return "", err
	}
	stamp, err := s.clock.Now()
	if err != nil {
		return "", err
	}
	err = s.update(func(tx *bolt.Tx) error {
		st, err := s.loadState(tx, kind, id, record.ProvinceScope)
		if err != nil {
			return err
		}
		if idText != "" && len(st.Fields) == 0 {
			return fmt.Errorf("%s %s: %w", kind, idText, ErrNotFound)
		}
		meta := tx.Bucket(bucketMeta)
		seq, err := s.writeFields(tx, st, fields, stamp, getUint(meta, keyOutSeq), false)
		if err != nil {
			return err
		}
		if err := s.putState(tx, st); err != nil {
			return err
		}
		return putUint(meta, keyOutSeq, seq)
	})
	if err != nil {
		return "", fmt.Errorf("saving %s: %w", kind, err)
	}
	s.publish(Event{Local: true})
	return id.String(), nil
}
