package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// demandDetailWidth is the width of the 查看 dialog of a demand.
const demandDetailWidth = 600

// demandDetail is the read-only view of a demand that 查看 opens, for
// every role: what the list row cannot fit, such as the majors,
// certificates, skills and the linked programme.
type demandDetail struct {
	dialog *dialog.CustomDialog
	values map[string]*widget.Label // by the header's i18n key, for tests
}

// showDemandDetail opens the read-only view of r.
func (w *window) showDemandDetail(r demandRow) *demandDetail {
	v := &demandDetail{values: map[string]*widget.Label{}}
	d := r.demand
	headcount := ""
	if d.Headcount > 0 {
		headcount = i18n.T("ui.demands.headcount", d.Headcount)
	}
	occupation := r.occupation
	if occupation != "" {
		occupation = d.Occupation + " " + occupation
	}
	rows := []struct{ key, value string }{
		{"export.demands.title", d.Title},
		{"export.demands.employer", r.employer},
		{"field.occupation", occupation},
		{"field.majors", majorNames(w.tables, d.Majors)},
		{"field.certificates", certificateText(d.Certificates)},
		{"field.skills", record.JoinList(d.Skills)},
		{"export.demands.region", r.region},
		{"field.headcount", headcount},
		{"export.demands.salary", r.salary},
		{"export.demands.season", r.season},
		{"export.demands.programme", r.programme},
		{"field.demand_status", r.status()},
	}
	form := widget.NewForm()
	for _, row := range rows {
		value := row.value
		if value == "" {
			value = i18n.T("ui.demands.detail.none")
		}
		label := widget.NewLabel(value)
		label.Wrapping = fyne.TextWrapWord
		label.Selectable = true
		v.values[row.key] = label
		form.Append(i18n.T(row.key), label)
	}

	content := container.NewVScroll(form)
	v.dialog = dialog.NewCustom(i18n.T("ui.demands.detail.title"), i18n.T("ui.dialog.close"), content, w.win)
	size := w.win.Canvas().Size()
	chrome := v.dialog.MinSize().Height - content.MinSize().Height
	height := min(form.MinSize().Height+chrome, size.Height*demandDialogShare)
	v.dialog.Resize(fyne.NewSize(min(demandDetailWidth, size.Width), height))
	v.dialog.Show()
	return v
}
