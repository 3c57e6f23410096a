package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/syncclient"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
)

// statusBar is the line at the bottom of the talent screen: connection,
// pending changes, last sync and the last sync error, the buttons of the
// role's extra views and the settings button.
type statusBar struct {
	content   fyne.CanvasObject
	line      *widget.Label
	err       *widget.Label
	conflicts *widget.Button // 冲突, nil unless the role reviews conflicts
	devices   *widget.Button // 设备, nil unless the role is the central office
}

func (w *window) newStatusBar() *statusBar {
	b := &statusBar{line: widget.NewLabel(""), err: widget.NewLabel("")}
	b.err.Importance = widget.DangerImportance
	b.err.Truncation = fyne.TextTruncateEllipsis
	b.err.Hide()

	buttons := container.NewHBox()
	ident, _ := w.store.Identity()
	if canReviewConflicts(ident.Role) {
		b.conflicts = w.newConflictsButton()
		buttons.Add(b.conflicts)
	}
	if canMonitorDevices(ident.Role) {
		b.devices = widget.NewButtonWithIcon(i18n.T("ui.devices.button"), theme.ComputerIcon(), w.showDevices)
		b.devices.Importance = widget.LowImportance
		buttons.Add(b.devices)
	}
	buttons.Add(w.newRefusedButton())
	settings := widget.NewButtonWithIcon(i18n.T("ui.settings.title"), theme.SettingsIcon(), w.showSettings)
	settings.Importance = widget.LowImportance
	buttons.Add(settings)

	b.content = container.NewVBox(
		widget.NewSeparator(),
		container.NewBorder(nil, nil, b.line, buttons, b.err),
	)
	return b
}

func (b *statusBar) set(s syncclient.Status) {
	b.line.SetText(display.StatusLine(s))
	if text := display.StatusError(s); text != "" {
		b.err.SetText(text)
		b.err.Show()
	} else {
		b.err.SetText("")
		b.err.Hide()
	}
}
