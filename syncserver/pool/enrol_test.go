package pool

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/protocol"
)

// enrolWithKey enrols a new device of college and returns it with its
// private key.
func enrolWithKey(t *testing.T, p *Pool, collegeCode string) (Device, ed25519.PrivateKey) {
	t.Helper()
	code, err := p.CreateEnrolment(collegeCode, "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	d, err := p.Enrol(code, ulid.Make().String(), pub, "test")
	if err != nil {
		t.Fatal(err)
	}
	return d, priv
}

// proofFor signs the re-enrolment proof of code and newKey with key.
func proofFor(t *testing.T, key ed25519.PrivateKey, code string, newKey ed25519.PublicKey) []byte {
	t.Helper()
	secret, err := hex.DecodeString(code)
	if err != nil {
		t.Fatal(err)
	}
	return ed25519.Sign(key, protocol.EnrolProofMessage(secret, newKey))
}

func TestReenrolWithoutProofRefused(t *testing.T) {
	p := openTemp(t, nil)
	victim, _ := enrolWithKey(t, p, college)

	code, _ := p.CreateEnrolment(college, "central", time.Hour)
	attackerPub, attackerPriv, _ := ed25519.GenerateKey(nil)
	cases := map[string][]byte{
		"no proof":              nil,
		"proof by the new key":  proofFor(t, attackerPriv, code, attackerPub),
		"proof of random bytes": bytes.Repeat([]byte{7}, ed25519.SignatureSize),
	}
	for name, proof := range cases {
		_, err := p.EnrolFor(code, victim.ID, attackerPub, "evil", "", proof)
		if !errors.Is(err, ErrDeviceKnown) {
			t.Errorf("%s: error = %v, want ErrDeviceKnown", name, err)
		}
	}

	stored, err := p.Device(victim.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stored.PublicKey, victim.PublicKey) {
		t.Errorf("victim's public key was replaced")
	}
	if stored.Role != "clerk" {
		t.Errorf("victim's role = %q, want clerk", stored.Role)
	}
	// The refused attempts left the code unused.
	if _, err := p.Enrol(code, ulid.Make().String(), attackerPub, "test"); err != nil {
		t.Errorf("code after the refused takeover: %v", err)
	}
}

func TestReenrolWithProofReplacesKey(t *testing.T) {
	p := openTemp(t, nil)
	d, priv := enrolWithKey(t, p, college)
	if _, err := p.ApplyPush(d.ID, 1, 2, personChanges(d.ID, 1, 2)); err != nil {
		t.Fatal(err)
	}

	code, _ := p.CreateEnrolment(college, "reviewer", time.Hour)
	newPub, _, _ := ed25519.GenerateKey(nil)
	got, err := p.EnrolFor(code, d.ID, newPub, "test", "", proofFor(t, priv, code, newPub))
	if err != nil {
		t.Fatalf("re-enrolment with proof: %v", err)
	}
	if !bytes.Equal(got.PublicKey, newPub) {
		t.Errorf("public key after re-enrolment is not the new key")
	}
	if got.Role != "reviewer" {
		t.Errorf("role after re-enrolment = %q, want reviewer", got.Role)
	}
	if got.Acked != 2 {
		t.Errorf("acked after re-enrolment = %d, want 2", got.Acked)
	}
}

func TestReenrolCannotChangeCollege(t *testing.T) {
	p := openTemp(t, nil)
	d, priv := enrolWithKey(t, p, college)

	code, _ := p.CreateEnrolment("4136010405", "clerk", time.Hour)
	newPub, _, _ := ed25519.GenerateKey(nil)
	_, err := p.EnrolFor(code, d.ID, newPub, "test", "", proofFor(t, priv, code, newPub))
	if !errors.Is(err, ErrOtherCollege) {
		t.Errorf("re-enrolment with another college's code error = %v, want ErrOtherCollege", err)
	}
	stored, _ := p.Device(d.ID)
	if stored.College != college {
		t.Errorf("college after the refused re-enrolment = %s, want %s", stored.College, college)
	}
}

func TestExpiredEnrolmentsDeleted(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	p := openTemp(t, func() time.Time { return now })
	if _, err := p.CreateEnrolment(college, "clerk", time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := p.CreateEnrolment(college, "clerk", 48*time.Hour); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Hour)
	if _, err := p.CreateEnrolment(college, "clerk", time.Hour); err != nil {
		t.Fatal(err)
	}
	if n := enrolmentCount(t, p); n != 2 {
		t.Errorf("enrolments stored after one expired = %d, want 2", n)
	}
}

func enrolmentCount(t *testing.T, p *Pool) int {
	t.Helper()
	n := 0
	err := p.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketEnrol).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Each refused enrolment writes an audit entry naming the device id as
// given, the college and the reason, and never the code.
func TestRefusedEnrolmentsAudited(t *testing.T) {
	now := time.Now()
	p := openTemp(t, func() time.Time { return now })
	victim, _ := enrolWithKey(t, p, college)
	revoked, _ := enrolWithKey(t, p, college)
	if _, err := p.Revoke(revoked.ID); err != nil {
		t.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(nil)

	unknownCode := hex.EncodeToString(protocol.NewEnrolSecret())
	takeoverCode, _ := p.CreateEnrolment(college, "central", time.Hour)
	otherCode, _ := p.CreateEnrolment(otherCollege, "clerk", time.Hour)
	revokedCode, _ := p.CreateEnrolment(college, "clerk", time.Hour)
	expiredCode, _ := p.CreateEnrolment(college, "clerk", time.Minute)
	fresh := []string{ulid.Make().String(), ulid.Make().String(), ulid.Make().String()}

	cases := []struct {
		name, code, device, college, wantReason, wantScope string
		wantErr                                            error
	}{
		{"unknown code", unknownCode, fresh[0], "", protocol.CodeEnrol, "", ErrEnrolCode},
		{"takeover", takeoverCode, victim.ID, "", protocol.CodeDeviceKnown, college, ErrDeviceKnown},
		{"other college", otherCode, fresh[1], college, protocol.CodeOtherCollege, otherCollege, ErrOtherCollege},
		{"revoked device", revokedCode, revoked.ID, "", protocol.CodeRevokedDevice, college, ErrRevoked},
		{"expired code", expiredCode, fresh[2], "", ReasonEnrolCodeExpired, college, ErrEnrolCode},
	}
	codes := []string{unknownCode, takeoverCode, otherCode, revokedCode, expiredCode}
	for _, c := range cases {
		if c.name == "expired code" {
			now = now.Add(2 * time.Minute)
		}
		before, err := p.AuditEntries(AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.EnrolFor(c.code, c.device, pub, "test", c.college, nil); !errors.Is(err, c.wantErr) {
			t.Errorf("%s: error = %v, want %v", c.name, err, c.wantErr)
		}
		after, err := p.AuditEntries(AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before)+1 {
			t.Errorf("%s: %d audit entries added, want 1", c.name, len(after)-len(before))
			continue
		}
		e := after[len(after)-1]
		if e.Action != ActionEnrolRefused {
			t.Errorf("%s: action = %q, want %q", c.name, e.Action, ActionEnrolRefused)
		}
		if e.Device != c.device {
			t.Errorf("%s: device = %q, want %q", c.name, e.Device, c.device)
		}
		if e.Reason != c.wantReason {
			t.Errorf("%s: reason = %q, want %q", c.name, e.Reason, c.wantReason)
		}
		if e.Scope != c.wantScope {
			t.Errorf("%s: college = %q, want %q", c.name, e.Scope, c.wantScope)
		}
	}

	raw, err := json.Marshal(mustAudit(t, p))
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range codes {
		if strings.Contains(string(raw), code) {
			t.Errorf("the audit log contains the code %s", code)
		}
	}
	if _, err := p.VerifyAudit(); err != nil {
		t.Errorf("audit chain after refused enrolments: %v", err)
	}
}

func mustAudit(t *testing.T, p *Pool) []AuditEntry {
	t.Helper()
	entries, err := p.AuditEntries(AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}
