package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"mobilefactory/shared/i18n"
)

// showInformation shows a message with one 确定 button, which Enter also
// taps. In Fyne v2.7.1 the information dialog labels its button with the
// system locale's "OK", which reads 好 in Chinese whatever the app's
// locale, and dialogs handle no keys.
func showInformation(title, message string, parent fyne.Window) dialog.Dialog {
	d := dialog.NewInformation(title, message, parent)
	d.SetDismissText(i18n.T("ui.dialog.ok"))

	// The canvas gets the keys no focused widget takes, and a dialog
	// focuses nothing when it opens.
	c := parent.Canvas()
	previous := c.OnTypedKey()
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
			d.Hide()
			return
		}
		if previous != nil {
			previous(ev)
		}
	})
	d.SetOnClosed(func() { c.SetOnTypedKey(previous) })
	d.Show()
	return d
}
