package pool

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

// ErrNotPool is returned by Restore for a file that is not a pool backup.
var ErrNotPool = errors.New("not a pool backup")

// Backup writes a consistent copy of the pool file to w while the pool
// stays in use, and returns the bytes written.
func (p *Pool) Backup(w io.Writer) (int64, error) {
	var n int64
	err := p.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("writing backup: %w", err)
	}
	return n, nil
}

// BackupKeys writes a consistent copy of the key vault file, keys.db, to w
// while the pool stays in use, and returns the bytes written. The copy
// holds the wrapped person keys and lookup key, not the master key.
func (p *Pool) BackupKeys(w io.Writer) (int64, error) {
	p.vault.dbMu.RLock()
	defer p.vault.dbMu.RUnlock()
	var n int64
	err := p.vault.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("copying key vault: %w", err)
	}
	return n, nil
}

// CopyVaultFile writes a consistent copy of the key vault file at path to
// w, for a server that is not running, and returns the bytes written.
func CopyVaultFile(path string, w io.Writer) (int64, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return 0, fmt.Errorf("opening key vault %s: %w", path, err)
	}
	defer db.Close()
	var n int64
	err = db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("copying key vault %s: %w", path, err)
	}
	return n, nil
}

// ErrBackupKeys is returned by Restore when the key vault and master key
// beside the pool file do not open the backup's personal values: the
// backup needs the keys.db and master.key of the server that wrote it.
var ErrBackupKeys = errors.New("the key vault does not open the backup's personal values")

// restoreSamples bounds the persons whose sealed values Restore opens to
// check the key vault, spread over the backup's persons.
const restoreSamples = 32

// RestoreResult is the outcome of RestoreFile.
type RestoreResult struct {
	Epoch string // the restored pool's new epoch
	// Reason is the case of the replaced pool's audit log: RestoreCarried,
	// RestoreDiverged or RestoreNoLivePool.
	Reason  string
	Carried uint64 // audit entries of the replaced pool kept after the backup's
	// Revoked lists the devices revoked in the replaced pool that the
	// restored pool listed as active, and now lists as revoked.
	Revoked []string
}

// Restore is RestoreFile returning only the new epoch.
func Restore(backupPath, poolPath string) (string, error) {
	res, err := RestoreFile(backupPath, poolPath)
	return res.Epoch, err
}

// RestoreFile replaces the pool file at poolPath with the backup at
// backupPath and gives it a new epoch, so that devices which synced with
// the lost history notice and push again what the restored pool lacks.
// The server must be stopped: RestoreFile fails while another process
// holds the pool.
//
// Before it replaces anything, it checks that the key vault and master key
// in poolPath's folder open the backup's sealed values, and returns
// ErrBackupKeys if not. The audit log is append-only across restores: the
// replaced pool's entries written after the backup are carried into the
// restored pool, followed by a restore entry.
func RestoreFile(backupPath, poolPath string) (RestoreResult, error) {
	if err := checkBackupFile(backupPath); err != nil {
		return RestoreResult{}, err
	}

	// Fail now, and leave the live file alone, if a server holds it.
	// bolt.Open would create a missing file, so look first.
	_, err := os.Stat(poolPath)
	livePool := err == nil
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return RestoreResult{}, fmt.Errorf("opening %s: %w", poolPath, err)
	}
	if livePool {
		live, err := bolt.Open(poolPath, 0o600, &bolt.Options{Timeout: time.Second})
		if err != nil {
			return RestoreResult{}, fmt.Errorf("opening %s: %w (stop the server first)", poolPath, err)
		}
		live.Close()
	}
	if err := checkBackupKeys(backupPath, filepath.Dir(poolPath)); err != nil {
		return RestoreResult{}, err
	}

	tmp := poolPath + ".restore"
	if err := copyFile(backupPath, tmp); err != nil {
		return RestoreResult{}, err
	}
	res, err := prepareRestored(tmp, backupPath, poolPath, livePool)
	if err != nil {
		os.Remove(tmp)
		return RestoreResult{}, err
	}
	if err := os.Rename(tmp, poolPath); err != nil {
		os.Remove(tmp)
		return RestoreResult{}, fmt.Errorf("replacing %s: %w", poolPath, err)
	}
	syncDir(filepath.Dir(poolPath))
	return res, nil
}

// checkBackupFile checks that the file is a whole pool file.
func checkBackupFile(backupPath string) error {
	bdb, err := bolt.Open(backupPath, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrNotPool, backupPath, err)
	}
	defer bdb.Close()
	err = bdb.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil || tx.Bucket(bucketLog) == nil {
			return ErrNotPool
		}
		var first error
		for err := range tx.Check() {
			if first == nil {
				first = err
			}
		}
		return first
	})
	if err != nil {
		return fmt.Errorf("checking backup %s: %w", backupPath, err)
	}
	return nil
}

// checkBackupKeys opens one sealed value of up to restoreSamples persons of
// the backup with the key vault in dataDir. A backup without sealed values
// needs no vault. A person the vault lists as erased passes, because
// erasure leaves values no key opens.
func checkBackupKeys(backupPath, dataDir string) error {
	samples, err := sampleSealedValues(backupPath)
	if err != nil || len(samples) == 0 {
		return err
	}
	vaultPath := filepath.Join(dataDir, VaultFile)
	if _, err := os.Stat(vaultPath); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrBackupKeys, vaultPath, err)
	}
	master, err := ReadMasterKey(dataDir)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBackupKeys, err)
	}
	v, err := OpenVault(vaultPath, master, time.Second)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBackupKeys, err)
	}
	defer v.Close()
	var failed int
	for _, c := range samples {
		if _, err := v.openValue(c.Field, c.Value); err != nil {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%w: %d of %d sampled persons do not open", ErrBackupKeys, failed, len(samples))
	}
	return nil
}

// sampleSealedValues returns one sealed value of each of up to
// restoreSamples persons of the pool file, spread over its persons.
func sampleSealedValues(path string) ([]changeset.Change, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotPool, path, err)
	}
	defer db.Close()
	var out []changeset.Change
	err = db.View(func(tx *bolt.Tx) error {
		records := tx.Bucket(bucketRecords)
		if records == nil {
			return nil
		}
		kind := byte(record.KindPerson)
		var persons int
		c := records.Cursor()
		for k, _ := c.Seek([]byte{kind}); k != nil && k[0] == kind; k, _ = c.Next() {
			persons++
		}
		stride := max(1, persons/restoreSamples)
		var i int
		for k, raw := c.Seek([]byte{kind}); k != nil && k[0] == kind; k, raw = c.Next() {
			i++
			if (i-1)%stride != 0 {
				continue
			}
			changes, err := changeset.Decode(raw, storedLimits)
			if err != nil {
				return fmt.Errorf("reading a person of the backup: %w", err)
			}
			for _, ch := range changes {
				if IsSealed(ch.Value) {
					out = append(out, ch)
					break
				}
			}
		}
		return nil
	})
	return out, err
}

// prepareRestored gives the copied backup at tmp a new epoch, carries the
// audit log and the revocations of the live pool at poolPath into it, and
// appends the restore entry.
func prepareRestored(tmp, backupPath, poolPath string, livePool bool) (RestoreResult, error) {
	var live *bolt.DB
	if livePool {
		var err error
		if live, err = bolt.Open(poolPath, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second}); err != nil {
			return RestoreResult{}, fmt.Errorf("opening %s: %w", poolPath, err)
		}
		defer live.Close()
	}
	db, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return RestoreResult{}, err
	}
	res := RestoreResult{Epoch: ulid.Make().String(), Reason: RestoreNoLivePool}
	err = db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(keyEpoch, []byte(res.Epoch)); err != nil {
			return err
		}
		backupHead := string(meta.Get(keyAuditHead))
		if live != nil {
			err := live.View(func(ltx *bolt.Tx) error {
				var err error
				res.Reason, res.Carried, err = carryAudit(ltx, tx)
				if err != nil {
					return err
				}
				res.Revoked, err = carryDevices(ltx, tx)
				return err
			})
			if err != nil {
				return fmt.Errorf("carrying the audit log of %s: %w", poolPath, err)
			}
		}
		return appendAuditAt(tx, time.Now(), AuditEntry{Action: ActionRestore, Device: serverDevice,
			Account: "syncserver restore", Backup: filepath.Base(backupPath), BackupHead: backupHead,
			Carried: res.Carried, Reason: res.Reason, Revoked: res.Revoked})
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return RestoreResult{}, fmt.Errorf("preparing the restored pool: %w", err)
	}
	return res, nil
}

// carryAudit appends to the audit log of the restored pool (tx) the
// entries of the live pool's log (live) that follow the last entry both
// logs share. When the live log extends the backup's, as it does for a
// backup this server wrote, the entries are copied as stored, so the
// chain and its head are the live ones. It returns RestoreCarried or
// RestoreDiverged and the number of entries carried.
func carryAudit(live, tx *bolt.Tx) (string, uint64, error) {
	from := live.Bucket(bucketAudit)
	if from == nil {
		return RestoreCarried, 0, nil
	}
	to, err := tx.CreateBucketIfNotExists(bucketAudit)
	if err != nil {
		return "", 0, err
	}
	lc, rc := from.Cursor(), to.Cursor()
	lk, lv := lc.First()
	rk, rv := rc.First()
	for lk != nil && rk != nil && bytes.Equal(lk, rk) && bytes.Equal(lv, rv) {
		lk, lv = lc.Next()
		rk, rv = rc.Next()
	}
	if rk == nil {
		// The live log extends the backup's: copy the rest as stored.
		var n uint64
		to.FillPercent = 1.0
		for ; lk != nil; lk, lv = lc.Next() {
			if err := to.Put(bytes.Clone(lk), bytes.Clone(lv)); err != nil {
				return "", 0, err
			}
			n++
		}
		if err := to.SetSequence(from.Sequence()); err != nil {
			return "", 0, err
		}
		head := live.Bucket(bucketMeta).Get(keyAuditHead)
		return RestoreCarried, n, tx.Bucket(bucketMeta).Put(keyAuditHead, bytes.Clone(head))
	}

	// The backup holds entries the live log lacks, so the live entries
	// after the last shared one follow the backup's with new sequence
	// numbers and hashes.
	var carried []AuditEntry
	for ; lk != nil; lk, lv = lc.Next() {
		var e AuditEntry
		if err := json.Unmarshal(lv, &e); err != nil {
			return "", 0, fmt.Errorf("reading audit entry %x: %w", lk, err)
		}
		carried = append(carried, e)
	}
	return RestoreDiverged, uint64(len(carried)), appendAuditAt(tx, time.Now(), carried...)
}

// carryDevices brings what the live pool (live) learnt about devices since
// the backup into the restored pool (tx). A device the live pool revoked
// is revoked, with the live revocation time; its id is returned. A device
// that re-enrolled with proof keeps its new key, its earlier keys and its
// new role, so it can still connect and sign. A device the backup does
// not list stays unknown: it cannot push, and enrolling it again takes a
// new one-time code.
func carryDevices(live, tx *bolt.Tx) ([]string, error) {
	from := live.Bucket(bucketDevices)
	to := tx.Bucket(bucketDevices)
	if from == nil || to == nil {
		return nil, nil
	}
	var revoked []string
	err := from.ForEach(func(id, raw []byte) error {
		liveDevice, err := decodeDevice(raw)
		if err != nil {
			return fmt.Errorf("reading device %s of the replaced pool: %w", id, err)
		}
		restored, err := getDevice(tx, string(id))
		if errors.Is(err, ErrUnknownDevice) {
			return nil
		}
		if err != nil {
			return err
		}
		changed := false
		if !liveDevice.PublicKey.Equal(restored.PublicKey) && len(liveDevice.PublicKey) == len(restored.PublicKey) {
			restored.PublicKey, restored.PreviousKeys, restored.Role = liveDevice.PublicKey, liveDevice.PreviousKeys, liveDevice.Role
			changed = true
		}
		if liveDevice.Revoked() && !restored.Revoked() {
			restored.RevokedAt = liveDevice.RevokedAt
			revoked = append(revoked, restored.ID)
			changed = true
		}
		if !changed {
			return nil
		}
		return putDevice(tx, restored)
	})
	return revoked, err
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(to)
		return fmt.Errorf("copying backup: %w", err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
