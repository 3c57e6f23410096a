package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/access"
	"mobilefactory/shared/i18n"
)

// directoryPane is the frame the 用人单位 and 岗位需求 tabs share: a search
// entry, a count, a load error line, a virtualised list, and the buttons
// below it. Add, edit and delete exist only on a central office device,
// because only the central office keeps the directory. Other roles see the
// list read-only and may export it.
type directoryPane struct {
	content fyne.CanvasObject
	search  *widget.Entry
	count   *widget.Label
	message *widget.Label
	list    *widget.List
	add     *widget.Button // nil unless the role is central
	edit    *widget.Button // nil unless the role is central
	remove  *widget.Button // nil unless the role is central
	export  *widget.Button
	buttons *fyne.Container
	// rowActions act on the selected row, for every role: 匹配人才 and 淡季转移.
	rowActions []*widget.Button
	// selected is the selected row of the list, -1 for none.
	selected widget.ListItemID
}

// directoryActions are the callbacks of a directoryPane's buttons.
type directoryActions struct {
	addLabel string
	onSearch func()
	onAdd    func()
	onEdit   func(row widget.ListItemID)
	onRemove func(row widget.ListItemID)
	onExport func()
}

// newDirectoryPane builds the pane around a list whose rows the caller
// supplies.
func (w *window) newDirectoryPane(placeholder string, list *widget.List, actions directoryActions) *directoryPane {
	p := &directoryPane{list: list, selected: -1}
	p.search = widget.NewEntry()
	p.search.SetPlaceHolder(placeholder)
	// A narrower list keeps the old scroll offset, which may lie below its
	// end, so a new search starts at the first row.
	p.search.OnChanged = func(string) {
		actions.onSearch()
		p.list.ScrollToTop()
	}
	p.count = widget.NewLabel("")
	p.count.Importance = widget.LowImportance
	p.message = widget.NewLabel("")
	p.message.Importance = widget.DangerImportance
	p.message.Wrapping = fyne.TextWrapWord
	p.message.Hide()

	p.export = newListExportButton(actions.onExport)
	buttons := container.NewHBox(p.export)
	if w.roleOfDevice() == access.Central {
		p.add = widget.NewButtonWithIcon(actions.addLabel, theme.ContentAddIcon(), actions.onAdd)
		p.add.Importance = widget.HighImportance
		p.edit = widget.NewButtonWithIcon(i18n.T("ui.directory.edit"), theme.DocumentCreateIcon(), func() {
			if p.selected >= 0 {
				actions.onEdit(p.selected)
			}
		})
		p.remove = widget.NewButtonWithIcon(i18n.T("ui.directory.delete"), theme.DeleteIcon(), func() {
			if p.selected >= 0 {
				actions.onRemove(p.selected)
			}
		})
		p.remove.Importance = widget.DangerImportance
		buttons = container.NewHBox(p.add, p.edit, p.remove, p.export)
	} else {
		note := widget.NewLabel(i18n.T("ui.directory.read_only"))
		note.Importance = widget.LowImportance
		buttons = container.NewHBox(p.export, note)
	}
	list.OnSelected = func(i widget.ListItemID) {
		p.selected = i
		p.enableEdit()
	}
	list.OnUnselected = func(widget.ListItemID) {
		p.selected = -1
		p.enableEdit()
	}
	p.enableEdit()

	p.buttons = buttons
	top := container.NewVBox(p.search, p.count, p.message)
	p.content = container.NewBorder(top, buttons, nil, nil, list)
	return p
}

// addRowAction adds a button before 导出 that calls onTap with the
// selected row, enabled while a row is selected. It writes nothing, so
// every role gets it.
func (p *directoryPane) addRowAction(label string, icon fyne.Resource, onTap func(row widget.ListItemID)) *widget.Button {
	b := widget.NewButtonWithIcon(label, icon, func() {
		if p.selected >= 0 {
			onTap(p.selected)
		}
	})
	p.rowActions = append(p.rowActions, b)
	at := slices.Index(p.buttons.Objects, fyne.CanvasObject(p.export))
	p.buttons.Objects = slices.Insert(p.buttons.Objects, at, fyne.CanvasObject(b))
	p.enableEdit()
	return b
}

// enableEdit enables edit, delete and the row actions while a row is
// selected.
func (p *directoryPane) enableEdit() {
	for _, b := range append([]*widget.Button{p.edit, p.remove}, p.rowActions...) {
		switch {
		case b == nil:
		case p.selected >= 0:
			b.Enable()
		default:
			b.Disable()
		}
	}
}

// clearSelection unselects the list after its rows changed.
func (p *directoryPane) clearSelection() {
	p.list.UnselectAll()
	p.selected = -1
	p.enableEdit()
}

// showLoadError shows why the list could not be read, or hides the line
// for a nil error.
func (p *directoryPane) showLoadError(err error) {
	if err == nil {
		p.message.Hide()
		return
	}
	p.message.SetText(i18n.T("ui.records.load_failed", err))
	p.message.Show()
}

// filterRows returns the rows whose key contains the pane's search text,
// ignoring case, and sets the count line: countKey with the number of all
// rows, or foundKey with the found and all numbers while searching.
func filterRows[R any](p *directoryPane, all []R, key func(R) string, countKey, foundKey string) []R {
	query := strings.ToLower(strings.TrimSpace(p.search.Text))
	var shown []R
	for _, r := range all {
		if strings.Contains(key(r), query) {
			shown = append(shown, r)
		}
	}
	if query == "" {
		p.count.SetText(i18n.T(countKey, len(all)))
	} else {
		p.count.SetText(i18n.T(foundKey, len(shown), len(all)))
	}
	return shown
}
