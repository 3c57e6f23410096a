package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/i18n"
)

// idleChoices are the idle times in minutes the settings offer.
var idleChoices = []int{5, 10, 15, 30, 60}

// showSettings opens the settings dialog, which switches the language, sets
// the idle time before the window locks and, for administrators, opens the
// accounts dialog.
// Switching rebuilds the window, so text typed into a form and not yet saved
// is lost.
func (w *window) showSettings() {
	w.settingsDialog().Show()
}

// settingsDialog builds the settings dialog. The language names are written
// in their own language, as language menus show them.
func (w *window) settingsDialog() *dialog.CustomDialog {
	var d *dialog.CustomDialog
	names := []string{i18n.T("ui.settings.language.zh"), i18n.T("ui.settings.language.en")}
	language := widget.NewSelect(names, nil)
	if i18n.Locale() == i18n.English {
		language.SetSelectedIndex(1)
	} else {
		language.SetSelectedIndex(0)
	}
	language.OnChanged = func(string) {
		locale := i18n.Chinese
		if language.SelectedIndex() == 1 {
			locale = i18n.English
		}
		if locale == i18n.Locale() {
			return
		}
		d.Hide()
		w.setLocale(locale)
	}
	form := widget.NewForm(widget.NewFormItem(i18n.T("ui.settings.language"), language))

	form.Append(i18n.T("ui.settings.idle"), w.newIdleSelect())
	if w.store.IsAdmin() {
		accounts := widget.NewButton(i18n.T("ui.accounts.title"), func() {
			d.Hide()
			w.showAccounts()
		})
		form.Append(i18n.T("ui.settings.accounts"), accounts)
	}
	form.Append("", widget.NewLabel(i18n.T("ui.settings.signed_in", accountLabel(w.store.Account()))))
	d = dialog.NewCustom(i18n.T("ui.settings.title"), i18n.T("ui.dialog.close"), container.NewPadded(form), w.win)
	return d
}

// newIdleSelect returns the selector of the idle time before the window
// locks, wide enough for its longest choice.
func (w *window) newIdleSelect() fyne.CanvasObject {
	var idleNames []string
	for _, m := range idleChoices {
		idleNames = append(idleNames, i18n.T("ui.settings.idle.minutes", m))
	}
	idle := widget.NewSelect(idleNames, nil)
	current := int(w.idleLimit() / time.Minute)
	for i, m := range idleChoices {
		if m == current {
			idle.SetSelectedIndex(i)
		}
	}
	idle.OnChanged = func(string) {
		if i := idle.SelectedIndex(); i >= 0 {
			w.app.Preferences().SetInt(prefIdleMinutes, idleChoices[i])
		}
	}
	return fitSelect(idle)
}

// fitSelect returns s in a container at least as wide as s with its longest
// option shown in full. A Select is only as wide as its placeholder, so a
// form in a small dialog cuts the selected text off.
func fitSelect(s *widget.Select) fyne.CanvasObject {
	th := s.Theme()
	var text float32
	for _, option := range s.Options {
		text = max(text, fyne.MeasureText(option, th.Size(theme.SizeNameText), fyne.TextStyle{}).Width)
	}
	// The select's label pads its text on both sides and sits in an inset,
	// and the drop-down icon follows it.
	innerPad, pad := th.Size(theme.SizeNameInnerPadding), th.Size(theme.SizeNamePadding)
	width := text + 3*innerPad + 2*pad + th.Size(theme.SizeNameInlineIcon)
	spacer := canvas.NewRectangle(color.Transparent)
	spacer.SetMinSize(fyne.NewSize(width, 0))
	return container.NewStack(spacer, s)
}

// accountLabel returns the signed-in account's name, or a note for a store
// without accounts.
func accountLabel(name string) string {
	if name == "" {
		return i18n.T("ui.settings.no_account")
	}
	return name
}
