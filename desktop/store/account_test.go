package store

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// cheapArgon2 keeps password hashing fast in tests; the stored parameters
// travel with each account, so sign-in uses the same cost.
var cheapArgon2 = Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}

const (
	adminPassword = "correct-horse-1"
	clerkPassword = "battery-staple-2"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func personalPerson() record.Person {
	p := samplePerson()
	p.Name = "欧阳明月"
	p.IDNumber = "360121200201010995"
	p.Phone = "13607910101"
	p.Address = "江西省南昌市红谷滩区丰和中大道1188号"
	return p
}

// personalValues returns the values of personal fields a file must not show.
func personalValues(p record.Person) map[string]string {
	return map[string]string{"name": p.Name, "id_number": p.IDNumber, "phone": p.Phone, "address": p.Address}
}

// assertFileHides reads the raw file after the store is closed and fails
// for each value found in it.
func assertFileHides(t *testing.T, path string, values map[string]string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for field, v := range values {
		if bytes.Contains(raw, []byte(v)) {
			t.Errorf("raw store file contains the %s %q", field, v)
		}
	}
}

func openWithAccount(t *testing.T, path string, clock *fakeClock) *Store {
	t.Helper()
	s, err := Open(path, Options{Argon2: cheapArgon2, Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddAccount("admin", adminPassword, true); err != nil {
		t.Fatalf("AddAccount(admin): %v", err)
	}
	_, key, _ := ed25519.GenerateKey(nil)
	if err := s.SetIdentity(Identity{Device: s.Device(), College: testCollege, PrivateKey: key}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCopiedFileShowsNoPersonalData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "client.db")
	clock := &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s := openWithAccount(t, path, clock)
	p, err := s.SavePerson(personalPerson())
	if err != nil {
		t.Fatal(err)
	}
	// A conflict item from the server carries a phone as its losing value.
	item := ulid.Make()
	conflict := []changeset.Change{}
	for field, value := range map[string]string{
		record.FieldRecordKind: "person", record.FieldRecord: p.ID, record.FieldField: record.FieldPhone,
		record.FieldReason: record.ConflictSameField, record.FieldLoser: "13907970202",
		record.FieldConflictStatus: record.ConflictOpen,
	} {
		conflict = append(conflict, changeset.Change{Kind: record.KindConflict, ID: item, Scope: testCollege,
			Field: field, Value: value, Stamp: 1, Device: serverDevice})
	}
	if err := s.ApplyPage(conflict, 1); err != nil {
		t.Fatal(err)
	}
	ident, _ := s.Identity()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	values := personalValues(p)
	values["conflict loser"] = "13907970202"
	values["device private key"] = string(ident.PrivateKey.Seed())
	assertFileHides(t, path, values)

	locked, err := Open(path, Options{Now: clock.now})
	if err != nil {
		t.Fatalf("Open without an account: %v", err)
	}
	defer locked.Close()
	if !locked.Locked() {
		t.Errorf("Locked() without a password = false, want true")
	}
	if got := locked.Count(); got != 0 {
		t.Errorf("Count() of a locked store = %d, want 0", got)
	}
	if _, ok := locked.Identity(); ok {
		t.Errorf("Identity() of a locked store is present, want absent")
	}
	if _, err := locked.Person(p.ID); !errors.Is(err, ErrLocked) {
		t.Errorf("Person() of a locked store: error %v, want ErrLocked", err)
	}
	if _, err := locked.Outbox(0, 10); !errors.Is(err, ErrLocked) {
		t.Errorf("Outbox() of a locked store: error %v, want ErrLocked", err)
	}
}

func TestFirstAccountAfterDataRewritesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "client.db")
	s, err := Open(path, Options{Argon2: cheapArgon2})
	if err != nil {
		t.Fatal(err)
	}
	_, key, _ := ed25519.GenerateKey(nil)
	if err := s.SetIdentity(Identity{Device: s.Device(), College: testCollege, PrivateKey: key}); err != nil {
		t.Fatal(err)
	}
	p, err := s.SavePerson(personalPerson())
	if err != nil {
		t.Fatal(err)
	}
	dataKey := append([]byte(nil), s.keys.Load().dataKey...)
	if err := s.AddAccount("admin", adminPassword, true); err != nil {
		t.Fatalf("AddAccount: %v", err)
	}
	// The store stays usable on the rewritten file.
	p.Employer = "江西铜业"
	if _, err := s.SavePerson(p); err != nil {
		t.Fatalf("SavePerson after the rewrite: %v", err)
	}
	if err := s.Check(); err != nil {
		t.Errorf("integrity after the rewrite: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	values := personalValues(p)
	values["data key"] = string(dataKey)
	assertFileHides(t, path, values)
	if _, err := os.Stat(path + ".rewrite"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary rewrite file left behind: %v", err)
	}

	s, err = Open(path, Options{Account: "admin", Password: adminPassword})
	if err != nil {
		t.Fatalf("Open with the right password: %v", err)
	}
	defer s.Close()
	got, err := s.Person(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.IDNumber != p.IDNumber || got.Employer != "江西铜业" {
		t.Errorf("person after reopening = %+v, want ID %s and employer 江西铜业", got, p.IDNumber)
	}
	if found, ok := s.PersonByIDNumber(p.IDNumber); !ok || found.ID != p.ID {
		t.Errorf("PersonByIDNumber after reopening = %v, %v, want person %s", found.ID, ok, p.ID)
	}
}

func TestWrongPasswordIsRateLimited(t *testing.T) {
	path := filepath.Join(t.TempDir(), "client.db")
	clock := &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s := openWithAccount(t, path, clock)
	p, err := s.SavePerson(personalPerson())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(path, Options{Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 4; i++ {
		if err := s.Unlock("admin", "wrong-password"); !errors.Is(err, ErrWrongLogin) {
			t.Fatalf("wrong password %d: error %v, want ErrWrongLogin", i, err)
		}
	}
	var lockout *LockoutError
	if err := s.Unlock("admin", "wrong-password"); !errors.As(err, &lockout) || lockout.Wait != 30*time.Second {
		t.Fatalf("wrong password 5: error %v, want a 30s lockout", err)
	}
	if err := s.Unlock("admin", adminPassword); !errors.As(err, &lockout) {
		t.Fatalf("right password while locked: error %v, want a lockout", err)
	}
	i18n.SetLocale(i18n.Chinese)
	if got, want := Message(lockout), "账号“admin”因多次输错密码已被暂时锁定，请 30 秒后再试。"; got != want {
		t.Errorf("lockout message = %q, want %q", got, want)
	}
	s.Close()

	// The lockout is in the file, so reopening does not clear it.
	if _, err := Open(path, Options{Now: clock.now, Account: "admin", Password: adminPassword}); !errors.As(err, &lockout) || lockout.Wait != 30*time.Second {
		t.Fatalf("reopen while locked: error %v, want a 30s lockout", err)
	}
	clock.t = clock.t.Add(31 * time.Second)
	s, err = Open(path, Options{Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Unlock("admin", "wrong-password"); !errors.As(err, &lockout) || lockout.Wait != time.Minute {
		t.Fatalf("wrong password 6: error %v, want a 60s lockout", err)
	}
	clock.t = clock.t.Add(61 * time.Second)
	if err := s.Unlock("admin", adminPassword); err != nil {
		t.Fatalf("right password after the lockout: %v", err)
	}
	got, err := s.Person(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != p.Name || got.Phone != p.Phone || got.Address != p.Address {
		t.Errorf("person after unlocking = %+v, want %+v", got, p)
	}
	// Success resets the count: four more wrong passwords lock nothing.
	for i := 1; i <= 4; i++ {
		if err := s.Unlock("admin", "wrong-password"); !errors.Is(err, ErrWrongLogin) {
			t.Fatalf("wrong password %d after success: error %v, want ErrWrongLogin", i, err)
		}
	}
}

func TestLockoutDoublesUpToFifteenMinutes(t *testing.T) {
	cases := []struct {
		failures int
		want     time.Duration
	}{
		{4, 0}, {5, 30 * time.Second}, {6, time.Minute}, {7, 2 * time.Minute},
		{9, 8 * time.Minute}, {10, 15 * time.Minute}, {40, 15 * time.Minute},
	}
	for _, c := range cases {
		if got := lockoutAfter(c.failures); got != c.want {
			t.Errorf("lockoutAfter(%d) = %s, want %s", c.failures, got, c.want)
		}
	}
}

func TestUnknownAccountIsWrongLogin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "client.db")
	s := openWithAccount(t, path, &fakeClock{t: time.Now()})
	s.Close()
	if _, err := Open(path, Options{Account: "nobody", Password: adminPassword}); !errors.Is(err, ErrWrongLogin) {
		t.Errorf("Open as an unknown account: error %v, want ErrWrongLogin", err)
	}
}

func TestAccountRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), "client.db")
	s := openWithAccount(t, path, &fakeClock{t: time.Now()})
	if got := s.Account(); got != "admin" {
		t.Errorf("Account() after the first account = %q, want admin", got)
	}
	if err := s.AddAccount("clerk", "short", false); !errors.Is(err, ErrPasswordShort) {
		t.Errorf("AddAccount with a 5-character password: error %v, want ErrPasswordShort", err)
	}
	i18n.SetLocale(i18n.Chinese)
	if got, want := Message(ErrPasswordShort), "密码太短：至少需要 8 个字符，请换一个更长的密码。"; got != want {
		t.Errorf("short password message = %q, want %q", got, want)
	}
	if err := s.AddAccount("li ming", clerkPassword, false); !errors.Is(err, ErrAccountName) {
		t.Errorf("AddAccount with a space in the name: error %v, want ErrAccountName", err)
	}
	if err := s.AddAccount("clerk", clerkPassword, false); err != nil {
		t.Fatalf("AddAccount(clerk) by the administrator: %v", err)
	}
	if err := s.AddAccount("clerk", clerkPassword, false); !errors.Is(err, ErrAccountExists) {
		t.Errorf("AddAccount(clerk) again: error %v, want ErrAccountExists", err)
	}
	if err := s.RemoveAccount("admin"); !errors.Is(err, ErrRemoveSelf) {
		t.Errorf("RemoveAccount of oneself: error %v, want ErrRemoveSelf", err)
	}
	accounts, err := s.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 2 || accounts[0].Name != "admin" || !accounts[0].Admin || accounts[1].Name != "clerk" || accounts[1].Admin {
		t.Errorf("Accounts() = %+v, want admin (administrator) and clerk", accounts)
	}
	s.Close()

	s, err = Open(path, Options{Account: "clerk", Password: clerkPassword, Argon2: cheapArgon2})
	if err != nil {
		t.Fatalf("Open as clerk: %v", err)
	}
	for name, err := range map[string]error{
		"AddAccount":    s.AddAccount("third", clerkPassword, false),
		"ResetPassword": s.ResetPassword("admin", "new-password-3"),
		"RemoveAccount": s.RemoveAccount("admin"),
	} {
		if !errors.Is(err, ErrNotAdmin) {
			t.Errorf("%s by clerk: error %v, want ErrNotAdmin", name, err)
		}
	}
	s.Close()

	s, err = Open(path, Options{Account: "admin", Password: adminPassword, Argon2: cheapArgon2})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ResetPassword("clerk", "new-password-3"); err != nil {
		t.Fatalf("ResetPassword(clerk): %v", err)
	}
	if err := s.Unlock("clerk", clerkPassword); !errors.Is(err, ErrWrongLogin) {
		t.Errorf("old password after a reset: error %v, want ErrWrongLogin", err)
	}
	if err := s.Unlock("admin", adminPassword); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveAccount("clerk"); err != nil {
		t.Fatalf("RemoveAccount(clerk): %v", err)
	}
	if err := s.Unlock("clerk", "new-password-3"); !errors.Is(err, ErrWrongLogin) {
		t.Errorf("removed account signing in: error %v, want ErrWrongLogin", err)
	}
	s.Close()
}

func TestFirstAccountMustBeAdmin(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "client.db"), Options{Argon2: cheapArgon2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.AddAccount("clerk", clerkPassword, false); !errors.Is(err, ErrFirstAccount) {
		t.Errorf("first account without administrator: error %v, want ErrFirstAccount", err)
	}
	if s.HasAccounts() {
		t.Errorf("HasAccounts() after the refused first account = true, want false")
	}
}

func TestEditedAdminFlagBreaksPassword(t *testing.T) {
	path := filepath.Join(t.TempDir(), "client.db")
	s := openWithAccount(t, path, &fakeClock{t: time.Now()})
	if err := s.AddAccount("clerk", clerkPassword, false); err != nil {
		t.Fatal(err)
	}
	s.Close()

	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAccounts)
		var e map[string]any
		if err := json.Unmarshal(b.Get([]byte("clerk")), &e); err != nil {
			return err
		}
		e["admin"] = true
		raw, _ := json.Marshal(e)
		return b.Put([]byte("clerk"), raw)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, Options{Account: "clerk", Password: clerkPassword}); !errors.Is(err, ErrWrongLogin) {
		t.Errorf("clerk with an edited administrator flag: error %v, want ErrWrongLogin", err)
	}
}

func TestOutboxCarriesAccount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "client.db")
	s := openWithAccount(t, path, &fakeClock{t: time.Now()})
	defer s.Close()
	p, err := s.SavePerson(personalPerson())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordReveal(p.ID, []string{record.FieldIDNumber, record.FieldPhone}); err != nil {
		t.Fatalf("RecordReveal: %v", err)
	}
	changes, err := s.Outbox(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	access := map[string]string{}
	for _, c := range changes {
		if c.Account != "admin" {
			t.Errorf("outbox change %d (%s.%s) has account %q, want admin", c.Seq, c.Kind, c.Field, c.Account)
		}
		if c.Kind == record.KindAccess {
			access[c.Field] = c.Value
		}
	}
	want := map[string]string{record.FieldPerson: p.ID, record.FieldFields: "id_number,phone", record.FieldAction: record.AccessReveal}
	for field, value := range want {
		if access[field] != value {
			t.Errorf("access event field %s = %q, want %q", field, access[field], value)
		}
	}
	if err := s.RecordReveal(p.ID, []string{record.FieldMajor}); err == nil {
		t.Errorf("RecordReveal of a non-personal field: no error, want one")
	}
}

func TestOldFormatStoreIsRejected(t *testing.T) {
	path := filepath.Join(t.TempDir(), "client.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return meta.Put(keyDevice, []byte(ulid.Make().String()))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, Options{}); !errors.Is(err, ErrOldFormat) {
		t.Errorf("Open of a store without a format mark: error %v, want ErrOldFormat", err)
	}
}

// Account names keep the case they were typed in but compare without it,
// so Helper neither makes a second account nor fails to sign in to helper.
func TestAccountNamesIgnoreCase(t *testing.T) {
	s := openWithAccount(t, filepath.Join(t.TempDir(), "client.db"), &fakeClock{t: time.Now()})
	if err := s.AddAccount("Helper", clerkPassword, false); err != nil {
		t.Fatalf("AddAccount(Helper): %v", err)
	}
	if err := s.AddAccount("helper", clerkPassword, false); !errors.Is(err, ErrAccountExists) {
		t.Errorf("AddAccount(helper) next to Helper: error %v, want ErrAccountExists", err)
	}
	accounts, err := s.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range accounts {
		names = append(names, a.Name)
	}
	if got := strings.Join(names, ","); got != "Helper,admin" {
		t.Errorf("accounts = %s, want Helper,admin", got)
	}

	if err := s.RemoveAccount("ADMIN"); !errors.Is(err, ErrRemoveSelf) {
		t.Errorf("RemoveAccount(ADMIN) signed in as admin: error %v, want ErrRemoveSelf", err)
	}
	const newPassword = "battery-staple-3"
	if err := s.ResetPassword("HELPER", newPassword); err != nil {
		t.Fatalf("ResetPassword(HELPER): %v", err)
	}
	if err := s.Unlock("helper", newPassword); err != nil {
		t.Fatalf("Unlock(helper) of account Helper: %v", err)
	}
	if got := s.Account(); got != "Helper" {
		t.Errorf("signed-in account after Unlock(helper) = %q, want Helper as stored", got)
	}
	if err := s.Unlock("Admin", adminPassword); err != nil {
		t.Fatalf("Unlock(Admin): %v", err)
	}
	if err := s.RemoveAccount("hELPER"); err != nil {
		t.Fatalf("RemoveAccount(hELPER): %v", err)
	}
	if accounts, _ := s.Accounts(); len(accounts) != 1 {
		t.Errorf("accounts after removing Helper = %+v, want admin alone", accounts)
	}
}
