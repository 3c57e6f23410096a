package report

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"mobilefactory/shared/i18n"
)

// pdfMagic begins every PDF file.
const pdfMagic = "%PDF-"

// CheckOutFile rejects a path that writing a report to would destroy data:
// the store file storeFile, a folder, or an existing file that does not
// begin with "%PDF-". An empty file passes. The window asks for a folder
// and picks a free file name instead of using Fyne's save dialog, which
// empties the chosen file before this check could run.
func CheckOutFile(path, storeFile string) error {
	if storeFile != "" && samePath(path, storeFile) {
		return errors.New(i18n.T("desktop.report.out_is_store", path))
	}

	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // the write reports a missing folder
	}
	if err != nil {
		return writeError(filepath.Dir(path), path, err)
	}
	if info.IsDir() {
		return errors.New(i18n.T("desktop.report.out_is_folder", path))
	}

	// os.SameFile also catches a link to the store or another spelling
	// of its path.
	if storeInfo, err := os.Stat(storeFile); storeFile != "" && err == nil && os.SameFile(info, storeInfo) {
		return errors.New(i18n.T("desktop.report.out_is_store", path))
	}
	if !info.Mode().IsRegular() {
		return errors.New(i18n.T("desktop.report.out_not_pdf", path))
	}

	if info.Size() == 0 {
		return nil
	}
	isPDF, err := startsWithPDF(path)
	if err != nil {
		return writeError(filepath.Dir(path), path, err)
	}
	if !isPDF {
		return errors.New(i18n.T("desktop.report.out_not_pdf", path))
	}
	return nil
}

func startsWithPDF(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, len(pdfMagic))
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return false, err
	}
	return bytes.Equal(head[:n], []byte(pdfMagic)), nil
}

// samePath reports whether a and b name one file once made absolute and
// cleaned. Windows file names ignore case, so there the comparison does too.
func samePath(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA != nil || errB != nil {
		return false
	}
	if runtime.GOOS == "windows" {
		return strings.EqualFold(absA, absB)
	}
	return absA == absB
}

// CheckFolder makes the folder dir if needed and checks that a file can
// be written in it, by creating and removing a temporary file, so a batch
// export stops with one message instead of one per report.
func CheckFolder(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return writeError(dir, dir, err)
	}
	probe, err := os.CreateTemp(dir, ".report-check-*.tmp")
	if err != nil {
		return writeError(dir, dir, err)
	}
	name := probe.Name()
	probe.Close()
	if err := os.Remove(name); err != nil {
		return writeError(dir, dir, err)
	}
	return nil
}

// writeError turns an error of writing path, in the folder dir, into a
// message that names the path or folder and what to do. It never shows
// the temporary file the write went through.
func writeError(dir, path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New(i18n.T("desktop.report.folder_missing", dir))
	case errors.Is(err, fs.ErrPermission):
		return errors.New(i18n.T("desktop.report.no_permission", dir))
	case errors.Is(err, syscall.ENOTDIR):
		return errors.New(i18n.T("desktop.report.not_folder", dir))
	case errors.Is(err, syscall.ENOSPC):
		return errors.New(i18n.T("desktop.report.disk_full", dir))
	}
	return errors.New(i18n.T("desktop.report.write_failed", path, innermost(err)))
}

// innermost returns the error at the end of err's chain: for an
// *fs.PathError, the system's error without the path.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}
