package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/demo"
	"mobilefactory/shared/record"
)

// newPeople returns n invented persons without ids, ready to save as new.
func newPeople(n int) []*record.Person {
	generated := demo.Generate(demo.Options{People: n, Seed: 5}).Persons
	people := make([]*record.Person, n)
	for i := range generated {
		p := generated[i]
		p.ID, p.College = "", ""
		people[i] = &p
	}
	return people
}

// nodeCopies returns how many times bbolt copied a write transaction's
// nodes off the memory map, which it does before every remap.
func nodeCopies(s *Store) int64 {
	s.dbMu.RLock()
	defer s.dbMu.RUnlock()
	stats := s.db.Stats()
	return stats.TxStats.GetNodeDeref()
}

func TestSavePersonsContextLargeBatchNoRemap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "client.db")
	s := openAt(t, path, true)
	people := newPeople(reserveMinRecords + 500)

	if err := s.SavePersonsContext(context.Background(), people, nil); err != nil {
		t.Fatalf("SavePersonsContext: %v", err)
	}
	if got := nodeCopies(s); got != 0 {
		t.Errorf("node copies for remaps = %d, want 0 after the reservation", got)
	}
	if got, want := s.Count(), len(people); got != want {
		t.Errorf("Count = %d, want %d", got, want)
	}
	last := people[len(people)-1]
	if last.ID == "" || last.College != testCollege {
		t.Fatalf("last person ID %q College %q, want a new id and %s", last.ID, last.College, testCollege)
	}
	stored, err := s.Person(last.ID)
	if err != nil {
		t.Fatalf("Person(%s) after the reopened map: %v", last.ID, err)
	}
	if stored.IDNumber != last.IDNumber {
		t.Errorf("stored IDNumber = %q, want %q", stored.IDNumber, last.IDNumber)
	}

	// The reopened handle keeps working for ordinary saves.
	extra := samplePerson()
	extra.IDNumber = "110101199003070019"
	if _, err := s.SavePerson(extra); err != nil {
		t.Fatalf("SavePerson after the large batch: %v", err)
	}
	if got, want := s.Count(), len(people)+1; got != want {
		t.Errorf("Count after one more save = %d, want %d", got, want)
	}
}

func TestSavePersonsContextSmallBatchRemaps(t *testing.T) {
	// Below reserveMinRecords nothing is reserved, so a new file is
	// remapped while the batch commits. This checks that nodeCopies counts
	// the copies of a remap.
	s := openTemp(t)
	if err := s.SavePersonsContext(context.Background(), newPeople(reserveMinRecords-1), nil); err != nil {
		t.Fatalf("SavePersonsContext: %v", err)
	}
	if got := nodeCopies(s); got == 0 {
		t.Error("node copies for remaps = 0, want > 0 without a reservation")
	}
}

func TestSavePersonsContextLargeBatchCancel(t *testing.T) {
	s := openTemp(t)
	people := newPeople(reserveMinRecords + 500)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	cancelAt := reserveMinRecords + 100
	err := s.SavePersonsContext(ctx, people, func(done, total int) {
		if done == cancelAt {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("SavePersonsContext error = %v, want context.Canceled", err)
	}
	if got := s.Count(); got != 0 {
		t.Errorf("Count after cancel = %d, want 0", got)
	}
	if people[0].ID != "" {
		t.Errorf("first person ID after cancel = %q, want it left empty", people[0].ID)
	}
	var stored int
	if err := s.view(func(tx *bolt.Tx) error {
		stored = tx.Bucket(bucketRecords).Stats().KeyN
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if stored != 0 {
		t.Errorf("records in the file after cancel = %d, want 0", stored)
	}
}

func TestReserveMapWithConcurrentReads(t *testing.T) {
	// Run with -race: readers that reach the db handle without dbMu race
	// with the reopening.
	s := openTemp(t)
	stop := make(chan struct{})
	readErrs := make(chan error, 1)
	go func() {
		defer close(readErrs)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.Refused(); err != nil {
				readErrs <- err
				return
			}
		}
	}()

	err := s.SavePersonsContext(context.Background(), newPeople(reserveMinRecords+500), nil)
	close(stop)
	if err != nil {
		t.Fatalf("SavePersonsContext: %v", err)
	}
	if err := <-readErrs; err != nil {
		t.Errorf("read during the reservation: %v", err)
	}
	if got, want := s.Count(), reserveMinRecords+500; got != want {
		t.Errorf("Count = %d, want %d", got, want)
	}
}
