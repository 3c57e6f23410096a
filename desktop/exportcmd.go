package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"mobilefactory/desktop/export"
	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
)

// runExport runs desktop export people FILE.xlsx, which writes every
// person of the device's store, not erased, to a new xlsx file that the
// import reads back.
func runExport(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "export", Summary: "desktop.export.summary", Usage: "desktop.export.usage"})
	dataDir := fs.String("data", defaultDataDir(), "desktop.flag.data")
	account := fs.String("account", "", "desktop.flag.account")
	unmasked := fs.Bool("unmasked", false, "desktop.export.flag.unmasked")
	list, rest := splitPositional(fs, args)
	file, rest := splitPositional(fs, rest)
	if extra, _ := splitPositional(fs, rest); extra != "" {
		return cli.Usagef("cli.extra_args", extra)
	}
	if err := cli.Parse(fs, rest); err != nil {
		return err
	}
	switch {
	case list == "":
		return cli.Usagef("desktop.export.missing_list")
	case list != "people":
		return cli.Usagef("desktop.export.unknown_list", list)
	case file == "":
		return cli.Usagef("desktop.export.missing_file")
	case !strings.EqualFold(filepath.Ext(file), ".xlsx"):
		return cli.Usagef("desktop.export.not_xlsx", file)
	}

	st, err := openEnrolled(*dataDir, *account)
	if err != nil {
		return err
	}
	defer st.Close()
	view := export.Masked
	if *unmasked {
		view = export.Unmasked
	}
	return exportPeople(os.Stdout, st, file, view)
}

// exportPeople writes the people table of st to file and prints how many
// rows went where.
func exportPeople(w io.Writer, st *store.Store, file string, view export.Masking) error {
	ident, _ := st.Identity()
	if err := export.CheckRole(access.Role(ident.Role), view); err != nil {
		return err
	}
	n, err := export.WritePeople(st, st.Persons(), file, view)
	if err != nil {
		return err
	}
	if view == export.Unmasked {
		fmt.Fprintln(w, i18n.T("desktop.export.done_unmasked", n, file))
		return nil
	}
	fmt.Fprintln(w, i18n.T("desktop.export.done", n, file))
	return nil
}
