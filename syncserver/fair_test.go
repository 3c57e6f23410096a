package main

import (
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// A fair laptop enrolled for its fair keeps its registrations in the
// fair's scope, pulls none of a college's records, and the server refuses
// its changes to a college's person.
func TestFairDeviceStaysInItsFair(t *testing.T) {
	srv := startImportServer(t, true)
	clerk := srv.enrolled("clerk", testCollege)
	student, err := clerk.SavePerson(record.Person{Name: "李娜", Phone: "13807912345"})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, clerk)

	fair := srv.enrolledAs("fair", "fair:GZ2026A", "fair")
	ident, _ := fair.Identity()
	if ident.College != "fair:GZ2026A" || ident.Role != "fair" {
		t.Fatalf("fair identity = scope %q role %q, want fair:GZ2026A fair", ident.College, ident.Role)
	}
	_, err = fair.SavePerson(record.Person{Name: "王芳", Phone: "13907911234"})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, fair)

	if _, err := fair.Person(student.ID); err == nil {
		t.Error("fair device holds the college's person after a sync")
	}
	if n := fair.Count(); n != 1 {
		t.Errorf("fair device holds %d persons, want 1", n)
	}
	if !poolHasPerson(t, srv.pool, "王芳") {
		t.Error("pool lacks the fair's registration")
	}

	// The fair device's raw changes to the college's person: its name and
	// consent, as the college's scope and as the fair's.
	d, err := srv.pool.Device(ident.Device)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := ulid.ParseStrict(student.ID)
	stamp := hlc.Make(time.Now().UnixMilli(), 0)
	changes := []changeset.Change{
		{Kind: record.KindPerson, ID: id, Scope: testCollege, Field: record.FieldName, Value: "李四", Stamp: stamp, Device: d.ID},
		{Kind: record.KindPerson, ID: id, Scope: testCollege, Field: record.FieldConsent, Value: "withdrawn", Stamp: stamp, Device: d.ID},
		{Kind: record.KindPerson, ID: id, Scope: "fair:GZ2026A", Field: record.FieldName, Value: "李四", Stamp: stamp, Device: d.ID},
	}
	for i := range changes {
		changes[i].Seq = d.Acked + 1 + uint64(i)
	}
	res, err := srv.pool.ApplyPush(d.ID, changes[0].Seq, changes[len(changes)-1].Seq, changes)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) != len(changes) {
		t.Fatalf("refused %d of %d changes to the college's person: %+v", len(res.Refused), len(changes), res.Refused)
	}
	for _, r := range res.Refused {
		if r.Reason != protocol.CodeScope {
			t.Errorf("change %d refused for %s, want %s", r.Seq, r.Reason, protocol.CodeScope)
		}
	}
	if !poolHasPerson(t, srv.pool, "李娜") || poolHasPerson(t, srv.pool, "李四") {
		t.Error("the fair device changed the college's person's name")
	}
}
