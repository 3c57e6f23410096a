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

// The lower-case spelling of an enrolled device's id parses to the same
// ULID but is another bbolt key, so it must not enrol as a new device.
func TestLowerCaseDeviceIDRefused(t *testing.T) {
	p := openTemp(t, nil)
	victim, _ := enrolWithKey(t, p, college)
	lower := strings.ToLower(victim.ID)

	code, _ := p.CreateEnrolment(college, "central", time.Hour)
	attackerPub, _, _ := ed25519.GenerateKey(nil)
	_, err := p.EnrolFor(code, lower, attackerPub, "evil", "", nil)
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("enrolment as %s: error = %v, want ErrInvalid", lower, err)
	}
	if _, err := p.Device(lower); !errors.Is(err, ErrUnknownDevice) {
		t.Errorf("Device(%s) error = %v, want ErrUnknownDevice", lower, err)
	}
	devices, err := p.Devices()
	if err != nil {
		t.Fatal(err)
	}
	if len(devices) != 1 {
		t.Errorf("pool holds %d devices after the takeover attempt, want 1", len(devices))
	}
}

func TestCheckDeviceID(t *testing.T) {
	id := ulid.Make().String()
	cases := map[string]bool{
		id:                                 true,
		strings.ToLower(id):                false,
		id[:10] + strings.ToLower(id[10:]): false,
		"":                                 false,
		"server":                           false,
		id + "0":                           false,
	}
	for text, ok := range cases {
		err := CheckDeviceID(text)
		if ok && err != nil {
			t.Errorf("CheckDeviceID(%q) = %v, want nil", text, err)
		}
		if !ok && !errors.Is(err, ErrInvalid) {
			t.Errorf("CheckDeviceID(%q) = %v, want ErrInvalid", text, err)
		}
	}
}

// A re-enrolment with proof keeps the replaced key in PreviousKeys, so a
// change file signed before it still proves the device wrote it.
func TestReenrolKeepsPreviousKeys(t *testing.T) {
	p := openTemp(t, nil)
	d, priv := enrolWithKey(t, p, college)
	firstKey := d.PublicKey

	code, _ := p.CreateEnrolment(college, "clerk", time.Hour)
	secondPub, secondPriv, _ := ed25519.GenerateKey(nil)
	if _, err := p.EnrolFor(code, d.ID, secondPub, "test", "", proofFor(t, priv, code, secondPub)); err != nil {
		t.Fatal(err)
	}
	code, _ = p.CreateEnrolment(college, "clerk", time.Hour)
	thirdPub, _, _ := ed25519.GenerateKey(nil)
	got, err := p.EnrolFor(code, d.ID, thirdPub, "test", "", proofFor(t, secondPriv, code, thirdPub))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.PublicKey, thirdPub) {
		t.Error("public key after the second re-enrolment is not the newest key")
	}
	if len(got.PreviousKeys) != 2 {
		t.Fatalf("previous keys = %d, want 2", len(got.PreviousKeys))
	}
	if !bytes.Equal(got.PreviousKeys[0], firstKey) {
		t.Error("first previous key is not the key of the first enrolment")
	}
	if !bytes.Equal(got.PreviousKeys[1], secondPub) {
		t.Error("second previous key is not the key of the first re-enrolment")
	}
	stored, _ := p.Device(d.ID)
	if len(stored.PreviousKeys) != 2 {
		t.Errorf("stored previous keys = %d, want 2", len(stored.PreviousKeys))
	}
}

// A pushed change that names its device in lower case is not the
// device's change.
func TestPushOfLowerCaseDeviceRejected(t *testing.T) {
	p := openTemp(t, nil)
	d := enrolDevice(t, p)
	changes := personChanges(d.ID, 1, 1)
	changes[0].Device = strings.ToLower(d.ID)
	if _, err := p.ApplyPush(d.ID, 1, 1, changes); !errors.Is(err, ErrScope) {
		t.Errorf("push naming device %s: error = %v, want ErrScope", changes[0].Device, err)
	}
}

// A fair device is enrolled only for a fair, never with a college's scope,
// and no other role gets a fair's scope.
func TestEnrolmentScopeFitsRole(t *testing.T) {
	p := openTemp(t, nil)
	refused := map[string][2]string{
		"fair with a college":   {college, "fair"},
		"fair with a bad code":  {"fair:G", "fair"},
		"clerk with a fair":     {"fair:GZ2026A", "clerk"},
		"central with a fair":   {"fair:GZ2026A", "central"},
		"clerk without a scope": {"", "clerk"},
	}
	for name, tc := range refused {
		if _, err := p.CreateEnrolment(tc[0], tc[1], time.Hour); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: CreateEnrolment error = %v, want ErrInvalid", name, err)
		}
	}
	if n := enrolmentCount(t, p); n != 0 {
		t.Errorf("pool holds %d enrolments after refused ones, want 0", n)
	}

	code, err := p.CreateEnrolment("fair:GZ2026A", "fair", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	d, err := p.Enrol(code, ulid.Make().String(), pub, "test")
	if err != nil {
		t.Fatal(err)
	}
	if d.College != "fair:GZ2026A" || d.Role != "fair" {
		t.Errorf("fair device scope %q role %q, want fair:GZ2026A fair", d.College, d.Role)
	}
}
