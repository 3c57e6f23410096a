package pool

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// dropKey deletes a person's key from the vault without marking the
// person erased, as a keys.db of another server or an older copy lacks it.
func dropKey(t *testing.T, v *Vault, person ulid.ULID) {
	t.Helper()
	v.forget(person)
	err := v.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPersonKeys).Delete(person[:])
	})
	if err != nil {
		t.Fatal(err)
	}
}

// valuesOf returns the values changes carry for a person, by field.
func valuesOf(changes []changeset.Change, person ulid.ULID) map[string]string {
	out := map[string]string{}
	for _, c := range changes {
		if c.Kind == record.KindPerson && c.ID == person {
			out[c.Field] = c.Value
		}
	}
	return out
}

func TestPersonWithoutKeyReadsEmpty(t *testing.T) {
	var logged bytes.Buffer
	p, err := Open(filepath.Join(t.TempDir(), "pool.db"), Options{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	d := enrolDevice(t, p)
	people := testPeople(2)
	next := pushPeople(t, p, d.ID, 1, people)
	lost, kept := ulid.MustParseStrict(people[0].ID), ulid.MustParseStrict(people[1].ID)
	dropKey(t, p.vault, lost)

	page, err := p.Pull(college, 0, 1000, "")
	if err != nil {
		t.Fatalf("pull with a person's key missing: %v", err)
	}
	if got := valuesOf(page.Changes, lost)[record.FieldName]; got != "" {
		t.Errorf("pulled name of the person without key = %q, want empty", got)
	}
	if got := valuesOf(page.Changes, kept)[record.FieldName]; got != people[1].Name {
		t.Errorf("pulled name of the other person = %q, want %q", got, people[1].Name)
	}
	snapshot, _, err := p.Snapshot(college, nil, 1000)
	if err != nil {
		t.Fatalf("snapshot with a person's key missing: %v", err)
	}
	if got := valuesOf(snapshot, lost)[record.FieldPhone]; got != "" {
		t.Errorf("snapshot phone of the person without key = %q, want empty", got)
	}
	if got := valuesOf(snapshot, lost)[record.FieldMajor]; got != people[0].Major {
		t.Errorf("snapshot major of the person without key = %q, want %q", got, people[0].Major)
	}
	if n := strings.Count(logged.String(), "personal values of a person are unreadable"); n != 1 {
		t.Errorf("the person without key was logged %d times, want once", n)
	}
	if strings.Contains(logged.String(), people[0].Name) || strings.Contains(logged.String(), people[0].IDNumber) {
		t.Error("the log contains a personal value")
	}
	st, err := p.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.UnreadablePersons != 1 {
		t.Errorf("Stats().UnreadablePersons = %d, want 1", st.UnreadablePersons)
	}

	// A push to the person succeeds and keeps the sealed name, which the
	// right keys.db would still open.
	phone := changeset.Change{Kind: record.KindPerson, ID: lost, Scope: college, Field: record.FieldPhone,
		Value: "13900000000", Stamp: hlc.Make(1_780_000_100_000, 0), Device: d.ID, Seq: next}
	if _, err := p.ApplyPush(d.ID, next, next, []changeset.Change{phone}); err != nil {
		t.Fatalf("push to the person without key: %v", err)
	}
	var name string
	_ = p.db.View(func(tx *bolt.Tx) error {
		stored, err := decodeStored(record.KindPerson, lost, tx.Bucket(bucketRecords).Get(recordKey(record.KindPerson, lost)))
		if err == nil {
			name = stored.Fields[record.FieldName].Value
		}
		return err
	})
	if !IsSealed(name) {
		t.Errorf("stored name after the push = %q, want the sealed value kept", name)
	}
	snapshot, _, err = p.Snapshot(college, nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if got := valuesOf(snapshot, lost)[record.FieldPhone]; got != "13900000000" {
		t.Errorf("snapshot phone after the push = %q, want the pushed value", got)
	}
}
