package pool

import (
	"errors"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// demandChanges makes the changes of a new job demand in the province
// scope, with device sequence numbers from first.
func demandChanges(device string, first uint64, title string) []changeset.Change {
	id := ulid.Make()
	stamp := hlc.Make(time.Now().UnixMilli(), 0)
	fields := map[string]string{record.FieldTitle: title, record.FieldHeadcount: "5"}
	var out []changeset.Change
	for _, field := range []string{record.FieldTitle, record.FieldHeadcount} {
		out = append(out, changeset.Change{Kind: record.KindDemand, ID: id, Scope: record.ProvinceScope, Field: field,
			Value: fields[field], Stamp: stamp, Device: device, Seq: first + uint64(len(out))})
	}
	return out
}

// pushOK applies a push and fails the test on an error or a refusal.
func pushOK(t *testing.T, p *Pool, d Device, changes []changeset.Change) {
	t.Helper()
	res, err := p.ApplyPush(d.ID, changes[0].Seq, changes[len(changes)-1].Seq, changes)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) != 0 {
		t.Fatalf("push of device %s refused %+v", d.Role, res.Refused)
	}
}

// A device pulls its college's log and the province log with one cursor,
// in log order, and never another college's entries.
func TestPullMergesProvinceLog(t *testing.T) {
	p := openTemp(t, nil)
	central := enrolAs(t, p, otherCollege, "central")
	clerkA := enrolAs(t, p, college, "clerk")
	clerkB := enrolAs(t, p, otherCollege, "clerk")
	fair := enrolAs(t, p, "fair:GZ2026A", "fair")

	// Log: 1 person of A, 2 demand, 3 person of B, 4 demand.
	pushOK(t, p, clerkA, personChanges(clerkA.ID, 1, 4))
	pushOK(t, p, central, demandChanges(central.ID, 1, "数控车床操作工"))
	theirs := personChanges(clerkB.ID, 1, 4)
	for i := range theirs {
		theirs[i].Scope = otherCollege
	}
	pushOK(t, p, clerkB, theirs)
	pushOK(t, p, central, demandChanges(central.ID, 3, "电工"))

	if got := p.Head(college); got != 4 {
		t.Errorf("Head(A) = %d, want 4, the last province entry", got)
	}
	if got := p.Head(record.ProvinceScope); got != 4 {
		t.Errorf("Head(province) = %d, want 4", got)
	}

	// Pages of one entry each show the order: 1, 2, 4.
	var cursors []uint64
	var scopes []string
	cursor := uint64(0)
	for {
		page, err := p.Pull(college, cursor, 1, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Changes {
			if c.Scope == otherCollege {
				t.Fatalf("pull of college A returned %s %s of college B", c.Kind, c.Field)
			}
		}
		if len(page.Changes) > 0 {
			scopes = append(scopes, page.Changes[0].Scope)
		}
		cursors = append(cursors, page.Cursor)
		cursor = page.Cursor
		if !page.More {
			break
		}
	}
	wantCursors := []uint64{1, 2, 4}
	wantScopes := []string{college, record.ProvinceScope, record.ProvinceScope}
	if len(cursors) != 3 || cursors[0] != 1 || cursors[1] != 2 || cursors[2] != 4 {
		t.Errorf("page cursors = %v, want %v", cursors, wantCursors)
	}
	if len(scopes) != 3 || scopes[0] != wantScopes[0] || scopes[1] != wantScopes[1] || scopes[2] != wantScopes[2] {
		t.Errorf("page scopes = %v, want %v", scopes, wantScopes)
	}

	// A fair device pulls the demands only; the central office leaves out
	// its own entries.
	page, err := p.Pull("fair:GZ2026A", 0, 100, fair.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) != 4 || page.Cursor != 4 {
		t.Errorf("fair pull: %d changes, cursor %d; want the 4 demand changes, cursor 4", len(page.Changes), page.Cursor)
	}
	page, err = p.Pull(otherCollege, 0, 100, central.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) != 4 || page.Changes[0].Scope != otherCollege || page.Cursor != 4 {
		t.Errorf("central pull: %d changes, cursor %d; want college B's 4 person changes, cursor 4", len(page.Changes), page.Cursor)
	}
}

// A snapshot holds the device's college and then every province record,
// across page boundaries, and never another college's records.
func TestSnapshotIncludesProvince(t *testing.T) {
	p := openTemp(t, nil)
	central := enrolAs(t, p, otherCollege, "central")
	clerkA := enrolAs(t, p, college, "clerk")
	pushOK(t, p, clerkA, personChanges(clerkA.ID, 1, 4))
	pushOK(t, p, clerkA, personChanges(clerkA.ID, 5, 4))
	for i := uint64(0); i < 3; i++ {
		pushOK(t, p, central, demandChanges(central.ID, 1+2*i, "焊工"))
	}
	other := personChanges(central.ID, 7, 4)
	for i := range other {
		other[i].Scope = otherCollege
	}
	pushOK(t, p, central, other)

	// Pages of at least 4 changes: two persons, then the demands.
	counts := map[string]int{}
	var from []byte
	pages := 0
	for {
		changes, next, err := p.Snapshot(college, from, 4)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, c := range changes {
			counts[c.Scope]++
		}
		if next == nil {
			break
		}
		if pages > 10 {
			t.Fatal("snapshot does not end")
		}
		from = next
	}
	if counts[college] != 8 || counts[record.ProvinceScope] != 6 || counts[otherCollege] != 0 {
		t.Errorf("snapshot changes by scope = %v, want 8 of college A, 6 of the province, none of college B", counts)
	}
	if pages != 4 {
		t.Errorf("snapshot took %d pages, want 4 (2 persons, then demands of 4 and 2 changes)", pages)
	}
	if _, _, err := p.Snapshot(college, scopeStart(otherCollege), 4); !errors.Is(err, ErrInvalid) {
		t.Errorf("snapshot from a position of college B: error %v, want ErrInvalid", err)
	}
}

// A clerk's change to a province record is refused for its role, and the
// pool logs its own values again so the clerk pulls them back.
func TestClerkProvinceChangeRefused(t *testing.T) {
	p := openTemp(t, nil)
	central := enrolAs(t, p, otherCollege, "central")
	clerk := enrolAs(t, p, college, "clerk")
	demand := demandChanges(central.ID, 1, "数控车床操作工")
	pushOK(t, p, central, demand)

	headcount := changeset.Change{Kind: record.KindDemand, ID: demand[0].ID, Scope: record.ProvinceScope,
		Field: record.FieldHeadcount, Value: "50", Stamp: demand[1].Stamp + 10, Prev: demand[1].Stamp,
		Device: clerk.ID, Seq: 1}
	created := demandChanges(clerk.ID, 2, "电工")
	person := personChanges(clerk.ID, 4, 1)
	person[0].Scope = record.ProvinceScope
	pushed := append(append([]changeset.Change{headcount}, created...), person...)
	res, err := p.ApplyPush(clerk.ID, 1, 4, pushed)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) != 4 {
		t.Fatalf("refused %+v, want all 4 changes", res.Refused)
	}
	for _, r := range res.Refused {
		if r.Reason != protocol.CodeRole {
			t.Errorf("refusal of %s %s = %s, want role", record.Kind(r.Kind), r.Field, r.Reason)
		}
	}

	page, err := p.Pull(college, 1, 100, clerk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) != 1 {
		t.Fatalf("clerk pulls %+v after the refusal, want the pool's headcount again", page.Changes)
	}
	back := page.Changes[0]
	if back.ID != headcount.ID || back.Field != record.FieldHeadcount || back.Value != "5" || back.Stamp <= headcount.Stamp {
		t.Errorf("restored change = %+v, want headcount 5 stamped after %d", back, headcount.Stamp)
	}
	var demands []string
	err = p.Each(record.KindDemand, func(st *changeset.State) error {
		demands = append(demands, st.Fields[record.FieldTitle].Value+"/"+st.Fields[record.FieldHeadcount].Value)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(demands) != 1 || demands[0] != "数控车床操作工/5" {
		t.Errorf("pool demands = %v, want only 数控车床操作工/5", demands)
	}
}

// Compaction of the province log waits for every device, and a device
// whose cursor lies before the province log start must resync.
func TestProvinceCompactionResync(t *testing.T) {
	now := time.Now()
	p := openTemp(t, func() time.Time { return now })
	central := enrolAs(t, p, otherCollege, "central")
	clerk := enrolAs(t, p, college, "clerk")
	for _, d := range []Device{central, clerk} {
		if err := p.Contact(d.ID, "test", 0, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	pushOK(t, p, central, demandChanges(central.ID, 1, "焊工"))
	pushOK(t, p, central, demandChanges(central.ID, 3, "电工"))
	if err := p.RecordPulled(central.ID, 2); err != nil {
		t.Fatal(err)
	}

	res, err := p.Compact(record.ProvinceScope)
	if err != nil {
		t.Fatal(err)
	}
	if res.Entries != 0 || res.WaitedDevices != 2 {
		t.Errorf("compaction while the clerk has pulled nothing = %+v, want no entry removed, 2 devices waited for", res)
	}

	// A month later the clerk has not been back, so it is not waited for.
	now = now.Add(AwayLimit + time.Hour)
	if err := p.Contact(central.ID, "test", 0, "", ""); err != nil {
		t.Fatal(err)
	}
	res, err = p.Compact(record.ProvinceScope)
	if err != nil {
		t.Fatal(err)
	}
	if res.Entries != 2 || res.Horizon != 2 {
		t.Errorf("compaction = %+v, want 2 entries removed up to 2", res)
	}
	if _, err := p.Pull(college, 0, 100, clerk.ID); !errors.Is(err, ErrResync) {
		t.Errorf("pull of the clerk behind the province log start: error %v, want ErrResync", err)
	}
	if _, err := p.Pull(college, 2, 100, clerk.ID); err != nil {
		t.Errorf("pull from the province log start: %v", err)
	}
	changes, _, err := p.Snapshot(college, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 4 {
		t.Errorf("snapshot after compaction holds %d changes, want both demands' 4", len(changes))
	}
}
