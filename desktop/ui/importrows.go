package ui

import (
	"strings"

	"golang.org/x/text/width"

	"mobilefactory/desktop/importer"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// rowHeading returns the start of a preview row: 第 N 行, the outcome, the
// name and the masked ID number.
func (v *importView) rowHeading(r importer.RowPlan) string {
	name, id := r.Person.Name, r.Person.IDNumber
	if name == "" && id == "" {
		// Rejected rows have no person; their cells name them.
		name, id = v.cell(r, record.FieldName), v.cell(r, record.FieldIDNumber)
	}
	row := i18n.T("ui.import.row", r.Row)
	if len(v.plan.Sheets) > 1 {
		row = i18n.T("ui.import.sheet_row", r.Sheet, r.Row)
	}
	parts := []string{row, outcomeLabel(r.Outcome)}
	if name != "" {
		parts = append(parts, name)
	}
	if id != "" {
		// A full-width ID number (３６０１…) is masked as its ASCII form,
		// as the importer reads it.
		parts = append(parts, display.MaskID(width.Narrow.String(id)))
	}
	return strings.Join(parts, "  ")
}

// cell returns the cell of a row in the column mapped to field, or "".
func (v *importView) cell(r importer.RowPlan, field string) string {
	for _, c := range v.plan.ColumnsOf(r.Sheet) {
		if c.Field == field && c.Index < len(r.Cells) {
			return strings.TrimSpace(r.Cells[c.Index])
		}
	}
	return ""
}

// rowDetail returns the detail of a preview row, one item a line. A
// rejected row lists its reasons, an added row its values (字段：值), an
// update its changed fields (字段：旧 → 新) and a skipped row its note.
// What else an added or updated row does follows. Personal values are
// masked.
func (v *importView) rowDetail(r importer.RowPlan) string {
	var lines []string
	switch r.Outcome {
	case importer.OutcomeReject:
		for _, e := range r.Errors {
			lines = append(lines, v.maskedReason(e))
		}
	case importer.OutcomeAdd:
		lines = append(lines, v.addedLines(r.Person)...)
	case importer.OutcomeUpdate:
		for _, c := range r.Changes {
			lines = append(lines, v.changeLine(c))
		}
	case importer.OutcomeSkip:
		lines = append(lines, r.SkipNote)
	}
	if r.Note != "" {
		lines = append(lines, display.MaskReason(r.Note, "", false))
	}
	return strings.Join(lines, "\n")
}

// addedFields are the person fields the detail of an added row lists, in
// the order of the person page.
var addedFields = []string{
	record.FieldName, record.FieldGender, record.FieldIDNumber, record.FieldPhone,
	record.FieldStudentNo, record.FieldMajor, record.FieldGradYear, record.FieldHomeRegion,
	record.FieldStatus, record.FieldWorkRegion, record.FieldEmployer, record.FieldAddress,
}

// addedLines returns the values an added person gets as 字段：值, named and
// masked as the person page shows them. Empty fields are left out.
func (v *importView) addedLines(p record.Person) []string {
	values := p.Fields()
	var lines []string
	for _, f := range addedFields {
		value := display.FieldValue(v.w.tables, f, values[f], false)
		if value != "" {
			lines = append(lines, i18n.T("ui.import.added_value", display.FieldName(f), value))
		}
	}
	return lines
}

// changeLine returns a changed field as 字段：旧 → 新. A person field shows
// its name and values as the person page does, masked when personal. Any
// other field, such as a module's score in a class-results import, comes
// named by the importer and shows as it is.
func (v *importView) changeLine(c importer.FieldChange) string {
	name, old, updated := c.Field, c.Old, c.New
	if record.HasField(record.KindPerson, c.Field) {
		name = display.FieldName(c.Field)
		old = display.FieldValue(v.w.tables, c.Field, old, false)
		updated = display.FieldValue(v.w.tables, c.Field, updated, false)
	}
	if old == "" {
		old = i18n.T("ui.import.empty_value")
	}
	if updated == "" {
		updated = i18n.T("ui.import.empty_value")
	}
	return i18n.T("ui.import.change", name, old, updated)
}

// maskedReason returns a reject reason with the personal values it quotes
// masked.
func (v *importView) maskedReason(e importer.RowError) string {
	return display.MaskReason(e.Message, e.Value, v.plan.FieldOf(e.Column) == record.FieldAddress)
}
