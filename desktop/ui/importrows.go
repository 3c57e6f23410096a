package ui

import (
	"regexp"
	"strings"

	"mobilefactory/desktop/importer"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// Digit runs in a reject reason that look like a resident ID number (15
// to 18 characters, so one with a digit too many or too few still counts)
// or a mainland mobile number (10 to 12 digits from a 1). The reasons
// quote cell values, and the preview masks these as the person list does.
// Shorter runs, such as a phone cell of 12345, stay visible so that the
// clerk can find the wrong value.
var (
	idNumberPattern = regexp.MustCompile(`\b\d{14,17}[\dXx]\b`)
	mobilePattern   = regexp.MustCompile(`\b1\d{9,11}\b`)
)

// rowHeading returns the start of a preview row: 第 N 行, the outcome, the
// name and the masked ID number.
func (v *importView) rowHeading(r importer.RowPlan) string {
	name, id := r.Person.Name, r.Person.IDNumber
	if name == "" && id == "" {
		// Rejected rows have no person; their cells name them.
		name, id = v.cell(r, record.FieldName), v.cell(r, record.FieldIDNumber)
	}
	parts := []string{i18n.T("ui.import.row", r.Row), outcomeLabel(r.Outcome)}
	if name != "" {
		parts = append(parts, name)
	}
	if id != "" {
		parts = append(parts, display.MaskID(id))
	}
	return strings.Join(parts, "  ")
}

// cell returns the cell of a row in the column mapped to field, or "".
func (v *importView) cell(r importer.RowPlan, field string) string {
	for _, c := range v.plan.Columns {
		if c.Field == field && c.Index < len(r.Cells) {
			return strings.TrimSpace(r.Cells[c.Index])
		}
	}
	return ""
}

// rowDetail returns the detail of a preview row, one item a line: the
// reasons of a rejected row, the changed fields of an update as 字段：旧 →
// 新, the note of a skipped row. Personal values are masked.
func (v *importView) rowDetail(r importer.RowPlan) string {
	var lines []string
	switch r.Outcome {
	case importer.OutcomeReject:
		for _, e := range r.Errors {
			lines = append(lines, v.maskedReason(e))
		}
	case importer.OutcomeUpdate:
		for _, c := range r.Changes {
			lines = append(lines, v.changeLine(c))
		}
	case importer.OutcomeSkip:
		lines = append(lines, r.SkipNote)
	}
	return strings.Join(lines, "\n")
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
// masked: the cell of an address column, and any ID or mobile number among
// the words.
func (v *importView) maskedReason(e importer.RowError) string {
	msg := e.Message
	if v.fieldOfHeader(e.Column) == record.FieldAddress && e.Value != "" {
		msg = strings.ReplaceAll(msg, e.Value, display.MaskAddress(e.Value))
	}
	msg = idNumberPattern.ReplaceAllStringFunc(msg, display.MaskID)
	return mobilePattern.ReplaceAllStringFunc(msg, display.MaskPhone)
}

// fieldOfHeader returns the field of the column with header, or "".
func (v *importView) fieldOfHeader(header string) string {
	for _, c := range v.plan.Columns {
		if c.Header == header {
			return c.Field
		}
	}
	return ""
}
