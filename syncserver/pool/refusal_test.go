package pool

import (
	"crypto/ed25519"
	"errors"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

const otherCollege = "4136011785"

// enrolAs enrols a device of a college with a role.
func enrolAs(t *testing.T, p *Pool, collegeCode, role string) Device {
	t.Helper()
	code, err := p.CreateEnrolment(collegeCode, role, time.Hour)
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

// edit returns a change of device d to one field, numbered seq.
func edit(d Device, kind record.Kind, id ulid.ULID, scope, field, value string, seq uint64) changeset.Change {
	return changeset.Change{Kind: kind, ID: id, Scope: scope, Field: field, Value: value,
		Stamp: hlc.Make(1_780_000_000_000+int64(seq), 0), Device: d.ID, Account: "王老师", Seq: seq}
}

// makeConflict has two devices of college write one person's employer from
// the same starting point and returns the conflict item the pool made.
func makeConflict(t *testing.T, p *Pool) (ulid.ULID, record.Conflict) {
	t.Helper()
	a := enrolAs(t, p, college, "clerk")
	b := enrolAs(t, p, college, "clerk")
	person := ulid.Make()
	if _, err := p.ApplyPush(a.ID, 1, 1, []changeset.Change{edit(a, record.KindPerson, person, college, record.FieldEmployer, "南昌甲公司", 1)}); err != nil {
		t.Fatal(err)
	}
	race := edit(b, record.KindPerson, person, college, record.FieldEmployer, "九江乙公司", 2)
	race.Seq = 1
	if _, err := p.ApplyPush(b.ID, 1, 1, []changeset.Change{race}); err != nil {
		t.Fatal(err)
	}
	var items []record.Conflict
	var ids []ulid.ULID
	err := p.Each(record.KindConflict, func(st *changeset.State) error {
		items = append(items, record.ConflictFrom(st.ID.String(), st.Scope, st.Values()))
		ids = append(ids, st.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("pool holds %d conflict items after a race, want 1", len(items))
	}
	return ids[0], items[0]
}

// A clerk's push is checked change by change: the allowed ones are applied,
// the others refused with their reason, and the push is acknowledged whole.
func TestPushRefusesChangeByChange(t *testing.T) {
	p := openTemp(t, nil)
	itemID, _ := makeConflict(t, p)
	d := enrolAs(t, p, college, "clerk")
	own, other := ulid.Make(), ulid.Make()
	push := []changeset.Change{
		edit(d, record.KindPerson, own, college, record.FieldName, "李娜", 1),
		edit(d, record.KindPerson, other, otherCollege, record.FieldName, "张伟", 2),
		edit(d, record.KindPerson, own, college, record.FieldErased, "2026-01-05T10:00:00Z", 3),
		edit(d, record.KindConflict, itemID, college, record.FieldResolution, "南昌甲公司", 4),
		edit(d, record.KindPerson, own, college, record.FieldPhone, "1380791234", 5),
		edit(d, record.KindPerson, own, college, record.FieldMajor, "510203", 6),
	}
	res, err := p.ApplyPush(d.ID, 1, 6, push)
	if err != nil {
		t.Fatalf("ApplyPush: %v", err)
	}
	if res.Acked != 6 {
		t.Errorf("acked %d, want 6", res.Acked)
	}
	if res.Applied != 2 {
		t.Errorf("applied %d changes, want 2 (name and major)", res.Applied)
	}
	want := []protocol.Refusal{
		{Seq: 2, Kind: uint8(record.KindPerson), Record: other.String(), Field: record.FieldName, Reason: protocol.CodeScope},
		{Seq: 3, Kind: uint8(record.KindPerson), Record: own.String(), Field: record.FieldErased, Reason: protocol.CodeRole},
		{Seq: 4, Kind: uint8(record.KindConflict), Record: itemID.String(), Field: record.FieldResolution, Reason: protocol.CodeRole},
		{Seq: 5, Kind: uint8(record.KindPerson), Record: own.String(), Field: record.FieldPhone, Reason: protocol.CodeInvalid},
	}
	if len(res.Refused) != len(want) {
		t.Fatalf("refused %+v, want %+v", res.Refused, want)
	}
	for i := range want {
		if res.Refused[i] != want[i] {
			t.Errorf("refusal %d = %+v, want %+v", i, res.Refused[i], want[i])
		}
	}

	got := map[string]string{}
	_ = p.Each(record.KindPerson, func(st *changeset.State) error {
		if st.ID == own {
			got = st.Values()
		}
		if st.ID == other {
			t.Errorf("the pool holds the other college's person %s", other)
		}
		return nil
	})
	if got[record.FieldName] != "李娜" || got[record.FieldMajor] != "510203" {
		t.Errorf("own person = %v, want name 李娜 and major 510203", got)
	}
	if got[record.FieldErased] != "" || got[record.FieldPhone] != "" {
		t.Errorf("own person = %v, want no erased mark and no phone", got)
	}
	if page, _ := p.Pull(otherCollege, 0, 100, ""); len(page.Changes) != 0 {
		t.Errorf("log of the other college holds %d changes, want 0", len(page.Changes))
	}
}

// A repeated push, whose ack was lost, gets the same refusals. An
// overlapping one gets the refusals of its known part and of its new part.
func TestRepeatedPushGetsSameRefusals(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolAs(t, p, college, "clerk")
	own, other := ulid.Make(), ulid.Make()
	first := []changeset.Change{
		edit(d, record.KindPerson, own, college, record.FieldName, "李娜", 1),
		edit(d, record.KindPerson, other, otherCollege, record.FieldName, "张伟", 2),
	}
	res1, err := p.ApplyPush(d.ID, 1, 2, first)
	if err != nil {
		t.Fatal(err)
	}
	res2, err := p.ApplyPush(d.ID, 1, 2, first)
	if err != nil {
		t.Fatal(err)
	}
	if res2.Applied != 0 || res2.Acked != 2 {
		t.Errorf("repeated push = applied %d, acked %d; want 0 and 2", res2.Applied, res2.Acked)
	}
	if len(res1.Refused) != 1 || len(res2.Refused) != 1 || res1.Refused[0] != res2.Refused[0] {
		t.Errorf("refusals of the first push %+v and of the repeated push %+v, want the same one", res1.Refused, res2.Refused)
	}

	overlap := append(first[1:], edit(d, record.KindPerson, own, college, record.FieldErased, "2026-01-05T10:00:00Z", 3))
	res3, err := p.ApplyPush(d.ID, 2, 3, overlap)
	if err != nil {
		t.Fatal(err)
	}
	if len(res3.Refused) != 2 || res3.Refused[0].Seq != 2 || res3.Refused[1].Seq != 3 || res3.Refused[1].Reason != protocol.CodeRole {
		t.Errorf("overlapping push refused %+v, want seq 2 (scope) and seq 3 (role)", res3.Refused)
	}
	st, _ := p.Stats()
	if st.LogChanges != 1 {
		t.Errorf("log changes = %d, want 1", st.LogChanges)
	}
}

// A push with more refusals than an ack carries is acknowledged up to the
// change before the first refusal that does not fit. The rest comes with
// the next push, and a repeat of the first push gets the same cut.
func TestRefusalsCutPushAtLimit(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolAs(t, p, college, "clerk")
	n := MaxRefusalsPerAck + 5
	push := make([]changeset.Change, n)
	for i := range push {
		push[i] = edit(d, record.KindPerson, ulid.Make(), otherCollege, record.FieldName, "张伟", uint64(i+1))
	}
	res, err := p.ApplyPush(d.ID, 1, uint64(n), push)
	if err != nil {
		t.Fatal(err)
	}
	if res.Acked != MaxRefusalsPerAck || len(res.Refused) != MaxRefusalsPerAck {
		t.Fatalf("push of %d refused changes = acked %d with %d refusals, want %d and %d",
			n, res.Acked, len(res.Refused), MaxRefusalsPerAck, MaxRefusalsPerAck)
	}
	again, err := p.ApplyPush(d.ID, 1, uint64(n), push)
	if err != nil {
		t.Fatal(err)
	}
	if again.Acked != MaxRefusalsPerAck || len(again.Refused) != MaxRefusalsPerAck {
		t.Errorf("repeated push = acked %d with %d refusals, want %d and %d",
			again.Acked, len(again.Refused), MaxRefusalsPerAck, MaxRefusalsPerAck)
	}
	rest, err := p.ApplyPush(d.ID, MaxRefusalsPerAck+1, uint64(n), push[MaxRefusalsPerAck:])
	if err != nil {
		t.Fatal(err)
	}
	if rest.Acked != uint64(n) || len(rest.Refused) != 5 {
		t.Errorf("rest of the push = acked %d with %d refusals, want %d and 5", rest.Acked, len(rest.Refused), n)
	}
}

// A record keeps the college it was created in: a change that names it with
// another college is refused, even from the central office.
func TestRecordCannotMoveCollege(t *testing.T) {
	p := openTemp(t, nil)
	central := enrolAs(t, p, college, "central")
	clerk := enrolAs(t, p, otherCollege, "clerk")
	person := ulid.Make()
	res, err := p.ApplyPush(central.ID, 1, 1, []changeset.Change{
		edit(central, record.KindPerson, person, college, record.FieldName, "李娜", 1)})
	if err != nil || len(res.Refused) != 0 {
		t.Fatalf("central office push to its college = %+v, %v; want applied", res, err)
	}
	res, err = p.ApplyPush(clerk.ID, 1, 1, []changeset.Change{
		edit(clerk, record.KindPerson, person, otherCollege, record.FieldName, "张伟", 1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) != 1 || res.Refused[0].Reason != protocol.CodeScope {
		t.Errorf("clerk of another college naming the person = %+v, want one scope refusal", res.Refused)
	}
	res, err = p.ApplyPush(central.ID, 2, 3, []changeset.Change{
		edit(central, record.KindPerson, ulid.Make(), otherCollege, record.FieldName, "王芳", 2),
		edit(central, record.KindPerson, person, otherCollege, record.FieldName, "张伟", 3)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) != 1 || res.Refused[0].Seq != 3 || res.Refused[0].Reason != protocol.CodeScope {
		t.Errorf("central office moving a person = %+v, want seq 3 refused for scope", res.Refused)
	}
}

// Devices resolve conflict items; they never make them.
func TestConflictItemsMadeByServerOnly(t *testing.T) {
	p := openTemp(t, nil)
	itemID, _ := makeConflict(t, p)
	reviewer := enrolAs(t, p, college, "reviewer")
	made := ulid.Make()
	res, err := p.ApplyPush(reviewer.ID, 1, 4, []changeset.Change{
		edit(reviewer, record.KindConflict, made, college, record.FieldWinner, "甲", 1),
		edit(reviewer, record.KindConflict, made, college, record.FieldConflictStatus, record.ConflictResolved, 2),
		edit(reviewer, record.KindConflict, itemID, college, record.FieldConflictStatus, record.ConflictResolved, 3),
		edit(reviewer, record.KindConflict, itemID, college, record.FieldResolution, "南昌甲公司", 4),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []protocol.Code{protocol.CodeRole, protocol.CodeInvalid}
	if len(res.Refused) != len(want) {
		t.Fatalf("refused %+v, want seq 1 for role and seq 2 as invalid", res.Refused)
	}
	for i, code := range want {
		if res.Refused[i].Seq != uint64(i+1) || res.Refused[i].Reason != code {
			t.Errorf("refusal %d = %+v, want seq %d reason %s", i, res.Refused[i], i+1, code)
		}
	}
	var status string
	_ = p.Each(record.KindConflict, func(st *changeset.State) error {
		if st.ID == made {
			t.Errorf("the pool holds the conflict item %s a device made", made)
		}
		if st.ID == itemID {
			status = st.Fields[record.FieldConflictStatus].Value
		}
		return nil
	})
	if status != record.ConflictResolved {
		t.Errorf("item status = %q, want resolved by the reviewer", status)
	}
}

// An access event goes to the audit log only: the pool keeps no record of
// it and devices pull nothing of it. Free text in its fields is refused.
func TestAccessEventOnlyAudited(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolAs(t, p, college, "reviewer")
	person, event, bad := ulid.Make(), ulid.Make(), ulid.Make()
	res, err := p.ApplyPush(d.ID, 1, 5, []changeset.Change{
		edit(d, record.KindAccess, event, college, record.FieldPerson, person.String(), 1),
		edit(d, record.KindAccess, event, college, record.FieldFields, "id_number,phone", 2),
		edit(d, record.KindAccess, event, college, record.FieldAction, record.AccessReveal, 3),
		edit(d, record.KindAccess, bad, college, record.FieldFields, "36012120020101099X", 4),
		edit(d, record.KindAccess, bad, college, record.FieldAction, "copy", 5),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) != 2 || res.Refused[0].Reason != protocol.CodeInvalid || res.Refused[1].Reason != protocol.CodeInvalid {
		t.Errorf("refused %+v, want seq 4 and 5 as invalid", res.Refused)
	}
	if res.Applied != 0 {
		t.Errorf("applied %d changes to the log, want 0", res.Applied)
	}
	if head := p.Head(college); head != 0 {
		t.Errorf("college log head = %d after an access event, want 0", head)
	}
	_ = p.Each(record.KindAccess, func(st *changeset.State) error {
		t.Errorf("the pool holds access event %s as a record", st.ID)
		return nil
	})
	if changes, _, _ := p.Snapshot(college, nil, 100); len(changes) != 0 {
		t.Errorf("snapshot holds %d changes, want 0", len(changes))
	}

	entries, err := p.AuditEntries(AuditFilter{Person: person.String()})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("audit entries about the person = %+v, want one reveal", entries)
	}
	e := entries[0]
	if e.Action != ActionReveal || e.Device != d.ID || e.Account != "王老师" {
		t.Errorf("entry = %+v, want reveal by %s account 王老师", e, d.ID)
	}
	if len(e.Fields) != 2 || e.Fields[0] != record.FieldIDNumber || e.Fields[1] != record.FieldPhone {
		t.Errorf("entry fields = %v, want [id_number phone]", e.Fields)
	}
}

// An unmasked report export is audited as an export, and an access event
// of an older device, which names no export action, still as a reveal.
func TestAccessEventExportAudited(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolAs(t, p, college, "clerk")
	exported, revealed := ulid.Make(), ulid.Make()
	exportEvent, revealEvent := ulid.Make(), ulid.Make()
	res, err := p.ApplyPush(d.ID, 1, 5, []changeset.Change{
		edit(d, record.KindAccess, exportEvent, college, record.FieldAction, record.AccessExport, 1),
		edit(d, record.KindAccess, exportEvent, college, record.FieldPerson, exported.String(), 2),
		edit(d, record.KindAccess, exportEvent, college, record.FieldFields, "id_number,phone,address", 3),
		edit(d, record.KindAccess, revealEvent, college, record.FieldPerson, revealed.String(), 4),
		edit(d, record.KindAccess, revealEvent, college, record.FieldFields, "phone", 5),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) != 0 {
		t.Fatalf("refused %+v, want none", res.Refused)
	}

	cases := []struct {
		person ulid.ULID
		action string
		fields int
	}{{exported, ActionExport, 3}, {revealed, ActionReveal, 1}}
	for _, c := range cases {
		entries, err := p.AuditEntries(AuditFilter{Person: c.person.String()})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 {
			t.Fatalf("audit entries about %s = %+v, want one", c.action, entries)
		}
		if entries[0].Action != c.action {
			t.Errorf("entry action = %q, want %q", entries[0].Action, c.action)
		}
		if len(entries[0].Fields) != c.fields {
			t.Errorf("%s entry fields = %v, want %d person fields", c.action, entries[0].Fields, c.fields)
		}
	}
}

// A whole push is still rejected for another device's changes.
func TestPushOfAnotherDevicesChangeRejected(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolAs(t, p, college, "central")
	c := edit(d, record.KindPerson, ulid.Make(), college, record.FieldName, "李娜", 1)
	c.Device = "01JDEVICE00000000000007K3QZP"
	if _, err := p.ApplyPush(d.ID, 1, 1, []changeset.Change{c}); !errors.Is(err, ErrScope) {
		t.Errorf("push of another device's change error = %v, want ErrScope", err)
	}
	if got, _ := p.Device(d.ID); got.Acked != 0 {
		t.Errorf("acked after a rejected push = %d, want 0", got.Acked)
	}
}
