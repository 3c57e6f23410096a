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
// display name (the field.<name> translation). Editing the input clears the
// field's message, as watch describes.
func (f *fieldForm) add(field string, input fyne.CanvasObject) {
	message := widget.NewLabel("")
	message.Importance = widget.DangerImportance
	message.Wrapping = fyne.TextWrapWord
	message.Hide()
	f.errors[field] = message
	f.order = append(f.order, field)
	f.form.Append(i18n.T("field."+field), container.NewVBox(input, message))
	f.watch(field, input)
}

// watch clears the message of field when one of the inputs changes: an
// entry (also a select entry), a select, a check or a radio group, or any
// of those inside a container. It wraps the OnChanged set so far, so a
// form that sets OnChanged after add or watch replaces the hook, and inputs
// added to a container later need their own watch call.
func (f *fieldForm) watch(field string, inputs ...fyne.CanvasObject) {
	clear := func() { f.clearError(field) }
	for _, input := range inputs {
		switch in := input.(type) {
		case *widget.Entry:
			in.OnChanged = chain(clear, in.OnChanged)
		case *widget.SelectEntry:
			in.OnChanged = chain(clear, in.OnChanged)
		case *widget.Select:
			in.OnChanged = chain(clear, in.OnChanged)
		case *widget.RadioGroup:
			in.OnChanged = chain(clear, in.OnChanged)
		case *widget.Check:
			in.OnChanged = chain(clear, in.OnChanged)
		case *fyne.Container:
			f.watch(field, in.Objects...)
		}
	}
}

// chain returns an OnChanged callback that runs first, then next if set.
func chain[T any](first func(), next func(T)) func(T) {
	return func(value T) {
		first()
		if next != nil {
			next(value)
		}
	}
}

// clearError hides the message under field.
func (f *fieldForm) clearError(field string) {
	if message, ok := f.errors[field]; ok && message.Visible() {
		message.SetText("")
		message.Hide()
	}
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
