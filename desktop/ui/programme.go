package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// programmeDialog is the form for a new job-tailored programme (岗位打版):
// its title, the employer and position it serves, the job demand, and its
// modules as an editable list of name, hours and pass mark rows.
type programmeDialog struct {
	*recordDialog
	title     *widget.Entry
	employer  *widget.Entry
	position  *widget.Entry
	demand    *widget.Entry
	modules   []*moduleRow
	moduleBox *fyne.Container
	addModule *widget.Button
	saved     string // the stored programme's id, set before afterSave runs
}

// moduleRow is one row of the programme form's module list.
type moduleRow struct {
	name     *widget.Entry
	hours    *widget.Entry
	passMark *widget.Entry
	content  fyne.CanvasObject
}

// showProgrammeDialog opens the programme form. afterSave runs on the UI
// goroutine once the programme is stored, with its id.
func (w *window) showProgrammeDialog(afterSave func(id string)) *programmeDialog {
	d := &programmeDialog{
		title:     widget.NewEntry(),
		employer:  widget.NewEntry(),
		position:  widget.NewEntry(),
		demand:    widget.NewMultiLineEntry(),
		moduleBox: container.NewVBox(),
	}
	d.demand.SetMinRowsVisible(2)
	d.addModule = widget.NewButtonWithIcon(i18n.T("ui.programme.module.add"), theme.ContentAddIcon(), func() {
		d.appendModule()
		d.dialog.Resize(fyne.NewSize(programmeDialogWidth, 0))
	})
	header := container.NewGridWithColumns(3, widget.NewLabel(i18n.T("ui.programme.module.name")),
		widget.NewLabel(i18n.T("ui.programme.module.hours")), widget.NewLabel(i18n.T("ui.programme.module.pass_mark")))

	form := newFieldForm()
	form.add(record.FieldTitle, d.title)
	form.add(record.FieldEmployer, d.employer)
	form.add(record.FieldPosition, d.position)
	form.add(record.FieldDemand, d.demand)
	form.add(record.FieldModules, container.NewVBox(header, d.moduleBox, container.NewHBox(d.addModule)))

	d.recordDialog = w.newRecordDialog(i18n.T("ui.programme.add"), form, func() func() error {
		return d.validate(w)
	}, func() { afterSave(d.saved) })
	d.appendModule()
	d.dialog.Resize(fyne.NewSize(programmeDialogWidth, 0))
	d.dialog.Show()
	return d
}

// programmeDialogWidth leaves room for the three columns of the module list.
const programmeDialogWidth = 640

// appendModule adds an empty row to the module list.
func (d *programmeDialog) appendModule() *moduleRow {
	row := &moduleRow{name: widget.NewEntry(), hours: widget.NewEntry(), passMark: widget.NewEntry()}
	row.hours.SetPlaceHolder(i18n.T("ui.programme.module.hours_hint"))
	row.passMark.SetText("60")
	d.form.watch(record.FieldModules, row.name, row.hours, row.passMark)
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		for i, r := range d.modules {
			if r == row {
				d.modules = append(d.modules[:i], d.modules[i+1:]...)
				break
			}
		}
		d.moduleBox.Remove(row.content)
	})
	cells := container.NewGridWithColumns(3, row.name, row.hours, row.passMark)
	row.content = container.NewBorder(nil, nil, nil, remove, cells)
	d.modules = append(d.modules, row)
	d.moduleBox.Add(row.content)
	return row
}

// validate checks the form and returns the function that stores the
// programme, or nil when a field is invalid.
func (d *programmeDialog) validate(w *window) func() error {
	inputs := make([]display.ModuleInput, len(d.modules))
	for i, row := range d.modules {
		inputs[i] = display.ModuleInput{Name: row.name.Text, Hours: row.hours.Text, PassMark: row.passMark.Text}
	}
	p, errs := display.ParseProgramme(map[string]string{
		record.FieldTitle:    d.title.Text,
		record.FieldEmployer: d.employer.Text,
		record.FieldPosition: d.position.Text,
		record.FieldDemand:   d.demand.Text,
	}, inputs)
	d.form.showErrors(errs)
	if len(errs) > 0 {
		return nil
	}
	return func() error {
		saved, err := w.store.SaveProgramme(p)
		d.saved = saved.ID
		return err
	}
}

// programmeDetail shows a programme's employer, position, demand and
// modules, read-only.
func programmeDetail(p record.Programme) fyne.CanvasObject {
	title := widget.NewLabel(display.ProgrammeTitle(p))
	title.TextStyle = fyne.TextStyle{Bold: true}
	info := widget.NewForm()
	for _, f := range []struct{ field, value string }{
		{record.FieldEmployer, p.Employer},
		{record.FieldPosition, p.Position},
		{record.FieldDemand, p.Demand},
	} {
		if f.value != "" {
			value := widget.NewLabel(f.value)
			value.Wrapping = fyne.TextWrapWord
			info.Append(i18n.T("field."+f.field), value)
		}
	}
	modules := container.NewGridWithColumns(3, boldLabel(i18n.T("ui.programme.module.name")),
		boldLabel(i18n.T("ui.programme.module.hours")), boldLabel(i18n.T("ui.programme.module.pass_mark")))
	for _, m := range p.Modules {
		modules.Add(widget.NewLabel(display.ModuleName(p, m)))
		modules.Add(widget.NewLabel(i18n.T("ui.training.row.hours", m.Hours)))
		modules.Add(widget.NewLabel(i18n.T("ui.programme.pass_mark_value", m.PassMark)))
	}
	return container.NewVBox(title, info, modules, layout.NewSpacer())
}

func boldLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}
