package syncclient

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/record"
)

// A PC whose clock runs five years fast keeps working, but the server
// corrects its stamps. It cannot win a race against an edit made later in
// real time, it adopts the corrected stamps itself, and the server records
// its skew.
func TestFastClockDoesNotWinEveryRace(t *testing.T) {
	srv := startServer(t)
	a := srv.enrolled("a")

	fast := func() time.Time { return time.Now().AddDate(5, 0, 0) }
	b, err := store.Open(filepath.Join(t.TempDir(), "fast.db"), store.Options{Now: fast})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	code, _ := srv.createCode(college, "clerk", time.Hour)
	if err := Enrol(context.Background(), b, srv.url(), code); err != nil {
		t.Fatal(err)
	}
	syncFast := func() {
		t.Helper()
		if err := New(b, Options{Now: fast}).SyncOnce(context.Background()); err != nil {
			t.Fatalf("sync of the fast device: %v", err)
		}
	}

	p, _ := a.SavePerson(record.Person{Name: "李娜", Employer: "甲公司"})
	syncOnce(t, a)
	syncFast()

	pb, _ := b.Person(p.ID)
	pb.Employer = "乙公司"
	if _, err := b.SavePerson(pb); err != nil {
		t.Fatal(err)
	}
	syncFast()
	syncOnce(t, a)

	time.Sleep(5 * time.Millisecond)
	pa, _ := a.Person(p.ID)
	if pa.Employer != "乙公司" {
		t.Fatalf("device a after pulling = %q, want 乙公司", pa.Employer)
	}
	pa.Employer = "丙公司"
	if _, err := a.SavePerson(pa); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	syncFast()

	for name, st := range map[string]*store.Store{"a": a, "fast b": b} {
		got, _ := st.Person(p.ID)
		if got.Employer != "丙公司" {
			t.Errorf("device %s employer = %q, want 丙公司, the later edit in real time", name, got.Employer)
		}
	}
	if got := poolPerson(t, srv.pool, p.ID).Employer; got != "丙公司" {
		t.Errorf("pool employer = %q, want 丙公司", got)
	}
	if items := poolConflicts(t, srv); len(items) != 0 {
		t.Errorf("pool holds %d conflict items, want none: each edit started from the value before it", len(items))
	}

	d, err := srv.pool.Device(b.Device())
	if err != nil {
		t.Fatal(err)
	}
	skew := time.Duration(d.SkewMillis) * time.Millisecond
	if skew < 4*365*24*time.Hour {
		t.Errorf("server records the fast device's skew as %v, want about five years", skew)
	}
	// The fast device's name register, written once, is stamped near real
	// time now, with the raw stamp kept.
	st, _ := b.State(record.KindPerson, p.ID)
	reg := st.Fields[record.FieldName]
	if reg.Stamp.Time().After(time.Now().Add(time.Hour)) {
		t.Errorf("name stamp on device b = %v, want near now", reg.Stamp.Time())
	}
}

// A device whose clock is a year fast at sync time, though it was right when
// it made the edit, still wins over the value its edit replaced: the
// correction never moves a write below the stamp it replaced.
func TestCorrectionKeepsEditAfterReplacedValue(t *testing.T) {
	srv := startServer(t)
	b := srv.enrolled("b")
	d := srv.enrolled("d")
	p, _ := b.SavePerson(record.Person{Name: "李四", Employer: "B的值"})
	syncOnce(t, b)
	syncOnce(t, d)

	pd, _ := d.Person(p.ID)
	pd.Employer = "D的值"
	if _, err := d.SavePerson(pd); err != nil {
		t.Fatal(err)
	}
	yearAhead := func() time.Time { return time.Now().AddDate(1, 0, 0) }
	if err := New(d, Options{Now: yearAhead}).SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, b)
	syncOnce(t, d)
	for name, st := range map[string]*store.Store{"b": b, "d": d} {
		got, _ := st.Person(p.ID)
		if got.Employer != "D的值" {
			t.Errorf("device %s employer = %q, want D的值", name, got.Employer)
		}
	}
	if got := poolPerson(t, srv.pool, p.ID).Employer; got != "D的值" {
		t.Errorf("pool employer = %q, want D的值", got)
	}
}
