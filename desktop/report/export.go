package report

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"mobilefactory/desktop/safefile"
	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// Options are the settings every report of one export shares.
type Options struct {
	Unmasked bool
	Date     time.Time
	Locale   string
}

// ExportRole returns this device's role. It rejects a fair device, which
// keeps no college records to report on, and --unmasked for a role that
// may not export personal fields in full.
func ExportRole(st *store.Store, opts Options) (access.Role, error) {
	ident, _ := st.Identity()
	role := access.Role(ident.Role)
	if role == access.Fair {
		return role, errors.New(i18n.T("desktop.report.fair_device"))
	}
	if opts.Unmasked && !role.MayExportUnmasked() {
		return role, errors.New(i18n.T("desktop.report.unmasked_role", roleName(role)))
	}
	return role, nil
}

func roleName(r access.Role) string {
	if r == "" {
		return i18n.T("ui.role.unset")
	}
	return i18n.T("ui.role." + string(r))
}

// WritePerson builds the report of p and writes it to path once
// CheckOutFile has passed path. An unmasked report is recorded as an export
// access event before the file is written, so the server's audit log
// shows who exported the personal fields in full.
func WritePerson(st *store.Store, p record.Person, role access.Role, path string, opts Options) error {
	if !p.Consented() {
		return errors.New(i18n.T("desktop.report.no_consent", PersonLabel(p)))
	}
	if err := CheckOutFile(path, st.Path()); err != nil {
		return err
	}

	h, err := st.HistoryOf(p.ID)
	if err != nil {
		return fmt.Errorf("reading the record of person %s: %w", p.ID, err)
	}
	programmes, err := st.Programmes()
	if err != nil {
		return fmt.Errorf("reading the programmes: %w", err)
	}
	in := Input{Person: p, History: h, Programmes: programmes, Role: role, Account: st.Account(),
		Unmasked: opts.Unmasked, College: CollegeName(p.College), Locale: opts.Locale, Date: opts.Date}
	var buf bytes.Buffer
	if err := Build(&buf, in); err != nil {
		return err
	}

	if opts.Unmasked {
		fields := []string{record.FieldIDNumber, record.FieldPhone, record.FieldAddress}
		if err := st.RecordExport(p.ID, fields); err != nil {
			return fmt.Errorf("recording the unmasked export of person %s: %w", p.ID, err)
		}
	}
	if err := safefile.Write(path, buf.Bytes()); err != nil {
		return writeError(filepath.Dir(path), path, err)
	}
	return nil
}

// PersonLabel names p in messages: the name, or the record id for a
// person whose name was erased.
func PersonLabel(p record.Person) string {
	if p.Name == "" {
		return i18n.T("desktop.report.unnamed", p.ID)
	}
	return p.Name
}

// CollegeName returns the name of the college with code, or the code when
// the table lacks it.
func CollegeName(code string) string {
	if fair, ok := access.FairCode(code); ok {
		return i18n.T("scope.fair", fair)
	}
	if c, ok := codes.MustLoad().College(code); ok {
		return c.Name
	}
	return code
}

// ClassPersons returns the persons a class's training records name, each
// once, by student number and then name.
func ClassPersons(st *store.Store, classID string) ([]record.Person, error) {
	members, err := st.ClassMembers(classID)
	if err != nil {
		return nil, fmt.Errorf("reading the members of class %s: %w", classID, err)
	}
	seen := map[string]bool{}
	var out []record.Person
	for _, m := range members {
		if seen[m.Person] {
			continue
		}
		seen[m.Person] = true
		p, err := st.Person(m.Person)
		if err != nil {
			return nil, fmt.Errorf("reading person %s of class %s: %w", m.Person, classID, err)
		}
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].StudentNo != out[j].StudentNo {
			return out[i].StudentNo < out[j].StudentNo
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// MaxFileNameBytes bounds a report's file name before ".pdf" and any "-2"
// suffix. ext4 allows 255 bytes per name and NTFS 255 UTF-16 units, and a
// Chinese character takes 3 bytes in UTF-8.
const MaxFileNameBytes = 200

// FileName returns "<student number>-<name>.pdf", with the person's
// record id when there is no student number, made safe for Windows.
func FileName(p record.Person) string {
	key := p.StudentNo
	if key == "" {
		key = p.ID
	}
	base := SanitizeFileName(key + "-" + p.Name)
	for len(base) > MaxFileNameBytes {
		_, size := utf8.DecodeLastRuneInString(base)
		base = base[:len(base)-size]
	}
	return base + ".pdf"
}

// windowsReserved are the device names Windows does not allow as a file
// name, with or without an extension.
var windowsReserved = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true}

// SanitizeFileName replaces the characters Windows forbids in file names
// (<>:"/\|?* and control characters) with "_", drops trailing dots and
// spaces, and prefixes a reserved device name with "_".
func SanitizeFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>:"/\|?*`, r) || unicode.IsControl(r) {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimRight(name, ". ")
	if name == "" {
		return "_"
	}
	stem, _, _ := strings.Cut(name, ".")
	if windowsReserved[strings.ToUpper(stem)] {
		name = "_" + name
	}
	return name
}

// UniqueName returns name, or name with -2, -3 and so on before its
// extension when an earlier report of the batch took it. Windows file
// names ignore case, so the check does too.
func UniqueName(used map[string]bool, name string) string {
	candidate := name
	for n := 2; used[strings.ToLower(candidate)]; n++ {
		ext := filepath.Ext(name)
		candidate = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(name, ext), n, ext)
	}
	used[strings.ToLower(candidate)] = true
	return candidate
}
