package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"mobilefactory/desktop/report"
	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// runReport runs desktop report, which writes the employment
// recommendation report of one person to a PDF file, or of every member
// of a class to a folder.
func runReport(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "report", Summary: "desktop.report.summary", Usage: "desktop.report.usage"})
	dataDir := fs.String("data", defaultDataDir(), "desktop.flag.data")
	account := fs.String("account", "", "desktop.flag.account")
	out := fs.String("out", "", "desktop.report.flag.out")
	class := fs.String("class", "", "desktop.report.flag.class")
	unmasked := fs.Bool("unmasked", false, "desktop.report.flag.unmasked")
	target, rest := splitPositional(fs, args)
	if err := cli.Parse(fs, rest); err != nil {
		return err
	}
	switch {
	case target == "" && *class == "":
		return cli.Usagef("desktop.report.missing_target")
	case target != "" && *class != "":
		return cli.Usagef("desktop.report.both_targets", target)
	case *out == "":
		return cli.Usagef("desktop.report.missing_out")
	}

	st, err := openSignedIn(*dataDir, *account)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := reportOptions{Unmasked: *unmasked, Date: time.Now(), Locale: i18n.Locale()}
	if target != "" {
		return exportReport(os.Stdout, st, target, *out, opts)
	}
	return exportClassReports(os.Stdout, os.Stderr, st, *class, *out, opts)
}

// splitPositional removes from args the first argument that is neither a
// flag of fs nor a flag's value, so the person may come before or after
// the flags.
func splitPositional(fs *flag.FlagSet, args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return a, append(args[:i:i], args[i+1:]...)
		}
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		i++ // the flag's value
	}
	return "", args
}

// reportOptions are the settings every report of one command shares.
type reportOptions struct {
	Unmasked bool
	Date     time.Time
	Locale   string
}

// exportReport writes the report of the person that target names, by
// record id or resident ID number, to the file out.
func exportReport(w io.Writer, st *store.Store, target, out string, opts reportOptions) error {
	role, err := exportRole(st, opts)
	if err != nil {
		return err
	}
	person, err := findPerson(st, target)
	if err != nil {
		return err
	}
	if err := writeReport(st, person, role, out, opts); err != nil {
		return err
	}
	fmt.Fprintln(w, i18n.T("desktop.report.done", personLabel(person), out))
	return nil
}

// exportClassReports writes one report per member of the class that class
// names, by id or exact title, into the folder dir. A member whose report
// fails is reported on errOut and the others are still written.
func exportClassReports(w, errOut io.Writer, st *store.Store, class, dir string, opts reportOptions) error {
	role, err := exportRole(st, opts)
	if err != nil {
		return err
	}
	c, err := findClass(st, class)
	if err != nil {
		return err
	}
	members, err := classPersons(st, c.ID)
	if err != nil {
		return err
	}
	if len(members) == 0 {
		return errors.New(i18n.T("desktop.report.class_empty", c.Title))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return errors.New(i18n.T("desktop.report.write_failed", dir, err))
	}

	used := map[string]bool{}
	written, failed := 0, 0
	for _, p := range members {
		path := filepath.Join(dir, uniqueName(used, reportFileName(p)))
		if err := writeReport(st, p, role, path, opts); err != nil {
			fmt.Fprintln(errOut, i18n.T("desktop.report.member_failed", personLabel(p), err))
			failed++
			continue
		}
		fmt.Fprintln(w, i18n.T("desktop.report.written", path))
		written++
	}
	if failed > 0 {
		return errors.New(i18n.T("desktop.report.class_partial", c.Title, written, dir, failed))
	}
	fmt.Fprintln(w, i18n.T("desktop.report.class_done", c.Title, written, dir))
	return nil
}

// exportRole returns this device's role, and rejects --unmasked for a role
// that may not export personal fields in full.
func exportRole(st *store.Store, opts reportOptions) (access.Role, error) {
	ident, _ := st.Identity()
	role := access.Role(ident.Role)
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

// writeReport builds the report of p and writes it to path. An unmasked
// report is recorded as an access event first, so the server's audit log
// shows who exported the personal fields in full.
func writeReport(st *store.Store, p record.Person, role access.Role, path string, opts reportOptions) error {
	if !p.Consented() {
		return errors.New(i18n.T("desktop.report.no_consent", personLabel(p)))
	}
	h, err := st.HistoryOf(p.ID)
	if err != nil {
		return fmt.Errorf("reading the record of person %s: %w", p.ID, err)
	}
	programmes, err := st.Programmes()
	if err != nil {
		return fmt.Errorf("reading the programmes: %w", err)
	}
	if opts.Unmasked {
		fields := []string{record.FieldIDNumber, record.FieldPhone, record.FieldAddress}
		if err := st.RecordReveal(p.ID, fields); err != nil {
			return fmt.Errorf("recording the unmasked export of person %s: %w", p.ID, err)
		}
	}
	in := report.Input{Person: p, History: h, Programmes: programmes, Role: role, Account: st.Account(),
		Unmasked: opts.Unmasked, College: collegeName(p.College), Locale: opts.Locale, Date: opts.Date}
	var buf bytes.Buffer
	if err := report.Build(&buf, in); err != nil {
		return err
	}
	if err := writeFileSynced(path, buf.Bytes()); err != nil {
		return errors.New(i18n.T("desktop.report.write_failed", path, err))
	}
	return nil
}

// personLabel names p in messages: the name, or the record id for a
// person whose name was erased.
func personLabel(p record.Person) string {
	if p.Name == "" {
		return i18n.T("desktop.report.unnamed", p.ID)
	}
	return p.Name
}

// collegeName returns the name of the college with code, or the code when
// the table lacks it.
func collegeName(code string) string {
	if fair, ok := access.FairCode(code); ok {
		return i18n.T("scope.fair", fair)
	}
	if c, ok := codes.MustLoad().College(code); ok {
		return c.Name
	}
	return code
}

// findPerson returns the person whose record id or resident ID number is
// target.
func findPerson(st *store.Store, target string) (record.Person, error) {
	if _, err := ulid.ParseStrict(target); err == nil {
		if p, err := st.Person(target); err == nil {
			return p, nil
		}
	}
	if p, ok := st.PersonByIDNumber(strings.ToUpper(strings.TrimSpace(target))); ok {
		return p, nil
	}
	return record.Person{}, errors.New(i18n.T("desktop.report.person_not_found", target))
}

// findClass returns the class whose id or exact title is name. A title
// that several classes share is rejected, listing their ids.
func findClass(st *store.Store, name string) (record.Class, error) {
	if _, err := ulid.ParseStrict(name); err == nil {
		if c, err := st.Class(name); err == nil {
			return c, nil
		}
	}
	classes, err := st.Classes()
	if err != nil {
		return record.Class{}, fmt.Errorf("reading the classes: %w", err)
	}
	var found []record.Class
	for _, c := range classes {
		if c.Title == name {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return record.Class{}, errors.New(i18n.T("desktop.report.class_not_found", name))
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, c := range found {
		ids[i] = c.ID
	}
	return record.Class{}, errors.New(i18n.T("desktop.report.class_ambiguous", len(found), name, strings.Join(ids, "、")))
}

// classPersons returns the persons a class's training records name, each
// once, by student number and then name.
func classPersons(st *store.Store, classID string) ([]record.Person, error) {
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

// maxFileNameBytes bounds a report's file name before ".pdf" and any "-2"
// suffix. ext4 allows 255 bytes per name and NTFS 255 UTF-16 units, and a
// Chinese character takes 3 bytes in UTF-8.
const maxFileNameBytes = 200

// reportFileName returns "<student number>-<name>.pdf", with the person's
// record id when there is no student number, made safe for Windows.
func reportFileName(p record.Person) string {
	key := p.StudentNo
	if key == "" {
		key = p.ID
	}
	base := sanitizeFileName(key + "-" + p.Name)
	for len(base) > maxFileNameBytes {
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

// sanitizeFileName replaces the characters Windows forbids in file names
// (<>:"/\|?* and control characters) with "_", drops trailing dots and
// spaces, and prefixes a reserved device name with "_".
func sanitizeFileName(name string) string {
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

// uniqueName returns name, or name with -2, -3 and so on before its
// extension when an earlier report of the batch took it. Windows file
// names ignore case, so the check does too.
func uniqueName(used map[string]bool, name string) string {
	candidate := name
	for n := 2; used[strings.ToLower(candidate)]; n++ {
		ext := filepath.Ext(name)
		candidate = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(name, ext), n, ext)
	}
	used[strings.ToLower(candidate)] = true
	return candidate
}
