package ui

import (
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// checkAddress trims an address typed in the form and rejects control
// characters and more than validate.MaxAddressRunes characters.
func checkAddress(text string) (string, *validate.FieldError) {
	address := strings.TrimSpace(text)
	fail := func(key string, args ...any) (string, *validate.FieldError) {
		return "", &validate.FieldError{Field: record.FieldAddress, Err: &validate.Error{Key: key, Args: args}}
	}
	if !utf8.ValidString(address) || strings.ContainsRune(address, utf8.RuneError) {
		return fail("ui.person.address.invalid_char")
	}
	for _, r := range address {
		if unicode.IsControl(r) {
			return fail("ui.person.address.invalid_char")
		}
	}
	if n := utf8.RuneCountInString(address); n > validate.MaxAddressRunes {
		return fail("ui.person.address.too_long", n, validate.MaxAddressRunes)
	}
	return address, nil
}

// consentSection shows whether the person consented to be kept in the
// pool and recommended, and records consent or its withdrawal.
type consentSection struct {
	p        *personPage
	content  *fyne.Container
	state    *widget.Label
	method   *widget.Select // the method of the consent being recorded
	record   *widget.Button
	withdraw *widget.Button
	message  *widget.Label // the reason the last action saved nothing
	// withdrawDialog is the confirmation the withdraw button opened last,
	// kept for tests.
	withdrawDialog *dialog.ConfirmDialog
}

func (p *personPage) newConsentSection() *consentSection {
	c := &consentSection{p: p}
	title := widget.NewLabel(i18n.T("ui.consent.title"))
	title.TextStyle = fyne.TextStyle{Bold: true}
	c.state = widget.NewLabel("")
	c.state.Wrapping = fyne.TextWrapWord

	var labels []string
	for _, m := range record.ConsentMethods {
		labels = append(labels, i18n.T("consent.method."+m))
	}
	c.method = widget.NewSelect(labels, func(string) {
		if c.method.SelectedIndex() >= 0 {
			c.hideMessage()
		}
	})
	c.method.PlaceHolder = i18n.T("ui.consent.method_placeholder")
	c.record = widget.NewButtonWithIcon(i18n.T("ui.consent.record"), theme.ConfirmIcon(), c.onRecord)
	c.withdraw = widget.NewButtonWithIcon(i18n.T("ui.consent.withdraw"), theme.CancelIcon(), c.onWithdraw)
	c.message = widget.NewLabel("")
	c.message.Importance = widget.DangerImportance
	c.message.Wrapping = fyne.TextWrapWord
	c.message.Hide()

	c.content = container.NewVBox(title, c.state, container.NewHBox(c.method, c.record, c.withdraw), c.message)
	return c
}

// refresh shows the consent state of the page's current person. A new or
// erased person has no consent to record.
func (c *consentSection) refresh() {
	person := c.p.current
	c.hideMessage()
	if person.ID == "" || person.Erased != "" {
		c.content.Hide()
		return
	}
	c.content.Show()
	c.state.SetText(consentText(person))
	c.method.ClearSelected()
	if person.Consent == record.ConsentGiven {
		c.withdraw.Show()
	} else {
		c.withdraw.Hide()
	}
}

// consentText returns the consent state with its date, method and the
// account that recorded it.
func consentText(p record.Person) string {
	by := accountLabel(p.ConsentBy)
	switch p.Consent {
	case record.ConsentGiven:
		if p.ConsentMethod == "" {
			// An import records consent without a method.
			return i18n.T("ui.consent.given_no_method", i18n.T("consent.given"), display.Date(p.ConsentAt), by)
		}
		return i18n.T("ui.consent.given", i18n.T("consent.given"), display.Date(p.ConsentAt), i18n.T("consent.method."+p.ConsentMethod), by)
	case record.ConsentWithdrawn:
		return i18n.T("ui.consent.withdrawn", i18n.T("consent.withdrawn"), display.Date(p.ConsentAt), by)
	default:
		return i18n.T("ui.consent.none", i18n.T("consent.none"))
	}
}

// hideMessage hides the reason the last action saved nothing, because the
// user has acted on it or turned to another person.
func (c *consentSection) hideMessage() {
	if c.message.Visible() {
		c.message.Hide()
		c.p.relayout()
	}
}

func (c *consentSection) showMessage(text string) {
	c.message.SetText(text)
	c.message.Show()
	c.p.relayout()
}

// onRecord saves the person's consent with the chosen method.
func (c *consentSection) onRecord() {
	i := c.method.SelectedIndex()
	if i < 0 {
		c.showMessage(i18n.T("ui.consent.method_missing"))
		return
	}
	method := record.ConsentMethods[i]
	id := c.p.id
	c.save(id, func() error { return c.p.w.store.RecordConsent(id, method) })
}

// onWithdraw opens a confirmation and saves the withdrawal once confirmed.
func (c *consentSection) onWithdraw() {
	id := c.p.id
	c.withdrawDialog = newConfirm(i18n.T("ui.consent.withdraw_title"),
		i18n.T("ui.consent.withdraw_confirm", c.p.current.Name), i18n.T("ui.consent.withdraw"), func(ok bool) {
			if ok && c.p.id == id {
				c.save(id, func() error { return c.p.w.store.WithdrawConsent(id) })
			}
		}, c.p.w.win)
	c.withdrawDialog.Show()
}

// save runs a consent write off the UI goroutine, then shows the stored
// consent of the person.
func (c *consentSection) save(id string, write func() error) {
	c.record.Disable()
	c.withdraw.Disable()
	c.p.w.spawn(func() {
		err := write()
		var stored record.Person
		if err == nil {
			stored, err = c.p.w.store.Person(id)
		}
		c.p.w.do(func() {
			c.record.Enable()
			c.withdraw.Enable()
			if err != nil {
				dialog.ShowError(errors.New(i18n.T("ui.consent.failed", err)), c.p.w.win)
				return
			}
			if c.p.id != id {
				return
			}
			// Only the consent fields change: edits typed in the form stay.
			cur := &c.p.current
			cur.Consent, cur.ConsentAt = stored.Consent, stored.ConsentAt
			cur.ConsentMethod, cur.ConsentBy = stored.ConsentMethod, stored.ConsentBy
			c.refresh()
			c.p.relayout()
			if c.p.w.main != nil {
				c.p.w.main.persons.refresh() // the 未授权 tag
			}
		})
	})
}

// erasedAt returns the time of an erasure mark as the screen shows it, or
// the mark unchanged when it is not an RFC 3339 time.
func erasedAt(mark string) string {
	t, err := time.Parse(time.RFC3339, mark)
	if err != nil {
		return mark
	}
	return display.DateTime(t)
}

// eraseWord confirms an erasure when typed in place of the person's name.
const eraseWord = "删除"

// eraseDialog is the confirmation of an erasure. The user must type the
// person's name or eraseWord before the personal fields are erased.
type eraseDialog struct {
	dialog  *dialog.CustomDialog
	entry   *widget.Entry
	message *widget.Label // the reason the last confirmation was rejected
	confirm *widget.Button
	cancel  *widget.Button
}

// onErase opens the erasure dialog for the shown person.
func (p *personPage) onErase() {
	if p.id == "" || p.current.Erased != "" {
		return
	}
	id, name := p.id, p.current.Name
	d := &eraseDialog{entry: widget.NewEntry()}
	d.entry.SetPlaceHolder(i18n.T("ui.person.erase_hint"))
	explain := widget.NewLabel(i18n.T("ui.person.erase_explain", name, eraseWord))
	explain.Wrapping = fyne.TextWrapWord
	d.message = widget.NewLabel("")
	d.message.Importance = widget.DangerImportance
	d.message.Wrapping = fyne.TextWrapWord
	d.message.Hide()
	d.confirm = widget.NewButtonWithIcon(i18n.T("ui.person.erase_confirm"), theme.DeleteIcon(), func() {
		typed := strings.TrimSpace(d.entry.Text)
		if typed == "" || (typed != eraseWord && typed != name) {
			d.message.SetText(i18n.T("ui.person.erase_mismatch", eraseWord))
			d.message.Show()
			return
		}
		d.dialog.Hide()
		p.eraseConfirmed(id)
	})
	d.confirm.Importance = widget.DangerImportance
	d.cancel = widget.NewButton(i18n.T("ui.dialog.cancel"), func() { d.dialog.Hide() })
	d.entry.OnSubmitted = func(string) { d.confirm.OnTapped() }

	content := container.NewVBox(explain, d.entry, d.message)
	d.dialog = dialog.NewCustomWithoutButtons(i18n.T("ui.person.erase_title"), content, p.w.win)
	d.dialog.SetButtons([]fyne.CanvasObject{d.cancel, d.confirm})
	d.dialog.Resize(fyne.NewSize(520, 0))
	p.eraseDialog = d
	d.dialog.Show()
}

// eraseConfirmed erases the person off the UI goroutine and then shows
// them as erased.
func (p *personPage) eraseConfirmed(id string) {
	p.erase.Disable()
	p.w.spawn(func() {
		err := p.w.store.ErasePerson(id)
		var erased record.Person
		if err == nil {
			erased, err = p.w.store.Person(id)
		}
		p.w.do(func() {
			p.erase.Enable()
			if err != nil {
				dialog.ShowError(errors.New(i18n.T("ui.person.erase_failed", err)), p.w.win)
				return
			}
			if p.id == id {
				p.load(erased)
			}
			if p.w.main != nil {
				p.w.main.persons.refresh()
			}
		})
	})
}
