package pool

import (
	"errors"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/record"
)

func TestMergeRejectsTwoValidIDNumbers(t *testing.T) {
	p := openTemp(t, nil)
	day := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).UnixMilli()
	// Both numbers pass the GB 11643 check character, so they are two people.
	a := writePerson(t, p, ulid.Make(), college, "pc", day, map[string]string{
		record.FieldName: "李娜", record.FieldIDNumber: "360102200305123017"})
	b := writePerson(t, p, ulid.Make(), fairScope, "fair", day, map[string]string{
		record.FieldName: "李娜", record.FieldIDNumber: "360102200301017778"})

	_, err := p.Decide(record.DecisionMerge, []ulid.ULID{a, b}, "central-1")
	var two *TwoPeopleError
	if !errors.As(err, &two) {
		t.Fatalf("merge error = %v, want *TwoPeopleError", err)
	}
	if two.IDNumbers != [2]string{"3601**********3017", "3601**********7778"} {
		t.Errorf("masked ID numbers = %q, want both masked in the persons' order", two.IDNumbers)
	}
	if e, _ := p.EntryOf(a); len(e.Persons) != 1 {
		t.Errorf("entry of %s after the rejected merge = %v, want itself alone", a, e.Persons)
	}

	// One number failing the check may be a typo, so that merge goes through.
	c := writePerson(t, p, ulid.Make(), fairScope, "fair", day, map[string]string{
		record.FieldName: "李娜", record.FieldIDNumber: "360102200305123019"})
	if _, err := p.Decide(record.DecisionMerge, []ulid.ULID{a, c}, "central-1"); err != nil {
		t.Errorf("merge with a mistyped ID number error = %v, want nil", err)
	}
}

func TestMergeAfterApartRejected(t *testing.T) {
	p := openTemp(t, nil)
	day := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).UnixMilli()
	a := writePerson(t, p, ulid.Make(), college, "pc", day, map[string]string{record.FieldName: "张伟"})
	b := writePerson(t, p, ulid.Make(), fairScope, "fair", day, map[string]string{record.FieldName: "张玮"})
	c := writePerson(t, p, ulid.Make(), fairScope, "fair", day, map[string]string{record.FieldName: "张伟"})

	apart, err := p.Decide(record.DecisionApart, []ulid.ULID{a, b}, "central-1")
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Decide(record.DecisionMerge, []ulid.ULID{b, a}, "central-1")
	var kept *KeptApartError
	if !errors.As(err, &kept) || kept.Decision != apart.ID {
		t.Fatalf("merge after apart error = %v, want *KeptApartError naming %s", err, apart.ID)
	}

	// A chain of merges may not join the pair either.
	if _, err := p.Decide(record.DecisionMerge, []ulid.ULID{a, c}, "central-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Decide(record.DecisionMerge, []ulid.ULID{c, b}, "central-1"); !errors.As(err, &kept) {
		t.Errorf("merge joining the apart pair through %s error = %v, want *KeptApartError", c, err)
	}

	if _, err := p.Undo(ulid.MustParse(apart.ID), "central-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Decide(record.DecisionMerge, []ulid.ULID{a, b}, "central-1"); err != nil {
		t.Errorf("merge after undoing apart error = %v, want nil", err)
	}
}

func TestEntryIdentityFromCollege(t *testing.T) {
	p := openTemp(t, nil)
	day := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).UnixMilli()
	a := writePerson(t, p, ulid.Make(), college, "pc", day, map[string]string{
		record.FieldName: "李娜", record.FieldGender: "2", record.FieldPhone: "13807912345"})
	// The fair registration is newer but has a typo in the name.
	b := writePerson(t, p, ulid.Make(), fairScope, "fair", day+1000, map[string]string{
		record.FieldName: "李那", record.FieldGender: "1", record.FieldPhone: "13907970000",
		record.FieldIDNumber: "36010220030512301X"})
	if _, err := p.Decide(record.DecisionMerge, []ulid.ULID{a, b}, "central-1"); err != nil {
		t.Fatal(err)
	}

	e, err := p.EntryOf(b)
	if err != nil {
		t.Fatal(err)
	}
	if e.Person.Name != "李娜" {
		t.Errorf("name = %q, want the college's 李娜", e.Person.Name)
	}
	if e.Person.Gender != "2" {
		t.Errorf("gender = %q, want the college's 2", e.Person.Gender)
	}
	if e.Person.IDNumber != "36010220030512301X" {
		t.Errorf("ID number = %q, want the fair's, as the college has none", e.Person.IDNumber)
	}
	if e.Person.Phone != "13907970000" {
		t.Errorf("phone = %q, want the newer fair value 13907970000", e.Person.Phone)
	}
	if src := e.Sources[record.FieldName]; src.Person != a {
		t.Errorf("name source = %s, want the college record %s", src.Person, a)
	}
}
