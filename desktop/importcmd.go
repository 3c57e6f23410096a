package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"mobilefactory/desktop/importer"
	"mobilefactory/desktop/store"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/sheet"
)

// columnMapping collects the --map 列名=字段 flags in the order given. The
// field is a name of importer.MappableFields or its label, such as phone
// or 手机号, or empty to ignore the column.
type columnMapping struct {
	entries []mapEntry
	invalid []string // values without the 列名= part
}

// mapEntry is one --map flag: a header text and the field it maps to.
type mapEntry struct{ header, field string }

func (m *columnMapping) String() string { return "" }

// Set records one --map value. A value of the wrong form is kept and
// reported by check after parsing, because the flag package replaces the
// error of Set with its own generic message.
func (m *columnMapping) Set(v string) error {
	header, field, ok := strings.Cut(v, "=")
	header, field = strings.TrimSpace(header), strings.TrimSpace(field)
	if !ok || header == "" {
		m.invalid = append(m.invalid, v)
		return nil
	}
	for _, f := range importer.MappableFields() {
		if field == importer.FieldLabel(f) {
			field = f
		}
	}
	m.entries = append(m.entries, mapEntry{header: header, field: field})
	return nil
}

// check returns the usage error for a value without 列名=, for a column
// given twice, or for two columns mapped to the same field.
func (m *columnMapping) check() error {
	if len(m.invalid) > 0 {
		return cli.Usagef("import.cli.bad_map", m.invalid[0])
	}
	headers := map[string]bool{}
	fieldColumn := map[string]string{} // field → the first header mapped to it
	for _, e := range m.entries {
		if headers[e.header] {
			return cli.Usagef("desktop.import.map_column_twice", e.header)
		}
		headers[e.header] = true
		if e.field == "" {
			continue
		}
		if first, taken := fieldColumn[e.field]; taken {
			return cli.Usagef("desktop.import.map_same_field", first, e.header, fieldText(e.field))
		}
		fieldColumn[e.field] = e.header
	}
	return nil
}

// fields returns the mapping as importer.Options.Mapping takes it.
func (m *columnMapping) fields() map[string]string {
	out := make(map[string]string, len(m.entries))
	for _, e := range m.entries {
		out[e.header] = e.field
	}
	return out
}

// checkColumns returns an error naming the first --map column that the
// file of plan does not have, with the columns it does have.
func (m *columnMapping) checkColumns(plan *importer.Plan) error {
	for _, e := range m.entries {
		if !plan.HasColumn(e.header) {
			return errors.New(i18n.T("desktop.import.map_no_column", e.header, columnList(plan)))
		}
	}
	return nil
}

// fieldText returns a field as messages name it, such as name（姓名）.
func fieldText(field string) string {
	for _, f := range importer.MappableFields() {
		if f == field {
			return f + "（" + importer.FieldLabel(f) + "）"
		}
	}
	return field
}

// columnList returns the header texts of the file's columns for messages.
func columnList(plan *importer.Plan) string {
	headers := make([]string, len(plan.Columns))
	for i, c := range plan.Columns {
		headers[i] = c.Header
	}
	return strings.Join(headers, "、")
}

// importFlags are the flags desktop import and desktop import-results share.
type importFlags struct {
	dataDir, errorsPath, account string
	allOrNothing, dryRun         bool
}

// addImportFlags defines the shared flags on fs and adds the exit statuses
// to its help.
func addImportFlags(fs *flag.FlagSet) *importFlags {
	f := &importFlags{}
	fs.StringVar(&f.dataDir, "data", defaultDataDir(), "desktop.flag.data")
	fs.StringVar(&f.errorsPath, "errors", "", "desktop.flag.errors")
	fs.StringVar(&f.account, "account", "", "desktop.flag.account")
	fs.BoolVar(&f.allOrNothing, "all-or-nothing", false, "import.cli.flag.all_or_nothing")
	fs.BoolVar(&f.dryRun, "dry-run", false, "import.cli.flag.dry_run")
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprintln(fs.Output(), "\n"+i18n.T("desktop.import.exit_status"))
	}
	return f
}

// checkFiles checks, before the store is opened, that the input file can
// be read and that the --errors file can be created.
func (f *importFlags) checkFiles(file string) error {
	if err := checkInputFile(file); err != nil {
		return err
	}
	return checkErrorsPath(f.errorsPath)
}

func runImport(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "import", Summary: "desktop.import.summary", Usage: "desktop.import.usage"})
	flags := addImportFlags(fs)
	mapping := &columnMapping{}
	fs.Var(mapping, "map", "import.cli.flag.map")
	file, err := cli.ParseFile(fs, args, "desktop.import.no_file")
	if err != nil {
		return err
	}
	if err := mapping.check(); err != nil {
		return err
	}
	if err := flags.checkFiles(file); err != nil {
		return err
	}
	st, err := openEnrolled(flags.dataDir, flags.account)
	if err != nil {
		return err
	}
	defer st.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	plan, err := importer.Preview(ctx, st, file, importer.Options{Mapping: mapping.fields()})
	if plan != nil {
		if err := mapping.checkColumns(plan); err != nil {
			return err
		}
		printUnknownColumns(os.Stdout, plan)
	}
	if err != nil {
		if plan != nil && errors.Is(err, importer.ErrMissingColumns) {
			return missingColumnsError(plan, err)
		}
		return userError(err)
	}
	printPreview(os.Stdout, plan)
	return finishImport(ctx, os.Stdout, st, plan, flags, func(res importer.Result) string { return res.Summary() })
}

// finishImport saves the rejected rows when --errors is set, then applies
// the plan unless --dry-run. It returns an error, so exit status 1, when
// nothing can be written because rows were rejected.
func finishImport(ctx context.Context, w io.Writer, st *store.Store, plan *importer.Plan, flags *importFlags, summary func(importer.Result) string) error {
	if err := saveRejected(w, plan, flags.errorsPath); err != nil {
		return err
	}
	stopped := rejectedStop(plan, flags.allOrNothing, flags.dryRun)
	if flags.dryRun {
		fmt.Fprintln(w, i18n.T("import.cli.dry_run"))
		return stopped
	}
	if stopped != nil {
		return stopped
	}

	mode := importer.ModeValidRows
	if flags.allOrNothing {
		mode = importer.ModeAllOrNothing
	}
	res, err := plan.Apply(ctx, st, mode, nil)
	if err != nil {
		return userError(err)
	}
	fmt.Fprintln(w, summary(res))
	return nil
}

// rejectedStop returns the error for a plan of which nothing can be
// written because rows were rejected: every row is rejected, or a dry run
// with --all-or-nothing has a rejected row. A real run with
// --all-or-nothing gets its error from Apply.
func rejectedStop(plan *importer.Plan, allOrNothing, dryRun bool) error {
	switch {
	case plan.Reject > 0 && plan.Reject == len(plan.Rows):
		return errors.New(i18n.T("desktop.import.all_rejected", plan.Reject))
	case dryRun && allOrNothing && plan.Reject > 0:
		return errors.New(i18n.T("desktop.import.dry_run_rejected", plan.Reject))
	}
	return nil
}

// saveRejected writes the rejected rows of plan to path when path is set.
// When no row was rejected it prints that no file was created.
func saveRejected(w io.Writer, plan *importer.Plan, path string) error {
	if path == "" {
		return nil
	}
	if plan.Reject == 0 {
		fmt.Fprintln(w, i18n.T("desktop.import.no_rejected", path))
		return nil
	}
	if err := plan.WriteRejected(path); err != nil {
		return userError(err)
	}
	fmt.Fprintln(w, i18n.T("import.cli.rejected_saved", path))
	return nil
}

// checkInputFile returns an error naming path when it does not exist, is a
// folder or cannot be read. The importer's own message for these cases
// names no path.
func checkInputFile(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return inputFileError(path, err)
	}
	if info.IsDir() {
		return errors.New(i18n.T("desktop.import.file_is_folder", path))
	}
	f, err := os.Open(path)
	if err != nil {
		return inputFileError(path, err)
	}
	return f.Close()
}

// inputFileError returns the message for a failed stat or open of the
// input file at path.
func inputFileError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New(i18n.T("desktop.import.file_missing", path))
	case errors.Is(err, fs.ErrPermission):
		return errors.New(i18n.T("desktop.import.file_unreadable", path))
	}
	return errors.New(i18n.T("desktop.import.file_failed", path, err))
}

// checkErrorsPath checks an --errors path before the preview runs, so that
// a long preview does not end in a file that cannot be written: the name
// must end in .xlsx, no file may have it, and its folder must exist.
func checkErrorsPath(path string) error {
	if path == "" {
		return nil
	}
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return cli.Usagef("desktop.import.errors_not_xlsx", path)
	}
	if _, err := os.Lstat(path); err == nil {
		return &sheet.WriteError{Path: path, Err: sheet.ErrExists}
	}
	dir, err := os.Stat(filepath.Dir(path))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &sheet.WriteError{Path: path, Err: sheet.ErrFolderMissing}
	case err != nil:
		return &sheet.WriteError{Path: path, Err: err}
	case !dir.IsDir():
		return &sheet.WriteError{Path: path, Err: sheet.ErrNotFolder}
	}
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
