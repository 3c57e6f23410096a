package store

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/record"
)

// bucketImportMappings maps an import source key to the JSON object of its
// hand-made column mapping (header text → field). Header texts are not
// personal data, so the values are stored unsealed.
var bucketImportMappings = []byte("import_mappings")

// SavePersonsContext saves people like SavePersons, all in one
// transaction, and sets their ID and College. Each person's field map is
// built when that person is written and dropped after it, so an import of
// 100,000 rows does not hold 100,000 maps. When ctx ends before the
// commit, the transaction rolls back, nothing is written, the people are
// left as they were and the error wraps ctx.Err(). progress, when not nil,
// is called inside the transaction after each person, so it must not use
// the store.
func (s *Store) SavePersonsContext(ctx context.Context, people []*record.Person, progress func(done, total int)) error {
	ids := make([]string, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	fieldsAt := func(i int) map[string]string { return people[i].Fields() }
	ids, err := s.saveBatch(ctx, record.KindPerson, ids, fieldsAt, progress)
	if err != nil {
		return err
	}
	college := s.college()
	for i, p := range people {
		p.ID, p.College = ids[i], college
	}
	return nil
}

// ImportMapping returns the column mapping remembered for an import
// source, or nil when none is stored.
func (s *Store) ImportMapping(source string) (map[string]string, error) {
	var mapping map[string]string
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketImportMappings)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(source))
		if raw == nil {
			return nil
		}
		return json.Unmarshal(raw, &mapping)
	})
	if err != nil {
		return nil, fmt.Errorf("reading import mapping: %w", err)
	}
	return mapping, nil
}

// SaveImportMapping remembers mapping for an import source, replacing the
// one stored before. An empty mapping removes it.
func (s *Store) SaveImportMapping(source string, mapping map[string]string) error {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketImportMappings)
		if err != nil {
			return err
		}
		if len(mapping) == 0 {
			return b.Delete([]byte(source))
		}
		raw, err := json.Marshal(mapping)
		if err != nil {
			return err
		}
		return b.Put([]byte(source), raw)
	})
	if err != nil {
		return fmt.Errorf("saving import mapping: %w", err)
	}
	return nil
}
