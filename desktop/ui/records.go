package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// recordSection is a titled list of a person's records of one kind, with a
// button that opens the form for a new one.
type recordSection struct {
	content fyne.CanvasObject
	rows    *fyne.Container
	empty   string // the text shown when there are no records
	// views are the rows setHistoryRows showed last, nil after setRows.
	views []*historyRowView
}

func newRecordSection(title, addLabel, empty string, onAdd func()) *recordSection {
	s := &recordSection{rows: container.NewVBox(), empty: empty}
	heading := widget.NewLabel(title)
	heading.TextStyle = fyne.TextStyle{Bold: true}
	add := widget.NewButtonWithIcon(addLabel, theme.ContentAddIcon(), onAdd)
	s.content = container.NewVBox(container.NewHBox(heading, layout.NewSpacer(), add), s.rows)
	return s
}

// setRows shows one label per record, or the empty text.
func (s *recordSection) setRows(texts []string) {
	s.rows.RemoveAll()
	s.views = nil
	if len(texts) == 0 {
		empty := widget.NewLabel(s.empty)
		empty.Importance = widget.LowImportance
		s.rows.Add(empty)
		return
	}
	for _, text := range texts {
		row := widget.NewLabel(text)
		row.Wrapping = fyne.TextWrapWord
		s.rows.Add(row)
	}
}

// setError shows why the records could not be read.
func (s *recordSection) setError(err error) {
	s.rows.RemoveAll()
	s.views = nil
	message := widget.NewLabel(i18n.T("ui.records.load_failed", err))
	message.Importance = widget.DangerImportance
	message.Wrapping = fyne.TextWrapWord
	s.rows.Add(message)
}

// texts returns the row texts shown, as a test reads them.
func (s *recordSection) texts() []string {
	var out []string
	if len(s.views) > 0 {
		for _, v := range s.views {
			out = append(out, v.text.Text)
		}
		return out
	}
	for _, o := range s.rows.Objects {
		out = append(out, o.(*widget.Label).Text)
	}
	return out
}

// today returns the date of the window's clock, the latest date a form
// accepts for an event that has happened.
func (w *window) today() validate.Date { return validate.DateOf(w.now()) }

// dialogWidth is the width of the record dialogs. Their height follows the
// form.
const dialogWidth = 520

// recordDialog is a form dialog whose Save button validates the form and
// saves the record off the UI goroutine. The dialog closes only once the
// record is stored, and invalid fields show their message under the input.
type recordDialog struct {
	w      *window
	dialog *dialog.CustomDialog
	form   *fieldForm
	save   *widget.Button
	draft  *widget.Button // 保存草稿 of a history dialog, nil in others
	// notice is the line above the form, such as the reason a reviewer
	// returned the record, hidden when empty.
	notice *widget.Label
	// fit sizes the dialog after the messages under the fields changed.
	fit func()
}

// newRecordDialog builds the dialog. On Save, validate checks the form and
// returns the function that stores the record, or nil when a field is
// invalid. afterSave runs on the UI goroutine once the record is stored.
func (w *window) newRecordDialog(title string, form *fieldForm, validate func() func() error, afterSave func()) *recordDialog {
	return w.newRecordDialogWith(title, form, func(body fyne.CanvasObject) fyne.CanvasObject { return body },
		validate, afterSave)
}

// newRecordDialogWith builds the dialog with wrap around the notice and
// form, such as a scroll container for a form taller than the window. The
// buttons stay outside wrap.
func (w *window) newRecordDialogWith(title string, form *fieldForm, wrap func(fyne.CanvasObject) fyne.CanvasObject,
	validate func() func() error, afterSave func()) *recordDialog {
	d := &recordDialog{w: w, form: form, notice: widget.NewLabel("")}
	d.notice.Importance = widget.DangerImportance
	d.notice.Wrapping = fyne.TextWrapWord
	d.notice.Hide()
	d.dialog = dialog.NewCustomWithoutButtons(title, wrap(container.NewVBox(d.notice, form.form)), w.win)
	d.fit = func() { d.dialog.Resize(fyne.NewSize(dialogWidth, 0)) }
	cancel := widget.NewButton(i18n.T("ui.dialog.cancel"), d.dialog.Hide)
	d.save = widget.NewButtonWithIcon(i18n.T("ui.dialog.save"), theme.ConfirmIcon(), func() {
		store := validate()
		// Messages under the fields change the form's height.
		d.fit()
		if store == nil {
			return
		}
		d.save.Disable()
		w.spawn(func() {
			err := store()
			w.do(func() {
				d.save.Enable()
				if err != nil {
					dialog.ShowError(errors.New(i18n.T("ui.records.save_failed", err)), w.win)
					return
				}
				d.dialog.Hide()
				afterSave()
			})
		})
	})
	d.save.Importance = widget.HighImportance
	d.dialog.SetButtons([]fyne.CanvasObject{cancel, d.save})
	d.dialog.Resize(fyne.NewSize(dialogWidth, 0))
	return d
}

// newHistoryDialog builds a record dialog for a history record, with two
// buttons that store it: 保存草稿 keeps it a draft, and 提交审核 (the
// dialog's save button) submits it for review. validate is called with
// draft true for the first and returns the function that stores the
// record, or nil when a field is invalid. review is the state of the record
// being corrected: a returned one shows the reviewer's reason at the top.
func (w *window) newHistoryDialog(title string, form *fieldForm, review record.Review, validate func(draft bool) func() error, afterSave func()) *recordDialog {
	draftRequested := false
	d := w.newRecordDialog(title, form, func() func() error {
		draft := draftRequested
		draftRequested = false
		return validate(draft)
	}, afterSave)
	d.save.SetText(i18n.T("ui.history.submit"))
	d.draft = widget.NewButtonWithIcon(i18n.T("ui.history.save_draft"), theme.DocumentSaveIcon(), func() {
		if d.save.Disabled() {
			return // a save is running
		}
		draftRequested = true
		d.save.OnTapped()
	})
	cancel := widget.NewButton(i18n.T("ui.dialog.cancel"), d.dialog.Hide)
	d.dialog.SetButtons([]fyne.CanvasObject{cancel, d.draft, d.save})
	if review.Current() == record.ReviewReturned {
		d.notice.SetText(i18n.T("ui.history.return_reason", review.Reason))
		d.notice.Show()
		d.dialog.Resize(fyne.NewSize(dialogWidth, 0))
	}
	return d
}
