package ui

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/i18n"
)

// showSettings opens the settings dialog, which switches the language.
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
	d = dialog.NewCustom(i18n.T("ui.settings.title"), i18n.T("ui.dialog.close"), container.NewPadded(form), w.win)
	return d
}
