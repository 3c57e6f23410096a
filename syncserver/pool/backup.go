package pool

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"
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

// Restore replaces the pool file at poolPath with the backup at backupPath
// and gives it a new epoch, so that devices which synced with the lost
// history notice and push again what the restored pool lacks. The server
// must be stopped: Restore fails while another process holds the pool.
// It returns the new epoch.
func Restore(backupPath, poolPath string) (string, error) {
	// Check the backup before touching the live file.
	bdb, err := bolt.Open(backupPath, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrNotPool, backupPath, err)
	}
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
	bdb.Close()
	if err != nil {
		return "", fmt.Errorf("checking backup %s: %w", backupPath, err)
	}

	// Fail now, and leave the live file alone, if a server holds it.
	if live, err := bolt.Open(poolPath, 0o600, &bolt.Options{Timeout: time.Second}); err == nil {
		live.Close()
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("opening %s: %w (stop the server first)", poolPath, err)
	}

	tmp := poolPath + ".restore"
	if err := copyFile(backupPath, tmp); err != nil {
		return "", err
	}
	epoch := ulid.Make().String()
	db, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyEpoch, []byte(epoch))
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("setting the new epoch: %w", err)
	}
	if err := os.Rename(tmp, poolPath); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("replacing %s: %w", poolPath, err)
	}
	return epoch, nil
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
