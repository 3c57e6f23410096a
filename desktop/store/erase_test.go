package store

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// A pulled erasure clears the person's values from the record, the outbox
// and conflict items, takes the person out of search, and the compaction
// at the end of the sync leaves no copy in the file.
func TestPulledErasureClearsEveryCopy(t *testing.T) {
	s := openTemp(t)
	saved, err := s.SavePerson(samplePerson())
	if err != nil {
		t.Fatal(err)
	}
	id := ulid.MustParseStrict(saved.ID)
	// A local correction of the address, not yet pushed.
	saved.Address = "南昌市青山湖区测试路8号"
	if _, err := s.SavePerson(saved); err != nil {
		t.Fatal(err)
	}
	rivalPhone := "13907916666"

	// The server reports a conflict item about the phone, and later the
	// person's erasure.
	item := ulid.Make()
	stamp := hlc.Make(time.Now().UnixMilli()+1000, 0)
	conflict := record.Conflict{RecordKind: record.KindPerson, Record: saved.ID, Field: record.FieldPhone,
		Reason: record.ConflictSameField, Winner: rivalPhone, WinnerDevice: "other", WinnerStamp: uint64(stamp),
		Loser: saved.Phone, LoserDevice: s.Device(), LoserStamp: uint64(stamp - 1), Status: record.ConflictOpen}
	var page []changeset.Change
	for field, value := range conflict.Fields() {
		if value != "" {
			page = append(page, changeset.Change{Kind: record.KindConflict, ID: item, Scope: testCollege,
				Field: field, Value: value, Stamp: stamp, Device: "server"})
		}
	}
	if err := s.ApplyPage(page, 1); err != nil {
		t.Fatal(err)
	}

	erasure := []changeset.Change{
		{Kind: record.KindPerson, ID: id, Scope: testCollege, Field: record.FieldErased,
			Value: "2026-07-01T09:00:00Z", Stamp: stamp + 10, Device: "server"},
		{Kind: record.KindPerson, ID: id, Scope: testCollege, Field: record.FieldName, Stamp: stamp + 10, Device: "server"},
		{Kind: record.KindPerson, ID: id, Scope: testCollege, Field: record.FieldIDNumber, Stamp: stamp + 10, Device: "server"},
		{Kind: record.KindPerson, ID: id, Scope: testCollege, Field: record.FieldPhone, Stamp: stamp + 10, Device: "server"},
	}
	if err := s.ApplyPage(erasure, 2); err != nil {
		t.Fatal(err)
	}

	p, err := s.Person(saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "" || p.IDNumber != "" || p.Phone != "" || p.Address != "" {
		t.Errorf("erased person = %q %q %q %q, want empty personal fields", p.Name, p.IDNumber, p.Phone, p.Address)
	}
	if p.Major != saved.Major || p.Erased == "" {
		t.Errorf("erased person major %q, mark %q; want major %q kept and the mark", p.Major, p.Erased, saved.Major)
	}
	outbox, err := s.Outbox(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(outbox) == 0 {
		t.Fatal("outbox emptied; its entries must stay so the sequence has no gap")
	}
	for _, c := range outbox {
		if c.ID == id && record.IsPersonal(c.Kind, c.Field) && c.Value != "" {
			t.Errorf("outbox entry %d keeps %s %q", c.Seq, c.Field, c.Value)
		}
	}
	items, err := s.Conflicts(false)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Winner != "" || items[0].Loser != "" {
		t.Errorf("conflict items after erasure = %+v, want one with empty values", items)
	}
	if got := s.Search("李志明", 10); len(got) != 0 {
		t.Errorf("search by the erased name finds %d persons", len(got))
	}
	if _, ok := s.PersonByIDNumber(samplePerson().IDNumber); ok {
		t.Error("the erased ID number still finds a person")
	}

	// The end of the sync compacts the file.
	if err := s.SetLastSync(time.Now()); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"李志明", samplePerson().IDNumber, samplePerson().Phone, rivalPhone, saved.Address} {
		if bytes.Contains(raw, []byte(v)) {
			t.Errorf("store file keeps %q after the erasure and compaction", v)
		}
	}
	// The store works on after the file was replaced.
	if _, err := s.SavePerson(record.Person{Name: "王芳", Gender: record.GenderFemale, Major: "530302",
		GradYear: 2024, Status: record.StatusSeeking}); err != nil {
		t.Fatalf("saving after compaction: %v", err)
	}
	if s.Count() != 1 {
		t.Errorf("persons listed = %d, want 1: the new person only", s.Count())
	}
}
