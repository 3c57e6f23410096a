package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"mobilefactory/desktop/importer"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// maxPrintedErrors bounds the row errors printed; --errors saves them all.
const maxPrintedErrors = 50

// columnMapping collects the --map 列名=字段 flags. The field is a name of
// importer.MappableFields or its label, such as phone or 手机号, or empty
// to ignore the column.
type columnMapping map[string]string

func (m columnMapping) String() string { return "" }

func (m columnMapping) Set(v string) error {
	header, field, ok := strings.Cut(v, "=")
	header, field = strings.TrimSpace(header), strings.TrimSpace(field)
	if !ok || header == "" {
		return errors.New(i18n.T("import.cli.bad_map", v))
	}
	for _, f := range importer.MappableFields() {
		if field == importer.FieldLabel(f) {
			field = f
		}
	}
	m[header] = field
	return nil
}

func runImport(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "import", Summary: "desktop.import.summary", Usage: "desktop.import.usage"})
	dataDir := fs.String("data", defaultDataDir(), "desktop.flag.data")
	errorsPath := fs.String("errors", "", "desktop.flag.errors")
	account := fs.String("account", "", "desktop.flag.account")
	allOrNothing := fs.Bool("all-or-nothing", false, "import.cli.flag.all_or_nothing")
	dryRun := fs.Bool("dry-run", false, "import.cli.flag.dry_run")
	mapping := columnMapping{}
	fs.Var(mapping, "map", "import.cli.flag.map")
	file, err := cli.ParseFile(fs, args, "desktop.import.no_file")
	if err != nil {
		return err
	}
	st, err := openSignedIn(*dataDir, *account)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, ok := st.Identity(); !ok {
		return errors.New(i18n.T("desktop.not_enrolled"))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	plan, err := importer.Preview(ctx, st, file, importer.Options{Mapping: mapping})
	if plan != nil {
		printUnknownColumns(os.Stdout, plan)
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
	fmt.Println(res.Summary())
	return nil
}

// userError returns the message for the user of an import error.
func userError(err error) error {
	var fileErr *importer.FileError
	switch {
	case errors.As(err, &fileErr):
		return errors.New(fileErr.Message())
	case errors.Is(err, context.Canceled):
		return errors.New(i18n.T("import.cli.cancelled"))
	}
	return err
}

// printPreview prints the counts of a plan and the problems of its first
// maxPrintedErrors rejected rows.
func printPreview(w io.Writer, plan *importer.Plan) {
	fmt.Fprintln(w, i18n.T("import.cli.preview", plan.Add, plan.Update, plan.Skip, plan.Reject))
	printed, total := 0, 0
	for _, r := range plan.Rows {
		for _, e := range r.Errors {
			total++
			if printed < maxPrintedErrors {
				// The terminal is a screen: personal values are masked
				// there as in the window. The --errors file keeps them.
				fmt.Fprintln(w, display.MaskReason(e.Message, e.Value, plan.FieldOf(e.Column) == record.FieldAddress))
				printed++
			}
		}
	}
	if total > printed {
		fmt.Fprintln(w, i18n.T("desktop.import.more_errors", total-printed))
	}
}

// printUnknownColumns prints the columns no field takes, with the hint to
// map them by hand.
func printUnknownColumns(w io.Writer, plan *importer.Plan) {
	unknown := plan.Unknown()
	if len(unknown) == 0 {
		return
	}
	headers := make([]string, len(unknown))
	for i, c := range unknown {
		headers[i] = c.Header
	}
	fields := make([]string, 0, len(importer.MappableFields()))
	for _, f := range importer.MappableFields() {
		fields = append(fields, f+"（"+importer.FieldLabel(f)+"）")
	}
	fmt.Fprintln(w, i18n.T("import.cli.unknown_columns", strings.Join(headers, "、"), strings.Join(fields, "、")))
}
