package pool

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

const (
	secondCollege = "4136010418"
	fairScope     = "fair:GZ2026A"
)

// writePerson applies one person's fields as trusted changes by device at
// wall time ms, and returns the person's ULID.
func writePerson(t *testing.T, p *Pool, id ulid.ULID, scope, device string, ms int64, fields map[string]string) ulid.ULID {
	t.Helper()
	var changes []changeset.Change
	logical := uint16(0)
	for field, value := range fields {
		changes = append(changes, changeset.Change{Kind: record.KindPerson, ID: id, Scope: scope, Field: field,
			Value: value, Stamp: hlc.Make(ms, logical), Device: device})
		logical++
	}
	if _, err := p.ApplyTrusted(changes); err != nil {
		t.Fatal(err)
	}
	return id
}

// threeSources writes one person as a college's record, another college's
// imported record and a fair registration, all with one ID number, plus an
// unrelated person. It returns the three records' ULIDs in that order and
// the unrelated one.
func threeSources(t *testing.T, p *Pool) ([3]ulid.ULID, ulid.ULID, Device) {
	t.Helper()
	d := enrolDevice(t, p)
	const idNumber = "36010220030512301X"
	day := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).UnixMilli()
	var ids [3]ulid.ULID
	ids[0] = writePerson(t, p, ulid.Make(), college, d.ID, day, map[string]string{
		record.FieldName: "李娜", record.FieldIDNumber: idNumber, record.FieldPhone: "13807912345",
		record.FieldMajor: "510203", record.FieldStatus: record.StatusSeeking, record.FieldGradYear: "2025"})
	ids[1] = writePerson(t, p, ulid.Make(), secondCollege, "import-pc", day+24*3600*1000, map[string]string{
		record.FieldName: "李娜", record.FieldIDNumber: "36010220030512301x", record.FieldStatus: record.StatusEmployed,
		record.FieldEmployer: "江西铜业"})
	ids[2] = writePerson(t, p, ulid.Make(), fairScope, "fair-laptop", day+2*24*3600*1000, map[string]string{
		record.FieldName: "李娜", record.FieldIDNumber: idNumber, record.FieldPhone: "13907970000",
		record.FieldMajor: ""})
	other := writePerson(t, p, ulid.Make(), college, d.ID, day, map[string]string{
		record.FieldName: "王强", record.FieldIDNumber: "360102200301017777", record.FieldPhone: "13807910000"})
	return ids, other, d
}

func TestEntriesJoinOneIDAcrossScopes(t *testing.T) {
	p := openTemp(t, nil)
	ids, other, d := threeSources(t, p)

	entries, err := p.Entries(EntryOptions{Personal: true, Sources: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("entries = %d, want 2 (one person of three records, one of one)", len(entries))
	}
	var joined Entry
	for _, e := range entries {
		if len(e.Persons) == 3 {
			joined = e
		} else if e.Persons[0] != other {
			t.Errorf("single entry = %v, want %s", e.Persons, other)
		}
	}
	want := ids[:]
	slices.SortFunc(want, func(a, b ulid.ULID) int { return a.Compare(b) })
	if !slices.Equal(joined.Persons, want) {
		t.Fatalf("joined entry persons = %v, want %v", joined.Persons, want)
	}

	// The newest write wins each field, and an empty value hides nothing.
	if joined.Person.Phone != "13907970000" {
		t.Errorf("phone = %q, want the fair registration's newer 13907970000", joined.Person.Phone)
	}
	if joined.Person.Major != "510203" {
		t.Errorf("major = %q, want the college's 510203 (the fair left it empty)", joined.Person.Major)
	}
	if joined.Person.Status != record.StatusEmployed {
		t.Errorf("status = %q, want the import's employed", joined.Person.Status)
	}
	if joined.Person.College != secondCollege {
		t.Errorf("college = %q, want the newest college record's %s", joined.Person.College, secondCollege)
	}

	src := joined.Sources[record.FieldMajor]
	if src.Person != ids[0] || src.Scope != college || src.Device != d.ID || src.Role != "clerk" {
		t.Errorf("major source = %+v, want person %s, scope %s, device %s, role clerk", src, ids[0], college, d.ID)
	}
	if got := joined.Sources[record.FieldPhone]; got.Scope != fairScope || got.Device != "fair-laptop" || got.Role != "" {
		t.Errorf("phone source = %+v, want scope %s, device fair-laptop and no role", got, fairScope)
	}
	if got := joined.Sources[record.FieldEmployer].At; !got.Equal(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("employer written at %v, want 2026-03-02 08:00 UTC", got)
	}

	for _, id := range ids {
		e, err := p.EntryOf(id)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(e.Persons, want) {
			t.Errorf("EntryOf(%s) persons = %v, want %v", id, e.Persons, want)
		}
	}
	if _, err := p.EntryOf(ulid.Make()); !errors.Is(err, ErrNoPerson) {
		t.Errorf("EntryOf(unknown) error = %v, want ErrNoPerson", err)
	}
}

func TestMergeApartAndUndo(t *testing.T) {
	p := openTemp(t, nil)
	day := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).UnixMilli()
	a := writePerson(t, p, ulid.Make(), college, "pc", day, map[string]string{
		record.FieldName: "张伟", record.FieldPhone: "13807912345", record.FieldMajor: "510203"})
	b := writePerson(t, p, ulid.Make(), fairScope, "fair", day+1000, map[string]string{
		record.FieldName: "张玮", record.FieldPhone: "13807912345", record.FieldStatus: record.StatusSeeking})
	c := writePerson(t, p, ulid.Make(), college, "pc", day, map[string]string{
		record.FieldName: "张伟", record.FieldPhone: "13600000000"})

	dups, err := p.Duplicates(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(dups) != 1 || dups[0].Rule != RulePhone || pairKey(dups[0].A.Person, dups[0].B.Person) != pairKey(a, b) {
		t.Fatalf("duplicates = %+v, want only %s and %s by phone", dups, a, b)
	}

	merge, err := p.Decide(record.DecisionMerge, []ulid.ULID{b, a}, "central-1")
	if err != nil {
		t.Fatal(err)
	}
	e, err := p.EntryOf(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Persons) != 2 || e.Person.Major != "510203" || e.Person.Status != record.StatusSeeking || e.Person.Name != "张伟" {
		t.Errorf("merged entry = %v %+v, want both records with major 510203, status seeking, the college's name 张伟", e.Persons, e.Person)
	}
	if dups, _ := p.Duplicates(0); len(dups) != 0 {
		t.Errorf("duplicates after the merge = %+v, want none", dups)
	}
	if _, err := p.Decide(record.DecisionMerge, []ulid.ULID{a, b}, "central-1"); !errors.Is(err, ErrSameEntry) {
		t.Errorf("second merge error = %v, want ErrSameEntry", err)
	}
	if _, err := p.Decide(record.DecisionApart, []ulid.ULID{a, b}, "central-1"); !errors.Is(err, ErrSameEntry) {
		t.Errorf("apart of merged records error = %v, want ErrSameEntry", err)
	}
	if _, err := p.Decide(record.DecisionMerge, []ulid.ULID{a, a}, "central-1"); !errors.Is(err, ErrDecisionPersons) {
		t.Errorf("merge of one person error = %v, want ErrDecisionPersons", err)
	}
	if _, err := p.Decide(record.DecisionMerge, []ulid.ULID{a, ulid.Make()}, "central-1"); !errors.Is(err, ErrNoPerson) {
		t.Errorf("merge with an unknown person error = %v, want ErrNoPerson", err)
	}

	// The decision is a province-scope record in the change log.
	page, err := p.Pull(record.ProvinceScope, 0, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) != 3 || page.Changes[0].Kind != record.KindMerge || page.Changes[0].Device != serverDevice {
		t.Errorf("province log = %+v, want the decision's 3 server-made fields", page.Changes)
	}

	undone, err := p.Undo(ulid.MustParse(merge.ID), "central-2")
	if err != nil {
		t.Fatal(err)
	}
	if undone.Decision != record.DecisionMerge || len(undone.Persons) != 2 {
		t.Errorf("undone decision = %+v, want the merge of two", undone)
	}
	if e, _ := p.EntryOf(a); len(e.Persons) != 1 {
		t.Errorf("entry of %s after the undo = %v, want itself alone", a, e.Persons)
	}
	if dups, _ := p.Duplicates(0); len(dups) != 1 {
		t.Errorf("duplicates after the undo = %d, want the pair listed again", len(dups))
	}
	if _, err := p.Undo(ulid.MustParse(merge.ID), "central-2"); !errors.Is(err, ErrNoDecision) {
		t.Errorf("second undo error = %v, want ErrNoDecision", err)
	}

	if _, err := p.Decide(record.DecisionApart, []ulid.ULID{a, b}, "central-1"); err != nil {
		t.Fatal(err)
	}
	if dups, _ := p.Duplicates(0); len(dups) != 0 {
		t.Errorf("duplicates after apart = %+v, want none", dups)
	}
	if e, _ := p.EntryOf(a); len(e.Persons) != 1 {
		t.Errorf("entry of %s after apart = %v, want itself alone", a, e.Persons)
	}
	_ = c

	entries, err := p.AuditEntries(AuditFilter{Person: a.String()})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if want := []string{ActionMerge, ActionUndoMerge, ActionApart}; !slices.Equal(actions, want) {
		t.Errorf("audit actions of %s = %v, want %v", a, actions, want)
	}
}

func TestBirthDateFromIDNumber(t *testing.T) {
	cases := []struct{ id, want string }{
		{"36010220030512301X", "2003-05-12"},
		{"360102200305123019", "2003-05-12"}, // check character wrong
		{"360102200313123019", ""},           // month 13
		{"3601022003051230", ""},             // too short
		{"", ""},
	}
	for _, c := range cases {
		if got := BirthDate(c.id); got != c.want {
			t.Errorf("BirthDate(%q) = %q, want %q", c.id, got, c.want)
		}
	}
}

// TestEntryConsentFromOneRecord joins a college record whose consent was
// given in writing with a newer fair registration that withdrew it
// orally but left the date empty, and a still newer write of another field
// on the college record. The entry takes all four consent fields from the
// fair registration, whose consent write is the newest.
func TestEntryConsentFromOneRecord(t *testing.T) {
	p := openTemp(t, nil)
	const idNumber = "36010220030512301X"
	day := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).UnixMilli()
	collegeRecord := writePerson(t, p, ulid.Make(), college, "pc", day, map[string]string{
		record.FieldName: "李娜", record.FieldIDNumber: idNumber, record.FieldConsent: record.ConsentGiven,
		record.FieldConsentAt: "2026-03-01", record.FieldConsentMethod: "written", record.FieldConsentBy: "clerk-1"})
	fair := writePerson(t, p, ulid.Make(), fairScope, "fair-laptop", day+3600*1000, map[string]string{
		record.FieldName: "李娜", record.FieldIDNumber: idNumber, record.FieldConsent: record.ConsentWithdrawn,
		record.FieldConsentMethod: "oral", record.FieldConsentBy: "fair-1"})
	writePerson(t, p, collegeRecord, college, "pc", day+2*3600*1000, map[string]string{record.FieldMajor: "510203"})

	e, err := p.EntryOf(collegeRecord)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Persons) != 2 {
		t.Fatalf("entry persons = %v, want the college record and the fair registration", e.Persons)
	}
	if e.Person.Consent != record.ConsentWithdrawn {
		t.Errorf("consent = %q, want the fair registration's newer %q", e.Person.Consent, record.ConsentWithdrawn)
	}
	if e.Person.ConsentAt != "" {
		t.Errorf("consent date = %q, want empty as the fair registration left it, not the college's date", e.Person.ConsentAt)
	}
	if e.Person.ConsentMethod != "oral" {
		t.Errorf("consent method = %q, want oral", e.Person.ConsentMethod)
	}
	if e.Person.ConsentBy != "fair-1" {
		t.Errorf("consent by = %q, want fair-1", e.Person.ConsentBy)
	}
	if src := e.Sources[record.FieldConsentBy]; src.Person != fair {
		t.Errorf("consent by source = %s, want the fair registration %s", src.Person, fair)
	}
	if _, ok := e.Sources[record.FieldConsentAt]; ok {
		t.Errorf("consent date has a source, want none because the value is empty")
	}
	if e.Person.Major != "510203" {
		t.Errorf("major = %q, want the college's 510203", e.Person.Major)
	}

	// EachEntry gives the same consent, the name and no ID number.
	entries, err := p.Entries(EntryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Person.ConsentBy != "fair-1" || entries[0].Person.IDNumber != "" || entries[0].Person.Name != "李娜" {
		t.Errorf("entries without personal fields = %+v, want one entry with consent by fair-1, name 李娜 and no ID number", entries)
	}
}
