package importer

import (
	"strings"
	"unicode"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// fieldCollege names the college column. It is no person field: the
// college is the record's scope, which must be the device's college.
const fieldCollege = "college"

// fieldConsent names the consent column. It contains only 是 or 否, so
// checkRow sets the consent date and account itself.
const fieldConsent = "consent"

// maxHeaderRow is how many rows from the top may come before the header
// row, for lists that start with a title such as 2024届毕业生名单.
const maxHeaderRow = 10

// headerFields maps the header texts colleges and the HR bureau use, as
// normaliseHeader leaves them, to fields.
var headerFields = map[string]string{
	"姓名":     record.FieldName,
	"身份证号":   record.FieldIDNumber,
	"身份证号码":  record.FieldIDNumber,
	"公民身份号码": record.FieldIDNumber,
	"身份证":    record.FieldIDNumber,
	"性别":     record.FieldGender,
	"院校":     fieldCollege,
	"学校":     fieldCollege,
	"院校名称":   fieldCollege,
	"学校名称":   fieldCollege,
	"专业":     record.FieldMajor,
	"专业名称":   record.FieldMajor,
	"专业代码":   record.FieldMajor,
	"毕业年份":   record.FieldGradYear,
	"毕业年度":   record.FieldGradYear,
	"届别":     record.FieldGradYear,
	"手机号码":   record.FieldPhone,
	"手机号":    record.FieldPhone,
	"手机":     record.FieldPhone,
	"联系电话":   record.FieldPhone,
	"生源地":    record.FieldHomeRegion,
	"籍贯":     record.FieldHomeRegion,
	"就业状态":   record.FieldStatus,
	"学号":     record.FieldStudentNo,
	"工作地区":   record.FieldWorkRegion,
	"就业地区":   record.FieldWorkRegion,
	"工作单位":   record.FieldEmployer,
	"就业单位":   record.FieldEmployer,
	"单位":     record.FieldEmployer,
	"同意入库":   fieldConsent,
	"入库授权":   fieldConsent,
	"授权":     fieldConsent,
	"是否同意入库": fieldConsent,
	"是否授权":   fieldConsent,
}

// requiredFields are the columns a list must have.
var requiredFields = []string{record.FieldName, record.FieldIDNumber}

// columns is the header of a list mapped to fields.
type columns struct {
	headerRow int               // index of the header row in table.rows
	index     map[string]int    // field → column index
	header    map[string]string // field → header text as the file has it
	ignored   []string          // header texts of unknown or repeated columns
}

// normaliseHeader reduces a header cell to the form headerFields uses: no
// spaces or line breaks, ASCII for full-width forms, no required-field
// star, and nothing from the first bracket on, so that
// "*手机号码（11位）" becomes 手机号码.
func normaliseHeader(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '\uFF01' && r <= '\uFF5E':
			r -= 0xFEE0
		case unicode.IsSpace(r), r == '\uFEFF', r == '\u200B':
			continue
		}
		b.WriteRune(r)
	}
	h := b.String()
	if i := strings.IndexAny(h, "(["); i >= 0 {
		h = h[:i]
	}
	return strings.Trim(h, "*:")
}

// findHeader returns the index of the first of the top rows that has a
// name and an ID number column, or -1.
func findHeader(rows []tableRow) int {
	for i, row := range rows[:min(len(rows), maxHeaderRow)] {
		var name, id bool
		for _, c := range row.cells {
			switch headerFields[normaliseHeader(c.Text)] {
			case record.FieldName:
				name = true
			case record.FieldIDNumber:
				id = true
			}
		}
		if name && id {
			return i
		}
	}
	return -1
}

// mapHeader finds the header row of tbl and maps its columns. It returns a
// *FileError wrapping ErrMissingColumns, naming each missing column, when
// the list lacks a required column.
func mapHeader(tbl *table) (*columns, error) {
	cols := &columns{headerRow: findHeader(tbl.rows), index: map[string]int{}, header: map[string]string{}}
	if cols.headerRow < 0 {
		cols.headerRow = 0 // report what the first row lacks
	}

	for i, c := range tbl.rows[cols.headerRow].cells {
		text := trimSpace(c.Text)
		if text == "" {
			continue
		}
		field, ok := headerFields[normaliseHeader(text)]
		if _, repeated := cols.index[field]; !ok || repeated {
			cols.ignored = append(cols.ignored, text)
			continue
		}
		cols.index[field] = i
		cols.header[field] = text
	}

	var missing []string
	for _, field := range requiredFields {
		if _, ok := cols.index[field]; !ok {
			missing = append(missing, i18n.T("field."+field))
		}
	}
	if len(missing) > 0 {
		return nil, fileError(ErrMissingColumns, "import.header.missing", strings.Join(missing, "、"))
	}
	return cols, nil
}

// columnName returns the header text of a field's column, or the field's
// name in the current locale when the file has no such column.
func (c *columns) columnName(field string) string {
	if h, ok := c.header[field]; ok {
		return h
	}
	return i18n.T("field." + field)
}

// trimSpace trims white space, including U+3000 and the zero-width
// characters that text copied from web pages carries.
func trimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B'
	})
}
