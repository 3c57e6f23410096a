package pool

import (
	"slices"
	"testing"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// auditEntriesOf returns the audit entries that match f.
func auditEntriesOf(t *testing.T, p *Pool, f AuditFilter) []AuditEntry {
	t.Helper()
	entries, err := p.AuditEntries(f)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func findAction(entries []AuditEntry, action string) (AuditEntry, bool) {
	for _, e := range entries {
		if e.Action == action {
			return e, true
		}
	}
	return AuditEntry{}, false
}

// A reviewer's resolution of a conflict item about a person is found by
// that person.
func TestResolveAuditNamesPerson(t *testing.T) {
	p := openTemp(t, nil)
	itemID, item := makeConflict(t, p)
	reviewer := enrolAs(t, p, college, "reviewer")
	if _, err := p.ApplyPush(reviewer.ID, 1, 2, []changeset.Change{
		edit(reviewer, record.KindConflict, itemID, college, record.FieldConflictStatus, record.ConflictResolved, 1),
		edit(reviewer, record.KindConflict, itemID, college, record.FieldResolution, "南昌甲公司", 2),
	}); err != nil {
		t.Fatal(err)
	}
	e, ok := findAction(auditEntriesOf(t, p, AuditFilter{Person: item.Record}), ActionResolve)
	if !ok {
		t.Fatalf("audit --person %s lists no resolution", item.Record)
	}
	if e.Person != item.Record || e.Record != itemID.String() || e.Device != reviewer.ID {
		t.Errorf("resolution entry = %+v, want item %s of person %s by %s", e, itemID, item.Record, reviewer.ID)
	}
}

// A resolution of a conflict about a training names the training's person.
func TestResolveAuditNamesTrainingPerson(t *testing.T) {
	p := openTemp(t, nil)
	a := enrolAs(t, p, college, "clerk")
	b := enrolAs(t, p, college, "clerk")
	person, training := ulid.Make(), ulid.Make()
	if _, err := p.ApplyPush(a.ID, 1, 2, []changeset.Change{
		edit(a, record.KindTraining, training, college, record.FieldPerson, person.String(), 1),
		edit(a, record.KindTraining, training, college, record.FieldHours, "40", 2),
	}); err != nil {
		t.Fatal(err)
	}
	race := edit(b, record.KindTraining, training, college, record.FieldHours, "48", 3)
	race.Seq = 1
	if _, err := p.ApplyPush(b.ID, 1, 1, []changeset.Change{race}); err != nil {
		t.Fatal(err)
	}
	var itemID ulid.ULID
	_ = p.Each(record.KindConflict, func(st *changeset.State) error {
		itemID = st.ID
		return nil
	})
	if itemID == (ulid.ULID{}) {
		t.Fatal("no conflict item after a race on the training's hours")
	}

	reviewer := enrolAs(t, p, college, "reviewer")
	if _, err := p.ApplyPush(reviewer.ID, 1, 1, []changeset.Change{
		edit(reviewer, record.KindConflict, itemID, college, record.FieldConflictStatus, record.ConflictResolved, 1),
	}); err != nil {
		t.Fatal(err)
	}
	e, ok := findAction(auditEntriesOf(t, p, AuditFilter{Device: reviewer.ID}), ActionResolve)
	if !ok {
		t.Fatal("no resolution entry of the reviewer")
	}
	if e.Person != person.String() {
		t.Errorf("resolution entry person = %q, want the training's person %s", e.Person, person)
	}
}

// After a restore a device pushes its own values and the server's conflict
// items again, marked with Prev equal to Stamp. The audit log records them
// as replays, not as new writes of the device.
func TestReplayAuditedAsReplay(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolAs(t, p, college, "clerk")
	person, item := ulid.Make(), ulid.Make()
	own := edit(d, record.KindPerson, person, college, record.FieldEmployer, "南昌甲公司", 1)
	own.Prev, own.Account = own.Stamp, ""
	stamp := hlc.Make(1_780_000_000_500, 0)
	serverItem := changeset.Change{Kind: record.KindConflict, ID: item, Scope: college, Field: record.FieldField,
		Value: record.FieldEmployer, Stamp: stamp, Prev: stamp, Device: serverDevice, Seq: 2}
	fresh := edit(d, record.KindPerson, person, college, record.FieldStatus, record.StatusEmployed, 3)
	res, err := p.ApplyPush(d.ID, 1, 3, []changeset.Change{own, serverItem, fresh})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) != 0 {
		t.Fatalf("replay refused: %+v", res.Refused)
	}

	var replays, writes []AuditEntry
	for _, e := range auditEntriesOf(t, p, AuditFilter{Device: d.ID}) {
		switch e.Action {
		case ActionReplay:
			replays = append(replays, e)
		case ActionWrite:
			writes = append(writes, e)
		}
	}
	if len(replays) != 2 {
		t.Fatalf("replay entries = %+v, want the person's and the conflict item's", replays)
	}
	if replays[0].Record != person.String() || !slices.Equal(replays[0].Fields, []string{record.FieldEmployer}) {
		t.Errorf("person replay = %+v, want %s employer", replays[0], person)
	}
	if replays[1].Record != item.String() || replays[1].Kind != record.KindConflict {
		t.Errorf("item replay = %+v, want conflict item %s", replays[1], item)
	}
	if len(writes) != 1 || !slices.Equal(writes[0].Fields, []string{record.FieldStatus}) || writes[0].Account != "王老师" {
		t.Errorf("write entries = %+v, want one of the status by 王老师", writes)
	}
}

// Personal values for an erased person are refused with the erased
// reason and audited as refusals, whether the person was erased before
// the push or by an earlier change of the same push.
func TestErasedPersonValuesRefused(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolAs(t, p, college, "central")
	people := testPeople(2)
	next := pushPeople(t, p, d.ID, 1, people)
	before, within := ulid.MustParseStrict(people[0].ID), ulid.MustParseStrict(people[1].ID)
	if _, err := p.Erase(before, "test"); err != nil {
		t.Fatal(err)
	}

	stamp := hlc.Make(4_000_000_000_000, 0)
	push := []changeset.Change{
		{Kind: record.KindPerson, ID: before, Scope: college, Field: record.FieldPhone, Value: "13607910000", Stamp: stamp, Device: d.ID},
		{Kind: record.KindPerson, ID: within, Scope: college, Field: record.FieldErased, Value: "2026-07-01T09:00:00Z", Stamp: stamp + 1, Device: d.ID},
		{Kind: record.KindPerson, ID: within, Scope: college, Field: record.FieldName, Value: "赵敏", Stamp: stamp + 2, Device: d.ID},
	}
	for i := range push {
		push[i].Seq = next + uint64(i)
	}
	res, err := p.ApplyPush(d.ID, next, next+2, push)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) != 2 {
		t.Fatalf("refused %+v, want the phone of the erased person and the name after the erasure", res.Refused)
	}
	for i, seq := range []uint64{next, next + 2} {
		if res.Refused[i].Seq != seq || res.Refused[i].Reason != protocol.CodeErased {
			t.Errorf("refusal %d = %+v, want seq %d reason %s", i, res.Refused[i], seq, protocol.CodeErased)
		}
	}

	for _, id := range []ulid.ULID{before, within} {
		entries := auditEntriesOf(t, p, AuditFilter{Person: id.String()})
		refusal, ok := findAction(entries, ActionRefuse)
		if !ok || refusal.Reason != string(protocol.CodeErased) {
			t.Errorf("person %s: refusal entry = %+v, want reason %s", id, refusal, protocol.CodeErased)
		}
		for _, e := range entries {
			if e.Action == ActionWrite && e.Time.Equal(refusal.Time) &&
				(slices.Contains(e.Fields, record.FieldPhone) || slices.Contains(e.Fields, record.FieldName)) {
				t.Errorf("person %s: write entry %+v lists a personal field the pool did not store", id, e)
			}
		}
	}
}
