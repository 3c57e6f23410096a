package syncclient

import (
	"context"
	"testing"
	"time"

	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// Compaction drops the log entries every device has pulled and the
// tombstones among them. A device that was away resyncs from a snapshot,
// and a late edit of a purged record becomes a conflict item instead of
// bringing the record back.
func TestCompactionPurgesTombstones(t *testing.T) {
	srv := startServer(t)
	a := srv.enrolled("a")
	b := srv.enrolled("b")
	purged, _ := a.SavePerson(record.Person{Name: "王建华"})
	live, _ := a.SavePerson(record.Person{Name: "赵敏"})
	syncOnce(t, a)
	syncOnce(t, b)

	// Device b edits the person offline while a deletes it.
	pb, _ := b.Person(purged.ID)
	pb.Phone = "13870210021"
	if _, err := b.SavePerson(pb); err != nil {
		t.Fatal(err)
	}
	if err := a.Delete(record.KindPerson, purged.ID); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	syncOnce(t, a) // records how far a has pulled

	// b has not pulled past the delete: nothing can be purged yet.
	res, err := srv.pool.Compact(college)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tombstones != 0 {
		t.Errorf("compaction while device b lags purged %d tombstones, want 0", res.Tombstones)
	}

	// A month later b has still not been back; a syncs once more. Now b is
	// not waited for.
	srv.stop()
	srv.offset = pool.AwayLimit + 24*time.Hour
	srv.start()
	syncOnce(t, a)
	res, err = srv.pool.Compact(college)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tombstones != 1 || res.Entries == 0 {
		t.Fatalf("compaction = %+v, want the deleted person purged and log entries removed", res)
	}

	// b comes back: its pull gets a resync instruction, its offline edit of the
	// purged person becomes a conflict item, and it converges.
	syncOnce(t, b)
	syncOnce(t, a)
	if got := b.Search("王建华", 10); len(got) != 0 {
		t.Errorf("device b lists the purged person after resync")
	}
	if got, err := b.Person(live.ID); err != nil || got.Name != "赵敏" {
		t.Errorf("device b holds %+v, %v; want 赵敏", got, err)
	}
	items := openConflicts(t, a)
	if len(items) != 1 || items[0].Reason != record.ConflictDeleted || items[0].Loser != "13870210021" {
		t.Errorf("conflicts after the late edit = %+v, want one deleted-record item with the phone", items)
	}
	if got := poolPerson(t, srv.pool, purged.ID).Name; got != "" {
		t.Errorf("pool lists the purged person again as %q", got)
	}
}

// A central-office device receives every device's state at each sync; a
// college device asking for the list is refused.
func TestCentralOfficeSeesDevices(t *testing.T) {
	srv := startServer(t)
	clerk := srv.enrolled("clerk")
	if _, err := clerk.SavePerson(record.Person{Name: "李娜"}); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, clerk)
	if _, err := clerk.SavePerson(record.Person{Name: "赵敏"}); err != nil {
		t.Fatal(err)
	}
	code, _ := srv.createCode(college, "central", time.Hour)
	central := srv.enrolledWith("central", code)
	client := New(central, Options{})
	if err := client.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	devices := client.Status().Devices
	if len(devices) != 2 {
		t.Fatalf("central office sees %d devices, want 2", len(devices))
	}
	for _, d := range devices {
		if d.ID == clerk.Device() {
			if d.Role != "clerk" || d.College != college || d.LastContact == 0 {
				t.Errorf("clerk device = %+v, want role clerk, college %s and a last contact", d, college)
			}
		}
	}
	if devices := New(clerk, Options{}).Status().Devices; devices != nil {
		t.Errorf("a clerk's status lists %d devices, want none", len(devices))
	}
}
