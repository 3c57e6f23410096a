package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/demo"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/match"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// demoPeople returns the persons `syncserver demo` generates for the seed.
func demoPeople(people int, seed int64) []record.Person {
	now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	return demo.Generate(demo.Options{People: people, Seed: seed, Now: now}).Persons
}

// enrolledStore opens a desktop store and enrols it with the server for a
// college.
func enrolledStore(t *testing.T, srv *serverProcess, college string) *store.Store {
	t.Helper()
	code, stderr, exit := run(t, "enrol", "--data", srv.data, "--college", college)
	if exit != 0 {
		t.Fatalf("enrol: %s", stderr)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "client.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := syncclient.Enrol(context.Background(), st, srv.addr, strings.TrimSpace(code)); err != nil {
		t.Fatal(err)
	}
	return st
}

func syncStore(t *testing.T, st *store.Store) {
	t.Helper()
	if err := syncclient.New(st, syncclient.Options{}).SyncOnce(context.Background()); err != nil {
		t.Fatalf("sync of device %s: %v", st.Device(), err)
	}
}

func assertNoneIn(t *testing.T, path string, values []string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		if bytes.Contains(raw, []byte(v)) {
			t.Errorf("%s contains %q", path, v)
		}
	}
}

// An erasure while the server runs reaches every copy: the pool, the key
// vault, a backup made before it and the store files of two devices that
// synced before and after. Statistics still count the person.
func TestEraseReachesServerBackupAndDevices(t *testing.T) {
	const people = 40
	srv := &serverProcess{t: t, data: t.TempDir(), addr: freeAddr(t)}
	if _, stderr, code := run(t, "demo", "--data", srv.data, "--people", "40", "--seed", "5"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	persons := demoPeople(people, 5)
	// The target's name is unique, so finding it anywhere means a leak.
	names := map[string]int{}
	for _, p := range persons {
		names[p.Name]++
	}
	target := persons[0]
	for _, p := range persons {
		if names[p.Name] == 1 {
			target = p
			break
		}
	}
	secrets := []string{target.Name, target.IDNumber, target.Phone}

	srv.start()
	defer srv.stop()
	devices := []*store.Store{enrolledStore(t, srv, target.College), enrolledStore(t, srv, target.College)}
	for _, st := range devices {
		syncStore(t, st)
		if p, err := st.Person(target.ID); err != nil || p.IDNumber != target.IDNumber {
			t.Fatalf("device %s before erasure: %v, ID number matches = %v", st.Device(), err, p.IDNumber == target.IDNumber)
		}
	}
	backup := filepath.Join(t.TempDir(), "before-erasure.db")
	if _, stderr, code := run(t, "backup", "--data", srv.data, "--out", backup); code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	assertNoneIn(t, backup, secrets)
	if _, err := os.Stat(filepath.Join(filepath.Dir(backup), pool.VaultFile)); err == nil {
		t.Error("the backup wrote keys.db beside itself")
	}

	_, stderr, code := run(t, "erase", target.IDNumber, "--data", srv.data)
	if code != 0 || !strings.Contains(stderr, "已删除人员 "+target.ID) {
		t.Fatalf("erase by ID number: exit %d, %q", code, stderr)
	}
	_, stderr, code = run(t, "erase", target.ID, "--data", srv.data)
	if code != 0 || !strings.Contains(stderr, "此前已删除") {
		t.Errorf("second erase by record ID: exit %d, %q", code, stderr)
	}
	_, stderr, code = run(t, "erase", "360121200201010000", "--data", srv.data)
	if code == 0 || !strings.Contains(stderr, "没有该记录编号或身份证号") {
		t.Errorf("erase of an unknown ID number: exit %d, %q", code, stderr)
	}

	for _, st := range devices {
		syncStore(t, st)
		p, err := st.Person(target.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "" || p.IDNumber != "" || p.Phone != "" || p.Erased == "" {
			t.Errorf("device %s keeps the erased person as %+v", st.Device(), p)
		}
		assertNoneIn(t, st.Path(), secrets)
	}
	if got := personCount(t, srv.data); got != people {
		t.Errorf("persons counted after the erasure = %d, want %d", got, people)
	}

	// A device enrolled after the erasure reads a snapshot without them.
	late := enrolledStore(t, srv, target.College)
	syncStore(t, late)
	if p, err := late.Person(target.ID); err != nil || p.Name != "" || p.Erased == "" {
		t.Errorf("late device: %v, erased person name %q, mark %q", err, p.Name, p.Erased)
	}

	srv.stop()
	for _, name := range []string{"pool.db", pool.VaultFile} {
		assertNoneIn(t, filepath.Join(srv.data, name), secrets)
	}
	assertNoneIn(t, backup, secrets)
	srv.start()
}

// The match leaves out a person without consent, and a person who
// withdraws consent drops out at the next query.
func TestMatchSkipsPersonsWithoutConsent(t *testing.T) {
	p, err := pool.Open(filepath.Join(t.TempDir(), "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	const scope = "4136012941"
	consenting, silent := ulid.Make(), ulid.Make()
	stamp := hlc.Make(1_780_000_000_000, 0)
	var changes []changeset.Change
	add := func(id ulid.ULID, fields map[string]string) {
		for _, field := range record.FieldsOf(record.KindPerson) {
			if v := fields[field]; v != "" {
				stamp++
				changes = append(changes, changeset.Change{Kind: record.KindPerson, ID: id, Scope: scope,
					Field: field, Value: v, Stamp: stamp, Device: "test"})
			}
		}
	}
	same := func(consent string) map[string]string {
		return record.Person{Name: "张三", Major: "510203", GradYear: 2025, HomeRegion: "360121",
			Status: record.StatusSeeking, Consent: consent}.Fields()
	}
	add(consenting, same(record.ConsentGiven))
	add(silent, same(""))
	if _, err := p.ApplyTrusted(changes); err != nil {
		t.Fatal(err)
	}
	q := match.Query{Majors: []string{"510203"}, Limit: 10}
	ranked := func() []string {
		results, err := rankPool(p, q, "zh-Hans")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range results {
			out = append(out, r.Person)
		}
		return out
	}
	if got := ranked(); len(got) != 1 || got[0] != consenting.String() {
		t.Errorf("ranked = %v, want only the consenting person %s", got, consenting)
	}

	stamp++
	withdraw := changeset.Change{Kind: record.KindPerson, ID: consenting, Scope: scope,
		Field: record.FieldConsent, Value: record.ConsentWithdrawn, Stamp: stamp, Device: "test"}
	if _, err := p.ApplyTrusted([]changeset.Change{withdraw}); err != nil {
		t.Fatal(err)
	}
	if got := ranked(); len(got) != 0 {
		t.Errorf("ranked after the withdrawal = %v, want nobody", got)
	}
}
