package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
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
// latest sync status, both held in memory: this device's state, and the
// list of every device that the sync client fetches for the central office
// at each sync. It shows the state at the moment it opens and does not
// follow later updates.
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
	list := container.NewVBox(widget.NewLabelWithStyle(i18n.T("ui.devices.all_title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	if len(w.status.Devices) == 0 {
		list.Add(widget.NewLabel(i18n.T("ui.devices.none_yet")))
	}
	for _, d := range w.status.Devices {
		line := widget.NewLabel(display.DeviceListLine(d, ident.Device, func(code string) string {
			return w.collegeName(store.Identity{College: code})
		}))
		line.Wrapping = fyne.TextWrapWord
		list.Add(line)
	}
	others := widget.NewLabel(i18n.T("ui.devices.others"))
	others.Wrapping = fyne.TextWrapWord
	others.Importance = widget.LowImportance
	scroll := container.NewVScroll(list)
	scroll.SetMinSize(fyne.NewSize(0, 240))
	return container.NewPadded(container.NewVBox(form, widget.NewSeparator(), scroll, others))
}
