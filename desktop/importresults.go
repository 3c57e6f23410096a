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
	flags := addImportFlags(fs)
	class := fs.String("class", "", "import.results.cli.flag.class")
	file, err := cli.ParseFile(fs, args, "desktop.import_results.no_file")
	if err != nil {
		return err
	}
	*class = strings.TrimSpace(*class)
	if *class == "" {
		return errors.New(i18n.T("import.results.cli.no_class"))
	}
	if err := flags.checkFiles(file); err != nil {
		return err
	}
	st, err := openEnrolled(flags.dataDir, flags.account)
	if err != nil {
		return err
	}
	defer st.Close()
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
	return finishImport(ctx, os.Stdout, st, plan, flags, func(res importer.Result) string {
		summary := i18n.T("import.results.cli.summary", res.Rows, res.Updated, res.Imported, res.Unchanged, res.Rejected)
		if res.Updated+res.Imported > 0 {
			summary += i18n.T("import.results.cli.saved")
		}
		return summary
	})
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
