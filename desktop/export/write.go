package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/sheet"
)

// auditBatch is how many access events one store transaction writes, as
// the import saves persons in batches of 1000.
const auditBatch = 1000

// CheckRole rejects an unmasked export for a role that may not export
// personal fields in full (access.Role.MayExportUnmasked).
func CheckRole(role access.Role, view Masking) error {
	if view == Unmasked && !role.MayExportUnmasked() {
		return errors.New(i18n.T("export.unmasked_role", roleName(role)))
	}
	return nil
}

func roleName(r access.Role) string {
	if r == "" {
		return i18n.T("ui.role.unset")
	}
	return i18n.T("ui.role." + string(r))
}

// WritePeople writes the people table of persons to a new file at path
// and returns the number of rows written. An unmasked export first records
// an export access event per person, which syncs to the server's audit
// log, so the log shows who exported personal fields in full even when
// the file is copied on. The caller checks the role with CheckRole.
func WritePeople(st *store.Store, persons []record.Person, path string, view Masking) (int, error) {
	t := People(persons, view)
	// The audit must not record an export that the existing file stops.
	if _, err := os.Lstat(path); err == nil {
		return 0, &sheet.WriteError{Path: path, Err: sheet.ErrExists}
	}
	if view == Unmasked {
		if err := RecordUnmasked(st, persons); err != nil {
			return 0, err
		}
	}
	if err := sheet.Write(path, t); err != nil {
		return 0, err
	}
	return len(t.Rows), nil
}

// RecordUnmasked records an export access event naming PersonalFields for
// each person not erased, auditBatch events per transaction.
func RecordUnmasked(st *store.Store, persons []record.Person) error {
	fields := strings.Join(PersonalFields, ",")
	var ids []string
	var values []map[string]string
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		if _, err := st.SaveBatch(record.KindAccess, ids, values); err != nil {
			return fmt.Errorf("recording the unmasked export: %w", err)
		}
		ids, values = ids[:0], values[:0]
		return nil
	}
	for _, p := range persons {
		if p.Erased != "" {
			continue
		}
		ids = append(ids, "") // a new access record
		values = append(values, map[string]string{
			record.FieldPerson: p.ID,
			record.FieldFields: fields,
			record.FieldAction: record.AccessExport,
		})
		if len(ids) == auditBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// FileName returns the default file name of a list exported on day, such
// as 人才名单-20261205.xlsx for the list titled by the i18n key list.
func FileName(list string, day time.Time) string {
	return i18n.T(list) + "-" + day.Format("20060102") + ".xlsx"
}

// FreePath returns the path in dir for name that no file takes, adding
// -2, -3 and so on before the extension, so an export never replaces a
// file.
func FreePath(dir, name string) (string, error) {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	candidate := name
	for n := 2; ; n++ {
		path := filepath.Join(dir, candidate)
		_, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", &sheet.WriteError{Path: path, Err: err}
		}
		candidate = fmt.Sprintf("%s-%d%s", stem, n, ext)
	}
}
