package pool

import (
	"slices"
	"testing"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// EachCountedValues yields the records EachCounted does, with the same
// values.
func TestEachCountedValuesMatchesEachCounted(t *testing.T) {
	p := openTemp(t, nil)
	person := ulid.Make().String()
	stamp := hlc.Make(1_780_000_000_000, 0)
	write := func(id ulid.ULID, fields map[string]string) {
		t.Helper()
		var changes []changeset.Change
		for field, value := range fields {
			stamp++
			changes = append(changes, changeset.Change{Kind: record.KindCertificate, ID: id, Scope: college,
				Field: field, Value: value, Stamp: stamp, Device: "test"})
		}
		if _, err := p.ApplyTrusted(changes); err != nil {
			t.Fatal(err)
		}
	}
	approved := record.Review{State: record.ReviewApproved}
	counted, draft, deleted, old, correction := ulid.Make(), ulid.Make(), ulid.Make(), ulid.Make(), ulid.Make()
	write(counted, record.Certificate{Person: person, Title: "车工", SkillLevel: "4", Review: approved}.Fields())
	write(draft, record.Certificate{Person: person, Title: "钳工", SkillLevel: "4"}.Fields())
	write(deleted, record.Certificate{Person: person, Title: "焊工", SkillLevel: "4", Review: approved}.Fields())
	write(deleted, map[string]string{record.FieldDeleted: "1"})
	// An approved version whose correction waits for review does not count.
	write(old, record.Certificate{Person: person, Title: "电工", SkillLevel: "5", Review: approved}.Fields())
	write(correction, record.Certificate{Person: person, Title: "电工", SkillLevel: "4", Supersedes: old.String(),
		Review: record.Review{State: record.ReviewPending}}.Fields())

	var want []record.Certificate
	err := p.EachCounted(record.KindCertificate, func(st *changeset.State) error {
		want = append(want, record.CertificateFrom(st.ID.String(), st.Scope, st.Values()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []record.Certificate
	err = p.EachCountedValues(record.KindCertificate, func(id ulid.ULID, scope string, values map[string]string) error {
		got = append(got, record.CertificateFrom(id.String(), scope, values))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != counted.String() {
		t.Errorf("counted certificates = %+v, want only %s", got, counted)
	}
	if !slices.Equal(got, want) {
		t.Errorf("EachCountedValues = %+v, EachCounted = %+v; want equal", got, want)
	}
}
