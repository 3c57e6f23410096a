// Package display turns records, codes and sync state into the text the
// desktop screens show. It has no Fyne import, so its tests need no display.
//
// Text comes from package i18n in the current locale. Personal data is
// masked here, before it reaches a widget.
package display

import (
	"strings"

	"mobilefactory/shared/codes"
	"mobilefactory/shared/mask"
	"mobilefactory/shared/record"
)

// MaskID hides the middle of a resident ID number; see mask.ID.
func MaskID(id string) string { return mask.ID(id) }

// MaskAddress keeps only the region part of an address; see mask.Address.
func MaskAddress(address string) string { return mask.Address(address) }

// PersonRow returns the text of a person's row in the person list: the name,
// the student number and the masked ID number, leaving out empty parts.
func PersonRow(p record.Person) string {
	parts := []string{p.Name}
	if p.StudentNo != "" {
		parts = append(parts, p.StudentNo)
	}
	if p.IDNumber != "" {
		parts = append(parts, MaskID(p.IDNumber))
	}
	return strings.Join(parts, "  ")
}

// MajorLabel returns the text a major picker shows for a code, such as
// "510203 软件技术", or "" for an empty code. An unknown code is shown alone.
func MajorLabel(tables *codes.Tables, code string) string {
	if code == "" {
		return ""
	}
	if e, ok := tables.Majors.ByCode(code); ok {
		return e.Code + " " + e.Name
	}
	return code
}

// RegionLabel returns the text a region picker shows for a code, such as
// "360121 江西省南昌市南昌县", or "" for an empty code. An unknown code is
// shown alone.
func RegionLabel(tables *codes.Tables, code string) string {
	if code == "" {
		return ""
	}
	if name := tables.RegionName(code); name != "" {
		return code + " " + name
	}
	return code
}

// CodeOf returns the code a picker's text stands for. Text a picker made
// ("510203 软件技术") gives its leading code when that code is in table.
// Any other text is returned trimmed, for the validator to resolve as a
// name or to reject.
func CodeOf(table *codes.Table, text string) string {
	text = strings.TrimSpace(text)
	code, _, found := strings.Cut(text, " ")
	if found {
		if e, ok := table.ByCode(code); ok {
			return e.Code
		}
	}
	return text
}

// MajorOptions returns up to limit picker labels for the majors whose code
// starts with query or whose name contains it.
func MajorOptions(tables *codes.Tables, query string, limit int) []string {
	var out []string
	for _, e := range tables.Majors.Search(query, limit) {
		out = append(out, e.Code+" "+e.Name)
	}
	return out
}

// RegionOptions returns up to limit picker labels for the regions whose code
// starts with query or whose name contains it, each with its full name.
func RegionOptions(tables *codes.Tables, query string, limit int) []string {
	var out []string
	for _, e := range tables.Regions.Search(query, limit) {
		out = append(out, RegionLabel(tables, e.Code))
	}
	return out
}
