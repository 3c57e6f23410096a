package ui

import (
	"time"

	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// classDialog is the form for a new class (班级), custom classes (定制班)
// included: its title, programme, and start and end dates.
type classDialog struct {
	*recordDialog
	title      *widget.Entry
	programme  *widget.Select
	start      *widget.Entry
	end        *widget.Entry
	programmes []record.Programme // in the order of the programme options
	saved      string             // the stored class's id, set before afterSave runs
}

// showClassDialog opens the class form with a choice of programmes.
// afterSave runs on the UI goroutine once the class is stored, with its id.
func (w *window) showClassDialog(programmes []record.Programme, afterSave func(id string)) *classDialog {
	d := &classDialog{
		title:      widget.NewEntry(),
		start:      widget.NewEntry(),
		end:        widget.NewEntry(),
		programmes: programmes,
	}
	d.programme = widget.NewSelect(programmeOptions(programmes), nil)
	d.programme.PlaceHolder = i18n.T("ui.class.programme.choose")
	d.start.SetPlaceHolder(i18n.T("ui.date.hint"))
	d.end.SetPlaceHolder(i18n.T("ui.date.hint"))

	form := newFieldForm()
	form.add(record.FieldTitle, d.title)
	form.add(record.FieldProgramme, d.programme)
	form.add(record.FieldStart, d.start)
	form.add(record.FieldEnd, d.end)

	d.recordDialog = w.newRecordDialog(i18n.T("ui.class.add"), form, func() func() error {
		return d.validate(w)
	}, func() { afterSave(d.saved) })
	d.dialog.Show()
	return d
}

// programmeOptions returns the texts a programme choice offers: the title,
// with the employer when the programme has one, so two programmes of the
// same title can be distinguished.
func programmeOptions(programmes []record.Programme) []string {
	options := make([]string, len(programmes))
	for i, p := range programmes {
		options[i] = display.ProgrammeTitle(p)
		if p.Employer != "" {
			options[i] = i18n.T("ui.programme.option", options[i], p.Employer)
		}
	}
	return options
}

// validate checks the form and returns the function that stores the class,
// or nil when a field is invalid.
func (d *classDialog) validate(w *window) func() error {
	programme := ""
	if i := d.programme.SelectedIndex(); i >= 0 && i < len(d.programmes) {
		programme = d.programmes[i].ID
	}
	c, errs := display.ParseClass(map[string]string{
		record.FieldTitle:     d.title.Text,
		record.FieldProgramme: programme,
		record.FieldStart:     d.start.Text,
		record.FieldEnd:       d.end.Text,
	})
	d.form.showErrors(errs)
	if len(errs) > 0 {
		return nil
	}
	return func() error {
		saved, err := w.store.SaveClass(c)
		d.saved = saved.ID
		return err
	}
}

// openClasses returns the classes that have not ended as of now: those
// whose end date is today or later, or that have no end date. An ended
// class is no longer offered for enrolment.
func openClasses(classes []record.Class, now time.Time) []record.Class {
	today := now.Format(time.DateOnly)
	var out []record.Class
	for _, c := range classes {
		// Stored dates are validated as YYYY-MM-DD, so they compare as text.
		if c.End == "" || c.End >= today {
			out = append(out, c)
		}
	}
	return out
}
