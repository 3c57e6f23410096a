package store

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

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

// Memory map reservation for large batches. bbolt maps the file and, when
// a write transaction needs pages past the end of the map, maps it again
// at double the size (go.etcd.io/bbolt v1.4, DB.mmap). Before each new
// map it copies every node of the open write transaction to the heap
// (node.dereference). In BenchmarkImport100kXLSX, whose one transaction
// writes 100,000 persons, those copies allocated 1.7 GB.
const (
	// reserveMinRecords is the batch size from which saveBatch reserves a
	// map. Smaller batches have few nodes to copy.
	reserveMinRecords = 1000
	// reserveBytesPerRecord is the estimated file growth per saved record:
	// BenchmarkImport100kXLSX grows the file by about 920 bytes a person
	// (11 filled fields, record and outbox entry), plus room for longer
	// addresses and the consent fields.
	reserveBytesPerRecord = 1280
)

// reserveMap makes sure the database's memory map can hold records more
// records without being remapped, by reopening the file with bbolt's
// Options.InitialMmapSize set, which can only be given to Open.
//
// NOTE: on Windows bbolt sets the file's size to the map size, so there the
// file grows by the reservation even when the batch is cancelled. Growing
// the map as the batch is written would double the file size the same way.
func (s *Store) reserveMap(records int) error {
	if records < reserveMinRecords {
		return nil
	}
	s.dbMu.Lock()
	defer s.dbMu.Unlock()

	path := s.db.Path()
	var used int64
	if err := s.db.View(func(tx *bolt.Tx) error {
		used = tx.Size()
		return nil
	}); err != nil {
		return err
	}
	want := used + int64(records)*reserveBytesPerRecord
	// The map is never smaller than the file, so a file of the wanted size
	// needs no reopening.
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("reserving memory map: %w", err)
	}
	if want <= info.Size() {
		return nil
	}

	if err := s.db.Close(); err != nil {
		return fmt.Errorf("reserving memory map: closing %s: %w", path, err)
	}
	opts := boltOptions()
	opts.InitialMmapSize = int(want)
	db, err := bolt.Open(path, 0o600, opts)
	if err != nil {
		// Without the reservation the batch is still written correctly,
		// only with the copies, so try again without it.
		db, err = bolt.Open(path, 0o600, boltOptions())
	}
	if err != nil {
		return fmt.Errorf("reopening store %s: %w", path, err)
	}
	s.db = db
	return nil
}
