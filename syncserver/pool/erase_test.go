package pool

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/demo"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// testPeople returns demo persons of the test college with names no other
// demo person carries, so a name found in a file can only be theirs.
func testPeople(n int) []record.Person {
	names := []string{"司马甲乙", "诸葛丙丁", "欧阳戊己", "上官庚辛", "东方壬癸"}
	people := demo.Generate(demo.Options{People: n, Seed: 7}).Persons
	for i := range people {
		people[i].College = college
		people[i].Name = names[i%len(names)]
		people[i].Address = "南昌市红谷滩区测试路" + string(rune('1'+i)) + "号"
	}
	return people
}

// pushPeople pushes the persons as one device's outbox from seq first and
// returns the next free sequence.
func pushPeople(t *testing.T, p *Pool, device string, first uint64, people []record.Person) uint64 {
	t.Helper()
	var changes []changeset.Change
	for _, person := range people {
		id := ulid.MustParseStrict(person.ID)
		for _, field := range record.FieldsOf(record.KindPerson) {
			v := person.Fields()[field]
			if v == "" {
				continue
			}
			changes = append(changes, changeset.Change{Kind: record.KindPerson, ID: id, Scope: college, Field: field,
				Value: v, Stamp: hlc.Make(1_780_000_000_000, uint16(len(changes))), Device: device,
				Seq: first + uint64(len(changes))})
		}
	}
	last := first + uint64(len(changes)) - 1
	if _, err := p.ApplyPush(device, first, last, changes); err != nil {
		t.Fatalf("pushing %d persons: %v", len(people), err)
	}
	return last + 1
}

// secrets returns a person's personal values that no file may show after
// sealing or erasure.
func secrets(person record.Person) []string {
	return []string{person.Name, person.IDNumber, person.Phone, person.Address}
}

// assertFileLacks fails when the raw bytes of the file contain any of the
// values.
func assertFileLacks(t *testing.T, path string, values []string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		if bytes.Contains(raw, []byte(v)) {
			t.Errorf("%s contains %q in plain text", filepath.Base(path), v)
		}
	}
}

// openedValues decodes every change set stored in a pool file (records,
// log, purged registers) and returns its values, opening sealed ones with
// the vault's keys.
func openedValues(t *testing.T, path string, v *Vault) []string {
	t.Helper()
	// A copy, because the open pool holds the file's lock.
	copied := filepath.Join(t.TempDir(), "copy.db")
	if err := copyFile(path, copied); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(copied, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	err = db.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketRecords, bucketLog, bucketPurged} {
			err := tx.Bucket(name).ForEach(func(_, raw []byte) error {
				changes, err := changeset.Decode(raw, storedLimits)
				if err != nil {
					return err
				}
				for _, c := range changes {
					plain, err := v.openValue(c.Field, c.Value)
					if err != nil {
						return err
					}
					out = append(out, plain)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func poolPathOf(p *Pool) string { return p.db.Path() }

func TestSealedPoolFileHasNoPlainPersonalValues(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolDevice(t, p)
	people := testPeople(3)
	next := pushPeople(t, p, d.ID, 1, people)

	// A second device changes a phone from the same starting point, which
	// makes a conflict item holding both phones.
	other := enrolDevice(t, p)
	rival := "13907915555"
	clash := changeset.Change{Kind: record.KindPerson, ID: ulid.MustParseStrict(people[0].ID), Scope: college,
		Field: record.FieldPhone, Value: rival, Stamp: hlc.Make(1_780_000_000_500, 0), Device: other.ID, Seq: 1}
	if _, err := p.ApplyPush(other.ID, 1, 1, []changeset.Change{clash}); err != nil {
		t.Fatal(err)
	}
	_ = next

	all := []string{rival}
	for _, person := range people {
		all = append(all, secrets(person)...)
	}
	assertFileLacks(t, poolPathOf(p), all)
	assertFileLacks(t, filepath.Join(filepath.Dir(poolPathOf(p)), VaultFile), all)

	// The values come back in plain text where the server sends them.
	page, err := p.Pull(college, 0, 1000, "")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var conflict *record.Conflict
	items := map[ulid.ULID]map[string]string{}
	for _, c := range page.Changes {
		seen[c.Value] = true
		if c.Kind == record.KindConflict {
			if items[c.ID] == nil {
				items[c.ID] = map[string]string{}
			}
			items[c.ID][c.Field] = c.Value
		}
	}
	for _, v := range all {
		if !seen[v] {
			t.Errorf("pull lacks %q", v)
		}
	}
	for id, fields := range items {
		item := record.ConflictFrom(id.String(), college, fields)
		conflict = &item
	}
	if conflict == nil {
		t.Fatal("no conflict item pulled")
	}
	if got := []string{conflict.Winner, conflict.Loser}; !(got[0] == rival && got[1] == people[0].Phone) {
		t.Errorf("conflict winner, loser = %q, want %q, %q", got, rival, people[0].Phone)
	}
	snap, _, err := p.Snapshot(college, nil, 1000)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range snap {
		found = found || (c.Field == record.FieldIDNumber && c.Value == people[1].IDNumber)
	}
	if !found {
		t.Errorf("snapshot lacks ID number of person %s in plain text", people[1].ID)
	}
}

func TestEraseShredsPersonEverywhere(t *testing.T) {
	p := openTemp(t, nil)
	dir := filepath.Dir(poolPathOf(p))
	d := enrolDevice(t, p)
	people := testPeople(3)
	next := pushPeople(t, p, d.ID, 1, people)
	target := people[0]
	targetID := ulid.MustParseStrict(target.ID)

	// A conflict item about the target's phone.
	other := enrolDevice(t, p)
	clash := changeset.Change{Kind: record.KindPerson, ID: targetID, Scope: college,
		Field: record.FieldPhone, Value: "13907915555", Stamp: hlc.Make(1_780_000_000_500, 0), Device: other.ID, Seq: 1}
	if _, err := p.ApplyPush(other.ID, 1, 1, []changeset.Change{clash}); err != nil {
		t.Fatal(err)
	}

	backup := filepath.Join(t.TempDir(), "before.db")
	f, err := os.Create(backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	before, _ := p.Stats()

	res, err := p.Erase(targetID, "test")
	if err != nil {
		t.Fatal(err)
	}
	if res.Already || res.Scope != college {
		t.Errorf("Erase = %+v, want a first erasure in %s", res, college)
	}
	gone := append(secrets(target), "13907915555")

	// No file yields the values: not by grepping, not with the keys left.
	for _, path := range []string{poolPathOf(p), filepath.Join(dir, VaultFile), backup} {
		assertFileLacks(t, path, gone)
	}
	for _, path := range []string{poolPathOf(p), backup} {
		for _, v := range openedValues(t, path, p.vault) {
			for _, secret := range gone {
				if v == secret {
					t.Errorf("%s opens to %q after the erasure", filepath.Base(path), secret)
				}
			}
		}
	}
	// The other persons stay readable.
	if vals := strings.Join(openedValues(t, poolPathOf(p), p.vault), "\n"); !strings.Contains(vals, people[1].Phone) {
		t.Errorf("phone of person %s no longer opens", people[1].ID)
	}

	// Statistics still count the erased person.
	after, _ := p.Stats()
	if got, want := after.Total[record.KindPerson], before.Total[record.KindPerson]; got != want || got != 3 {
		t.Errorf("persons counted after erasure = %d, before = %d, want 3", got, want)
	}

	// A pull from the start and a snapshot send the erasure and no value
	// of the person.
	page, err := p.Pull(college, 0, 10_000, "")
	if err != nil {
		t.Fatal(err)
	}
	snap, _, err := p.Snapshot(college, nil, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	var erasedAt string
	for _, c := range append(page.Changes, snap...) {
		for _, secret := range gone {
			if c.Value == secret {
				t.Errorf("pull or snapshot sends %s %q", c.Field, c.Value)
			}
		}
		if IsSealed(c.Value) {
			t.Errorf("pull or snapshot sends a sealed %s of %s", c.Field, c.ID)
		}
		if c.ID == targetID && c.Field == record.FieldErased {
			erasedAt = c.Value
		}
	}
	if erasedAt == "" {
		t.Error("no change sets the erasure mark")
	}
	st := personOf(t, p, targetID)
	if st.Major != target.Major || st.GradYear != target.GradYear || st.Status != target.Status {
		t.Errorf("non-personal fields after erasure = %s %d %s, want %s %d %s",
			st.Major, st.GradYear, st.Status, target.Major, target.GradYear, target.Status)
	}
	if st.Name != "" || st.Phone != "" || st.IDNumber != "" || st.Address != "" || st.Erased == "" {
		t.Errorf("erased person = %+v, want empty personal fields and the mark", st)
	}

	// A second erasure changes nothing.
	if res, err := p.Erase(targetID, "test"); err != nil || !res.Already {
		t.Errorf("second Erase = %+v, %v, want Already", res, err)
	}
	_ = next
}

// personOf returns a person as Each reads it.
func personOf(t *testing.T, p *Pool, id ulid.ULID) record.Person {
	t.Helper()
	var out record.Person
	err := p.Each(record.KindPerson, func(st *changeset.State) error {
		if st.ID == id {
			out = record.PersonFrom(id.String(), st.Scope, st.Values())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPushToErasedPersonDropsPersonalValues(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolDevice(t, p)
	people := testPeople(1)
	next := pushPeople(t, p, d.ID, 1, people)
	id := ulid.MustParseStrict(people[0].ID)
	if _, err := p.Erase(id, "test"); err != nil {
		t.Fatal(err)
	}

	late := []changeset.Change{
		{Kind: record.KindPerson, ID: id, Scope: college, Field: record.FieldPhone, Value: "13607910000",
			Stamp: hlc.Make(4_000_000_000_000, 0), Device: d.ID, Seq: next},
		{Kind: record.KindPerson, ID: id, Scope: college, Field: record.FieldStatus, Value: record.StatusEmployed,
			Stamp: hlc.Make(4_000_000_000_000, 1), Device: d.ID, Seq: next + 1},
		{Kind: record.KindPerson, ID: id, Scope: college, Field: record.FieldErased, Value: "",
			Stamp: hlc.Make(4_000_000_000_000, 2), Device: d.ID, Seq: next + 2},
	}
	res, err := p.ApplyPush(d.ID, next, next+2, late)
	if err != nil {
		t.Fatal(err)
	}
	if res.Acked != next+2 {
		t.Errorf("acked = %d, want %d", res.Acked, next+2)
	}
	st := personOf(t, p, id)
	if st.Phone != "" {
		t.Errorf("phone of the erased person = %q, want empty", st.Phone)
	}
	if st.Erased == "" {
		t.Error("a pushed change cleared the erasure mark")
	}
	if st.Status != record.StatusEmployed {
		t.Errorf("status = %q, want %q: non-personal changes still apply", st.Status, record.StatusEmployed)
	}
	assertFileLacks(t, poolPathOf(p), []string{"13607910000"})
}

func TestPushedErasureMarkErasesPerson(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolAs(t, p, college, "central")
	people := testPeople(2)
	next := pushPeople(t, p, d.ID, 1, people)
	id := ulid.MustParseStrict(people[1].ID)

	mark := changeset.Change{Kind: record.KindPerson, ID: id, Scope: college, Field: record.FieldErased,
		Value: "2026-07-01T09:00:00Z", Stamp: hlc.Make(1_780_000_001_000, 0), Device: d.ID, Seq: next}
	if _, err := p.ApplyPush(d.ID, next, next, []changeset.Change{mark}); err != nil {
		t.Fatal(err)
	}
	if !p.vault.Erased(id) {
		t.Error("the person's key survived a pushed erasure")
	}
	st := personOf(t, p, id)
	if st.Name != "" || st.IDNumber != "" || st.Phone != "" || st.Address != "" {
		t.Errorf("personal fields after a pushed erasure = %q %q %q %q, want empty", st.Name, st.IDNumber, st.Phone, st.Address)
	}
	// The device that erased pulls the server's clearing changes.
	page, err := p.Pull(college, 0, 10_000, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	cleared := map[string]bool{}
	for _, c := range page.Changes {
		if c.ID == id && c.Device == serverDevice && c.Value == "" {
			cleared[c.Field] = true
		}
	}
	for _, field := range []string{record.FieldName, record.FieldIDNumber, record.FieldPhone, record.FieldAddress} {
		if !cleared[field] {
			t.Errorf("the erasing device pulls no server change clearing %s", field)
		}
	}
	assertFileLacks(t, poolPathOf(p), secrets(people[1]))
}

func TestPersonsByIDNumber(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolDevice(t, p)
	people := testPeople(2)
	next := pushPeople(t, p, d.ID, 1, people)
	id := ulid.MustParseStrict(people[0].ID)

	got, err := p.PersonsByIDNumber(" " + strings.ToLower(people[0].IDNumber) + " ")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != id {
		t.Errorf("PersonsByIDNumber(%s) = %v, want [%s]", people[0].ID, got, id)
	}

	// Changing the ID number moves the index entry.
	fix := changeset.Change{Kind: record.KindPerson, ID: id, Scope: college, Field: record.FieldIDNumber,
		Value: people[1].IDNumber, Stamp: hlc.Make(1_780_000_001_000, 0), Device: d.ID, Seq: next}
	if _, err := p.ApplyPush(d.ID, next, next, []changeset.Change{fix}); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.PersonsByIDNumber(people[0].IDNumber); len(got) != 0 {
		t.Errorf("old ID number still finds %v", got)
	}
	if got, _ := p.PersonsByIDNumber(people[1].IDNumber); len(got) != 2 {
		t.Errorf("shared ID number finds %d persons, want 2", len(got))
	}

	if _, err := p.Erase(id, "test"); err != nil {
		t.Fatal(err)
	}
	got, _ = p.PersonsByIDNumber(people[1].IDNumber)
	if len(got) != 1 || got[0] != ulid.MustParseStrict(people[1].ID) {
		t.Errorf("after erasure the ID number finds %v, want only %s", got, people[1].ID)
	}
	if _, err := p.Erase(ulid.Make(), "test"); !errors.Is(err, ErrNoPerson) {
		t.Errorf("Erase of an unknown person: %v, want ErrNoPerson", err)
	}
}

func TestRestoreFromBackupBeforeErasureStaysErased(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pool.db")
	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := enrolDevice(t, p)
	people := testPeople(2)
	pushPeople(t, p, d.ID, 1, people)
	id := ulid.MustParseStrict(people[0].ID)

	backup := filepath.Join(dir, "backup.db")
	f, _ := os.Create(backup)
	if _, err := p.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := p.Erase(id, "test"); err != nil {
		t.Fatal(err)
	}
	p.Close()

	if _, err := Restore(backup, path); err != nil {
		t.Fatal(err)
	}
	p, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	st := personOf(t, p, id)
	if st.Erased == "" || st.Name != "" || st.Phone != "" {
		t.Errorf("restored person = erased %q name %q phone %q, want erased with empty fields", st.Erased, st.Name, st.Phone)
	}
	if other := personOf(t, p, ulid.MustParseStrict(people[1].ID)); other.Phone != people[1].Phone {
		t.Errorf("other person's phone after restore = %q, want %q", other.Phone, people[1].Phone)
	}
}

func TestVaultCompactionDropsDestroyedKey(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolDevice(t, p)
	people := testPeople(2)
	pushPeople(t, p, d.ID, 1, people)
	id := ulid.MustParseStrict(people[0].ID)
	vaultPath := filepath.Join(filepath.Dir(poolPathOf(p)), VaultFile)

	var wrapped []byte
	p.vault.dbMu.RLock()
	_ = p.vault.db.View(func(tx *bolt.Tx) error {
		wrapped = append([]byte(nil), tx.Bucket(bucketPersonKeys).Get(id[:])...)
		return nil
	})
	p.vault.dbMu.RUnlock()
	if len(wrapped) == 0 {
		t.Fatal("no key stored for the person")
	}
	if _, err := p.Erase(id, "test"); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(vaultPath)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, wrapped) {
		t.Error("keys.db still holds the destroyed wrapped key")
	}
}

func TestMasterKeyFileAndEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(MasterKeyEnv, "")
	os.Unsetenv(MasterKeyEnv)
	key, err := LoadMasterKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, MasterKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("master.key mode = %o, want 600", mode)
	}
	again, _ := LoadMasterKey(dir)
	if !bytes.Equal(key, again) {
		t.Error("a second start made another master key")
	}

	p, err := Open(filepath.Join(dir, "pool.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := enrolDevice(t, p)
	pushPeople(t, p, d.ID, 1, testPeople(1))
	p.Close()

	t.Setenv(MasterKeyEnv, strings.Repeat("ab", 32))
	if _, err := Open(filepath.Join(dir, "pool.db"), Options{}); !errors.Is(err, ErrMasterKey) {
		t.Errorf("Open with another master key: %v, want ErrMasterKey", err)
	}
	t.Setenv(MasterKeyEnv, "not hex")
	if _, err := LoadMasterKey(dir); !errors.Is(err, ErrMasterKey) {
		t.Errorf("LoadMasterKey with %q: %v, want ErrMasterKey", "not hex", err)
	}
}
