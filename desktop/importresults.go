package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"mobilefactory/desktop/importer"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
)

// runImportResults imports a file of class results: the preview, then the
// write, with the flags of desktop import except --map.
func runImportResults(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "import-results", Summary: "desktop.import_results.summary", Usage: "desktop.import_results.usage"})
	dataDir := fs.String("data", defaultDataDir(), "desktop.flag.data")
	errorsPath := fs.String("errors", "", "desktop.flag.errors")
	account := fs.String("account", "", "desktop.flag.account")
	class := fs.String("class", "", "import.results.cli.flag.class")
	allOrNothing := fs.Bool("all-or-nothing", false, "import.cli.flag.all_or_nothing")
	dryRun := fs.Bool("dry-run", false, "import.cli.flag.dry_run")
	file, err := cli.ParseFile(fs, args, "desktop.import_results.no_file")
	if err != nil {
		return err
	}
	*class = strings.TrimSpace(*class)
	if *class == "" {
		return errors.New(i18n.T("import.results.cli.no_class"))
	}
	st, err := openSignedIn(*dataDir, *account)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, ok := st.Identity(); !ok {
		return errors.New(i18n.T("desktop.not_enrolled"))
	}
	c, err := findClass(st, *class)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	plan, err := importer.PreviewResults(ctx, st, file, c.ID, importer.Options{})
	if plan != nil {
		printUnknownResultColumns(plan)
	}
	if err != nil {
		return userError(err)
	}
	printPreview(os.Stdout, plan)
	if *errorsPath != "" && plan.Reject > 0 {
		if err := plan.WriteRejected(*errorsPath); err != nil {
			return userError(err)
		}
		fmt.Println(i18n.T("import.cli.rejected_saved", *errorsPath))
	}
	if *dryRun {
		fmt.Println(i18n.T("import.cli.dry_run"))
		return nil
	}

	mode := importer.ModeValidRows
	if *allOrNothing {
		mode = importer.ModeAllOrNothing
	}
	res, err := plan.Apply(ctx, st, mode, nil)
	if err != nil {
		return userError(err)
	}
	fmt.Println(i18n.T("import.results.cli.summary", res.Rows, res.Updated, res.Imported, res.Unchanged, res.Rejected))
	return nil
}

// printUnknownResultColumns prints the columns of a results file that map
// to no module or student field. A results import has no --map, so the
// columns are only listed.
func printUnknownResultColumns(plan *importer.Plan) {
	unknown := plan.Unknown()
	if len(unknown) == 0 {
		return
	}
	headers := make([]string, len(unknown))
	for i, c := range unknown {
		headers[i] = c.Header
	}
	fmt.Println(i18n.T("import.results.cli.unknown_columns", strings.Join(headers, "、")))
}
