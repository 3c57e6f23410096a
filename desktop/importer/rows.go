package importer

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// MaxCellRunes is the maximum length of a cell the import reads, in
// characters. The longest person field allows 100, and a longer cell is
// usually several cells pasted into one, or a CSV quote left open.
const MaxCellRunes = 1000

// MaxShownRunes is how much of a cell RowError.Value shows.
const MaxShownRunes = 200

// personFields are the columns that become person fields, in the order
// their errors are reported.
var personFields = []string{
	record.FieldName, record.FieldGender, record.FieldIDNumber, record.FieldPhone,
	record.FieldStudentNo, record.FieldMajor, record.FieldGradYear,
	record.FieldHomeRegion, record.FieldStatus, record.FieldWorkRegion, record.FieldEmployer,
	record.FieldAddress, record.FieldSkills, record.FieldWillReturn,
}

// checkedFields are the columns checkRow reads.
var checkedFields = append(personFields[:len(personFields):len(personFields)], fieldCollege, fieldConsent)

// importer holds the state of one Preview call.
type importer struct {
	tables   *codes.Tables
	device   codes.College
	cols     *columns
	existing map[string]record.Person // ID number → person in the store
	seen     map[string]firstRow      // ID number → its first row in the file
	today    string                   // the consent date of rows with a consent value
	account  string                   // the account that records consent

	sheet       string // sheet of the rows being checked, "" for a text file
	multiSheets bool   // several sheets are read, so messages name the sheet
	note        string // checkRow's note on the row being checked, such as a gender left out
}

// firstRow is the first row of an ID number in the file.
type firstRow struct {
	num    int
	sheet  string
	person record.Person // as checked, before merging with the stored person
	valid  bool
}

// planRow checks one data row and decides its outcome.
func (im *importer) planRow(row tableRow) RowPlan {
	rp := RowPlan{Row: row.num, Sheet: im.sheet}
	if row.quoteEnd > 0 {
		rp.Outcome, rp.Errors, rp.Cells = OutcomeReject, []RowError{im.quoteError(row)}, row.texts()
		return rp
	}
	im.note = ""
	p, repeatOf, errs := im.checkRow(row)
	if len(errs) == 0 {
		rp.Note = im.note
	}
	switch {
	case len(errs) > 0:
		// Only WriteRejected reads Cells, so other rows leave them out
		// and keep no cell text alive while the plan waits for Apply.
		rp.Outcome, rp.Errors, rp.Cells = OutcomeReject, errs, row.texts()
	case repeatOf != nil:
		rp.Outcome, rp.SkipNote, rp.Person = OutcomeSkip, im.repeatNote(*repeatOf), p
	default:
		old, stored := im.existing[p.IDNumber]
		if !stored {
			rp.Outcome, rp.Person = OutcomeAdd, p
			break
		}
		if validate.NameKey(old.Name) != validate.NameKey(p.Name) {
			// The same ID number under another name is more often a
			// mistyped ID number than a change of name, and an update
			// would silently overwrite the stored person.
			cell := row.cell(im.columnIndex(record.FieldName))
			problem := i18n.T("import.name.mismatch", display.MaskID(p.IDNumber), old.Name, p.Name)
			rp.Outcome, rp.Errors, rp.Cells = OutcomeReject, []RowError{im.rowError(row.num, record.FieldName, cell, problem)}, row.texts()
			break
		}
		merged := merge(old, p)
		if merged == old {
			rp.Outcome, rp.SkipNote, rp.Person = OutcomeSkip, i18n.T("import.skip.same"), old
			break
		}
		rp.Outcome, rp.Person = OutcomeUpdate, merged
		rp.Changes = im.changes(old, merged)
	}
	return rp
}

// changes lists the fields that differ between old and updated: the
// fields of the file's columns in column order, then the others (such as
// the consent date) in record order.
func (im *importer) changes(old, updated record.Person) []FieldChange {
	before, after := old.Fields(), updated.Fields()
	var out []FieldChange
	listed := map[string]bool{}
	add := func(f string) {
		if listed[f] {
			return
		}
		listed[f] = true
		if before[f] != after[f] {
			out = append(out, FieldChange{Field: f, Old: before[f], New: after[f]})
		}
	}
	for _, c := range im.cols.list {
		if c.Field != "" {
			add(c.Field)
		}
	}
	for _, f := range record.FieldsOf(record.KindPerson) {
		add(f)
	}
	return out
}

// genderMismatchKey starts the keys of validate.Person's errors for a
// gender that contradicts the ID number.
const genderMismatchKey = "validate.gender.id_mismatch"

// checkRow turns a row into a person. It returns the person, the earlier
// row of the file that this row repeats exactly (nil when none), and every
// problem of the row.
func (im *importer) checkRow(row tableRow) (record.Person, *firstRow, []RowError) {
	var errs []RowError
	fail := func(field string, cell Cell, key string, args ...any) {
		errs = append(errs, im.rowError(row.num, field, cell, i18n.T(key, args...)))
	}

	// A row of a masked export has nothing to import, so its one problem
	// is the masked ID number.
	if idCell := row.cell(im.columnIndex(record.FieldIDNumber)); isMasked(idCell.Text) {
		fail(record.FieldIDNumber, idCell, "import.id_number.masked", trimSpace(idCell.Text))
		return record.Person{}, nil, errs
	}

	// Cells the validators must not see: too long, holding a character the
	// file's encoding could not represent, or an ID number Excel rounded.
	raw := make(map[string]string, len(personFields))
	failed := map[string]bool{}
	for _, field := range checkedFields {
		i, ok := im.cols.index[field]
		if !ok {
			continue
		}
		cell := row.cell(i)
		switch n := utf8.RuneCountInString(cell.Text); {
		case n > MaxCellRunes:
			fail(field, cell, "import.cell.too_long", n, MaxCellRunes)
		case hasPrivateUse(cell.Text):
			fail(field, cell, "import.cell.private_use", cell.Text)
		case hasUnrepresentable(cell.Text):
			fail(field, cell, "import.cell.unrepresentable", cell.Text)
		case field == record.FieldIDNumber && cell.Number:
			fail(field, cell, "import.id_number.numeric", cell.Text, excelGeneral(cell.Text))
		case field == record.FieldPhone && isMasked(cell.Text):
			fail(field, cell, "import.phone.masked", trimSpace(cell.Text))
		case field == record.FieldPhone && scientificNumber.MatchString(trimSpace(cell.Text)):
			fail(field, cell, "import.phone.numeric", trimSpace(cell.Text))
		default:
			raw[field] = cellText(field, cell)
			continue
		}
		failed[field] = true
	}

	if !failed[fieldCollege] {
		if key, args := im.checkCollege(raw[fieldCollege]); key != "" {
			fail(fieldCollege, row.cell(im.columnIndex(fieldCollege)), key, args...)
		}
	}

	p, fieldErrs := validate.Person(raw, im.tables)
	for _, fe := range fieldErrs {
		if failed[fe.Field] {
			continue
		}
		if strings.HasPrefix(fe.Err.Key, genderMismatchKey) {
			// The ID number decides the gender, so a list whose gender
			// column contradicts it still imports, without that gender.
			im.note = i18n.T("import.note.gender_dropped", fe.Err.Message(i18n.Locale()))
			continue
		}
		cell := row.cell(im.columnIndex(fe.Field))
		errs = append(errs, im.rowError(row.num, fe.Field, cell, fe.Err.Message(i18n.Locale())))
		failed[fe.Field] = true
	}
	if !failed[fieldConsent] {
		consent, ok := consentAnswers[strings.ToLower(trimSpace(raw[fieldConsent]))]
		switch {
		case !ok:
			cell := row.cell(im.columnIndex(fieldConsent))
			fail(fieldConsent, cell, "import.consent.invalid", trimSpace(cell.Text))
		case consent != "":
			p.Consent, p.ConsentAt, p.ConsentBy = consent, im.today, im.account
		}
	}

	// A valid ID number seen before makes this row a repeat when both rows
	// are valid and equal, and a duplicate otherwise, even when the first
	// row was rejected for another field: the user must decide which row
	// is right.
	var repeatOf *firstRow
	if !failed[record.FieldIDNumber] {
		first, dup := im.seen[p.IDNumber]
		switch {
		case !dup:
			im.seen[p.IDNumber] = firstRow{num: row.num, sheet: im.sheet, person: p, valid: len(errs) == 0}
		case first.valid && len(errs) == 0 && first.person == p:
			repeatOf = &first
		case first.sheet != im.sheet:
			cell := row.cell(im.columnIndex(record.FieldIDNumber))
			fail(record.FieldIDNumber, cell, "import.id_number.duplicate_sheet", trimSpace(cell.Text), first.sheet, first.num)
		default:
			cell := row.cell(im.columnIndex(record.FieldIDNumber))
			fail(record.FieldIDNumber, cell, "import.id_number.duplicate", trimSpace(cell.Text), first.num)
		}
	}
	if len(errs) > 0 {
		return record.Person{}, nil, errs
	}
	return p, repeatOf, nil
}

// repeatNote returns the skip note of a row that repeats an earlier one.
func (im *importer) repeatNote(first firstRow) string {
	if first.sheet != im.sheet {
		return i18n.T("import.skip.repeat_sheet", first.sheet, first.num)
	}
	return i18n.T("import.skip.repeat", first.num)
}

// totalWords are the first cells of a totals row below a list.
var totalWords = map[string]bool{"合计": true, "总计": true, "小计": true, "共计": true}

// totalsRow reports whether a row is a totals row such as 合计 | 8人.
func (im *importer) totalsRow(row tableRow) bool {
	return isTotalsRow(row, im.columnIndex(record.FieldIDNumber))
}

// isTotalsRow reports whether a row's first non-empty cell is a total
// word, spaces and a colon aside, and its identity columns are empty.
func isTotalsRow(row tableRow, identity ...int) bool {
	for _, i := range identity {
		if trimSpace(row.cell(i).Text) != "" {
			return false
		}
	}
	for _, c := range row.cells {
		text := trimSpace(c.Text)
		if text == "" {
			continue
		}
		word := strings.TrimRight(strings.Join(strings.Fields(text), ""), ":：")
		return totalWords[word]
	}
	return false
}

// quoteError returns the error of a CSV row that an unpaired quote ran
// into the following lines, on the first cell that holds them.
func (im *importer) quoteError(row tableRow) RowError {
	index := 0
	for i, c := range row.cells {
		if strings.ContainsAny(c.Text, "\r\n") {
			index = i
			break
		}
	}
	column := ""
	for _, c := range im.cols.list {
		if c.Index == index {
			column = c.Header
		}
	}
	message := i18n.T("import.row.unpaired_quote", row.num, row.quoteEnd, row.quoteEnd-row.num+1)
	return RowError{Row: row.num, Sheet: im.sheet, Column: column, Value: shown(row.cells[index].Text), Message: message}
}

// maskedID reports whether the row's ID number cell holds a masked value.
func (im *importer) maskedID(row tableRow) bool {
	return isMasked(row.cell(im.columnIndex(record.FieldIDNumber)).Text)
}

// isMasked reports whether a cell holds a value with digits hidden by *,
// as a masked export writes ID numbers and phones.
func isMasked(s string) bool {
	return strings.ContainsAny(s, "*＊")
}

// scientificNumber matches a number as Excel shows a long one in the
// General format, such as 1.38E+10, which CSV files saved by Excel hold.
var scientificNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?[eE]\+?[0-9]+$`)

// columnIndex returns the column of a field, or -1 when the file has none.
func (im *importer) columnIndex(field string) int {
	if i, ok := im.cols.index[field]; ok {
		return i
	}
	return -1
}

// rowError makes the RowError of a cell with the message of its problem.
// The message names the sheet when several sheets are read.
func (im *importer) rowError(row int, field string, cell Cell, problem string) RowError {
	column := im.cols.columnName(field)
	message := i18n.T("import.row.problem", row, column, problem)
	if im.multiSheets {
		message = i18n.T("import.row.problem_sheet", im.sheet, row, column, problem)
	}
	return RowError{
		Row:     row,
		Sheet:   im.sheet,
		Column:  column,
		Value:   shown(cell.Text),
		Message: message,
		Problem: problem,
	}
}

// checkCollege returns the message key and arguments of a college cell
// that is not this device's college, or "" when the row belongs here. An
// empty cell and a file without a college column mean this device's.
func (im *importer) checkCollege(value string) (string, []any) {
	value = trimSpace(value)
	if value == "" || value == im.device.Code || value == im.device.Name {
		return "", nil
	}
	c, ok := im.tables.College(value)
	if !ok {
		c, ok = im.tables.CollegeByName(value)
	}
	switch {
	case !ok:
		return "import.college.unknown", []any{value}
	case c.Code != im.device.Code && value == c.Name:
		return "import.college.other", []any{c.Name, im.device.Name}
	case c.Code != im.device.Code:
		// A code or a former name: the message gives the current name too.
		return "import.college.other_alias", []any{value, c.Name, im.device.Name}
	}
	return "", nil
}

// cellText returns the text a validator reads from a cell. A date, as a
// date cell or as text, gives its year in the graduation-year column. Line breaks, which Excel users
// type with Alt+Enter to wrap a long employer name, become spaces, because
// every person field is one line.
func cellText(field string, c Cell) string {
	switch {
	case field == record.FieldGradYear && !c.Date.IsZero():
		return strconv.Itoa(c.Date.Year)
	case field == record.FieldGradYear:
		// A 毕业时间 column holds a date typed as text, such as 2025-06-30
		// or 2025年6月: its year is the graduation year.
		if d, err := validate.ParseDate(trimSpace(c.Text)); err == nil && !d.IsZero() {
			return strconv.Itoa(d.Year)
		}
	case !c.Date.IsZero():
		return c.Date.String()
	case strings.ContainsAny(c.Text, "\r\n"):
		return strings.Join(strings.FieldsFunc(c.Text, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
	}
	return c.Text
}

// consentAnswers maps the cells of a consent column (lower-cased) to
// consent values. An empty cell records nothing.
//
// NOTE: 否 becomes ConsentWithdrawn, the only value the record has for "no",
// although the person may never have agreed before. It keeps the person out
// of matching either way.
var consentAnswers = map[string]string{
	"":    "",
	"是":   record.ConsentGiven,
	"同意":  record.ConsentGiven,
	"已同意": record.ConsentGiven,
	"yes": record.ConsentGiven,
	"y":   record.ConsentGiven,
	"否":   record.ConsentWithdrawn,
	"不同意": record.ConsentWithdrawn,
	"no":  record.ConsentWithdrawn,
	"n":   record.ConsentWithdrawn,
}

// merge returns the stored person with the non-empty fields of the row, so
// that a list without phone numbers keeps the phones already stored. A row
// repeating the stored consent keeps its date, method and account.
func merge(old, row record.Person) record.Person {
	if row.Consent == old.Consent {
		row.ConsentAt, row.ConsentMethod, row.ConsentBy = "", "", ""
	}
	fields := old.Fields()
	for k, v := range row.Fields() {
		if v != "" {
			fields[k] = v
		}
	}
	return record.PersonFrom(old.ID, old.College, fields)
}

// hasUnrepresentable reports whether s holds U+FFFD or invalid UTF-8:
// what a decoder gives for a byte sequence that has no character.
func hasUnrepresentable(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError {
			return true
		}
	}
	return false
}

// hasPrivateUse reports whether s holds a private-use character, as a GBK
// user-defined code (造字) decodes to. No standard code table has it, so
// saving the file in another encoding keeps it.
func hasPrivateUse(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Co, r) {
			return true
		}
	}
	return false
}

// excelGeneral formats a stored number as Excel's General format shows it
// in a standard-width column: a number of more than 11 digits in scientific
// notation with six significant digits, such as 3.60102E+17.
func excelGeneral(v string) string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	if s := strconv.FormatFloat(f, 'f', -1, 64); len(s) <= 11 {
		return s
	}
	return strconv.FormatFloat(f, 'E', 5, 64)
}

// shown returns a cell value for the error list: cut to MaxShownRunes.
func shown(s string) string {
	if utf8.RuneCountInString(s) <= MaxShownRunes {
		return s
	}
	return string([]rune(s)[:MaxShownRunes]) + "…"
}
