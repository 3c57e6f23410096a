package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// maxListed is the maximum number of persons the list shows for one search.
// For a larger result the list prompts the user to type more, because
// scrolling through thousands of rows is slower than narrowing the search.
const maxListed = 1000

// personsPane is the search entry, the person list, its count and the button
// that starts a new person.
type personsPane struct {
	w       *window
	content fyne.CanvasObject
	search  *widget.Entry
	count   *widget.Label
	list    *widget.List
	add     *widget.Button
	// exportReports writes the recommendation reports of the persons listed.
	exportReports *widget.Button
	// exportList writes the persons the search finds to an xlsx file.
	exportList *widget.Button
	// importList opens a graduate list file. It is nil for roles that do
	// not record.
	importList *widget.Button

	results   []record.Person
	selected  widget.ListItemID // the selected row, -1 for none
	selecting bool              // set while selectID selects a row, so onSelect is not called
	onSelect  func(record.Person)
}

func (w *window) newPersonsPane(onSelect func(record.Person), onAdd func()) *personsPane {
	p := &personsPane{w: w, onSelect: onSelect, selected: -1}

	p.search = widget.NewEntry()
	p.search.SetPlaceHolder(i18n.T("ui.persons.search"))
	p.search.OnChanged = func(string) { p.refresh() }

	p.count = widget.NewLabel("")
	p.count.Importance = widget.LowImportance

	p.list = widget.NewList(
		func() int { return len(p.results) },
		newPersonRow,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.results) {
				updatePersonRow(o, p.results[i])
			}
		},
	)
	p.list.OnUnselected = func(widget.ListItemID) { p.selected = -1 }
	p.list.OnSelected = func(i widget.ListItemID) {
		p.selected = i
		if p.selecting || i >= len(p.results) {
			return
		}
		p.onSelect(p.results[i])
	}

	p.add = widget.NewButtonWithIcon(i18n.T("ui.persons.add"), theme.ContentAddIcon(), func() {
		p.list.UnselectAll()
		onAdd()
	})
	p.add.Importance = widget.HighImportance

	top := container.NewVBox(p.search, p.count)
	p.exportReports = widget.NewButtonWithIcon(i18n.T("ui.report.batch"), theme.DocumentIcon(), p.onExportReports)
	p.exportList = newListExportButton(p.onExportList)
	// Import and export share a row, so the list keeps its height.
	lists := container.NewGridWithColumns(1, p.exportList)
	if w.roleOfDevice().MayRecord() {
		p.importList = widget.NewButtonWithIcon(i18n.T("ui.import.button"), theme.UploadIcon(), func() {
			w.chooseImportFile(w.personsImport())
		})
		lists = container.NewGridWithColumns(2, p.importList, p.exportList)
	}
	bottom := container.NewVBox(lists, p.exportReports, p.add)
	p.content = container.NewBorder(top, bottom, nil, nil, p.list)
	p.refresh()
	return p
}

// refresh runs the search again, keeping the selected person selected.
func (p *personsPane) refresh() {
	selected := ""
	if p.w.main != nil && p.w.main.page != nil {
		selected = p.w.main.page.id
	}

	p.results = p.w.store.Search(p.search.Text, maxListed+1)
	truncated := len(p.results) > maxListed
	if truncated {
		p.results = p.results[:maxListed]
	}
	total := p.w.store.Count()
	switch {
	case truncated:
		p.count.SetText(i18n.T("ui.persons.count_truncated", maxListed, total))
	case p.search.Text != "":
		p.count.SetText(i18n.T("ui.persons.count_found", len(p.results), total))
	default:
		p.count.SetText(i18n.T("ui.persons.count", total))
	}

	p.selecting = true
	p.list.UnselectAll()
	if i := p.indexOf(selected); i >= 0 {
		p.list.Select(i)
	}
	p.selecting = false
	p.list.Refresh()
}

// selectID selects the person with the id and shows them in the page. When
// the current search hides them, the search is cleared first.
func (p *personsPane) selectID(id string) {
	i := p.indexOf(id)
	if i < 0 && p.search.Text != "" {
		p.search.SetText("") // refreshes through OnChanged
		i = p.indexOf(id)
	}
	if i < 0 {
		return
	}
	p.selecting = true
	p.list.UnselectAll()
	p.list.Select(i)
	p.selecting = false
	p.onSelect(p.results[i])
}

func (p *personsPane) indexOf(id string) int {
	if id == "" {
		return -1
	}
	for i, person := range p.results {
		if person.ID == id {
			return i
		}
	}
	return -1
}

// newPersonRow makes a list row: the person's text and, at the right end, a
// 未授权 tag shown for a person without consent, so a clerk sees whom to ask.
func newPersonRow() fyne.CanvasObject {
	label := widget.NewLabel("")
	label.Truncation = fyne.TextTruncateEllipsis
	tag := widget.NewLabel(i18n.T("ui.persons.unconsented"))
	tag.Importance = widget.WarningImportance
	tag.TextStyle = fyne.TextStyle{Bold: true}
	tag.Hide()
	return container.NewBorder(nil, nil, nil, tag, label)
}

// updatePersonRow fills a row made by newPersonRow.
func updatePersonRow(o fyne.CanvasObject, person record.Person) {
	label, tag := personRowParts(o)
	label.SetText(display.PersonRow(person))
	if person.Consented() {
		tag.Hide()
	} else {
		tag.Show()
	}
	// A container lays its children out again only on Refresh, and the tag
	// needs its space on the right.
	o.Refresh()
}

// personRowParts returns the text label and the consent tag of a row.
func personRowParts(o fyne.CanvasObject) (label, tag *widget.Label) {
	row := o.(*fyne.Container)
	for _, child := range row.Objects {
		l := child.(*widget.Label)
		if l.Importance == widget.WarningImportance {
			tag = l
		} else {
			label = l
		}
	}
	return label, tag
}
