package ui

import (
	"strings"

	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// employerDialog is the form of an employer of the directory.
type employerDialog struct {
	*recordDialog
	id           string // the employer edited, "" for a new one
	name         *widget.Entry
	creditCode   *widget.Entry
	region       *widget.SelectEntry
	industry     *widget.SelectEntry
	nature       *widget.Select
	contact      *widget.Entry
	contactPhone *widget.Entry
	natureCodes  []string // the codes of nature's options, in the same order
}

// showEmployerDialog opens the form for e, empty for a new employer.
// afterSave runs on the UI goroutine once the employer is stored.
func (w *window) showEmployerDialog(e record.Employer, afterSave func()) *employerDialog {
	d := &employerDialog{
		id:           e.ID,
		name:         widget.NewEntry(),
		creditCode:   widget.NewEntry(),
		contact:      widget.NewEntry(),
		contactPhone: widget.NewEntry(),
	}
	d.creditCode.SetPlaceHolder(i18n.T("ui.employers.credit_code.hint"))
	d.contactPhone.SetPlaceHolder(i18n.T("ui.employers.contact_phone.hint"))
	d.region = newCodePicker(i18n.T("ui.person.region.hint"), func(q string, limit int) []string {
		return display.RegionOptions(w.tables, q, limit)
	})
	d.industry = newCodePicker(i18n.T("ui.employers.industry.hint"), func(q string, limit int) []string {
		return industryOptions(w.tables, q, limit)
	})
	var natureLabels []string
	for _, n := range w.tables.EmployerNature.All() {
		d.natureCodes = append(d.natureCodes, n.Code)
		natureLabels = append(natureLabels, natureName(w.tables, n.Code))
	}
	d.nature = widget.NewSelect(natureLabels, nil)
	d.nature.PlaceHolder = i18n.T("ui.select.placeholder")

	form := newFieldForm()
	form.add(record.FieldTitle, d.name)
	form.add(record.FieldCreditCode, d.creditCode)
	form.add(record.FieldRegion, d.region)
	form.add(record.FieldIndustry, d.industry)
	form.add(record.FieldNature, d.nature)
	form.add(record.FieldContact, d.contact)
	form.add(record.FieldContactPhone, d.contactPhone)
	d.load(e, w.tables)

	title := i18n.T("ui.employers.dialog.add")
	if e.ID != "" {
		title = i18n.T("ui.employers.dialog.edit")
	}
	d.recordDialog = w.newRecordDialog(title, form, func() func() error { return d.validate(w) }, afterSave)
	d.dialog.Show()
	return d
}

// load fills the form with a stored employer.
func (d *employerDialog) load(e record.Employer, tables *codes.Tables) {
	d.name.SetText(e.Name)
	d.creditCode.SetText(e.CreditCode)
	d.region.SetText(display.RegionLabel(tables, e.Region))
	d.industry.SetText(industryLabel(tables, e.Industry))
	for i, code := range d.natureCodes {
		if code == e.Nature {
			d.nature.SetSelectedIndex(i)
		}
	}
	d.contact.SetText(e.Contact)
	d.contactPhone.SetText(e.ContactPhone)
}

// validate checks the form and returns the function that stores the
// employer, or nil when a field is invalid.
func (d *employerDialog) validate(w *window) func() error {
	nature := ""
	if i := d.nature.SelectedIndex(); i >= 0 {
		nature = d.natureCodes[i]
	}
	e, errs := validate.Employer(map[string]string{
		record.FieldTitle:        d.name.Text,
		record.FieldCreditCode:   d.creditCode.Text,
		record.FieldRegion:       display.CodeOf(w.tables.Regions, d.region.Text),
		record.FieldIndustry:     display.CodeOf(w.tables.Industries, d.industry.Text),
		record.FieldNature:       nature,
		record.FieldContact:      d.contact.Text,
		record.FieldContactPhone: d.contactPhone.Text,
	}, w.tables)
	d.form.showErrors(errs)
	if len(errs) > 0 {
		return nil
	}
	e.ID = d.id
	return func() error {
		_, err := w.store.SaveEmployer(e)
		return err
	}
}

// industryLabel returns the text an industry picker shows for a code, such
// as "3411 制造业 › 锅炉及辅助设备制造", or "" for an empty code.
func industryLabel(tables *codes.Tables, code string) string {
	if code == "" {
		return ""
	}
	if name := tables.IndustryName(code); name != "" {
		return code + " " + name
	}
	return code
}

// industryOptions returns up to limit picker labels for the industries
// whose code starts with query or whose name contains it. A query of a
// section letter and digits, such as C34 or C3411, finds the codes under
// that section starting with the digits, as GB/T 4754 writes them.
func industryOptions(tables *codes.Tables, query string, limit int) []string {
	var out []string
	if section, digits, ok := sectionAndDigits(query); ok {
		for _, e := range tables.Industries.Search(digits, 0) {
			if _, inSection := tables.Industry(section + e.Code); inSection && strings.HasPrefix(e.Code, digits) {
				out = append(out, industryLabel(tables, e.Code))
			}
			if len(out) == limit {
				break
			}
		}
		return out
	}
	for _, e := range tables.Industries.Search(query, limit) {
		out = append(out, industryLabel(tables, e.Code))
	}
	return out
}

// sectionAndDigits splits C3411 into the section letter C and the digits
// 3411. It reports false for any other text.
func sectionAndDigits(query string) (section, digits string, ok bool) {
	query = strings.ToUpper(strings.TrimSpace(query))
	if len(query) < 2 || query[0] < 'A' || query[0] > 'Z' {
		return "", "", false
	}
	for _, r := range query[1:] {
		if r < '0' || r > '9' {
			return "", "", false
		}
	}
	return query[:1], query[1:], true
}
