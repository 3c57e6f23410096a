package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/desktop/report"
	"mobilefactory/desktop/store"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
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
	listClasses := fs.Bool("list-classes", false, "desktop.report.flag.list_classes")
	target, rest := splitPositional(fs, args)
	if extra, _ := splitPositional(fs, rest); target != "" && extra != "" {
		return cli.Usagef("desktop.report.extra_target", target, extra)
	}
	if err := cli.Parse(fs, rest); err != nil {
		return err
	}
	*class = strings.TrimSpace(*class)
	if *listClasses {
		st, err := openEnrolled(*dataDir, *account)
		if err != nil {
			return err
		}
		defer st.Close()
		return listReportClasses(os.Stdout, st)
	}
	switch {
	case target == "" && *class == "":
		return cli.Usagef("desktop.report.missing_target")
	case target != "" && *class != "":
		return cli.Usagef("desktop.report.both_targets", target)
	case *out == "":
		return cli.Usagef("desktop.report.missing_out")
	case *out == "-":
		return cli.Usagef("desktop.report.out_stdout")
	}

	st, err := openEnrolled(*dataDir, *account)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := report.Options{Unmasked: *unmasked, Date: time.Now(), Locale: i18n.Locale()}
	if target != "" {
		return exportReport(os.Stdout, st, target, *out, opts)
	}
	return exportClassReports(os.Stdout, os.Stderr, st, *class, *out, opts)
}

// listReportClasses prints the title, programme and member count of each
// class on the device, for --class.
func listReportClasses(w io.Writer, st *store.Store) error {
	classes, err := st.Classes()
	if err != nil {
		return fmt.Errorf("reading the classes: %w", err)
	}
	if len(classes) == 0 {
		fmt.Fprintln(w, i18n.T("desktop.report.no_classes"))
		return nil
	}
	rows := [][]string{strings.Split(i18n.T("desktop.report.classes_header"), "\t")}
	for _, c := range classes {
		members, err := report.ClassPersons(st, c.ID)
		if err != nil {
			return err
		}
		rows = append(rows, []string{c.Title, programmeTitle(st, c.Programme), strconv.Itoa(len(members))})
	}
	printColumns(w, rows)
	return nil
}

// printColumns prints rows as columns two spaces apart, padded by display
// width: a Chinese character takes two columns of a terminal, which
// text/tabwriter counts as one.
func printColumns(w io.Writer, rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], i18n.DisplayWidth(cell))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			line.WriteString(cell)
			if i < len(row)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-i18n.DisplayWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, line.String())
	}
}

// programmeTitle returns the title of the programme with id, translated
// for the built-in basic programme, or id when the device lacks it.
func programmeTitle(st *store.Store, id string) string {
	p, err := st.Programme(id)
	if err != nil {
		return id
	}
	if id == record.BasicProgramme {
		return i18n.T(p.Title)
	}
	return p.Title
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

// exportReport writes the report of the person that target names, by
// record id or resident ID number, to the file out.
func exportReport(w io.Writer, st *store.Store, target, out string, opts report.Options) error {
	role, err := report.ExportRole(st, opts)
	if err != nil {
		return err
	}
	person, err := findPerson(st, target)
	if err != nil {
		return err
	}
	if err := report.WritePerson(st, person, role, out, opts); err != nil {
		return err
	}
	fmt.Fprintln(w, i18n.T("desktop.report.done", report.PersonLabel(person), out))
	return nil
}

// exportClassReports writes one report per member of the class that class
// names, by id or exact title, into the folder dir. A member whose report
// fails is reported on errOut and the others are still written.
func exportClassReports(w, errOut io.Writer, st *store.Store, class, dir string, opts report.Options) error {
	role, err := report.ExportRole(st, opts)
	if err != nil {
		return err
	}
	c, err := findClass(st, class)
	if err != nil {
		return err
	}
	members, err := report.ClassPersons(st, c.ID)
	if err != nil {
		return err
	}
	if len(members) == 0 {
		return errors.New(i18n.T("desktop.report.class_empty", c.Title))
	}
	if err := report.CheckFolder(dir); err != nil {
		return err
	}

	used := map[string]bool{}
	written, failed := 0, 0
	for _, p := range members {
		path := filepath.Join(dir, report.UniqueName(used, report.FileName(p)))
		if err := report.WritePerson(st, p, role, path, opts); err != nil {
			fmt.Fprintln(errOut, i18n.T("desktop.report.member_failed", report.PersonLabel(p), err))
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

// findPerson returns the person whose record id or resident ID number is
// target.
func findPerson(st *store.Store, target string) (record.Person, error) {
	if _, err := ulid.ParseStrict(target); err == nil {
		if p, err := st.Person(target); err == nil {
			return p, nil
		}
	}
	// validate.IDNumber turns full-width digits and Ｘ into ASCII. A
	// number it rejects is still looked up as typed, upper-cased.
	idNumber := strings.ToUpper(strings.TrimSpace(target))
	if normalised, err := validate.IDNumber(target); err == nil {
		idNumber = normalised
	}
	if p, ok := st.PersonByIDNumber(idNumber); ok {
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
