package syncclient

import (
	"testing"
	"time"

	"mobilefactory/shared/record"
)

// A central-office device erases a person of its college through the
// store and syncs. A clerk device of the college then pulls the erasure
// and keeps none of the person's personal values.
func TestCentralErasureReachesClerk(t *testing.T) {
	srv := startServer(t)
	clerk := srv.enrolled("clerk")
	saved, err := clerk.SavePerson(record.Person{Name: "李志明", IDNumber: "36012120020101099X",
		Phone: "13807912345", Address: "江西省南昌市青山湖区测试路8号", Major: "510203"})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, clerk)

	code, err := srv.createCode(college, "central", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	central := srv.enrolledWith("central", code)
	syncOnce(t, central)
	if got, err := central.Person(saved.ID); err != nil || got.Name != "李志明" {
		t.Fatalf("central device holds %q, %v; want the clerk's person", got.Name, err)
	}
	if err := central.ErasePerson(saved.ID); err != nil {
		t.Fatalf("ErasePerson on the central device: %v", err)
	}
	syncOnce(t, central)
	syncOnce(t, clerk)

	got, err := clerk.Person(saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "" || got.IDNumber != "" || got.Phone != "" || got.Address != "" {
		t.Errorf("clerk's person after the erasure = %q %q %q %q, want empty personal fields",
			got.Name, got.IDNumber, got.Phone, got.Address)
	}
	if got.Erased == "" || got.Major != "510203" {
		t.Errorf("clerk's person mark %q, major %q; want the mark and major 510203 kept", got.Erased, got.Major)
	}
	if n := clerk.Count(); n != 0 {
		t.Errorf("clerk lists %d persons after the erasure, want 0", n)
	}
	if pooled := poolPerson(t, srv.pool, saved.ID); pooled.Name != "" || pooled.Erased == "" {
		t.Errorf("pool person = name %q, mark %q; want no name and the mark", pooled.Name, pooled.Erased)
	}
	refused, err := central.Refused()
	if err != nil {
		t.Fatal(err)
	}
	if len(refused) != 0 {
		t.Errorf("central device's erasure refused: %+v", refused)
	}
}
