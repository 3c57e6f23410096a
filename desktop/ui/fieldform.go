package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/validate"
)

// fieldForm is a form whose fields each have a red message line under the
// input, shown while the last validation found that field invalid.
type fieldForm struct {
	form   *widget.Form
	errors map[string]*widget.Label // record field name → its message line
	order  []string                 // field names in form order
}

func newFieldForm() *fieldForm {
	return &fieldForm{form: widget.NewForm(), errors: map[string]*widget.Label{}}
}

// add appends the input for a record field, labelled with the field's
// display name (the field.<name> translation).
func (f *fieldForm) add(field string, input fyne.CanvasObject) {
	message := widget.NewLabel("")
	message.Importance = widget.DangerImportance
	message.Wrapping = fyne.TextWrapWord
	message.Hide()
	f.errors[field] = message
	f.order = append(f.order, field)
	f.form.Append(i18n.T("field."+field), container.NewVBox(input, message))
}

// showErrors shows each error under its field and clears the others. An
// error for a field the form does not have is shown under the first field,
// so no failure goes unseen.
func (f *fieldForm) showErrors(errs []validate.FieldError) {
	for _, message := range f.errors {
		message.SetText("")
		message.Hide()
	}
	for _, fe := range errs {
		message, ok := f.errors[fe.Field]
		if !ok && len(f.order) > 0 {
			message = f.errors[f.order[0]]
		}
		if message == nil {
			continue
		}
		text := i18n.T(fe.Err.Key, fe.Err.Args...)
		if message.Text != "" {
			text = message.Text + "\n" + text
		}
		message.SetText(text)
		message.Show()
	}
}

// errorText returns the message shown under a field, "" when none.
func (f *fieldForm) errorText(field string) string {
	if message, ok := f.errors[field]; ok && message.Visible() {
		return message.Text
	}
	return ""
}
