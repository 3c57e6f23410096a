package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/i18n"
)

// accountsView is the administrators' accounts dialog: the accounts with
// buttons to reset a password or remove one (not the signed-in account),
// and a form that adds an account.
type accountsView struct {
	w       *window
	dialog  *dialog.CustomDialog
	list    *fyne.Container
	rows    map[string]*accountRow
	name    *widget.Entry
	pass    *widget.Entry
	admin   *widget.Check
	add     *widget.Button
	message *widget.Label
}

// accountRow is one account in the dialog; reset and remove are nil for
// the signed-in account.
type accountRow struct {
	reset  *widget.Button
	remove *widget.Button
}

// showAccounts opens the accounts dialog.
func (w *window) showAccounts() *accountsView {
	v := &accountsView{w: w, list: container.NewVBox(), rows: map[string]*accountRow{}}
	v.name = widget.NewEntry()
	v.name.SetPlaceHolder(i18n.T("ui.enrol.account.hint"))
	v.pass = widget.NewPasswordEntry()
	v.pass.SetPlaceHolder(i18n.T("ui.enrol.password.hint", store.MinPasswordRunes))
	v.admin = widget.NewCheck(i18n.T("ui.accounts.admin"), nil)
	v.add = widget.NewButton(i18n.T("ui.accounts.add"), v.onAdd)
	v.message = widget.NewLabel("")
	v.message.Wrapping = fyne.TextWrapWord
	v.message.Hide()

	form := widget.NewForm(
		widget.NewFormItem(i18n.T("ui.login.account"), v.name),
		widget.NewFormItem(i18n.T("ui.login.password"), v.pass),
	)
	content := container.NewBorder(nil,
		container.NewVBox(widget.NewSeparator(), form, container.NewHBox(v.admin, v.add), v.message),
		nil, nil, container.NewVScroll(v.list))
	v.dialog = dialog.NewCustom(i18n.T("ui.accounts.title"), i18n.T("ui.dialog.close"), content, w.win)
	v.dialog.Resize(fyne.NewSize(560, 480))
	v.load()
	v.dialog.Show()
	return v
}

// load lists the accounts. The list is short and read from memory-mapped
// pages, so it runs on the UI goroutine.
func (v *accountsView) load() {
	v.list.RemoveAll()
	v.rows = map[string]*accountRow{}
	accounts, err := v.w.store.Accounts()
	if err != nil {
		v.say(i18n.T("ui.accounts.failed", err), true)
		return
	}
	self := v.w.store.Account()
	for _, a := range accounts {
		role := i18n.T("ui.accounts.role_user")
		if a.Admin {
			role = i18n.T("ui.accounts.role_admin")
		}
		label := widget.NewLabel(i18n.T("ui.accounts.row", a.Name, role, a.Created.Format("2006-01-02")))
		row := &accountRow{}
		v.rows[a.Name] = row
		if a.Name == self {
			label.SetText(label.Text + i18n.T("ui.accounts.self"))
			v.list.Add(label)
			continue
		}
		name := a.Name
		row.reset = widget.NewButton(i18n.T("ui.accounts.reset"), func() { v.showReset(name) })
		row.remove = widget.NewButton(i18n.T("ui.accounts.remove"), func() { v.confirmRemove(name) })
		row.remove.Importance = widget.DangerImportance
		v.list.Add(container.NewBorder(nil, nil, nil, container.NewHBox(row.reset, row.remove), label))
	}
}

func (v *accountsView) say(text string, failed bool) {
	v.message.SetText(text)
	v.message.Importance = widget.SuccessImportance
	if failed {
		v.message.Importance = widget.DangerImportance
	}
	v.message.Show()
	v.message.Refresh()
}

// run runs an account change off the UI goroutine, because the password
// hash takes a noticeable time, then reloads the list and reports.
func (v *accountsView) run(change func() error, done string) {
	v.w.spawn(func() {
		err := change()
		v.w.do(func() {
			if err != nil {
				msg := store.Message(err)
				if msg == "" {
					msg = i18n.T("ui.accounts.failed", err)
				}
				v.say(msg, true)
				return
			}
			v.load()
			v.say(done, false)
		})
	})
}

func (v *accountsView) onAdd() {
	name, password, admin := strings.TrimSpace(v.name.Text), v.pass.Text, v.admin.Checked
	v.run(func() error {
		if err := v.w.store.AddAccount(name, password, admin); err != nil {
			return err
		}
		v.w.do(func() {
			v.name.SetText("")
			v.pass.SetText("")
			v.admin.SetChecked(false)
		})
		return nil
	}, i18n.T("ui.accounts.added", name))
}

// showReset requests a new password of the account and sets it.
func (v *accountsView) showReset(name string) {
	pass := widget.NewPasswordEntry()
	pass.SetPlaceHolder(i18n.T("ui.enrol.password.hint", store.MinPasswordRunes))
	items := []*widget.FormItem{widget.NewFormItem(i18n.T("ui.login.password"), pass)}
	dialog.ShowForm(i18n.T("ui.accounts.reset_title", name), i18n.T("ui.accounts.reset"), i18n.T("ui.dialog.cancel"),
		items, func(ok bool) {
			if ok {
				v.resetPassword(name, pass.Text)
			}
		}, v.w.win)
}

func (v *accountsView) resetPassword(name, password string) {
	v.run(func() error { return v.w.store.ResetPassword(name, password) }, i18n.T("ui.accounts.reset_done", name))
}

func (v *accountsView) confirmRemove(name string) {
	newConfirm(i18n.T("ui.accounts.remove"), i18n.T("ui.accounts.remove_confirm", name), i18n.T("ui.accounts.remove"), func(ok bool) {
		if ok {
			v.removeAccount(name)
		}
	}, v.w.win).Show()
}

func (v *accountsView) removeAccount(name string) {
	v.run(func() error { return v.w.store.RemoveAccount(name) }, i18n.T("ui.accounts.removed", name))
}
