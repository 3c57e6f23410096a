package importer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// PreviewResults reads and checks a file of class results without writing:
// a row per student, named by 身份证号 or 学号 and checked against 姓名,
// with an attendance and a score column per module of the class's
// programme. ctx cancels: PreviewResults then returns ctx.Err().
// opts.Progress reports the rows checked; opts.Mapping is not used.
//
// A member of the class whose results change is an Update, the same
// results a Skip, a stored person who is not a member an Add (enrolled
// with these results), and a person not in the store a Reject. Apply
// writes new training versions as drafts, except that a correction of an
// approved record goes to review, as in the class grid.
//
// When the file lacks a required column, PreviewResults returns a
// *FileError wrapping ErrMissingColumns together with a Plan holding only
// Columns.
func PreviewResults(ctx context.Context, st *store.Store, path string, classID string, opts Options) (*Plan, error) {
	opts = opts.withDefaults()
	start := opts.Now()
	if _, ok := st.Identity(); !ok {
		return nil, fmt.Errorf("importing results: %w", store.ErrNotEnrolled)
	}
	class, err := st.Class(classID)
	if err != nil {
		return nil, fmt.Errorf("reading class %s: %w", classID, err)
	}
	programme, err := st.Programme(class.Programme)
	if err != nil {
		return nil, fmt.Errorf("reading programme %s of class %s: %w", class.Programme, classID, err)
	}
	members, err := st.ClassMembers(classID)
	if err != nil {
		return nil, fmt.Errorf("reading members of class %s: %w", classID, err)
	}

	tbl, err := readTable(ctx, path)
	if err != nil {
		return nil, err
	}
	cols, err := mapResultsHeader(tbl, programme)
	plan := &Plan{
		Kind:     KindResults,
		Columns:  cols.list,
		Encoding: tbl.encoding,
		Sheet:    tbl.sheet,
		now:      opts.Now,
		started:  start,
	}
	if err != nil {
		return plan, err
	}
	if n := tbl.total - cols.dataStart; n > MaxRows {
		return nil, fileError(ErrTooManyRows, "import.file.too_many_rows", n, MaxRows)
	}

	rp := newResultsPlanner(st, class, programme, members, cols, opts.Now())
	data := tbl.rows[cols.dataStart:]
	plan.Rows = make([]RowPlan, 0, len(data))
	report := throttle(opts.Progress)
	for i, row := range data {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if onlySilent(row, cols.list) || isTotalsRow(row, cols.identityIndexes()...) {
			// A numbered row of an empty template, or a totals row.
			continue
		}
		r := rp.planRow(row)
		r.Sheet = tbl.sheet
		for j := range r.Errors {
			r.Errors[j].Sheet = tbl.sheet
		}
		switch r.Outcome {
		case OutcomeAdd:
			plan.Add++
		case OutcomeUpdate:
			plan.Update++
		case OutcomeSkip:
			plan.Skip++
		case OutcomeReject:
			plan.Reject++
		}
		plan.Rows = append(plan.Rows, r)
		report(i+1, len(data))
	}
	plan.apply = func(ctx context.Context, st *store.Store, mode Mode, progress Progress) (Result, error) {
		return rp.apply(ctx, st, plan, mode, progress)
	}
	return plan, nil
}

// resultsPlanner is the state of one PreviewResults call and the
// training versions its plan writes.
type resultsPlanner struct {
	class     record.Class
	programme record.Programme
	cols      *resultsColumns
	date      string                     // completion date of new versions: the class's end, else today
	byID      map[string]record.Person   // ID number → person in the store
	byStudent map[string][]record.Person // student number → persons in the store
	members   map[string]record.Training // person id → latest training in the class
	seen      map[string]seenRow         // person id → first row of the person in the file
	writes    map[int]resultsWrite       // spreadsheet row → what Apply writes
}

// seenRow is the first row of a person in a results file.
type seenRow struct {
	num     int
	results string // the results as encoded, to tell a repeat from a conflict
}

// resultsWrite is the training version one row writes.
type resultsWrite struct {
	person     string // person id
	supersedes string // id of the member's training record, "" to enrol
	fields     map[string]string
}

func newResultsPlanner(st *store.Store, class record.Class, p record.Programme, members []record.Training,
	cols *resultsColumns, today time.Time) *resultsPlanner {
	rp := &resultsPlanner{
		class:     class,
		programme: p,
		cols:      cols,
		date:      class.End,
		byID:      map[string]record.Person{},
		byStudent: map[string][]record.Person{},
		members:   make(map[string]record.Training, len(members)),
		seen:      map[string]seenRow{},
		writes:    map[int]resultsWrite{},
	}
	if rp.date == "" {
		rp.date = today.Format(time.DateOnly)
	}
	for _, person := range st.Persons() {
		if person.IDNumber != "" {
			rp.byID[person.IDNumber] = person
		}
		if person.StudentNo != "" {
			rp.byStudent[person.StudentNo] = append(rp.byStudent[person.StudentNo], person)
		}
	}
	for _, m := range members {
		// NOTE: a person enrolled twice in one class keeps the first
		// record ClassMembers returns; the import updates only that one.
		if _, ok := rp.members[m.Person]; !ok {
			rp.members[m.Person] = m
		}
	}
	return rp
}

// rowErrors collects the problems of one results row.
type rowErrors struct {
	row  tableRow
	errs []RowError
}

// add records a problem of the cell in column index, headed column.
func (e *rowErrors) add(index int, column, key string, args ...any) {
	cell := e.row.cell(index)
	problem := i18n.T(key, args...)
	e.errs = append(e.errs, RowError{
		Row:     e.row.num,
		Column:  column,
		Value:   shown(cell.Text),
		Message: i18n.T("import.row.problem", e.row.num, column, problem),
		Problem: problem,
	})
}

// planRow checks one data row and decides its outcome.
func (rp *resultsPlanner) planRow(row tableRow) RowPlan {
	out := RowPlan{Row: row.num}
	errs := &rowErrors{row: row}
	person, ok := rp.identify(row, errs)
	if ok {
		rp.checkName(row, person, errs)
	}
	cells := rp.readCells(row, errs)
	if len(errs.errs) > 0 {
		out.Outcome, out.Errors, out.Cells = OutcomeReject, errs.errs, row.texts()
		return out
	}

	member, isMember := rp.members[person.ID]
	results := mergeResults(member.Results, cells)
	encoded := results.Encode()
	if first, dup := rp.seen[person.ID]; dup {
		if first.results == encoded {
			out.Outcome, out.SkipNote = OutcomeSkip, i18n.T("import.skip.repeat", first.num)
			return out
		}
		rp.rejectDuplicate(row, first.num, errs)
		out.Outcome, out.Errors, out.Cells = OutcomeReject, errs.errs, row.texts()
		return out
	}
	rp.seen[person.ID] = seenRow{num: row.num, results: encoded}

	out.Person = person
	switch {
	case !isMember:
		out.Outcome = OutcomeAdd
		out.Note = i18n.T("import.results.note.enrol", rp.class.Title)
	case encoded == member.Results.Encode():
		out.Outcome, out.SkipNote = OutcomeSkip, i18n.T("import.results.skip.same")
		return out
	default:
		out.Outcome = OutcomeUpdate
		out.Changes = rp.changes(member.Results, results)
		if member.Review.Current() == record.ReviewApproved {
			out.Note = i18n.T("import.results.note.approved")
		}
	}
	rp.writes[row.num] = resultsWrite{
		person:     person.ID,
		supersedes: member.ID,
		fields:     trainingFields(person.ID, rp.programme, rp.class, member, results, rp.date),
	}
	return out
}

// identify returns the stored person a row names: by its ID number when
// the cell has one, else by its student number.
func (rp *resultsPlanner) identify(row tableRow, errs *rowErrors) (record.Person, bool) {
	idIndex, hasID := rp.cols.identity[record.FieldIDNumber]
	studentIndex, hasStudent := rp.cols.identity[record.FieldStudentNo]
	idColumn := rp.cols.columnOf(record.FieldIDNumber)

	if cell := row.cell(idIndex); hasID && trimSpace(cell.Text) != "" {
		if cell.Number {
			errs.add(idIndex, idColumn, "import.id_number.numeric", cell.Text, excelGeneral(cell.Text))
			return record.Person{}, false
		}
		if isMasked(cell.Text) {
			errs.add(idIndex, idColumn, "import.id_number.masked", trimSpace(cell.Text))
			return record.Person{}, false
		}
		id, err := validate.IDNumber(cell.Text)
		if err != nil {
			errs.add(idIndex, idColumn, "import.results.id_number.invalid", validationMessage(err))
			return record.Person{}, false
		}
		person, ok := rp.byID[id]
		if !ok {
			errs.add(idIndex, idColumn, "import.results.person.unknown_id", id)
		}
		return person, ok
	}

	studentColumn := rp.cols.columnOf(record.FieldStudentNo)
	if cell := row.cell(studentIndex); hasStudent && trimSpace(cell.Text) != "" {
		number := validate.Narrow(cell.Text)
		found := rp.byStudent[number]
		if len(found) > 1 {
			// Two colleges' student numbers may meet in one store, so a
			// member of this class is the one meant. When none is a
			// member, every match stays, and the row is ambiguous.
			var inClass []record.Person
			for _, p := range found {
				if _, ok := rp.members[p.ID]; ok {
					inClass = append(inClass, p)
				}
			}
			if len(inClass) > 0 {
				found = inClass
			}
		}
		switch len(found) {
		case 0:
			errs.add(studentIndex, studentColumn, "import.results.person.unknown_student_no", number)
			return record.Person{}, false
		case 1:
			return found[0], true
		}
		errs.add(studentIndex, studentColumn, "import.results.person.ambiguous_student_no", number, len(found))
		return record.Person{}, false
	}

	if hasID {
		errs.add(idIndex, idColumn, "import.results.person.missing")
	} else {
		errs.add(studentIndex, studentColumn, "import.results.person.missing")
	}
	return record.Person{}, false
}

// checkName rejects a row whose 姓名 differs from the stored person's name.
// An empty 姓名 cell is not checked.
func (rp *resultsPlanner) checkName(row tableRow, person record.Person, errs *rowErrors) {
	i := rp.cols.identity[record.FieldName]
	text := trimSpace(row.cell(i).Text)
	if text == "" || validate.NameKey(text) == validate.NameKey(person.Name) {
		return
	}
	by := rp.cols.columnOf(record.FieldIDNumber)
	if _, ok := rp.cols.identity[record.FieldIDNumber]; !ok || trimSpace(row.cell(rp.cols.identity[record.FieldIDNumber]).Text) == "" {
		by = rp.cols.columnOf(record.FieldStudentNo)
	}
	errs.add(i, rp.cols.columnOf(record.FieldName), "import.results.name.mismatch", text, by, person.Name)
}

// rejectDuplicate rejects a row that names the person of an earlier row
// with different results.
func (rp *resultsPlanner) rejectDuplicate(row tableRow, first int, errs *rowErrors) {
	field := record.FieldIDNumber
	if _, ok := rp.cols.identity[field]; !ok || trimSpace(row.cell(rp.cols.identity[field]).Text) == "" {
		field = record.FieldStudentNo
	}
	errs.add(rp.cols.identity[field], rp.cols.columnOf(field), "import.results.person.duplicate", first)
}

// cellResult is the attended hours and the score a row's cells give for
// one module, -1 for an empty cell.
type cellResult struct {
	attended, score int
}

// readCells parses the row's result cells as the class grid parses its
// cells (display.ParseCell) and returns them by module key. An error names
// the row, the column, the value and the allowed range.
func (rp *resultsPlanner) readCells(row tableRow, errs *rowErrors) map[string]cellResult {
	out := map[string]cellResult{}
	for _, rc := range rp.cols.results {
		key := rc.module.Key
		cr, ok := out[key]
		if !ok {
			cr = cellResult{attended: -1, score: -1}
		}
		text := row.cell(rc.index).Text
		n, err := display.ParseCell("", rp.programme, rc.module, rc.score, text)
		switch {
		case err != nil && rc.score:
			errs.add(rc.index, rc.header, "import.results.score.invalid", trimSpace(text), display.MaxScore)
		case err != nil:
			errs.add(rc.index, rc.header, "import.results.attended.invalid", trimSpace(text), rc.module.Hours)
		case rc.score:
			cr.score = n
		default:
			cr.attended = n
		}
		out[key] = cr
	}
	return out
}

// mergeResults returns the stored results with the row's cells over them.
// An empty cell keeps the stored value, as in the graduate list import. A
// module without a stored result and with only a score reads as 0 hours,
// as in the class grid.
func mergeResults(stored record.Results, cells map[string]cellResult) record.Results {
	out := make(record.Results, len(stored)+len(cells))
	for k, v := range stored {
		out[k] = v
	}
	for key, cr := range cells {
		if cr.attended < 0 && cr.score < 0 {
			continue
		}
		r, ok := out[key]
		if !ok {
			r = record.Result{Score: -1}
		}
		if cr.attended >= 0 {
			r.Attended = cr.attended
		}
		if cr.score >= 0 {
			r.Score = cr.score
		}
		out[key] = r
	}
	return out
}

// changes lists the attendance and score changes per module, in programme
// order. Field is the module's name and 出勤 or 成绩, in the current locale.
func (rp *resultsPlanner) changes(old, updated record.Results) []FieldChange {
	var out []FieldChange
	for _, m := range rp.programme.Modules {
		before, hadBefore := old[m.Key]
		after, hasAfter := updated[m.Key]
		name := display.ModuleName(rp.programme, m)
		for _, score := range []bool{false, true} {
			o := display.CellText(before, hadBefore, score)
			n := display.CellText(after, hasAfter, score)
			if o == n {
				continue
			}
			label := i18n.T("import.results.change.attended", name)
			if score {
				label = i18n.T("import.results.change.score", name)
			}
			out = append(out, FieldChange{Field: label, Old: o, New: n})
		}
	}
	return out
}

// trainingFields returns the fields of a new training version with the
// hours, average score and completion the results add up to, as the class
// grid saves them: a draft dated date.
func trainingFields(person string, p record.Programme, class record.Class, member record.Training,
	results record.Results, date string) map[string]string {
	c := record.Complete(p, results)
	t := record.Training{Person: person, Programme: member.Programme, Class: class.ID,
		Results: results, Hours: c.Hours, Completed: c.Completed, Date: date,
		Review: record.Review{State: record.ReviewDraft}}
	if t.Programme == "" {
		t.Programme = p.ID
	}
	if c.Average >= 0 {
		t.Score = strconv.Itoa(c.Average)
	}
	return t.Fields()
}

// apply writes the plan's Add and Update rows as training versions in one
// store transaction.
func (rp *resultsPlanner) apply(ctx context.Context, st *store.Store, p *Plan, mode Mode, progress Progress) (Result, error) {
	res, err := p.mayApply(ctx, mode)
	if err != nil {
		return res, err
	}

	// The class grid or a sync may have saved a member's results since the
	// preview, and writing over them would lose that change.
	// NOTE: a save between this check and the transaction is not caught.
	members, err := st.ClassMembers(rp.class.ID)
	if err != nil {
		return res, fmt.Errorf("reading members of class %s: %w", rp.class.ID, err)
	}
	latest := make(map[string]string, len(members))
	for _, m := range members {
		if _, ok := latest[m.Person]; !ok || m.ID == rp.members[m.Person].ID {
			latest[m.Person] = m.ID
		}
	}
	var versions []store.HistoryVersion
	for _, r := range p.Rows {
		w, ok := rp.writes[r.Row]
		if !ok || (r.Outcome != OutcomeAdd && r.Outcome != OutcomeUpdate) {
			continue
		}
		if latest[w.person] != w.supersedes {
			return res, fileError(ErrStalePlan, "import.results.apply.stale", r.Row)
		}
		versions = append(versions, store.HistoryVersion{Supersedes: w.supersedes, Fields: w.fields})
	}
	if len(versions) > 0 {
		_, err = st.SaveHistoryBatch(ctx, record.KindTraining, versions, throttle(progress))
	}
	return p.saved(ctx, res, err, "results")
}

// validationMessage returns the message of a validate error in the current
// locale.
func validationMessage(err error) string {
	var ve *validate.Error
	if errors.As(err, &ve) {
		return ve.Message(i18n.Locale())
	}
	return err.Error()
}
