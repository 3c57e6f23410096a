package pool

import (
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
)

// auditOf returns the audit entries of the pool file at path, after
// checking that the chain verifies.
func auditOf(t *testing.T, path string) []AuditEntry {
	t.Helper()
	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.VerifyAudit(); err != nil {
		t.Errorf("audit chain of %s: %v", filepath.Base(path), err)
	}
	entries, err := p.AuditEntries(AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func copyKeys(t *testing.T, from, to string) {
	t.Helper()
	for _, name := range []string{VaultFile, MasterKeyFile} {
		if err := copyFile(filepath.Join(from, name), filepath.Join(to, name)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRestoreCarriesLaterAuditEntries(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pool.db")
	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := enrolDevice(t, p)
	people := testPeople(3)
	pushPeople(t, p, d.ID, 1, people)
	backup := filepath.Join(dir, "backup.db")
	backupTo(t, p, backup)
	var backupHead string
	if sum, err := p.VerifyAudit(); err == nil {
		backupHead = sum.Head
	}
	// Entries written after the backup: an erasure and a revocation.
	if _, err := p.Erase(ulid.MustParseStrict(people[0].ID), "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Revoke(d.ID); err != nil {
		t.Fatal(err)
	}
	p.Close()
	before := auditOf(t, path)

	res, err := RestoreFile(backup, path)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reason != RestoreCarried {
		t.Errorf("restore reason = %q, want %q", res.Reason, RestoreCarried)
	}
	after := auditOf(t, path)
	// Opening the restored pool erases the person again, because the
	// backup predates the erasure: that appends an erase entry.
	if len(after) != len(before)+2 {
		t.Fatalf("restored audit log holds %d entries, want %d (the live ones, a restore and an erase entry)", len(after), len(before)+2)
	}
	for i, e := range before {
		if after[i].Seq != e.Seq || after[i].Action != e.Action || after[i].Prev != e.Prev {
			t.Errorf("restored entry %d = %d %s, want %d %s as before the restore", i, after[i].Seq, after[i].Action, e.Seq, e.Action)
		}
	}
	restore := after[len(before)]
	if restore.Action != ActionRestore {
		t.Errorf("entry after the carried ones has action %q, want %q", restore.Action, ActionRestore)
	}
	if restore.Backup != "backup.db" || restore.BackupHead != backupHead {
		t.Errorf("restore entry names backup %q head %q, want backup.db head %q", restore.Backup, restore.BackupHead, backupHead)
	}
	if restore.Carried != 2 || res.Carried != 2 {
		t.Errorf("restore carried %d (entry says %d), want 2 (the erase and revoke entries)", res.Carried, restore.Carried)
	}
	if again := after[len(after)-1]; again.Action != ActionErase || again.Account != "restore" {
		t.Errorf("last entry = %s by %q, want the erasure applied again by \"restore\"", again.Action, again.Account)
	}
}

// A backup restored over a pool of another history, as on a new machine
// that served a while with the old server's keys, keeps the backup's log
// and appends the live pool's entries after it.
func TestRestoreOfDivergedBackupKeepsBothLogs(t *testing.T) {
	dir, p, _ := openPoolWithPeople(t, 2)
	var err error
	backup := filepath.Join(dir, "backup.db")
	backupTo(t, p, backup)
	p.Close()
	backupLog := auditOf(t, backup)

	target := t.TempDir()
	copyKeys(t, dir, target)
	path := filepath.Join(target, "pool.db")
	if p, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	newDevice := enrolDevice(t, p)
	p.Close()

	res, err := RestoreFile(backup, path)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reason != RestoreDiverged || res.Carried != 1 {
		t.Errorf("restore reason %q carried %d, want %q carried 1", res.Reason, res.Carried, RestoreDiverged)
	}
	after := auditOf(t, path)
	if want := len(backupLog) + 2; len(after) != want {
		t.Fatalf("audit log after the restore holds %d entries, want %d", len(after), want)
	}
	if carried := after[len(backupLog)]; carried.Action != ActionEnrol || carried.Device != newDevice.ID {
		t.Errorf("carried entry = %s of device %s, want the enrolment of %s", carried.Action, carried.Device, newDevice.ID)
	}
	if last := after[len(after)-1]; last.Action != ActionRestore || last.Reason != RestoreDiverged {
		t.Errorf("last entry = %s with reason %q, want a restore entry with %q", last.Action, last.Reason, RestoreDiverged)
	}
}

func TestRestoreWithoutLivePoolKeepsBackupLog(t *testing.T) {
	dir, p, _ := openPoolWithPeople(t, 2)
	var err error
	backup := filepath.Join(dir, "backup.db")
	backupTo(t, p, backup)
	p.Close()
	logged := auditOf(t, backup)

	target := t.TempDir()
	copyKeys(t, dir, target)
	res, err := RestoreFile(backup, filepath.Join(target, "pool.db"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Reason != RestoreNoLivePool {
		t.Errorf("restore reason = %q, want %q", res.Reason, RestoreNoLivePool)
	}
	after := auditOf(t, filepath.Join(target, "pool.db"))
	if len(after) != len(logged)+1 || after[len(after)-1].Reason != RestoreNoLivePool {
		t.Errorf("restored log holds %d entries ending with reason %q, want %d ending with %q",
			len(after), after[len(after)-1].Reason, len(logged)+1, RestoreNoLivePool)
	}
}

func TestRestoreRefusesBackupWithoutItsKeys(t *testing.T) {
	dir, p, _ := openPoolWithPeople(t, 40)
	var err error
	backup := filepath.Join(dir, "backup.db")
	backupTo(t, p, backup)
	p.Close()

	// An empty folder, and one with another server's keys.
	other := t.TempDir()
	if q, err := Open(filepath.Join(other, "pool.db"), Options{}); err == nil {
		q.Close()
	}
	os.Remove(filepath.Join(other, "pool.db"))
	for name, target := range map[string]string{"empty folder": t.TempDir(), "other server's keys": other} {
		_, err := RestoreFile(backup, filepath.Join(target, "pool.db"))
		if !errors.Is(err, ErrBackupKeys) {
			t.Errorf("%s: restore error = %v, want ErrBackupKeys", name, err)
		}
		if _, err := os.Stat(filepath.Join(target, "pool.db")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: a refused restore left pool.db (stat: %v)", name, err)
		}
		if _, err := os.Stat(filepath.Join(target, MasterKeyFile)); name == "empty folder" && !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: a refused restore made a master key (stat: %v)", name, err)
		}
	}

	// A pool without persons needs no keys.
	empty := t.TempDir()
	q, err := Open(filepath.Join(empty, "pool.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	emptyBackup := filepath.Join(empty, "backup.db")
	backupTo(t, q, emptyBackup)
	q.Close()
	if _, err := RestoreFile(emptyBackup, filepath.Join(t.TempDir(), "pool.db")); err != nil {
		t.Errorf("restoring a pool without persons into an empty folder: %v", err)
	}
}

// A backup written before a revocation restores with the device revoked,
// and a device enrolled and revoked after the backup stays unknown.
func TestRestoreKeepsLaterRevocations(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pool.db")
	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	revoked := enrolDevice(t, p)
	active := enrolDevice(t, p)
	last := pushPeople(t, p, revoked.ID, 1, testPeople(2))
	backup := filepath.Join(dir, "backup.db")
	backupTo(t, p, backup)
	stored, err := p.Revoke(revoked.ID)
	if err != nil {
		t.Fatal(err)
	}
	later := enrolDevice(t, p)
	if _, err := p.Revoke(later.ID); err != nil {
		t.Fatal(err)
	}
	p.Close()

	res, err := RestoreFile(backup, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Revoked) != 1 || res.Revoked[0] != revoked.ID {
		t.Errorf("restore result revoked %v, want [%s]", res.Revoked, revoked.ID)
	}
	entries := auditOf(t, path)
	var restore AuditEntry
	for _, e := range entries {
		if e.Action == ActionRestore {
			restore = e
		}
	}
	if len(restore.Revoked) != 1 || restore.Revoked[0] != revoked.ID {
		t.Errorf("restore audit entry revoked %v, want [%s]", restore.Revoked, revoked.ID)
	}

	if p, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	d, err := p.Device(revoked.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !d.RevokedAt.Equal(stored.RevokedAt) {
		t.Errorf("restored device revoked at %v, want %v as in the replaced pool", d.RevokedAt, stored.RevokedAt)
	}
	if d, err := p.Device(active.ID); err != nil || d.Revoked() {
		t.Errorf("device never revoked: revoked %v, err %v; want active", d.Revoked(), err)
	}
	if _, err := p.Device(later.ID); !errors.Is(err, ErrUnknownDevice) {
		t.Errorf("device enrolled after the backup: err %v, want ErrUnknownDevice", err)
	}
	next := last + 1
	if _, err := p.ApplyPush(revoked.ID, next, next, personChanges(revoked.ID, next, 1)); !errors.Is(err, ErrRevoked) {
		t.Errorf("push of the revoked device after the restore: err %v, want ErrRevoked", err)
	}
}

// A device that re-enrolled with proof after the backup keeps its new key
// and role through a restore, so it can still sign in and push again.
func TestRestoreKeepsLaterReenrolment(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pool.db")
	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, priv := enrolWithKey(t, p, college)
	backup := filepath.Join(dir, "backup.db")
	backupTo(t, p, backup)
	code, err := p.CreateEnrolment(college, "reviewer", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	newPub, _, _ := ed25519.GenerateKey(nil)
	if _, err := p.EnrolFor(code, d.ID, newPub, "test", "", proofFor(t, priv, code, newPub)); err != nil {
		t.Fatalf("re-enrolment with proof: %v", err)
	}
	p.Close()

	if _, err := RestoreFile(backup, path); err != nil {
		t.Fatal(err)
	}
	if p, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	got, err := p.Device(d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.PublicKey.Equal(newPub) {
		t.Error("the restored pool holds the key the re-enrolment replaced")
	}
	if got.Role != "reviewer" {
		t.Errorf("role after the restore = %q, want reviewer", got.Role)
	}
	if len(got.PreviousKeys) != 1 || !got.PreviousKeys[0].Equal(d.PublicKey) {
		t.Errorf("previous keys after the restore = %d keys, want the key of the first enrolment", len(got.PreviousKeys))
	}
}

// openPoolWithPeople opens a pool in a new folder, enrols a clerk device
// and pushes n test people from it. The caller closes the pool.
func openPoolWithPeople(t *testing.T, n int) (dir string, p *Pool, d Device) {
	t.Helper()
	dir = t.TempDir()
	p, err := Open(filepath.Join(dir, "pool.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	d = enrolDevice(t, p)
	pushPeople(t, p, d.ID, 1, testPeople(n))
	return dir, p, d
}
