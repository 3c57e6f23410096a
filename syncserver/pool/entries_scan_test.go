package pool

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// TestScanPersonsMatchesEach reads a pool of more than one batch, with
// deleted and erased persons, through scanPersons and through Each, and
// expects the same persons with the same values: the opened personal
// fields in plain, the others empty.
func TestScanPersonsMatchesEach(t *testing.T) {
	p := openTemp(t, nil)
	stamp := hlc.Make(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).UnixMilli(), 0)
	n := scanBatch + 100
	ids := make([]ulid.ULID, n)
	var changes []changeset.Change
	for i := range ids {
		ids[i] = ulid.Make()
		fields := map[string]string{
			record.FieldName: fmt.Sprintf("学生%d", i), record.FieldIDNumber: fmt.Sprintf("3601022003051%05d", i),
			record.FieldPhone: fmt.Sprintf("138%08d", i), record.FieldAddress: "江西省南昌市",
			record.FieldMajor: "510203", record.FieldStudentNo: fmt.Sprint(i),
		}
		for field, value := range fields {
			changes = append(changes, changeset.Change{Kind: record.KindPerson, ID: ids[i], Scope: college,
				Field: field, Value: value, Stamp: stamp, Device: "test"})
		}
	}
	for _, i := range []int{0, scanBatch, n - 1} {
		changes = append(changes, changeset.Change{Kind: record.KindPerson, ID: ids[i], Scope: college,
			Field: record.FieldDeleted, Value: "1", Stamp: stamp + 1, Device: "test"})
	}
	if _, err := p.ApplyTrusted(changes); err != nil {
		t.Fatal(err)
	}
	erased := ids[7]
	if _, err := p.Erase(erased, "test"); err != nil {
		t.Fatal(err)
	}

	want := map[ulid.ULID]map[string]string{}
	err := p.Each(record.KindPerson, func(st *changeset.State) error {
		want[st.ID] = st.Values()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != n-3 {
		t.Fatalf("Each read %d persons, want %d", len(want), n-3)
	}

	open := []string{record.FieldName, record.FieldPhone}
	seen := 0
	err = p.scanPersons(nil, open, func(row *personRow) error {
		seen++
		w, ok := want[row.id]
		if !ok {
			t.Errorf("scan read %s, which Each did not", row.id)
			return nil
		}
		for _, field := range []string{record.FieldName, record.FieldPhone, record.FieldMajor, record.FieldStudentNo} {
			if got := row.value(field); got != w[field] {
				t.Errorf("%s of %s = %q, want %q", field, row.id, got, w[field])
			}
		}
		for _, field := range []string{record.FieldIDNumber, record.FieldAddress} {
			if got := row.value(field); got != "" {
				t.Errorf("%s of %s = %q, want empty because the scan did not open it", field, row.id, got)
			}
		}
		if row.scope != college {
			t.Errorf("scope of %s = %q, want %s", row.id, row.scope, college)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != len(want) {
		t.Errorf("scan read %d persons, want %d", seen, len(want))
	}
	if w := want[erased]; w[record.FieldName] != "" {
		t.Errorf("erased person's name through Each = %q, want empty", w[record.FieldName])
	}

	// An error from fn ends the scan at once, reader goroutine included.
	errStop := errors.New("stop")
	calls := 0
	err = p.scanPersons(nil, open, func(*personRow) error {
		calls++
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Errorf("scan error = %v, want fn's error", err)
	}
	if calls != 1 {
		t.Errorf("fn called %d times after returning an error, want 1", calls)
	}
}
