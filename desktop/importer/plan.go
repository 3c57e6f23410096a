package importer

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// KindPersons is the Plan.Kind of a graduate list.
const KindPersons = "persons"

// Outcome is the effect of one data row.
type Outcome int

const (
	OutcomeAdd    Outcome = iota // new person
	OutcomeUpdate                // stored person (same ID number) with changed fields
	OutcomeSkip                  // nothing to write: same as stored, or an exact repeat of an earlier row in the file
	OutcomeReject                // at least one error; nothing of the row is written
)

// FieldChange is one field an update changes. Old and New are the values
// as stored, unmasked: the screen masks them per role.
type FieldChange struct{ Field, Old, New string }

// RowPlan is the planned outcome of one data row.
type RowPlan struct {
	Row      int    // spreadsheet row number, as Excel shows it
	Sheet    string // the row's sheet of a workbook, "" for a text file
	Outcome  Outcome
	Person   record.Person // the person to save (Add and Update), or the one stored (Skip)
	Changes  []FieldChange // Update only, in column order
	Errors   []RowError    // Reject only
	SkipNote string        // Skip only: the reason in the current locale
	Note     string        // Add and Update, in the current locale: what the write also does (results), or a value left out (persons)
	Cells    []string      // Reject only: the row's cells as text, in file column order
}

// Column is one column of the file and the field it maps to.
type Column struct {
	Index  int    // 0-based column in the file
	Header string // header text as the file has it; "upper/lower" for a two-row header whose lower text alone is unknown
	Upper  string // upper text of a two-row header, "" for a one-row header
	Lower  string // lower text of a two-row header, or the text of a one-row header
	Field  string // record field or importer pseudo-field it maps to; "" = ignored
	Auto   bool   // mapped by the built-in header table (false = by hand or remembered)
	Silent bool   // a column ignored without being listed as unknown: 问题, 工作表 or 序号
}

// Plan is the checked content of a file, ready to be applied.
type Plan struct {
	Kind                      string // KindPersons or KindResults
	Columns                   []Column
	Rows                      []RowPlan
	Add, Update, Skip, Reject int
	Encoding, Sheet           string // Sheet is the first sheet read from a workbook
	Source                    string // the key the hand mapping is remembered under
	// Sheets are the sheets read from a workbook, in workbook order. A
	// sheet whose header lacks 姓名 or an ID number column is not read.
	Sheets []string
	// Warnings are notices about the whole file or device, in the current
	// locale and without personal values, for the screen to show above the
	// counts: ignored sheets, a file of masked ID numbers, a device that
	// has never synced.
	Warnings []string

	sheetColumns map[string][]Column // columns of each sheet, when several are read
	hand         map[string]string   // normalised header → field chosen by hand or remembered
	now          func() time.Time
	started      time.Time
	applied      bool
	// apply, when set, replaces Apply's saving of persons: a results
	// plan writes training records.
	apply func(ctx context.Context, st *store.Store, mode Mode, progress Progress) (Result, error)
}

// Unknown returns the columns that map to no field and are not silent.
func (p *Plan) Unknown() []Column {
	var out []Column
	for _, c := range p.Columns {
		if c.Field == "" && !c.Silent {
			out = append(out, c)
		}
	}
	return out
}

// ColumnsOf returns the columns of a sheet the plan read, by which the
// Cells of its rejected rows are laid out. It returns Columns for a plan
// of one sheet or of a text file.
func (p *Plan) ColumnsOf(sheet string) []Column {
	if cols, ok := p.sheetColumns[sheet]; ok {
		return cols
	}
	return p.Columns
}

// Mode chooses what Apply does with a plan that has rejected rows.
type Mode int

const (
	ModeValidRows    Mode = iota // write the valid rows, leave the rejected ones
	ModeAllOrNothing             // write nothing when any row is rejected
)

// Progress reports done of total rows. It is called from the working
// goroutine, at most about 20 times a second, and always for the last row.
type Progress func(done, total int)

// defaultProgressInterval is the least time between two Progress calls,
// except for the call for the last row: 20 calls a second.
const defaultProgressInterval = 50 * time.Millisecond

// progressInterval is defaultProgressInterval, which tests set to 0.
var progressInterval = defaultProgressInterval

// throttle returns a Progress that calls p at most once per
// progressInterval, and always for the last row. A nil p gives a no-op.
func throttle(p Progress) Progress {
	if p == nil {
		return func(int, int) {}
	}
	var last time.Time
	return func(done, total int) {
		if done != total && time.Since(last) < progressInterval {
			return
		}
		last = time.Now()
		p(done, total)
	}
}

// Errors returned by Preview and Apply, wrapped in a *FileError.
var (
	// ErrRejectedRows is returned by Apply in ModeAllOrNothing when the
	// plan has a rejected row. Nothing is written then.
	ErrRejectedRows = errors.New("rows rejected: nothing written")
	// ErrStalePlan is returned when the store changed since Preview so
	// that the plan no longer fits, or the plan was applied already.
	ErrStalePlan = errors.New("plan no longer matches the store")
	// ErrUnknownField is returned by Preview for a hand mapping to a field
	// MappableFields does not list.
	ErrUnknownField = errors.New("unknown field in column mapping")
)

// MappableFields lists the fields a column may be mapped to by hand. Their
// labels for the screen are FieldLabel(field).
func MappableFields() []string {
	return append(personFields[:len(personFields):len(personFields)], fieldCollege, fieldConsent)
}

// FieldLabel returns the name of a mappable field in the current locale.
func FieldLabel(field string) string {
	return i18n.T("import.field." + field)
}

// Preview reads and checks the whole file at path without writing. A
// mapping in opts.Mapping (header text → field, "" to ignore the column)
// overrides the built-in header table and the mapping remembered for the
// file's source. ctx cancels: Preview then returns ctx.Err().
// opts.Progress reports the rows checked.
//
// When the file lacks a required column, Preview returns a *FileError
// wrapping ErrMissingColumns together with a Plan holding only Columns, so
// that the user can map a column by hand and preview again.
func Preview(ctx context.Context, st *store.Store, path string, opts Options) (*Plan, error) {
	opts = opts.withDefaults()
	start := opts.Now()
	device, err := deviceCollege(st, opts.Tables)
	if err != nil {
		return nil, err
	}
	if err := checkMapping(opts.Mapping); err != nil {
		return nil, err
	}

	tables, ignored, err := readTables(ctx, path, newHeaderMatcher(opts.Mapping))
	if err != nil {
		return nil, err
	}
	sheetCols := make([]*columns, len(tables))
	var mapErr error
	for i, tbl := range tables {
		sheetCols[i], err = mapHeader(tbl, opts.Mapping, st.ImportMapping)
		if err != nil && mapErr == nil {
			mapErr = err
		}
	}
	cols := sheetCols[0]
	plan := &Plan{
		Kind:     KindPersons,
		Columns:  cols.list,
		Encoding: tables[0].encoding,
		Sheet:    tables[0].sheet,
		Source:   cols.source,
		hand:     cols.hand,
		now:      opts.Now,
		started:  start,
	}
	for _, name := range ignored {
		plan.Warnings = append(plan.Warnings, i18n.T("import.warning.sheet_ignored", name))
	}
	if mapErr != nil {
		return plan, mapErr
	}
	if n := dataRows(tables, sheetCols); n > MaxRows {
		return nil, fileError(ErrTooManyRows, "import.file.too_many_rows", n, MaxRows)
	}
	if len(tables) > 1 {
		plan.sheetColumns = map[string][]Column{}
		for i, tbl := range tables {
			plan.Sheets = append(plan.Sheets, tbl.sheet)
			plan.sheetColumns[tbl.sheet] = sheetCols[i].list
		}
	} else if tables[0].sheet != "" {
		plan.Sheets = []string{tables[0].sheet}
	}
	if neverSynced(st) {
		plan.Warnings = append(plan.Warnings, i18n.T("import.warning.never_synced"))
	}

	im := &importer{
		tables:      opts.Tables,
		device:      device,
		existing:    existingByIDNumber(st),
		seen:        map[string]firstRow{},
		today:       time.Now().Format(time.DateOnly),
		account:     st.Account(),
		multiSheets: len(tables) > 1,
	}
	total := dataRows(tables, sheetCols)
	plan.Rows = make([]RowPlan, 0, total)
	report := throttle(opts.Progress)
	masked := 0
	for t, tbl := range tables {
		im.cols, im.sheet = sheetCols[t], tbl.sheet
		hidden := 0
		for _, row := range tbl.rows[im.cols.dataStart:] {
			if len(plan.Rows)%256 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			if onlySilent(row, im.cols.list) || im.totalsRow(row) {
				// A numbered row of an empty template, or the totals row
				// below a list: nothing to import, and no person to count.
				continue
			}
			if row.hidden {
				hidden++
			}
			rp := im.planRow(row)
			switch rp.Outcome {
			case OutcomeAdd:
				plan.Add++
			case OutcomeUpdate:
				plan.Update++
			case OutcomeSkip:
				plan.Skip++
			case OutcomeReject:
				plan.Reject++
			}
			if im.maskedID(row) {
				masked++
			}
			plan.Rows = append(plan.Rows, rp)
			report(len(plan.Rows), total)
		}
		if hidden > 0 {
			// People hide rows in Excel to leave them out, but the
			// file still contains them, so the warning names them.
			plan.Warnings = append(plan.Warnings, i18n.T("import.warning.hidden_rows", tbl.sheet, hidden))
		}
	}
	if masked > 0 && masked == len(plan.Rows) {
		plan.Warnings = append(plan.Warnings, i18n.T("import.warning.masked"))
	}
	return plan, nil
}

// dataRows returns the data rows of the tables: their non-blank rows
// below the header.
func dataRows(tables []*table, cols []*columns) int {
	n := 0
	for i, tbl := range tables {
		n += tbl.total - cols[i].dataStart
	}
	return n
}

// neverSynced reports whether st is enrolled with a server but has never
// completed a sync. An import there adds again the persons the server
// already has, which the device has not pulled yet.
// NOTE: a device that only exports change files never completes a sync,
// so it gets the warning on every import.
func neverSynced(st *store.Store) bool {
	ident, ok := st.Identity()
	return ok && ident.Server != "" && st.LastSync().IsZero()
}

// Apply writes the Add and Update rows of the plan in one store
// transaction: a cancelled ctx or a failed save writes nothing. In
// ModeAllOrNothing a plan with a rejected row returns ErrRejectedRows and
// writes nothing. After a write it remembers the plan's hand mapping for
// its Source. progress reports the persons saved.
func (p *Plan) Apply(ctx context.Context, st *store.Store, mode Mode, progress Progress) (Result, error) {
	if p.apply != nil {
		return p.apply(ctx, st, mode, progress)
	}
	res, err := p.mayApply(ctx, mode)
	if err != nil {
		return res, err
	}

	// Pointers into p.Rows, not copies: a copy of 100,000 persons is about
	// 30 MB more to hold during the transaction.
	var persons []*record.Person
	for i := range p.Rows {
		r := &p.Rows[i]
		if r.Outcome != OutcomeAdd && r.Outcome != OutcomeUpdate {
			continue
		}
		// NOTE: a person saved by another window or a sync between this
		// check and the transaction below is not caught.
		if r.Outcome == OutcomeAdd {
			if _, ok := st.PersonByIDNumber(r.Person.IDNumber); ok {
				return res, fileError(ErrStalePlan, "import.apply.stale", r.Row)
			}
		}
		persons = append(persons, &r.Person)
	}
	if len(persons) > 0 {
		err = st.SavePersonsContext(ctx, persons, throttle(progress))
	}
	if res, err = p.saved(ctx, res, err, "persons"); err != nil {
		return res, err
	}

	if len(p.hand) > 0 && p.Source != "" {
		if err := st.SaveImportMapping(p.Source, p.hand); err != nil {
			return res, err
		}
	}
	return res, nil
}

// saved finishes Apply after the store's write, whose error is err: a
// write stopped by ctx returns ctx.Err(), another failure is wrapped as
// saving what, and a success marks the plan applied and fills in res.
func (p *Plan) saved(ctx context.Context, res Result, err error, what string) (Result, error) {
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return res, ctxErr
		}
		return res, fmt.Errorf("saving imported %s: %w", what, err)
	}
	p.applied = true
	res.Imported, res.Updated = p.Add, p.Update
	res.Elapsed = p.now().Sub(p.started)
	return res, nil
}

// mayApply returns the Result of the plan before anything is written,
// and the error that stops Apply: the plan was applied already, a row is
// rejected in ModeAllOrNothing, or ctx has ended.
func (p *Plan) mayApply(ctx context.Context, mode Mode) (Result, error) {
	res := p.result()
	if p.applied {
		return res, fileError(ErrStalePlan, "import.apply.applied")
	}
	if mode == ModeAllOrNothing && p.Reject > 0 {
		return res, fileError(ErrRejectedRows, "import.apply.rejected", p.Reject)
	}
	return res, ctx.Err()
}

// result returns the Result of the plan before anything is written.
func (p *Plan) result() Result {
	res := Result{
		Rows:      len(p.Rows),
		Unchanged: p.Skip,
		Rejected:  p.Reject,
		Encoding:  p.Encoding,
		Sheet:     p.Sheet,
	}
	for _, r := range p.Rows {
		res.Errors = append(res.Errors, r.Errors...)
	}
	for _, c := range p.Unknown() {
		res.Ignored = append(res.Ignored, c.Header)
	}
	return res
}

// checkMapping returns a *FileError wrapping ErrUnknownField when mapping
// names a field MappableFields does not list.
func checkMapping(mapping map[string]string) error {
	known := map[string]bool{"": true}
	for _, f := range MappableFields() {
		known[f] = true
	}
	headers := make([]string, 0, len(mapping))
	for h := range mapping {
		headers = append(headers, h)
	}
	sort.Strings(headers)
	for _, h := range headers {
		if f := mapping[h]; !known[f] {
			return fileError(ErrUnknownField, "import.mapping.unknown_field", h, f, fieldList())
		}
	}
	return nil
}

// fieldList returns the mappable fields as "name（姓名）、…" for messages.
func fieldList() string {
	var s string
	for i, f := range MappableFields() {
		if i > 0 {
			s += "、"
		}
		s += f + "（" + FieldLabel(f) + "）"
	}
	return s
}

// deviceCollege returns the college whose records st may import, or the
// error for a store that is not enrolled or belongs to a job fair.
func deviceCollege(st *store.Store, tables *codes.Tables) (codes.College, error) {
	ident, ok := st.Identity()
	if !ok || ident.College == "" {
		return codes.College{}, fmt.Errorf("importing: %w", store.ErrNotEnrolled)
	}
	if fair, ok := access.FairCode(ident.College); ok {
		// A graduate list holds a college's records, which a fair device
		// may not write: the server would refuse every row.
		return codes.College{}, fileError(ErrFairDevice, "import.fair_device", i18n.T("scope.fair", fair))
	}
	device, ok := tables.College(ident.College)
	if !ok {
		// A device enrolled for a code the tables lack can still import a
		// file without a college column.
		device = codes.College{Code: ident.College, Name: ident.CollegeName}
	}
	return device, nil
}
