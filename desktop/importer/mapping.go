package importer

import (
	"sort"
	"strings"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// columns is the header of a list mapped to fields.
type columns struct {
	headerRow int               // index in table.rows of the header row, the upper one of two
	dataStart int               // index in table.rows of the first data row
	list      []Column          // every non-empty header cell, in file order
	index     map[string]int    // field → column index
	header    map[string]string // field → Column.Header
	source    string            // key of the remembered mapping
	hand      map[string]string // normalised header → field, chosen by hand or remembered
}

// rememberedMapping returns the mapping remembered for a source key.
type rememberedMapping func(source string) (map[string]string, error)

// headerMatcher decides the field of a header text: the hand mapping first,
// then the built-in table.
type headerMatcher struct {
	hand map[string]string // normalised header → field
}

func newHeaderMatcher(mapping map[string]string) headerMatcher {
	m := headerMatcher{hand: make(map[string]string, len(mapping))}
	for h, f := range mapping {
		m.hand[normaliseHeader(h)] = f
	}
	return m
}

// builtIn returns the field the built-in table gives a header text. A
// joined two-row header such as 联系方式/手机 is also looked up by its
// lower part, so that a file saved by WriteRejected maps as its source did.
func builtIn(text string) (string, bool) {
	h := normaliseHeader(text)
	if f, ok := headerFields[h]; ok {
		return f, true
	}
	if i := strings.LastIndexByte(h, '/'); i >= 0 {
		f, ok := headerFields[h[i+1:]]
		return f, ok
	}
	return "", false
}

// known reports whether a header text maps to a field, by hand or by the
// built-in table.
func (m headerMatcher) known(text string) bool {
	if f, ok := m.hand[normaliseHeader(text)]; ok {
		return f != ""
	}
	_, ok := builtIn(text)
	return ok
}

// hasNameAndID reports whether header cells include the required columns.
func (m headerMatcher) hasNameAndID(cells ...[]Cell) bool {
	var name, id bool
	for _, row := range cells {
		for _, c := range row {
			f, ok := m.hand[normaliseHeader(c.Text)]
			if !ok {
				f, _ = builtIn(c.Text)
			}
			name = name || f == record.FieldName
			id = id || f == record.FieldIDNumber
		}
	}
	return name && id
}

// findHeader returns the index of the header row among the top rows and
// whether the header is two rows, that row and the next. A header is two
// rows when the required columns are found only in both rows together, or
// when a merged cell joins the two rows or groups columns of the upper
// row. It returns -1 when no row has the required columns.
func findHeader(rows []tableRow, merges []mergeRange, m headerMatcher) (int, bool) {
	top := rows[:min(len(rows), maxHeaderRow)]
	for i, row := range top {
		next, hasNext := adjacentRow(rows, i)
		if !m.hasNameAndID(row.cells) {
			if hasNext && !m.hasNameAndID(next.cells) && m.hasNameAndID(row.cells, next.cells) {
				return i, true
			}
			continue
		}
		if hasNext && joinsRows(merges, row.num, row.num+1) {
			return i, true
		}
		if i > 0 && rows[i-1].num == row.num-1 &&
			(joinsRows(merges, row.num-1, row.num) || groupsColumns(merges, row.num-1, len(row.cells))) {
			return i - 1, true
		}
		return i, false
	}
	return -1, false
}

// adjacentRow returns the row after rows[i] when it directly follows it.
func adjacentRow(rows []tableRow, i int) (tableRow, bool) {
	if i+1 < len(rows) && rows[i+1].num == rows[i].num+1 {
		return rows[i+1], true
	}
	return tableRow{}, false
}

// mapHeader finds the header of tbl and maps its columns. mapping is the
// user's (header text → field). The returned columns are never nil. The
// error is a *FileError wrapping ErrMissingColumns, naming each missing
// column, when the list lacks a required column.
func mapHeader(tbl *table, mapping map[string]string, remembered rememberedMapping) (*columns, error) {
	m := newHeaderMatcher(mapping)
	headerRow, twoRow := findHeader(tbl.rows, tbl.merges, m)
	if headerRow < 0 {
		headerRow = 0 // report what the first row lacks
	}
	cols := &columns{headerRow: headerRow, dataStart: headerRow + 1, index: map[string]int{}, header: map[string]string{}, hand: map[string]string{}}
	upperRow, lowerRow := tableRow{}, tbl.rows[headerRow]
	if twoRow {
		upperRow, lowerRow = tbl.rows[headerRow], tbl.rows[headerRow+1]
		cols.dataStart++
	}

	width := max(len(upperRow.cells), len(lowerRow.cells))
	var norms []string
	group := "" // upper text of the previous column when it had a lower one
	for i := range width {
		upper, lower := trimSpace(upperRow.cell(i).Text), trimSpace(lowerRow.cell(i).Text)
		if twoRow && upper == "" && lower != "" {
			// A CSV file, or a sheet without merged cells, holds a group
			// heading over its first column only.
			upper = group
		}
		if upper == lower {
			upper = "" // one cell merged over both rows
		}
		group = ""
		if upper != "" && lower != "" {
			group = upper
		}
		header := lower
		switch {
		case lower == "":
			header, upper, lower = upper, "", upper
		case upper != "" && !m.known(lower):
			header = upper + "/" + lower
		}
		if header == "" {
			continue
		}
		col := Column{Index: i, Header: header, Upper: upper, Lower: lower}
		if silentHeaders[normaliseHeader(header)] {
			col.Silent = true
		} else {
			norms = append(norms, normaliseHeader(header))
		}
		cols.list = append(cols.list, col)
	}
	sort.Strings(norms)
	cols.source = KindPersons + "\x1f" + strings.Join(norms, "\x1f")

	var memory map[string]string
	if remembered != nil {
		// A mapping that cannot be read is not applied; the columns stay
		// as the built-in table maps them.
		memory, _ = remembered(cols.source)
	}
	cols.assign(m, memory)

	var missing []string
	for _, field := range requiredFields {
		if _, ok := cols.index[field]; !ok {
			missing = append(missing, i18n.T("field."+field))
		}
	}
	if len(missing) > 0 {
		return cols, fileError(ErrMissingColumns, "import.header.missing", strings.Join(missing, "、"))
	}
	return cols, nil
}

// assign sets the field of each column: the user's mapping first, then
// the remembered one, then the built-in table. A field already taken by an
// earlier choice leaves the column unmapped.
func (c *columns) assign(m headerMatcher, memory map[string]string) {
	byHand := make([]bool, len(c.list))
	for i := range c.list {
		col := &c.list[i]
		norm := normaliseHeader(col.Header)
		f, ok := m.hand[norm]
		if !ok && col.Lower != col.Header {
			f, ok = m.hand[normaliseHeader(col.Lower)]
		}
		if !ok {
			f, ok = memory[norm]
		}
		if ok {
			byHand[i] = true
			c.hand[norm] = f
			c.take(col, f, false)
		}
	}
	for i := range c.list {
		col := &c.list[i]
		if byHand[i] || col.Silent {
			continue
		}
		f, ok := builtIn(col.Header)
		if !ok && col.Lower != col.Header {
			f, ok = builtIn(col.Lower)
		}
		if ok {
			c.take(col, f, true)
		}
	}
}

// take maps col to field unless another column has it already.
func (c *columns) take(col *Column, field string, auto bool) {
	if field == "" {
		return
	}
	if _, taken := c.index[field]; taken {
		return
	}
	col.Field, col.Auto = field, auto
	c.index[field] = col.Index
	c.header[field] = col.Header
}

// columnName returns the header text of a field's column, or the field's
// name in the current locale when the file has no such column.
func (c *columns) columnName(field string) string {
	if h, ok := c.header[field]; ok {
		return h
	}
	return FieldLabel(field)
}

// mergeRange is a merged cell of a sheet: rows and columns from 1,
// inclusive.
type mergeRange struct {
	top, left, bottom, right int
}

// joinsRows reports whether a merged cell spans rows a and b.
func joinsRows(merges []mergeRange, a, b int) bool {
	for _, r := range merges {
		if r.top <= a && r.bottom >= b {
			return true
		}
	}
	return false
}

// groupsColumns reports whether row num has a merged cell over several,
// but not all, of the header's width columns: a group heading such as
// 联系方式 over 手机 and 邮箱, not a title over the whole list.
func groupsColumns(merges []mergeRange, num, width int) bool {
	for _, r := range merges {
		if r.top == num && r.bottom == num && r.right > r.left && (r.left > 1 || r.right < width) {
			return true
		}
	}
	return false
}

// onlySilent reports whether a row holds text only in silent columns of
// cols, as the pre-numbered empty rows of a template do (序号 filled,
// nothing else).
func onlySilent(row tableRow, cols []Column) bool {
	silent := map[int]bool{}
	for _, col := range cols {
		if col.Silent {
			silent[col.Index] = true
		}
	}
	filled := false
	for i, cell := range row.cells {
		if trimSpace(cell.Text) == "" {
			continue
		}
		if !silent[i] {
			return false
		}
		filled = true
	}
	return filled
}
