package pool

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// tamperAudit replaces the stored bytes of audit entry seq.
func tamperAudit(t *testing.T, p *Pool, seq uint64, edit func([]byte) []byte) {
	t.Helper()
	err := p.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		raw := b.Get(seqKey(seq))
		if raw == nil {
			t.Fatalf("no audit entry %d", seq)
		}
		return b.Put(seqKey(seq), edit(bytes.Clone(raw)))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A push leaves one entry per record and account, naming the device, the
// account and the fields, and one per refused change; no value.
func TestPushAuditNamesFieldsNotValues(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	p := openTemp(t, func() time.Time { return now })
	d := enrolAs(t, p, college, "clerk")
	person, training, other := ulid.Make(), ulid.Make(), ulid.Make()
	push := []changeset.Change{
		edit(d, record.KindPerson, person, college, record.FieldName, "李娜", 1),
		edit(d, record.KindPerson, person, college, record.FieldIDNumber, "36012120020101099X", 2),
		edit(d, record.KindPerson, person, college, record.FieldPhone, "13807912345", 3),
		edit(d, record.KindTraining, training, college, record.FieldPerson, person.String(), 4),
		edit(d, record.KindTraining, training, college, record.FieldHours, "40", 5),
		edit(d, record.KindPerson, other, otherCollege, record.FieldPhone, "13979900064", 6),
	}
	if _, err := p.ApplyPush(d.ID, 1, 6, push); err != nil {
		t.Fatal(err)
	}
	entries, err := p.AuditEntries(AuditFilter{Device: d.ID})
	if err != nil {
		t.Fatal(err)
	}
	// The enrolment, the two records and the refusal.
	if len(entries) != 4 {
		t.Fatalf("audit entries of the device = %+v, want 4", entries)
	}
	enrol, write, train, refuse := entries[0], entries[1], entries[2], entries[3]
	if enrol.Action != ActionEnrol || enrol.Role != "clerk" || enrol.Scope != college {
		t.Errorf("first entry = %+v, want the clerk's enrolment in %s", enrol, college)
	}
	if write.Action != ActionWrite || write.Account != "王老师" || write.Record != person.String() || write.Person != person.String() {
		t.Errorf("person entry = %+v, want a write of %s by 王老师", write, person)
	}
	if !slices.Equal(write.Fields, []string{record.FieldName, record.FieldIDNumber, record.FieldPhone}) {
		t.Errorf("person entry fields = %v, want [name id_number phone]", write.Fields)
	}
	if !write.Time.Equal(now) || write.Scope != college || write.Kind != record.KindPerson {
		t.Errorf("person entry time %v scope %s kind %s, want %v %s person", write.Time, write.Scope, write.Kind, now, college)
	}
	if train.Kind != record.KindTraining || train.Person != person.String() {
		t.Errorf("training entry = %+v, want the training of person %s", train, person)
	}
	if refuse.Action != ActionRefuse || refuse.Reason != string(protocol.CodeScope) || refuse.Record != other.String() ||
		!slices.Equal(refuse.Fields, []string{record.FieldPhone}) {
		t.Errorf("refusal entry = %+v, want the scope refusal of %s phone", refuse, other)
	}

	// No personal value reaches the stored log. Short values such as the
	// hours could match hex digits of a hash by chance, so only personal
	// fields are searched.
	err = p.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			for _, c := range push {
				if record.IsPersonal(c.Kind, c.Field) && bytes.Contains(v, []byte(c.Value)) {
					t.Errorf("audit entry %x holds the value of %s.%s: %s", k, c.Kind, c.Field, v)
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAuditFilters(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	p := openTemp(t, func() time.Time { return now })
	a := enrolAs(t, p, college, "clerk")
	now = now.Add(time.Hour)
	b := enrolAs(t, p, college, "clerk")
	person := ulid.Make()
	c := edit(b, record.KindPerson, person, college, record.FieldName, "李娜", 1)
	c.Account = "张老师"
	idNumber := edit(b, record.KindPerson, person, college, record.FieldIDNumber, "11010520000101106X", 2)
	idNumber.Account = "张老师"
	if _, err := p.ApplyPush(b.ID, 1, 2, []changeset.Change{c, idNumber}); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name   string
		filter AuditFilter
		want   []string // actions of the entries, in order
	}{
		{"all", AuditFilter{}, []string{ActionEnrol, ActionEnrol, ActionWrite}},
		{"device a", AuditFilter{Device: a.ID}, []string{ActionEnrol}},
		{"account", AuditFilter{Account: "张老师"}, []string{ActionWrite}},
		{"person", AuditFilter{Person: person.String()}, []string{ActionWrite}},
		{"person by ID number", AuditFilter{Person: "11010520000101106x"}, []string{ActionWrite}},
		{"unknown ID number", AuditFilter{Person: "110105200001011087"}, nil},
		{"from", AuditFilter{From: now}, []string{ActionEnrol, ActionWrite}},
		{"to", AuditFilter{To: now}, []string{ActionEnrol}},
		{"nobody", AuditFilter{Account: "李老师"}, nil},
	}
	for _, tc := range cases {
		entries, err := p.AuditEntries(tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Action)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: AuditEntries(%+v) actions = %v, want %v", tc.name, tc.filter, got, tc.want)
		}
	}
}

// Audit appends entries for actions outside pushes to the same chain.
func TestAuditAppendsToChain(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolAs(t, p, college, "clerk")
	if err := p.Audit(AuditEntry{Device: d.ID, Action: ActionRevoke, Account: "省中心"}); err != nil {
		t.Fatal(err)
	}
	entries, _ := p.AuditEntries(AuditFilter{Device: d.ID})
	if len(entries) != 2 || entries[1].Action != ActionRevoke || entries[1].Seq != 2 || entries[1].Time.IsZero() {
		t.Fatalf("entries = %+v, want enrol then revoke at seq 2 with a time", entries)
	}
	sum, err := p.VerifyAudit()
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	if sum.Entries != 2 || len(sum.Head) != 64 {
		t.Errorf("VerifyAudit = %+v, want 2 entries and a 64-digit head", sum)
	}
}

// The chain verifies as written, and a changed, removed or appended entry
// breaks it at the entry that was changed.
func TestAuditChainFindsTampering(t *testing.T) {
	build := func(t *testing.T) *Pool {
		p := openTemp(t, nil)
		for i := 0; i < 4; i++ {
			enrolAs(t, p, college, "clerk")
		}
		if sum, err := p.VerifyAudit(); err != nil || sum.Entries != 4 {
			t.Fatalf("VerifyAudit of an untouched log = %+v, %v; want 4 entries, nil", sum, err)
		}
		return p
	}
	t.Run("changed entry", func(t *testing.T) {
		p := build(t)
		tamperAudit(t, p, 2, func(raw []byte) []byte { return bytes.Replace(raw, []byte(`"clerk"`), []byte(`"central"`), 1) })
		_, err := p.VerifyAudit()
		var chain *AuditChainError
		if !errors.As(err, &chain) || !errors.Is(err, ErrAuditChain) {
			t.Fatalf("VerifyAudit after changing entry 2 = %v, want an AuditChainError", err)
		}
		if chain.Seq != 2 {
			t.Errorf("chain broken at entry %d, want 2", chain.Seq)
		}
	})
	t.Run("changed last entry", func(t *testing.T) {
		p := build(t)
		tamperAudit(t, p, 4, func(raw []byte) []byte { return bytes.Replace(raw, []byte(`"enrol"`), []byte(`"write"`), 1) })
		var chain *AuditChainError
		if _, err := p.VerifyAudit(); !errors.As(err, &chain) || chain.Seq != 4 {
			t.Errorf("VerifyAudit after changing the last entry = %v, want broken at entry 4", err)
		}
	})
	t.Run("removed entry", func(t *testing.T) {
		p := build(t)
		err := p.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketAudit).Delete(seqKey(3)) })
		if err != nil {
			t.Fatal(err)
		}
		var chain *AuditChainError
		if _, err := p.VerifyAudit(); !errors.As(err, &chain) || chain.Seq != 3 {
			t.Errorf("VerifyAudit after removing entry 3 = %v, want broken at entry 3", err)
		}
	})
	t.Run("removed last entry", func(t *testing.T) {
		p := build(t)
		err := p.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketAudit).Delete(seqKey(4)) })
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.VerifyAudit(); !errors.Is(err, ErrAuditChain) {
			t.Errorf("VerifyAudit after removing the last entry = %v, want ErrAuditChain", err)
		}
	})
}
