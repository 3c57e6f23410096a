package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"mobilefactory/desktop/importer"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// maxPrintedErrors bounds the row errors printed; --errors saves them all.
const maxPrintedErrors = 50

// maxPrintedChanges bounds the updated rows whose changes are printed.
const maxPrintedChanges = 50

// printPreview prints the counts of a plan, the problems of its first
// maxPrintedErrors rejected rows and the changes of its first
// maxPrintedChanges updated rows.
//
// The terminal is a screen: the ID number, phone and address are masked
// there as in the window. The --errors file keeps them.
func printPreview(w io.Writer, plan *importer.Plan) {
	printWarnings(w, plan.Warnings)
	fmt.Fprintln(w, i18n.T("import.cli.preview", plan.Add, plan.Update, plan.Skip, plan.Reject))
	printed, total := 0, 0
	for _, r := range plan.Rows {
		for _, e := range r.Errors {
			total++
			if printed < maxPrintedErrors {
				fmt.Fprintln(w, display.MaskReason(e.Message, e.Value, plan.FieldOf(e.Column) == record.FieldAddress))
				printed++
			}
		}
	}
	if total > printed {
		fmt.Fprintln(w, i18n.T("desktop.import.more_errors", total-printed))
	}
	printChanges(w, plan, codes.MustLoad())
}

// printWarnings prints the importer's warnings about the whole file, such
// as sheets that were not read, one a line. They are in the current locale
// and quote no personal values.
func printWarnings(w io.Writer, warnings []string) {
	for _, s := range warnings {
		fmt.Fprintln(w, i18n.T("desktop.import.warning", s))
	}
}

// printChanges prints one line per updated row, 第 N 行 姓名：字段 旧 → 新；…,
// and for a results plan the note of each added or updated row.
func printChanges(w io.Writer, plan *importer.Plan, tables *codes.Tables) {
	printed, total := 0, 0
	for _, r := range plan.Rows {
		parts := changeParts(r, tables)
		if len(parts) == 0 {
			continue
		}
		total++
		if printed < maxPrintedChanges {
			fmt.Fprintln(w, i18n.T("desktop.import.row_changes", r.Row, rowName(r), strings.Join(parts, i18n.T("desktop.import.change_separator"))))
			printed++
		}
	}
	if total > printed {
		fmt.Fprintln(w, i18n.T("desktop.import.more_changes", total-printed))
	}
}

// changeParts returns the changes of an updated row and the note of an
// added or updated row, as text.
func changeParts(r importer.RowPlan, tables *codes.Tables) []string {
	var parts []string
	switch r.Outcome {
	case importer.OutcomeUpdate:
		for _, c := range r.Changes {
			parts = append(parts, changeText(c, tables))
		}
	case importer.OutcomeAdd:
	default:
		return nil
	}
	if r.Note != "" {
		parts = append(parts, r.Note)
	}
	return parts
}

// rowName returns the name a change line starts with: the stored name when
// the row changes it, so that the clerk finds the person they know.
func rowName(r importer.RowPlan) string {
	for _, c := range r.Changes {
		if c.Field == record.FieldName && c.Old != "" {
			return c.Old
		}
	}
	return r.Person.Name
}

// changeText returns a changed field as 字段 旧 → 新. A person field shows
// its name and values as the person page does, with the ID number, phone
// and address masked. A module's attendance or score in a results plan is
// named by the importer and shown as it is.
func changeText(c importer.FieldChange, tables *codes.Tables) string {
	name, old, updated := c.Field, c.Old, c.New
	if record.HasField(record.KindPerson, c.Field) {
		name = display.FieldName(c.Field)
		old = display.FieldValue(tables, c.Field, old, false)
		updated = display.FieldValue(tables, c.Field, updated, false)
	}
	if old == "" {
		old = i18n.T("ui.import.empty_value")
	}
	if updated == "" {
		updated = i18n.T("ui.import.empty_value")
	}
	return i18n.T("desktop.import.change", name, old, updated)
}

// printUnknownColumns prints the columns no field takes, with the hint to
// map them by hand. A column that --map or a remembered mapping ignores is
// left out.
func printUnknownColumns(w io.Writer, plan *importer.Plan) {
	var headers []string
	for _, c := range plan.Unknown() {
		if !plan.IgnoredByHand(c) {
			headers = append(headers, c.Header)
		}
	}
	if len(headers) == 0 {
		return
	}
	fields := make([]string, 0, len(importer.MappableFields()))
	for _, f := range importer.MappableFields() {
		fields = append(fields, fieldText(f))
	}
	fmt.Fprintln(w, i18n.T("import.cli.unknown_columns", strings.Join(headers, "、"), strings.Join(fields, "、")))
}

// missingColumnsError returns the message for a list that lacks required
// columns: each missing column with the headers it may have, and the
// columns the file has. err is the importer's error, returned as the user
// sees it when no column is found missing.
func missingColumnsError(plan *importer.Plan, err error) error {
	present := map[string]bool{}
	for _, c := range plan.Columns {
		present[c.Field] = true
	}
	var missing []string
	for _, f := range importer.RequiredFields() {
		if !present[f] {
			label := importer.FieldLabel(f)
			missing = append(missing, i18n.T("desktop.import.missing_column", label, strings.Join(headerVariants(f, label), "、"), f))
		}
	}
	switch len(missing) {
	case 0:
		return userError(err)
	case 1:
		return errors.New(i18n.T("desktop.import.missing_one", missing[0], columnList(plan)))
	}
	return errors.New(i18n.T("desktop.import.missing_many", len(missing), strings.Join(missing, i18n.T("desktop.import.change_separator")), columnList(plan)))
}

// headerVariants returns the headers the import takes for field, with the
// field's label first when it is one of them.
func headerVariants(field, label string) []string {
	variants := importer.HeaderVariants(field)
	out := make([]string, 0, len(variants))
	for _, v := range variants {
		if v == label {
			out = append([]string{v}, out...)
		} else {
			out = append(out, v)
		}
	}
	return out
}
