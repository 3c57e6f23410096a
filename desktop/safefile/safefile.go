// Package safefile writes files so that a crash or a pulled USB stick
// leaves the old file or none, never half of the new one.
package safefile

import (
	"os"
	"path/filepath"
)

// Write writes data to a temporary file beside path, flushes it
// to the disk and renames it to path, so a USB stick pulled out mid-write
// leaves the old file or none under path.
// NOTE: FAT32 sticks do not promise an atomic rename. A file cut short
// there is still caught on import as truncated or by its signature.
func Write(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
