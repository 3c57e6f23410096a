package syncclient

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// startServerAt starts a test server on a fixed loopback port.
func startServerAt(t *testing.T, port int) *testServer {
	t.Helper()
	s := &testServer{t: t, dir: t.TempDir(), addr: fmt.Sprintf("127.0.0.1:%d", port)}
	s.start()
	t.Cleanup(s.stop)
	return s
}

// demandSummaries returns "title/headcount" of a device's live demands,
// sorted.
func demandSummaries(t *testing.T, st *store.Store) []string {
	t.Helper()
	demands, err := st.Demands()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range demands {
		out = append(out, fmt.Sprintf("%s/%d", d.Title, d.Headcount))
	}
	sort.Strings(out)
	return out
}

// poolDemandSummaries returns "title/headcount" of the pool's live
// demands, sorted.
func poolDemandSummaries(t *testing.T, p *pool.Pool) []string {
	t.Helper()
	var out []string
	err := p.Each(record.KindDemand, func(st *changeset.State) error {
		d := record.DemandFrom(st.ID.String(), st.Scope, st.Values())
		out = append(out, fmt.Sprintf("%s/%d", d.Title, d.Headcount))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// heldEntries returns what the central office's device list shows as
// held for a device.
func heldEntries(t *testing.T, central *store.Store, device string) uint64 {
	t.Helper()
	client := New(central, Options{})
	if err := client.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, d := range client.Status().Devices {
		if d.ID == device {
			return d.HeldEntries
		}
	}
	t.Fatalf("device %s missing from the central office's list", device)
	return 0
}

// Employers and demands the central office writes reach a clerk of
// college A, a fair device and a brand-new device, with their updates and
// deletes, while college B's persons never reach college A.
func TestProvinceRecordsReachEveryDevice(t *testing.T) {
	srv := startServerAt(t, 19110)
	central := srv.enrolledIn("central", otherCollege, "central")
	clerkA := srv.enrolledIn("clerkA", college, "clerk")
	clerkB := srv.enrolledIn("clerkB", otherCollege, "clerk")
	fair := srv.enrolledIn("fair", access.FairScope("GZ2026A"), "fair")

	ours, err := clerkA.SavePerson(record.Person{Name: "李娜"})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := clerkB.SavePerson(record.Person{Name: "张伟", Phone: "13979900064"})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []*store.Store{clerkA, clerkB, fair} {
		syncOnce(t, st)
	}

	gree, err := central.SaveEmployer(record.Employer{Name: "赣州格力", CreditCode: "91360700MA35F6XY2K", Region: "360700"})
	if err != nil {
		t.Fatal(err)
	}
	demand, err := central.SaveDemand(record.Demand{Employer: gree.ID, Title: "数控车床操作工", Headcount: 20})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, central)

	// Every device gets them on its next sync, a new one from its snapshot.
	newA := srv.enrolledIn("newA", college, "clerk")
	devices := map[string]*store.Store{"clerkA": clerkA, "fair": fair, "newA": newA, "clerkB": clerkB}
	for name, st := range devices {
		syncOnce(t, st)
		if got, err := st.Employer(gree.ID); err != nil || got.Name != "赣州格力" {
			t.Errorf("device %s employer = %+v, %v; want 赣州格力", name, got, err)
		}
		if got := demandSummaries(t, st); !equalStrings(got, []string{"数控车床操作工/20"}) {
			t.Errorf("device %s demands = %v, want 数控车床操作工/20", name, got)
		}
	}
	if _, err := newA.Person(ours.ID); err != nil {
		t.Errorf("new device of college A lacks its college's person after the snapshot: %v", err)
	}

	// An update and a delete reach them too, and the monitoring counts
	// show the fair device behind until it pulls.
	demand.Headcount = 35
	if _, err := central.SaveDemand(demand); err != nil {
		t.Fatal(err)
	}
	if err := central.DeleteEmployer(gree.ID); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, central)
	if held := heldEntries(t, central, fair.Device()); held == 0 {
		t.Errorf("central office sees fair device holding 0 entries before it pulls the update, want more")
	}
	for name, st := range devices {
		syncOnce(t, st)
		syncOnce(t, st) // reports the new cursor at the handshake
		if _, err := st.Employer(gree.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("device %s still lists the deleted employer: %v", name, err)
		}
		if employers, _ := st.Employers(); len(employers) != 0 {
			t.Errorf("device %s employers = %+v, want none", name, employers)
		}
		if got := demandSummaries(t, st); !equalStrings(got, []string{"数控车床操作工/35"}) {
			t.Errorf("device %s demands = %v, want 数控车床操作工/35", name, got)
		}
	}
	if held := heldEntries(t, central, fair.Device()); held != 0 {
		t.Errorf("central office sees fair device holding %d entries after it pulled, want 0", held)
	}

	// College B's person never reaches college A through the province log.
	for name, st := range map[string]*store.Store{"clerkA": clerkA, "newA": newA, "fair": fair} {
		if _, err := st.Person(theirs.ID); err == nil {
			t.Errorf("device %s holds college B's person", name)
		}
	}
	if n := clerkA.Count(); n != 1 {
		t.Errorf("clerk of college A holds %d persons, want 1", n)
	}
}

// A clerk's device that writes province records anyway (a tampered or
// old client) has every change refused for its role, and its replica ends
// equal to the pool's.
func TestClerkProvinceWriteRefused(t *testing.T) {
	srv := startServerAt(t, 19111)
	central := srv.enrolledIn("central", otherCollege, "central")
	clerk := srv.enrolledIn("clerk", college, "clerk")
	demand, err := central.SaveDemand(record.Demand{Title: "焊工", Headcount: 20})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, central)
	syncOnce(t, clerk)

	// The clerk's own store refuses at once.
	demand.Headcount = 99
	if _, err := clerk.SaveDemand(demand); !errors.Is(err, store.ErrProvinceRole) {
		t.Fatalf("SaveDemand on the clerk device: error %v, want ErrProvinceRole", err)
	}

	// With its local role changed to central, the store lets it through;
	// the server goes by the enrolled role.
	ident, _ := clerk.Identity()
	ident.Role = "central"
	if err := clerk.SetIdentity(ident); err != nil {
		t.Fatal(err)
	}
	if _, err := clerk.SaveDemand(demand); err != nil {
		t.Fatal(err)
	}
	invented, err := clerk.SaveDemand(record.Demand{Title: "电工", Headcount: 3})
	if err != nil {
		t.Fatal(err)
	}
	ident.Role = "clerk"
	if err := clerk.SetIdentity(ident); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, clerk)

	refused, err := clerk.Refused()
	if err != nil {
		t.Fatal(err)
	}
	if len(refused) != 3 {
		t.Errorf("refused changes = %+v, want 3 (headcount, and the new demand's title and headcount)", refused)
	}
	for _, r := range refused {
		if r.Reason != protocol.CodeRole {
			t.Errorf("refusal of %s %s = %s, want role", r.Kind, r.Field, r.Reason)
		}
	}
	if _, err := clerk.Demand(invented.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("clerk still holds its refused new demand: %v", err)
	}
	want := poolDemandSummaries(t, srv.pool)
	if !equalStrings(want, []string{"焊工/20"}) {
		t.Errorf("pool demands = %v, want 焊工/20", want)
	}
	if got := demandSummaries(t, clerk); !equalStrings(got, want) {
		t.Errorf("clerk demands = %v, want the pool's %v", got, want)
	}
	syncOnce(t, central)
	if got := demandSummaries(t, central); !equalStrings(got, want) {
		t.Errorf("central demands = %v, want the pool's %v", got, want)
	}
}

// Compaction of the province log does not wait for a device away longer
// than pool.AwayLimit. That device's next pull resyncs from a snapshot
// with the province records, and drops the demand deleted meanwhile.
func TestProvinceResyncBehindLogStart(t *testing.T) {
	srv := startServerAt(t, 19112)
	central := srv.enrolledIn("central", otherCollege, "central")
	clerk := srv.enrolledIn("clerk", college, "clerk")
	if _, err := clerk.SavePerson(record.Person{Name: "李娜"}); err != nil {
		t.Fatal(err)
	}
	first, err := central.SaveDemand(record.Demand{Title: "焊工", Headcount: 20})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, central)
	syncOnce(t, clerk)

	// While the clerk is away, the central office changes and deletes.
	if err := central.DeleteDemand(first.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := central.SaveDemand(record.Demand{Title: "电工", Headcount: 4}); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, central)

	srv.stop()
	srv.offset = pool.AwayLimit + 24*time.Hour
	srv.start()
	syncOnce(t, central)
	syncOnce(t, central) // reports its cursor at the handshake
	res, err := srv.pool.Compact(record.ProvinceScope)
	if err != nil {
		t.Fatal(err)
	}
	if res.Entries == 0 || res.Tombstones != 1 {
		t.Fatalf("province compaction = %+v, want entries removed and the deleted demand purged", res)
	}
	if start := srv.pool.LogStart(record.ProvinceScope); clerk.Cursor() >= start {
		t.Fatalf("clerk cursor %d is not behind the province log start %d", clerk.Cursor(), start)
	}

	syncOnce(t, clerk)
	if got := demandSummaries(t, clerk); !equalStrings(got, []string{"电工/4"}) {
		t.Errorf("clerk demands after the resync = %v, want 电工/4", got)
	}
	if n := clerk.Count(); n != 1 {
		t.Errorf("clerk holds %d persons after the resync, want its 1", n)
	}
	if clerk.Cursor() < srv.pool.LogStart(record.ProvinceScope) {
		t.Errorf("clerk cursor %d still before the province log start", clerk.Cursor())
	}
}
