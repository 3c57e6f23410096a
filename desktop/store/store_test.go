package store

import (
	"crypto/ed25519"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

const testCollege = "4136012941" // 江西财经职业学院

// openTemp opens a store in a temporary folder, enrolled for testCollege,
// and checks the file's integrity when the test ends.
func openTemp(t *testing.T) *Store {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "client.db"), true)
}

func openAt(t *testing.T, path string, enrol bool) *Store {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	if enrol {
		if _, ok := s.Identity(); !ok {
			_, key, _ := ed25519.GenerateKey(nil)
			if err := s.SetIdentity(Identity{Device: s.Device(), College: testCollege, PrivateKey: key}); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Errorf("store integrity: %v", err)
		}
		s.Close()
	})
	return s
}

func samplePerson() record.Person {
	return record.Person{Name: "李志明", Gender: record.GenderMale, IDNumber: "36012120020101099X",
		Phone: "13807912345", StudentNo: "JXCJ2024001", Major: "530302", GradYear: 2024,
		HomeRegion: "360121", Status: record.StatusSeeking}
}

func TestSavePersonWritesOutbox(t *testing.T) {
	s := openTemp(t)
	p, err := s.SavePerson(samplePerson())
	if err != nil {
		t.Fatalf("SavePerson: %v", err)
	}
	if _, err := ulid.ParseStrict(p.ID); err != nil {
		t.Errorf("SavePerson gave id %q: %v", p.ID, err)
	}
	if got := s.Pending(); got != 9 {
		t.Errorf("Pending() after saving a person with 9 fields = %d, want 9", got)
	}
	got, err := s.Person(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "李志明" || got.College != testCollege || got.GradYear != 2024 {
		t.Errorf("Person(%s) = %+v", p.ID, got)
	}

	p.Phone = "13907971111"
	if _, err := s.SavePerson(p); err != nil {
		t.Fatal(err)
	}
	if got := s.Pending(); got != 10 {
		t.Errorf("Pending() after changing one field = %d, want 10", got)
	}
	out, err := s.Outbox(9, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Field != record.FieldPhone || out[0].Prev == 0 || out[0].Seq != 10 {
		t.Errorf("Outbox(after 9) = %+v, want one phone change with seq 10 and a prev stamp", out)
	}
}

func TestSaveBeforeEnrolmentFails(t *testing.T) {
	s := openAt(t, filepath.Join(t.TempDir(), "c.db"), false)
	if _, err := s.SavePerson(samplePerson()); !errors.Is(err, ErrNotEnrolled) {
		t.Errorf("SavePerson before enrolment error = %v, want ErrNotEnrolled", err)
	}
}

func TestAckDeletesOnlyAcked(t *testing.T) {
	s := openTemp(t)
	if _, err := s.SavePerson(samplePerson()); err != nil {
		t.Fatal(err)
	}
	if err := s.Ack(4); err != nil {
		t.Fatal(err)
	}
	if got := s.Pending(); got != 5 {
		t.Errorf("Pending() after Ack(4) of 9 = %d, want 5", got)
	}
	out, _ := s.Outbox(0, 100)
	if len(out) != 5 || out[0].Seq != 5 {
		t.Errorf("Outbox after Ack(4) starts at seq %d with %d entries, want 5 and 5", out[0].Seq, len(out))
	}
}

// An outbox entry survives closing the store without an ack, as after a
// crash between the local write and the server's ack.
func TestOutboxSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, key, _ := ed25519.GenerateKey(nil)
	if err := s.SetIdentity(Identity{Device: s.Device(), College: testCollege, PrivateKey: key}); err != nil {
		t.Fatal(err)
	}
	p, err := s.SavePerson(samplePerson())
	if err != nil {
		t.Fatal(err)
	}
	device, last := s.Device(), s.Clock().Last()
	s.Close()

	s2 := openAt(t, path, false)
	if s2.Device() != device {
		t.Errorf("device after reopen = %s, want %s", s2.Device(), device)
	}
	if got := s2.Pending(); got != 9 {
		t.Errorf("Pending() after reopen = %d, want 9", got)
	}
	if got := s2.Search("lzm", 10); len(got) != 1 || got[0].ID != p.ID {
		t.Errorf("Search(lzm) after reopen = %+v, want the saved person", got)
	}
	next, _ := s2.Clock().Now()
	if next <= last {
		t.Errorf("first stamp after reopen %v is not after %v", next, last)
	}
}

// A wall clock set back by a day does not make the reopened clock go back.
func TestClockNeverGoesBackAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	s, err := Open(path, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := s.Clock().Now()
	s.Close()

	s2, err := Open(path, Options{Now: func() time.Time { return now.Add(-24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	second, _ := s2.Clock().Now()
	if second <= first {
		t.Errorf("stamp after reopen with the clock set back = %v, want after %v", second, first)
	}
}

func TestSearch(t *testing.T) {
	s := openTemp(t)
	people := []record.Person{
		{Name: "李志明", StudentNo: "JX2024001", IDNumber: "36012120020101099X"},
		{Name: "阿依古丽·买买提", StudentNo: "JX2025002", IDNumber: "360102200210101018"},
		{Name: "买买提•艾力", StudentNo: "JX2025003", IDNumber: "360102200206061033"},
		{Name: "王小红", StudentNo: "JX2023004", IDNumber: "360403200202170219"},
	}
	for _, p := range people {
		if _, err := s.SavePerson(p); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		query string
		want  []string
	}{
		{"lzm", []string{"李志明"}},
		{"LZM", []string{"李志明"}},
		{"wangxiao", []string{"王小红"}},
		{"志明", []string{"李志明"}},
		{"买买提·", []string{"买买提•艾力"}},
		{"古丽•买", []string{"阿依古丽·买买提"}},
		{"买买提", []string{"阿依古丽·买买提", "买买提•艾力"}},
		{"2025", []string{"阿依古丽·买买提", "买买提•艾力"}},
		{"099x", []string{"李志明"}},
		{"0219", []string{"王小红"}},
		{"zzz", nil},
	}
	for _, tc := range cases {
		var got []string
		for _, p := range s.Search(tc.query, 10) {
			got = append(got, p.Name)
		}
		if !sameSet(got, tc.want) {
			t.Errorf("Search(%q) = %v, want %v", tc.query, got, tc.want)
		}
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestApplyPageMergesAndMovesCursor(t *testing.T) {
	s := openTemp(t)
	p, _ := s.SavePerson(samplePerson())
	id := ulid.MustParseStrict(p.ID)
	st, _ := s.State(record.KindPerson, p.ID)
	local := st.Fields[record.FieldName].Stamp

	page := []changeset.Change{
		{Kind: record.KindPerson, ID: id, Scope: testCollege, Field: record.FieldName, Value: "李智明", Stamp: local + 1, Device: "other"},
		{Kind: record.KindPerson, ID: id, Scope: testCollege, Field: record.FieldPhone, Value: "13000000000", Stamp: local - 1000, Device: "other"},
	}
	if err := s.ApplyPage(page, 42); err != nil {
		t.Fatalf("ApplyPage: %v", err)
	}
	got, _ := s.Person(p.ID)
	if got.Name != "李智明" {
		t.Errorf("name after a newer remote change = %q, want 李智明", got.Name)
	}
	if got.Phone != "13807912345" {
		t.Errorf("phone after an older remote change = %q, want the local 13807912345", got.Phone)
	}
	if c := s.Cursor(); c != 42 {
		t.Errorf("Cursor() = %d, want 42", c)
	}
	if s.Clock().Last() < local+1 {
		t.Errorf("clock did not move past the pulled stamp")
	}
}

func TestApplyPageRejectsOtherCollege(t *testing.T) {
	s := openTemp(t)
	page := []changeset.Change{{Kind: record.KindPerson, ID: ulid.Make(), Scope: "4136011785",
		Field: record.FieldName, Value: "x", Stamp: hlc.Make(1, 0), Device: "d"}}
	if err := s.ApplyPage(page, 5); !errors.Is(err, ErrScope) {
		t.Errorf("ApplyPage(other college) error = %v, want ErrScope", err)
	}
	if c := s.Cursor(); c != 0 {
		t.Errorf("Cursor() after a rejected page = %d, want 0", c)
	}
}

func TestTrainingsAndInternshipsOfPerson(t *testing.T) {
	s := openTemp(t)
	p, _ := s.SavePerson(samplePerson())
	other, _ := s.SavePerson(record.Person{Name: "王小红"})
	if _, err := s.SaveTraining(record.Training{Person: p.ID, Programme: "办公软件应用", Hours: 32, Completed: true, Date: "2024-05-10"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveTraining(record.Training{Person: other.ID, Programme: "工匠精神", Hours: 8, Date: "2024-03-01"}); err != nil {
		t.Fatal(err)
	}
	in, err := s.SaveInternship(record.Internship{Person: p.ID, Employer: "南昌某某会计师事务所", Position: "会计助理", Start: "2024-03-01", End: "2024-06-30", Rating: 5})
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := s.TrainingsOf(p.ID)
	if len(tr) != 1 || tr[0].Programme != "办公软件应用" || tr[0].Hours != 32 || !tr[0].Completed {
		t.Errorf("TrainingsOf = %+v, want one 办公软件应用 of 32 hours, completed", tr)
	}
	ins, _ := s.InternshipsOf(p.ID)
	if len(ins) != 1 || ins[0].Rating != 5 || ins[0].ID != in.ID {
		t.Errorf("InternshipsOf = %+v, want the saved internship", ins)
	}
	if err := s.Delete(record.KindInternship, in.ID); err != nil {
		t.Fatal(err)
	}
	if ins, _ := s.InternshipsOf(p.ID); len(ins) != 0 {
		t.Errorf("InternshipsOf after delete = %+v, want none", ins)
	}
}

func TestSavePersonsInOneTransaction(t *testing.T) {
	s := openTemp(t)
	people := []record.Person{{Name: "王建华", Phone: "13870210021"}, {Name: "赵敏"}, {Name: "吴佳怡", GradYear: 2024}}
	saved, err := s.SavePersons(people)
	if err != nil {
		t.Fatalf("SavePersons: %v", err)
	}
	if len(saved) != 3 || saved[2].ID == "" || saved[2].College != testCollege {
		t.Fatalf("SavePersons returned %+v, want 3 persons with ids and college", saved)
	}
	if got := s.Count(); got != 3 {
		t.Errorf("Count() = %d, want 3", got)
	}
	if got := s.Pending(); got != 5 {
		t.Errorf("Pending() = %d, want 5 (3 names, 1 phone, 1 year)", got)
	}
	out, _ := s.Outbox(0, 10)
	for i, c := range out {
		if c.Seq != uint64(i+1) {
			t.Errorf("outbox entry %d has seq %d, want %d", i, c.Seq, i+1)
		}
	}
	// One unknown id fails the whole batch: nothing of it is written.
	_, err = s.SavePersons([]record.Person{{Name: "李娜"}, {ID: "01JF0000000000000000000000", Name: "x"}})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("SavePersons with an unknown id error = %v, want ErrNotFound", err)
	}
	if got := s.Count(); got != 3 {
		t.Errorf("Count() after a failed batch = %d, want 3", got)
	}
}

func TestSavePersonRejectsDuplicateIDNumber(t *testing.T) {
	s := openTemp(t)
	first, err := s.SavePerson(record.Person{Name: "阿依古丽·买买提", IDNumber: "36010220030228005X", StudentNo: "JX001"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.SavePerson(record.Person{Name: "张三", IDNumber: "36010220030228005X"})
	var dup *DuplicateIDError
	if !errors.As(err, &dup) || dup.Existing.ID != first.ID {
		t.Fatalf("second person with the same ID number: %v, want DuplicateIDError naming %s", err, first.ID)
	}
	if got := s.Count(); got != 1 {
		t.Errorf("Count() = %d, want 1", got)
	}
	// Editing the person who has the number is fine, and after a change of
	// number the old one is free again.
	first.Phone = "13807912345"
	if _, err := s.SavePerson(first); err != nil {
		t.Errorf("editing the holder of the ID number: %v", err)
	}
	first.IDNumber = "360102200305140124"
	if _, err := s.SavePerson(first); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePerson(record.Person{Name: "张三", IDNumber: "36010220030228005X"}); err != nil {
		t.Errorf("reusing a freed ID number: %v", err)
	}
}
