package store

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

// setRole changes the enrolled role of a test store.
func setRole(t *testing.T, s *Store, role access.Role) {
	t.Helper()
	ident, _ := s.Identity()
	ident.Role = string(role)
	if err := s.SetIdentity(ident); err != nil {
		t.Fatal(err)
	}
}

// A local erasure saves the mark in the outbox, clears the personal values
// from the record and the outbox at once, and compacts the file.
func TestErasePersonClearsLocalCopies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "client.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, key, _ := ed25519.GenerateKey(nil)
	if err := s.SetIdentity(Identity{Device: s.Device(), College: testCollege, PrivateKey: key}); err != nil {
		t.Fatal(err)
	}
	p := samplePerson()
	p.Address = "江西省南昌市青山湖区测试路8号"
	saved, err := s.SavePerson(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ErasePerson(saved.ID); !errors.Is(err, ErrEraseRole) {
		t.Fatalf("ErasePerson as clerk = %v, want ErrEraseRole", err)
	}
	setRole(t, s, access.Central)
	if err := s.ErasePerson(saved.ID); err != nil {
		t.Fatalf("ErasePerson as central: %v", err)
	}

	got, err := s.Person(saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "" || got.IDNumber != "" || got.Phone != "" || got.Address != "" {
		t.Errorf("erased person = %q %q %q %q, want empty personal fields", got.Name, got.IDNumber, got.Phone, got.Address)
	}
	if _, err := time.Parse(time.RFC3339, got.Erased); err != nil {
		t.Errorf("erasure mark %q is not an RFC 3339 time: %v", got.Erased, err)
	}
	if got.Major != p.Major {
		t.Errorf("erased person major = %q, want %q kept", got.Major, p.Major)
	}

	outbox, err := s.Outbox(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	marks := 0
	for _, c := range outbox {
		if c.Field == record.FieldErased && c.Value == got.Erased {
			marks++
		}
		if record.IsPersonal(c.Kind, c.Field) && c.Value != "" {
			t.Errorf("outbox entry %d keeps %s", c.Seq, c.Field)
		}
	}
	if marks != 1 {
		t.Errorf("outbox holds %d erasure marks, want 1", marks)
	}

	if err := s.ErasePerson(saved.ID); !errors.Is(err, ErrErased) {
		t.Errorf("second ErasePerson = %v, want ErrErased", err)
	}
	got.Phone = "13907916666"
	if _, err := s.SavePerson(got); !errors.Is(err, ErrErased) {
		t.Errorf("saving a phone for the erased person = %v, want ErrErased", err)
	}
	if err := s.RecordConsent(saved.ID, "written"); !errors.Is(err, ErrErased) {
		t.Errorf("RecordConsent for the erased person = %v, want ErrErased", err)
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{p.Name, p.IDNumber, p.Phone, p.Address} {
		if bytes.Contains(raw, []byte(v)) {
			t.Errorf("store file keeps %q after the erasure", v)
		}
	}
}

// Consent is saved with today's date and the signed-in account; a method
// outside the list is rejected.
func TestRecordAndWithdrawConsent(t *testing.T) {
	s := openTemp(t)
	saved, err := s.SavePerson(samplePerson())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordConsent(saved.ID, "email"); err == nil {
		t.Error("RecordConsent with method email succeeded, want an error")
	}
	if err := s.RecordConsent(saved.ID, "oral"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Person(saved.ID)
	today := time.Now().Format(time.DateOnly)
	if got.Consent != record.ConsentGiven || got.ConsentMethod != "oral" || got.ConsentAt != today {
		t.Errorf("after RecordConsent: %q %q %q, want given oral %s", got.Consent, got.ConsentMethod, got.ConsentAt, today)
	}

	if err := s.WithdrawConsent(saved.ID); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Person(saved.ID)
	if got.Consent != record.ConsentWithdrawn || got.ConsentMethod != "" || got.ConsentAt != today {
		t.Errorf("after WithdrawConsent: %q %q %q, want withdrawn, no method, %s", got.Consent, got.ConsentMethod, got.ConsentAt, today)
	}
}
