package pool

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

const college = "4136012941"

// openTemp opens a pool in a temporary folder and checks the file's
// integrity when the test ends.
func openTemp(t *testing.T, now func() time.Time) *Pool {
	t.Helper()
	p, err := Open(filepath.Join(t.TempDir(), "pool.db"), Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Check(); err != nil {
			t.Errorf("pool integrity: %v", err)
		}
		p.Close()
	})
	return p
}

func enrolDevice(t *testing.T, p *Pool) Device {
	t.Helper()
	code, err := p.CreateEnrolment(college, "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	d, err := p.Enrol(code, ulid.Make().String(), pub, "test")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// personChanges makes n changes to one new person, with device sequence
// numbers from first.
func personChanges(device string, first uint64, n int) []changeset.Change {
	id := ulid.Make()
	fields := []string{record.FieldName, record.FieldPhone, record.FieldMajor, record.FieldStatus}
	values := []string{"李娜", "13807912345", "510203", record.StatusSeeking}
	out := make([]changeset.Change, n)
	for i := range out {
		out[i] = changeset.Change{Kind: record.KindPerson, ID: id, Scope: college, Field: fields[i%len(fields)],
			Value: values[i%len(values)], Stamp: hlc.Make(1_780_000_000_000, uint16(i)), Device: device, Seq: first + uint64(i)}
	}
	return out
}

func TestEnrolmentCodeIsOneTime(t *testing.T) {
	p := openTemp(t, nil)
	code, err := p.CreateEnrolment(college, "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	if _, err := p.Enrol(code, ulid.Make().String(), pub, "test"); err != nil {
		t.Fatalf("first use: %v", err)
	}
	if _, err := p.Enrol(code, ulid.Make().String(), pub, "test"); !errors.Is(err, ErrEnrolCode) {
		t.Errorf("second use error = %v, want ErrEnrolCode", err)
	}
}

func TestEnrolmentKeepsOnlySecretHash(t *testing.T) {
	p := openTemp(t, nil)
	code, err := p.CreateEnrolment(college, "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := hex.DecodeString(code)
	err = p.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEnrol).ForEach(func(k, v []byte) error {
			if bytes.Contains(k, secret) || bytes.Contains(v, secret) || bytes.Contains(v, []byte(code)) {
				t.Errorf("enrolment entry %x contains the secret", k)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRevokedDeviceCannotPushOrReenrol(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolDevice(t, p)
	if _, err := p.ApplyPush(d.ID, 1, 2, personChanges(d.ID, 1, 2)); err != nil {
		t.Fatalf("push before revocation: %v", err)
	}
	revoked, err := p.Revoke(d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !revoked.Revoked() {
		t.Fatalf("Revoke returned a device that is not revoked: %+v", revoked)
	}
	head := p.Head(college)

	_, err = p.ApplyPush(d.ID, 3, 4, personChanges(d.ID, 3, 2))
	if !errors.Is(err, ErrRevoked) {
		t.Errorf("push after revocation error = %v, want ErrRevoked", err)
	}
	if got := p.Head(college); got != head {
		t.Errorf("log head after the refused push = %d, want %d", got, head)
	}
	stored, _ := p.Device(d.ID)
	if stored.Acked != 2 {
		t.Errorf("acked after the refused push = %d, want 2", stored.Acked)
	}

	code, _ := p.CreateEnrolment(college, "clerk", time.Hour)
	pub, _, _ := ed25519.GenerateKey(nil)
	if _, err := p.Enrol(code, d.ID, pub, "test"); !errors.Is(err, ErrRevoked) {
		t.Errorf("re-enrolment of the revoked device error = %v, want ErrRevoked", err)
	}
	// The refused re-enrolment left the code unused.
	if _, err := p.Enrol(code, ulid.Make().String(), pub, "test"); err != nil {
		t.Errorf("code after the refused re-enrolment: %v", err)
	}
}

func TestRevokeUnknownDevice(t *testing.T) {
	p := openTemp(t, nil)
	if _, err := p.Revoke(ulid.Make().String()); !errors.Is(err, ErrUnknownDevice) {
		t.Errorf("Revoke of an unknown device error = %v, want ErrUnknownDevice", err)
	}
}

func TestEnrolmentCodeExpires(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	p := openTemp(t, func() time.Time { return now })
	code, _ := p.CreateEnrolment(college, "clerk", time.Hour)
	now = now.Add(2 * time.Hour)
	pub, _, _ := ed25519.GenerateKey(nil)
	if _, err := p.Enrol(code, ulid.Make().String(), pub, "test"); !errors.Is(err, ErrEnrolCode) {
		t.Errorf("use after expiry error = %v, want ErrEnrolCode", err)
	}
}

func TestApplyPushSequenceRules(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolDevice(t, p)
	first := personChanges(d.ID, 1, 4)
	if res, err := p.ApplyPush(d.ID, 1, 4, first); err != nil || res.Applied != 4 || res.Acked != 4 {
		t.Fatalf("first push = %+v, %v; want 4 applied, acked 4", res, err)
	}

	// A push after a gap is rejected and changes nothing.
	gap := personChanges(d.ID, 6, 2)
	if _, err := p.ApplyPush(d.ID, 6, 7, gap); !errors.Is(err, ErrSequence) {
		t.Errorf("push 6..7 after 4 error = %v, want ErrSequence", err)
	}

	// An overlapping push applies only the entries the pool lacks.
	overlap := append(personChanges(d.ID, 3, 2), personChanges(d.ID, 5, 2)...)
	res, err := p.ApplyPush(d.ID, 3, 6, overlap)
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != 2 || res.Acked != 6 {
		t.Errorf("overlapping push 3..6 = %+v, want 2 applied, acked 6", res)
	}
	st, _ := p.Stats()
	if st.LogChanges != 6 {
		t.Errorf("log changes = %d, want 6", st.LogChanges)
	}
}

func TestApplyPushRejectsOtherDevicesChanges(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolDevice(t, p)
	other := personChanges("someone-else", 1, 2)
	if _, err := p.ApplyPush(d.ID, 1, 2, other); !errors.Is(err, ErrScope) {
		t.Errorf("push of another device's changes error = %v, want ErrScope", err)
	}
	unknownField := personChanges(d.ID, 1, 1)
	unknownField[0].Field = "salary"
	if _, err := p.ApplyPush(d.ID, 1, 1, unknownField); !errors.Is(err, ErrInvalid) {
		t.Errorf("push of an unknown field error = %v, want ErrInvalid", err)
	}
	if _, err := p.ApplyPush("01JF0000000000000000000000", 1, 1, unknownField); !errors.Is(err, ErrUnknownDevice) {
		t.Errorf("push from an unknown device error = %v, want ErrUnknownDevice", err)
	}
}

func TestPullPagesAndLeavesOutOwnChanges(t *testing.T) {
	p := openTemp(t, nil)
	a := enrolDevice(t, p)
	b := enrolDevice(t, p)
	for i := 0; i < 3; i++ {
		seq := uint64(i*4 + 1)
		if _, err := p.ApplyPush(a.ID, seq, seq+3, personChanges(a.ID, seq, 4)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.ApplyPush(b.ID, 1, 2, personChanges(b.ID, 1, 2)); err != nil {
		t.Fatal(err)
	}
	if head := p.Head(college); head != 4 {
		t.Errorf("Head = %d, want 4 log entries", head)
	}

	// Device b pages through a's three entries, five changes at a time:
	// whole entries, so pages of 8 and 4.
	page, err := p.Pull(college, 0, 5, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) != 8 || !page.More || page.Cursor != 2 {
		t.Errorf("first page: %d changes, more %v, cursor %d; want 8, true, 2", len(page.Changes), page.More, page.Cursor)
	}
	page, _ = p.Pull(college, page.Cursor, 5, b.ID)
	if len(page.Changes) != 4 || page.More || page.Cursor != 4 {
		t.Errorf("second page: %d changes, more %v, cursor %d; want 4, false, 4", len(page.Changes), page.More, page.Cursor)
	}
	for _, c := range page.Changes {
		if c.Device == b.ID {
			t.Errorf("pull for device b returned its own change %+v", c)
		}
	}
	empty, _ := p.Pull(college, 4, 5, b.ID)
	if len(empty.Changes) != 0 || empty.Cursor != 4 || empty.More {
		t.Errorf("pull at the head = %+v, want nothing and cursor 4", empty)
	}
	other, _ := p.Pull("4136011785", 0, 5, b.ID)
	if len(other.Changes) != 0 {
		t.Errorf("pull of another college returned %d changes, want 0", len(other.Changes))
	}
}

func TestReopenKeepsEpoch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pool.db")
	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	epoch := p.Epoch()
	p.Close()
	p, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.Epoch() != epoch {
		t.Errorf("epoch after reopen = %s, want %s", p.Epoch(), epoch)
	}
	if _, err := ulid.ParseStrict(epoch); err != nil {
		t.Errorf("epoch %q is not a ULID: %v", epoch, err)
	}
}

// A push must carry every entry of its range: a hollow one gets no ack.
// A value not in the form the desktop client stores is refused on its own,
// so the push is acknowledged with the refusal and nothing is logged.
func TestApplyPushRejectsHollowRangeAndBadValues(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolDevice(t, p)
	if _, err := p.ApplyPush(d.ID, 1, 1_000_000, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("push 1..1000000 with no changes error = %v, want ErrInvalid", err)
	}
	if got, _ := p.Device(d.ID); got.Acked != 0 {
		t.Errorf("acked after a hollow push = %d, want 0", got.Acked)
	}
	bad := personChanges(d.ID, 1, 2)
	bad[0].Field, bad[0].Value = record.FieldIDNumber, "not-an-id"
	bad[1].Field, bad[1].Value = record.FieldGradYear, "-5"
	res, err := p.ApplyPush(d.ID, 1, 2, bad)
	if err != nil {
		t.Fatalf("push of invalid values: %v", err)
	}
	if res.Acked != 2 || len(res.Refused) != 2 {
		t.Fatalf("push of invalid values = acked %d, %d refused; want acked 2, 2 refused", res.Acked, len(res.Refused))
	}
	for i, r := range res.Refused {
		if r.Reason != protocol.CodeInvalid || r.Seq != uint64(i+1) || r.Field != bad[i].Field {
			t.Errorf("refusal %d = %+v, want seq %d field %s reason invalid", i, r, i+1, bad[i].Field)
		}
	}
	st, _ := p.Stats()
	if st.LogChanges != 0 {
		t.Errorf("log changes after rejected pushes = %d, want 0", st.LogChanges)
	}
}

// A snapshot returns every record of the scope once, across pages, and no
// record of another scope.
func TestSnapshotPagesCoverScope(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolDevice(t, p)
	seq := uint64(1)
	for i := 0; i < 7; i++ {
		if _, err := p.ApplyPush(d.ID, seq, seq+3, personChanges(d.ID, seq, 4)); err != nil {
			t.Fatal(err)
		}
		seq += 4
	}
	other := personChanges("demo", 1, 4)
	for i := range other {
		other[i].Scope = "4136011785"
	}
	if _, err := p.ApplyTrusted(other); err != nil {
		t.Fatal(err)
	}

	seen := map[ulid.ULID]int{}
	var from []byte
	pages := 0
	for {
		changes, next, err := p.Snapshot(college, from, 10)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, c := range changes {
			if c.Scope != college {
				t.Fatalf("snapshot of %s returned a change of %s", college, c.Scope)
			}
			seen[c.ID]++
		}
		if next == nil {
			break
		}
		from = next
		if pages > 20 {
			t.Fatal("snapshot does not end")
		}
	}
	if len(seen) != 7 {
		t.Errorf("snapshot covers %d records, want 7", len(seen))
	}
	for id, n := range seen {
		if n != 4 {
			t.Errorf("record %s appears with %d changes, want its 4 registers once", id, n)
		}
	}
	if pages != 3 {
		t.Errorf("snapshot took %d pages of at least 10 changes, want 3", pages)
	}
}
