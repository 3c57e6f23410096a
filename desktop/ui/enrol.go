package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/i18n"
)

// enrolForm is the enrolment screen's inputs, kept for tests.
type enrolForm struct {
	server *widget.Entry
	code   *widget.Entry
	// account and password make the first local account, an administrator,
	// before enrolment. The form has them while the store has no account.
	account  *widget.Entry
	password *widget.Entry
	accounts *fyne.Container // the two inputs' form, hidden once the account exists
	submit   *widget.Button
	hint     *widget.Label
}

// enrolScreen is shown while the device is not enrolled. It takes the
// server address and the one-time enrolment code the central office issued
// and calls Options.Enrol with them. A store without accounts first gets its
// first account, an administrator, from the name and password typed here. When enrolment stores the identity the
// store's event rebuilds the window into the talent screen.
func (w *window) enrolScreen() fyne.CanvasObject {
	f := &enrolForm{server: widget.NewEntry(), code: widget.NewEntry()}
	f.server.SetPlaceHolder(i18n.T("ui.enrol.server.hint"))
	f.code.SetPlaceHolder(i18n.T("ui.enrol.code.hint"))
	f.hint = widget.NewLabel("")
	f.hint.Importance = widget.DangerImportance
	f.hint.Wrapping = fyne.TextWrapWord
	f.hint.Hide()
	f.submit = widget.NewButton(i18n.T("ui.enrol.submit"), func() { w.enrol(f) })
	f.submit.Importance = widget.HighImportance
	w.enrolling = f

	title := widget.NewLabel(i18n.T("ui.enrol.title"))
	title.TextStyle = fyne.TextStyle{Bold: true}
	explain := widget.NewLabel(i18n.T("ui.enrol.explain"))
	explain.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(i18n.T("ui.enrol.server"), f.server),
		widget.NewFormItem(i18n.T("ui.enrol.code"), f.code),
	)
	f.account = widget.NewEntry()
	f.account.SetPlaceHolder(i18n.T("ui.enrol.account.hint"))
	f.password = widget.NewPasswordEntry()
	f.password.SetPlaceHolder(i18n.T("ui.enrol.password.hint", store.MinPasswordRunes))
	f.accounts = container.NewVBox(widget.NewForm(
		widget.NewFormItem(i18n.T("ui.enrol.account"), f.account),
		widget.NewFormItem(i18n.T("ui.enrol.password"), f.password),
	))
	if w.store.HasAccounts() {
		f.accounts.Hide()
	}
	box := container.NewVBox(title, explain, form, f.accounts, f.hint, container.NewHBox(f.submit))
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(520, box.MinSize().Height+40), box))
}

// enrol checks the inputs and runs Options.Enrol off the UI goroutine.
func (w *window) enrol(f *enrolForm) {
	server := strings.TrimSpace(f.server.Text)
	code := strings.TrimSpace(f.code.Text)
	switch {
	case server == "":
		w.showEnrolHint(f, i18n.T("ui.enrol.server.required"))
		return
	case code == "":
		w.showEnrolHint(f, i18n.T("ui.enrol.code.required"))
		return
	case f.accounts.Visible() && strings.TrimSpace(f.account.Text) == "":
		w.showEnrolHint(f, i18n.T("ui.enrol.account.required"))
		return
	case f.accounts.Visible() && store.ValidatePassword(f.password.Text) != nil:
		w.showEnrolHint(f, store.Message(store.ErrPasswordShort))
		return
	case w.opts.Enrol == nil:
		dialog.ShowError(errors.New(i18n.T("ui.enrol.unavailable")), w.win)
		return
	}
	f.hint.Hide()

	f.submit.Disable()
	f.submit.SetText(i18n.T("ui.enrol.running"))
	account, password := strings.TrimSpace(f.account.Text), f.password.Text
	makeAccount := f.accounts.Visible()
	w.spawn(func() {
		var err error
		if makeAccount && !w.store.HasAccounts() {
			if err = w.store.AddAccount(account, password, true); err != nil {
				msg := store.Message(err)
				if msg == "" {
					msg = i18n.T("ui.enrol.account_failed", err)
				}
				err = errors.New(msg)
			}
		}
		if err == nil {
			err = w.opts.Enrol(server, code)
		}
		w.do(func() {
			if w.store.HasAccounts() {
				f.accounts.Hide()
			}
			f.submit.Enable()
			f.submit.SetText(i18n.T("ui.enrol.submit"))
			if err != nil {
				// The error is the user's message already: store.Message's or
				// the one Options.Enrol returns.
				dialog.ShowError(err, w.win)
				return
			}
			if _, ok := w.store.Identity(); ok && w.main == nil {
				w.build()
			}
		})
	})
}

func (w *window) showEnrolHint(f *enrolForm, text string) {
	f.hint.SetText(text)
	f.hint.Show()
}
