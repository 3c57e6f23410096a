package importer

import (
	"strings"
	"unicode"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// KindResults is the Plan.Kind of a file of class results.
const KindResults = "results"

// Pseudo-fields of the result columns. Column.Field is one of them, a
// colon and the module's key, such as "attended:office".
const (
	fieldAttended = "attended"
	fieldScore    = "score"
)

// resultWords maps the words that head a result column, as normaliseResult
// leaves them, to fieldAttended or fieldScore. splitResultHeader tries them
// longest first, so 出勤学时 wins over 学时.
var resultWords = map[string]string{
	"出勤学时": fieldAttended, "出勤时数": fieldAttended, "实际学时": fieldAttended,
	"出勤": fieldAttended, "学时": fieldAttended, "课时": fieldAttended,
	"attendance": fieldAttended, "hours": fieldAttended,
	"考核成绩": fieldScore, "考试成绩": fieldScore, "成绩": fieldScore,
	"分数": fieldScore, "得分": fieldScore, "score": fieldScore,
}

// resultWordsByLength lists the keys of resultWords, longest first.
var resultWordsByLength = func() []string {
	words := make([]string, 0, len(resultWords))
	for w := range resultWords {
		words = append(words, w)
	}
	// Insertion sort by byte length, longest first, because the list is short.
	for i := 1; i < len(words); i++ {
		for j := i; j > 0 && len(words[j]) > len(words[j-1]); j-- {
			words[j], words[j-1] = words[j-1], words[j]
		}
	}
	return words
}()

// resultSeparators may stand between a module name and the word after it,
// as in 办公软件-出勤 or 办公软件（成绩）.
const resultSeparators = "-_/·.:()[]"

// identityFields are the columns that name the student of a results row.
var identityFields = map[string]bool{
	record.FieldName: true, record.FieldIDNumber: true, record.FieldStudentNo: true,
}

// resultColumn is one attendance or score column of a results file.
type resultColumn struct {
	index  int           // 0-based column in the file
	module record.Module // the programme's module
	score  bool          // a score column, else an attendance column
	header string        // Column.Header
}

// resultsColumns is the header of a results file mapped to the identity
// fields and the programme's modules.
type resultsColumns struct {
	dataStart int            // index in table.rows of the first data row
	list      []Column       // every non-empty header cell, in file order
	identity  map[string]int // identity field → column index
	results   []resultColumn // in file order
}

// normaliseResult reduces a header cell for matching module names and
// result words: no spaces, ASCII for full-width forms, lower case, and no
// required-field star.
func normaliseResult(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '\uFF01' && r <= '\uFF5E':
			r -= 0xFEE0
		case r == '\u3010':
			r = '['
		case r == '\u3011':
			r = ']'
		case unicode.IsSpace(r), r == '\uFEFF', r == '\u200B':
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.Trim(b.String(), "*:")
}

// moduleKey returns the form a module name is compared in: normalised,
// with brackets read as separators and no separators at either end.
func moduleKey(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune("()[]", r) {
			return '-'
		}
		return r
	}, normaliseResult(s))
	return strings.Trim(s, resultSeparators)
}

// resultWord returns fieldAttended or fieldScore for a cell that contains only
// a result word, such as 出勤（学时） or 成绩, else "".
func resultWord(text string) string {
	s := normaliseResult(text)
	if i := strings.IndexAny(s, "(["); i > 0 {
		s = s[:i]
	}
	return resultWords[s]
}

// splitResultHeader splits a one-row result header such as 办公软件出勤,
// 办公软件-成绩 or 办公软件（出勤） into the module part, in moduleKey form,
// and fieldAttended or fieldScore. ok is false for any other text.
func splitResultHeader(text string) (module, kind string, ok bool) {
	s := normaliseResult(text)
	candidates := []string{strings.Trim(moduleKey(s), resultSeparators)}
	if i := strings.IndexAny(s, "(["); i > 0 {
		// 办公软件出勤（学时）: the bracket contains a unit.
		candidates = append([]string{moduleKey(s[:i])}, candidates...)
	}
	for _, c := range candidates {
		for _, w := range resultWordsByLength {
			if !strings.HasSuffix(c, w) {
				continue
			}
			if m := strings.Trim(strings.TrimSuffix(c, w), resultSeparators); m != "" {
				return m, resultWords[w], true
			}
		}
	}
	return "", "", false
}

// identityField returns the identity field a header text names, or "".
func identityField(text string) string {
	if f, ok := builtIn(text); ok && identityFields[f] {
		return f
	}
	return ""
}

// moduleIndex maps the moduleKey of each module's names to the module: the
// name a screen shows in the current locale and in Chinese, and the stored
// name of a programme a user made.
func moduleIndex(p record.Programme) map[string]record.Module {
	out := map[string]record.Module{}
	for _, m := range p.Modules {
		names := []string{m.Name}
		if p.ID == record.BasicProgramme {
			names = []string{i18n.T(m.Name), i18n.In(i18n.Chinese, m.Name)}
		}
		for _, n := range names {
			if k := moduleKey(n); k != "" {
				out[k] = m
			}
		}
	}
	return out
}

// moduleNames returns the names of p's modules in the current locale,
// joined for a message.
func moduleNames(p record.Programme) string {
	names := make([]string, len(p.Modules))
	for i, m := range p.Modules {
		names[i] = m.Name
		if p.ID == record.BasicProgramme {
			names[i] = i18n.T(m.Name)
		}
	}
	return strings.Join(names, "、")
}

// hasIdentity reports whether header cells name the student: a 姓名 column
// and an ID number or student number column.
func hasIdentity(cells ...[]Cell) bool {
	found := map[string]bool{}
	for _, row := range cells {
		for _, c := range row {
			found[identityField(c.Text)] = true
		}
	}
	return found[record.FieldName] && (found[record.FieldIDNumber] || found[record.FieldStudentNo])
}

// isResultsLowerRow reports whether lower is the second row of a two-row
// results header under upper: a result word such as 出勤 or 成绩 under a
// text that is no result word, the module name. The module name may stand
// over the first of its columns only, as in a CSV file.
func isResultsLowerRow(upper, lower tableRow) bool {
	group := ""
	for i := range lower.cells {
		up := trimSpace(upper.cell(i).Text)
		if up == "" {
			up = group
		}
		group = up
		if resultWord(lower.cells[i].Text) != "" && up != "" && resultWord(up) == "" && identityField(up) == "" {
			return true
		}
	}
	return false
}

// findResultsHeader returns the index of the header row among the top rows
// and whether the header is two rows, that row and the next. It returns -1
// when no row names the student.
func findResultsHeader(rows []tableRow) (int, bool) {
	top := rows[:min(len(rows), maxHeaderRow)]
	for i, row := range top {
		next, hasNext := adjacentRow(rows, i)
		if hasNext && isResultsLowerRow(row, next) && hasIdentity(row.cells, next.cells) {
			return i, true
		}
		if hasIdentity(row.cells) {
			return i, false
		}
	}
	return -1, false
}

// mapResultsHeader finds the header of a results file and maps its columns
// to the identity fields and p's modules. The returned columns are never
// nil. The error is a *FileError wrapping ErrMissingColumns when the file
// lacks the 姓名 column, both ID columns, or every result column.
func mapResultsHeader(tbl *table, p record.Programme) (*resultsColumns, error) {
	headerRow, twoRow := findResultsHeader(tbl.rows)
	if headerRow < 0 {
		headerRow = 0 // report what the first row lacks
	}
	cols := &resultsColumns{dataStart: headerRow + 1, identity: map[string]int{}}
	upperRow, lowerRow := tableRow{}, tbl.rows[headerRow]
	if twoRow {
		upperRow, lowerRow = tbl.rows[headerRow], tbl.rows[headerRow+1]
		cols.dataStart++
	}

	modules := moduleIndex(p)
	mapped := map[string]bool{} // Column.Field values of earlier columns
	width := max(len(upperRow.cells), len(lowerRow.cells))
	group := "" // upper text of the previous column
	for i := range width {
		upper, lower := trimSpace(upperRow.cell(i).Text), trimSpace(lowerRow.cell(i).Text)
		if twoRow && upper == "" && lower != "" && resultWord(lower) != "" {
			// A CSV file, or a sheet without merged cells, has the
			// module name over its first column only.
			upper = group
		}
		if upper != "" {
			group = upper
		}
		if upper == lower {
			upper = "" // one cell merged over both rows
		}
		col := Column{Index: i, Upper: upper, Lower: lower}
		field, rc := "", resultColumn{index: i}
		switch {
		case lower == "" && upper == "":
			continue
		case lower == "":
			col.Header, col.Upper, col.Lower = upper, "", upper
			field = identityField(upper)
		case upper != "" && resultWord(lower) != "":
			// 办公软件 over 出勤: the header becomes 办公软件-出勤, which a
			// one-row file such as the rejected rows reads back.
			col.Header = upper + "-" + lower
			if m, ok := modules[moduleKey(upper)]; ok {
				rc.module, rc.score = m, resultWord(lower) == fieldScore
				field = resultField(rc)
			}
		default:
			col.Header = lower
			if upper != "" {
				col.Header = upper + "/" + lower
			}
			field = identityField(lower)
			if field == "" {
				if name, kind, ok := splitResultHeader(lower); ok {
					if m, ok := modules[name]; ok {
						rc.module, rc.score = m, kind == fieldScore
						field = resultField(rc)
					}
				}
			}
		}
		if silentHeaders[normaliseHeader(col.Header)] {
			col.Silent = true
			field = ""
		}
		if field != "" && !mapped[field] {
			mapped[field] = true
			col.Field, col.Auto = field, true
			if identityFields[field] {
				cols.identity[field] = i
			} else {
				rc.header = col.Header
				cols.results = append(cols.results, rc)
			}
		}
		cols.list = append(cols.list, col)
	}

	var missing []string
	if _, ok := cols.identity[record.FieldName]; !ok {
		missing = append(missing, i18n.T("field."+record.FieldName))
	}
	_, hasID := cols.identity[record.FieldIDNumber]
	_, hasStudentNo := cols.identity[record.FieldStudentNo]
	if !hasID && !hasStudentNo {
		missing = append(missing, i18n.T("import.results.header.id_or_student_no"))
	}
	if len(missing) > 0 {
		return cols, fileError(ErrMissingColumns, "import.results.header.missing", strings.Join(missing, "、"))
	}
	if len(cols.results) == 0 {
		return cols, fileError(ErrMissingColumns, "import.results.header.no_modules", moduleNames(p))
	}
	return cols, nil
}

// resultField returns the Column.Field of a result column.
func resultField(rc resultColumn) string {
	if rc.score {
		return fieldScore + ":" + rc.module.Key
	}
	return fieldAttended + ":" + rc.module.Key
}

// identityIndexes returns the columns of the ID number and the student
// number that the file has.
func (c *resultsColumns) identityIndexes() []int {
	var out []int
	for _, field := range []string{record.FieldIDNumber, record.FieldStudentNo} {
		if i, ok := c.identity[field]; ok {
			out = append(out, i)
		}
	}
	return out
}

// columnOf returns the header text of an identity field's column, or the
// field's name when the file has none.
func (c *resultsColumns) columnOf(field string) string {
	if i, ok := c.identity[field]; ok {
		for _, col := range c.list {
			if col.Index == i {
				return col.Header
			}
		}
	}
	return FieldLabel(field)
}
