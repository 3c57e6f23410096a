// Package importer reads a college's graduate list from an xlsx workbook or
// a CSV or TSV text file and saves its people into the desktop store.
//
// A row with a bad value is rejected with one RowError per problem, in the
// current locale, and every other row is kept. The package logs nothing,
// because the values it handles are personal data.
package importer

import (
	"context"
	"errors"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// MaxFileBytes is the largest file ImportFile reads. A list of 100,000
// graduates is about 15 MB as CSV and less as xlsx.
const MaxFileBytes = 200 << 20

// MaxRows is the most data rows one import reads, counted over every sheet
// read. A larger file is rejected as a whole before any row is checked,
// because the preview holds every row in memory.
const MaxRows = 200_000

// Errors returned by ImportFile and ReadCells, each wrapped in a *FileError
// that carries the message for the user.
var (
	// ErrNotSpreadsheet is returned for a file that is neither an xlsx
	// workbook nor CSV or TSV text: a picture, a PDF, a legacy .xls file, a
	// web page saved with an .xls name.
	ErrNotSpreadsheet = errors.New("not an xlsx workbook or CSV text")
	// ErrTooLarge is returned for a file larger than MaxFileBytes.
	ErrTooLarge = errors.New("file too large")
	// ErrTooManyRows is returned for a file of more than MaxRows data rows.
	ErrTooManyRows = errors.New("too many rows")
	// ErrEmpty is returned for a file or workbook without a non-empty cell.
	ErrEmpty = errors.New("file has no data")
	// ErrMissingColumns is returned when the header row lacks a required
	// column (姓名 or 身份证号). Nothing is imported then.
	ErrMissingColumns = errors.New("required column missing")
	// ErrFairDevice is returned when the device is enrolled for a job
	// fair, whose devices write no college's records.
	ErrFairDevice = errors.New("graduate list import on a fair device")
)

// FileError is a failure of the whole file. Err is one of the sentinel
// errors above; Key and Args make the message for the user.
type FileError struct {
	Err  error
	Key  string // translation key in assets/i18n/*/import.json
	Args []any  // column names and sizes, never cell values
}

func (e *FileError) Error() string { return e.Err.Error() }

func (e *FileError) Unwrap() error { return e.Err }

// Message returns the text for the user in the current locale.
func (e *FileError) Message() string { return i18n.T(e.Key, e.Args...) }

func fileError(err error, key string, args ...any) *FileError {
	return &FileError{Err: err, Key: key, Args: args}
}

// Options tune Preview and ImportFile. The zero value is ready to use.
type Options struct {
	Tables *codes.Tables    // code tables; codes.MustLoad() when nil
	Now    func() time.Time // clock for Result.Elapsed; time.Now when nil
	// Batch is ignored: Apply saves every row in one transaction.
	//
	// Deprecated: kept so that callers setting it still build.
	Batch int
	// Mapping maps header texts, as the file has them or as Column.Header
	// shows them, to fields of MappableFields, or to "" to ignore the
	// column. It overrides the built-in table and the remembered mapping.
	Mapping map[string]string
	// Progress reports the rows checked by Preview.
	Progress Progress
}

func (o Options) withDefaults() Options {
	if o.Tables == nil {
		o.Tables = codes.MustLoad()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// RowError is one problem of one row.
type RowError struct {
	Row     int    // row number as the spreadsheet shows it, the header row being 1
	Sheet   string // the row's sheet of a workbook, "" for a text file
	Column  string // header text of the column as the file has it
	Value   string // the cell as the file holds it, cut to MaxShownRunes
	Message string // in the current locale, naming row, column and value
	// Problem is Message without the sheet, row and column: what a
	// rejected-rows file puts beside the row, whose number has changed.
	Problem string
}

// Result sums up an import.
type Result struct {
	Rows      int // data rows read, not counting the header and blank rows
	Imported  int // new persons saved
	Updated   int // rows whose ID number was in the store already, with new values
	Unchanged int // rows whose ID number was in the store already, with nothing new
	Rejected  int // rows with at least one error, none of whose values were saved
	Errors    []RowError
	Encoding  string   // text encoding of a CSV file: UTF-8, UTF-16LE, UTF-16BE or GB18030
	Sheet     string   // sheet read from an xlsx workbook
	Ignored   []string // header texts of columns the import does not know
	Elapsed   time.Duration
}

// Summary returns one line for the user in the current locale.
func (r Result) Summary() string {
	return i18n.T("import.summary", r.Rows, r.Imported, r.Updated, r.Rejected, r.Unchanged)
}

// ImportFile reads the graduate list at path and saves its valid rows into
// st, which must be enrolled: Preview, then Apply in ModeValidRows. A row
// whose ID number is in the store already updates that person; its empty
// cells leave the stored values as they are.
//
// It returns an error only when the file cannot be read as a list (a
// *FileError wrapping one of the sentinel errors), when st is not enrolled,
// or when saving fails, which saves no row.
func ImportFile(st *store.Store, path string, opts Options) (Result, error) {
	plan, err := Preview(context.Background(), st, path, opts)
	if err != nil {
		return Result{}, err
	}
	return plan.Apply(context.Background(), st, ModeValidRows, nil)
}

// existingByIDNumber maps the ID numbers in the store to their persons.
func existingByIDNumber(st *store.Store) map[string]record.Person {
	persons := st.Persons()
	out := make(map[string]record.Person, len(persons))
	for _, p := range persons {
		if p.IDNumber != "" {
			out[p.IDNumber] = p
		}
	}
	return out
}
