// Package export turns the lists the desktop shows into sheet tables: the
// person list, the review queue and the conflict list. It has no Fyne
// import, so its tests need no display. The window and the export command
// both use it.
package export

import (
	"strconv"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/sheet"
)

// Masking selects whether a table shows personal fields in full.
type Masking int

const (
	// Masked hides the middle of ID numbers and phones and all of an
	// address but its region, as every screen shows them by default.
	Masked Masking = iota
	// Unmasked shows them in full. Only a role that may see personal
	// fields may export so, and each such export is audited.
	Unmasked
)

// PersonalFields are the person fields Masked hides, which an unmasked
// export records in its access events.
var PersonalFields = []string{record.FieldIDNumber, record.FieldPhone, record.FieldAddress}

// peopleColumn is one column of the people table.
type peopleColumn struct {
	field string
	text  bool // written as a text cell, see sheet.Column.Text
}

// peopleColumns are the columns of the people table: first those the
// person list shows, in its order (name, student number, ID number, then
// the 未授权 tag as the consent column), then the other person fields.
var peopleColumns = []peopleColumn{
	{field: record.FieldName},
	{field: record.FieldStudentNo, text: true},
	{field: record.FieldIDNumber, text: true},
	{field: record.FieldConsent},
	{field: record.FieldGender},
	{field: record.FieldPhone, text: true},
	{field: record.FieldMajor},
	{field: record.FieldGradYear},
	{field: record.FieldHomeRegion},
	{field: record.FieldStatus},
	{field: record.FieldWorkRegion},
	{field: record.FieldEmployer},
	{field: record.FieldAddress},
	{field: record.FieldSkills},
	{field: record.FieldWillReturn},
}

// People returns the table of persons in the order given, one row each,
// leaving out erased persons. The headers and values are in the Chinese
// forms the import reads back, whatever the locale, because the import
// recognises Chinese headers only: a list exported unmasked and imported
// into another store gives the same people. The address column has no
// import counterpart, so an import lists it as ignored.
func People(persons []record.Person, view Masking) sheet.Table {
	tables := codes.MustLoad()
	t := sheet.Table{Sheet: i18n.In(i18n.Chinese, "export.people.sheet")}
	for _, c := range peopleColumns {
		t.Columns = append(t.Columns, sheet.Column{Header: i18n.In(i18n.Chinese, "export.people."+c.field), Text: c.text})
	}
	for _, p := range persons {
		if p.Erased != "" {
			continue
		}
		row := make([]string, len(peopleColumns))
		for i, c := range peopleColumns {
			row[i] = personValue(tables, p, c.field, view)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// personValue returns the cell of one person field.
func personValue(tables *codes.Tables, p record.Person, field string, view Masking) string {
	value := p.Fields()[field]
	if value == "" {
		return ""
	}
	reveal := view == Unmasked
	switch field {
	case record.FieldIDNumber:
		if !reveal {
			return display.MaskID(value)
		}
	case record.FieldPhone:
		if !reveal {
			return display.MaskPhone(value)
		}
	case record.FieldAddress:
		if !reveal {
			return display.MaskAddress(value)
		}
	case record.FieldGender, record.FieldStatus, record.FieldWillReturn:
		return i18n.In(i18n.Chinese, field+"."+value)
	case record.FieldConsent:
		return i18n.In(i18n.Chinese, "export.people.consent."+value)
	case record.FieldMajor:
		return majorText(tables, value)
	case record.FieldHomeRegion, record.FieldWorkRegion:
		return regionText(tables, value)
	case record.FieldGradYear:
		return strconv.Itoa(p.GradYear)
	}
	return value
}

// majorText returns the name of a major when the name stands for that
// major alone, else its code, so that the import resolves it to the same
// major.
func majorText(tables *codes.Tables, code string) string {
	e, ok := tables.Majors.ByCode(code)
	if !ok {
		return code
	}
	if found := tables.Majors.ByName(e.Name); len(found) == 1 && found[0].Code == code {
		return e.Name
	}
	return code
}

// regionText returns the full name of a region, such as
// 江西省南昌市南昌县, when the import's lookup finds that region alone by
// it, else its code.
func regionText(tables *codes.Tables, code string) string {
	name := tables.RegionName(code)
	if name == "" {
		return code
	}
	if found := tables.LookupRegion(name); len(found) == 1 && found[0].Code == code {
		return name
	}
	return code
}
