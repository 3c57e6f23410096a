package syncclient

import (
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

func poolConflicts(t *testing.T, srv *testServer) []record.Conflict {
	t.Helper()
	var out []record.Conflict
	err := srv.pool.Each(record.KindConflict, func(st *changeset.State) error {
		out = append(out, record.ConflictFrom(st.ID.String(), st.Scope, st.Values()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func openConflicts(t *testing.T, st *store.Store) []record.Conflict {
	t.Helper()
	items, err := st.Conflicts(true)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// Two clerks change the same field from the same starting point. The later
// write wins everywhere, the earlier one is kept as a conflict item on the
// server and both devices, and a reviewer's choice settles it everywhere.
func TestSameFieldRaceKeepsConflict(t *testing.T) {
	srv := startServer(t)
	a := srv.enrolled("a")
	b := srv.enrolledAs("b", "reviewer")
	p, err := a.SavePerson(record.Person{Name: "李娜", Employer: "原单位"})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	syncOnce(t, b)

	pa, _ := a.Person(p.ID)
	pa.Employer = "南昌甲公司"
	if _, err := a.SavePerson(pa); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	pb, _ := b.Person(p.ID)
	pb.Employer = "九江乙公司"
	if _, err := b.SavePerson(pb); err != nil {
		t.Fatal(err)
	}
	// A different field changed by one side only is no conflict.
	pa, _ = a.Person(p.ID)
	pa.Phone = "13907971111"
	if _, err := a.SavePerson(pa); err != nil {
		t.Fatal(err)
	}

	syncOnce(t, b)
	syncOnce(t, a)
	syncOnce(t, b)

	items := poolConflicts(t, srv)
	if len(items) != 1 {
		t.Fatalf("pool holds %d conflict items, want 1: %+v", len(items), items)
	}
	item := items[0]
	if item.Field != record.FieldEmployer || item.Reason != record.ConflictSameField {
		t.Errorf("conflict field %s reason %s, want employer same_field", item.Field, item.Reason)
	}
	if item.Winner != "九江乙公司" || item.WinnerDevice != b.Device() {
		t.Errorf("conflict winner %q by %s, want 九江乙公司 by device b", item.Winner, item.WinnerDevice)
	}
	if item.Loser != "南昌甲公司" || item.LoserDevice != a.Device() {
		t.Errorf("conflict loser %q by %s, want 南昌甲公司 by device a", item.Loser, item.LoserDevice)
	}
	for name, st := range map[string]*store.Store{"a": a, "b": b} {
		got := openConflicts(t, st)
		if len(got) != 1 || got[0].ID != item.ID {
			t.Errorf("device %s open conflicts = %+v, want the pool's item", name, got)
		}
		person, _ := st.Person(p.ID)
		if person.Employer != "九江乙公司" || person.Phone != "13907971111" {
			t.Errorf("device %s holds employer %q phone %q, want 九江乙公司 and 13907971111", name, person.Employer, person.Phone)
		}
	}

	// The reviewer on device b keeps the value that lost.
	if err := b.ResolveConflict(item.ID, "南昌甲公司"); err != nil {
		t.Fatalf("ResolveConflict: %v", err)
	}
	syncOnce(t, b)
	syncOnce(t, a)
	for name, st := range map[string]*store.Store{"a": a, "b": b} {
		if got := openConflicts(t, st); len(got) != 0 {
			t.Errorf("device %s still has %d open conflicts", name, len(got))
		}
		person, _ := st.Person(p.ID)
		if person.Employer != "南昌甲公司" {
			t.Errorf("device %s employer after resolving = %q, want 南昌甲公司", name, person.Employer)
		}
	}
	if got := poolPerson(t, srv.pool, p.ID).Employer; got != "南昌甲公司" {
		t.Errorf("pool employer after resolving = %q, want 南昌甲公司", got)
	}
	if items := poolConflicts(t, srv); len(items) != 1 || items[0].Status != record.ConflictResolved {
		t.Errorf("pool conflict after resolving = %+v, want one resolved item", items)
	}
}

// An edit that reaches the server after another device deleted the record
// does not bring the record back: it becomes a conflict item instead.
func TestEditAfterDeleteIsConflict(t *testing.T) {
	_, a, b, p := sharedPerson(t, record.Person{Name: "王建华"})
	if err := a.Delete(record.KindPerson, p.ID); err != nil {
		t.Fatal(err)
	}
	editPerson(t, b, p.ID, func(p *record.Person) { p.Phone = "13870210021" })
	syncOnce(t, a)
	syncOnce(t, b)
	syncOnce(t, a)

	for name, st := range map[string]*store.Store{"a": a, "b": b} {
		if got := st.Search("王建华", 10); len(got) != 0 {
			t.Errorf("device %s still lists the deleted person", name)
		}
	}
	items := openConflicts(t, a)
	if len(items) != 1 || items[0].Reason != record.ConflictDeleted || items[0].Loser != "13870210021" {
		t.Fatalf("device a conflicts = %+v, want one deleted-record item with the phone", items)
	}
	// Keeping the edit restores the record everywhere.
	if err := a.ResolveConflict(items[0].ID, "13870210021"); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	syncOnce(t, b)
	for name, st := range map[string]*store.Store{"a": a, "b": b} {
		got := st.Search("王建华", 10)
		if len(got) != 1 || got[0].Phone != "13870210021" {
			t.Errorf("device %s after restoring: %+v, want 王建华 with the phone", name, got)
		}
	}
}

// A new device's first sync reads the college's current records from a
// snapshot and continues from the log head it saw before it.
func TestFirstSyncFromSnapshot(t *testing.T) {
	srv := startServer(t)
	a := srv.enrolled("a")
	p, _ := a.SavePerson(record.Person{Name: "李娜"})
	for _, employer := range []string{"甲公司", "乙公司", "丙公司"} {
		pa, _ := a.Person(p.ID)
		pa.Employer = employer
		if _, err := a.SavePerson(pa); err != nil {
			t.Fatal(err)
		}
		syncOnce(t, a)
	}
	if err := a.Delete(record.KindPerson, p.ID); err != nil {
		t.Fatal(err)
	}
	q, _ := a.SavePerson(record.Person{Name: "赵敏"})
	syncOnce(t, a)

	b := srv.enrolled("b")
	syncOnce(t, b)
	if got := b.Cursor(); got != srv.pool.Head(college) {
		t.Errorf("cursor after the first sync = %d, want the log head %d", got, srv.pool.Head(college))
	}
	if got, err := b.Person(q.ID); err != nil || got.Name != "赵敏" {
		t.Errorf("device b holds %+v, %v; want 赵敏", got, err)
	}
	st, err := b.State(record.KindPerson, p.ID)
	if err != nil {
		t.Fatalf("the deleted person is missing on device b: %v", err)
	}
	if !st.Deleted() || st.Fields[record.FieldEmployer].Value != "丙公司" {
		t.Errorf("deleted person on device b = %+v, want deleted with employer 丙公司", st.Fields)
	}
	if got := b.Search("李娜", 10); len(got) != 0 {
		t.Errorf("device b lists the deleted person")
	}
}

// Training records are events: two clerks correcting the same record
// offline each make a new version, and both corrections survive on every
// device instead of one silently overwriting the other's fields.
func TestConcurrentCorrectionsBothKept(t *testing.T) {
	srv := startServer(t)
	a := srv.enrolled("a")
	b := srv.enrolled("b")
	p, _ := a.SavePerson(record.Person{Name: "李娜"})
	tr, err := a.SaveTraining(record.Training{Person: p.ID, Programme: "办公软件应用", Hours: 32, Date: "2024-05-10"})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	syncOnce(t, b)

	fixA := tr
	fixA.Hours = 40
	if _, err := a.SaveTraining(fixA); err != nil {
		t.Fatal(err)
	}
	list, _ := b.TrainingsOf(p.ID)
	fixB := list[0]
	fixB.Score = "优秀"
	if _, err := b.SaveTraining(fixB); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	syncOnce(t, b)
	syncOnce(t, a)

	for name, st := range map[string]*store.Store{"a": a, "b": b} {
		got, err := st.TrainingsOf(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("device %s lists %d training versions, want the 2 corrections: %+v", name, len(got), got)
		}
		var sawHours, sawScore bool
		for _, v := range got {
			if v.Supersedes != tr.ID {
				t.Errorf("device %s version %s supersedes %q, want %s", name, v.ID, v.Supersedes, tr.ID)
			}
			sawHours = sawHours || (v.Hours == 40 && v.Score == "")
			sawScore = sawScore || (v.Hours == 32 && v.Score == "优秀")
		}
		if !sawHours || !sawScore {
			t.Errorf("device %s versions = %+v, want one with 40 hours and one scored 优秀", name, got)
		}
	}
	if items := poolConflicts(t, srv); len(items) != 0 {
		t.Errorf("corrections made %d conflict items, want none", len(items))
	}
}

// Two reviewers settle the same item differently, one of them by keeping
// the value in use: their choices meet as a new conflict item instead of
// one being dropped.
func TestTwoReviewersChoosingDifferently(t *testing.T) {
	_, a, b, p := sharedPerson(t, record.Person{Name: "李娜", Employer: "原单位"})
	editPerson(t, a, p.ID, func(p *record.Person) { p.Employer = "A公司" })
	time.Sleep(5 * time.Millisecond) // b's wall clock moves on, so b writes last
	editPerson(t, b, p.ID, func(p *record.Person) { p.Employer = "第三值" })
	syncOnce(t, a)
	syncOnce(t, b)
	syncOnce(t, a)
	item := openConflicts(t, a)[0]

	if err := a.ResolveConflict(item.ID, "A公司"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	if err := b.ResolveConflict(item.ID, "第三值"); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	syncOnce(t, b)
	syncOnce(t, a)
	ea, _ := a.Person(p.ID)
	eb, _ := b.Person(p.ID)
	if ea.Employer != eb.Employer {
		t.Errorf("devices disagree: %q and %q", ea.Employer, eb.Employer)
	}
	if got := openConflicts(t, a); len(got) != 1 {
		t.Errorf("open conflicts after two different choices = %d, want 1 new item", len(got))
	}
}

// An edit that reaches the server before a delete its clerk did not see
// becomes a conflict item too: the order of arrival does not matter.
func TestEditBeforeUnseenDeleteIsConflict(t *testing.T) {
	_, a, b, p := sharedPerson(t, record.Person{Name: "王建华"})
	if err := a.Delete(record.KindPerson, p.ID); err != nil {
		t.Fatal(err)
	}
	editPerson(t, b, p.ID, func(p *record.Person) { p.Employer = "Y改" })
	syncOnce(t, b) // the edit arrives first
	syncOnce(t, a)
	syncOnce(t, b)

	items := openConflicts(t, b)
	if len(items) != 1 || items[0].Reason != record.ConflictDeleted || items[0].Loser != "Y改" || items[0].Field != record.FieldEmployer {
		t.Fatalf("conflicts = %+v, want one deleted-record item keeping Y改", items)
	}
	if got := b.Search("王建华", 10); len(got) != 0 {
		t.Errorf("device b still lists the deleted person")
	}
}
