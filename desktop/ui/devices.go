package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
)

// canMonitorDevices reports whether a role gets the device view.
func canMonitorDevices(role string) bool { return role == roleCentral }

// showDevices opens the device view.
func (w *window) showDevices() {
	w.devicesDialog().Show()
}

// devicesDialog builds the read-only device view from the identity and the
// latest sync status, both held in memory. It shows the state at the moment
// it opens and does not follow later updates.
//
// NOTE: only this device is listed. The full device list (last contact,
// version, pending changes, skew and errors of every device) comes from the
// server's GET /admin/devices, which the sync client does not fetch yet,
// and the UI never opens a connection itself.
func (w *window) devicesDialog() *dialog.CustomDialog {
	d := dialog.NewCustom(i18n.T("ui.devices.title"), i18n.T("ui.dialog.close"), w.devicesContent(), w.win)
	d.Resize(fyne.NewSize(dialogWidth, 0))
	return d
}

func (w *window) devicesContent() fyne.CanvasObject {
	ident, _ := w.store.Identity()
	form := widget.NewForm()
	for _, row := range display.DeviceRows(ident.Device, w.collegeName(ident), ident.Role, w.status) {
		value := widget.NewLabel(row.Value)
		value.Wrapping = fyne.TextWrapWord
		form.Append(row.Label, value)
	}
	others := widget.NewLabel(i18n.T("ui.devices.others"))
	others.Wrapping = fyne.TextWrapWord
	others.Importance = widget.LowImportance
	return container.NewPadded(container.NewVBox(form, widget.NewSeparator(), others))
}
