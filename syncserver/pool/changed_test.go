package pool

import (
	"errors"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/record"
)

// changedRecord is one call of ChangedSince's callback.
type changedRecord struct {
	kind  record.Kind
	id    ulid.ULID
	scope string
}

func changedSince(t *testing.T, p *Pool, seq uint64) ([]changedRecord, uint64, error) {
	t.Helper()
	var out []changedRecord
	head, err := p.ChangedSince(seq, func(kind record.Kind, id ulid.ULID, scope string) error {
		out = append(out, changedRecord{kind, id, scope})
		return nil
	})
	return out, head, err
}

func TestChangedSinceListsEachRecordOnce(t *testing.T) {
	p := openTemp(t, nil)
	central := enrolAs(t, p, otherCollege, "central")
	clerk := enrolAs(t, p, college, "clerk")
	person := personChanges(clerk.ID, 1, 4)
	pushOK(t, p, clerk, person)
	start := p.LogHead()
	demand := demandChanges(central.ID, 1, "焊工")
	pushOK(t, p, central, demand)
	// A second push to the same person after the demand.
	more := personChanges(clerk.ID, 5, 2)
	for i := range more {
		more[i].ID = person[0].ID
		more[i].Stamp += 10
	}
	pushOK(t, p, clerk, more)

	got, head, err := changedSince(t, p, 0)
	if err != nil {
		t.Fatal(err)
	}
	if head != p.LogHead() || head != 3 {
		t.Errorf("head = %d, want the log head 3 (LogHead %d)", head, p.LogHead())
	}
	want := []changedRecord{
		{record.KindPerson, person[0].ID, college},
		{record.KindDemand, demand[0].ID, record.ProvinceScope},
	}
	if len(got) != len(want) {
		t.Fatalf("changed since 0 = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("changed record %d = %v, want %v", i, got[i], want[i])
		}
	}

	got, _, err = changedSince(t, p, start)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].kind != record.KindDemand || got[1].kind != record.KindPerson {
		t.Errorf("changed since %d = %v, want the demand, then the person", start, got)
	}

	got, head, err = changedSince(t, p, head)
	if err != nil || len(got) != 0 || head != 3 {
		t.Errorf("changed since the head = %v, head %d, error %v; want nothing, head 3", got, head, err)
	}
}

func TestChangedSinceStopsOnCallbackError(t *testing.T) {
	p := openTemp(t, nil)
	clerk := enrolAs(t, p, college, "clerk")
	pushOK(t, p, clerk, personChanges(clerk.ID, 1, 2))
	pushOK(t, p, clerk, personChanges(clerk.ID, 3, 2))
	stop := errors.New("stop")
	calls := 0
	head, err := p.ChangedSince(0, func(record.Kind, ulid.ULID, string) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) {
		t.Errorf("error = %v, want the callback's", err)
	}
	if calls != 1 {
		t.Errorf("callback ran %d times, want 1", calls)
	}
	if head != 2 {
		t.Errorf("head = %d, want 2", head)
	}
}

// A cursor before a compacted log start must read the whole pool again;
// a cursor at the start reads on.
func TestChangedSinceAfterCompaction(t *testing.T) {
	now := time.Now()
	p := openTemp(t, func() time.Time { return now })
	central := enrolAs(t, p, otherCollege, "central")
	if err := p.Contact(central.ID, "test", 0, "", ""); err != nil {
		t.Fatal(err)
	}
	pushOK(t, p, central, demandChanges(central.ID, 1, "焊工"))
	pushOK(t, p, central, demandChanges(central.ID, 3, "电工"))
	if err := p.RecordPulled(central.ID, 1); err != nil {
		t.Fatal(err)
	}
	if res, err := p.Compact(record.ProvinceScope); err != nil || res.Horizon != 1 {
		t.Fatalf("compaction = %+v, %v; want horizon 1", res, err)
	}

	_, head, err := changedSince(t, p, 0)
	if !errors.Is(err, ErrCompacted) {
		t.Errorf("changed since 0: error %v, want ErrCompacted", err)
	}
	if head != 2 {
		t.Errorf("head with ErrCompacted = %d, want 2", head)
	}
	got, _, err := changedSince(t, p, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].kind != record.KindDemand {
		t.Errorf("changed since the log start = %v, want the second demand", got)
	}
}

func TestRecordsSkipsMissing(t *testing.T) {
	p := openTemp(t, nil)
	clerk := enrolAs(t, p, college, "clerk")
	person := personChanges(clerk.ID, 1, 4)
	pushOK(t, p, clerk, person)
	states, err := p.Records(record.KindPerson, []ulid.ULID{ulid.Make(), person[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 1 || states[0].ID != person[0].ID {
		t.Fatalf("records = %v, want only the pushed person", states)
	}
	// The phone is sealed in the pool: Records opens it.
	if phone := states[0].Fields[record.FieldPhone].Value; phone != "13807912345" {
		t.Errorf("phone = %q, want the opened 13807912345", phone)
	}
}
