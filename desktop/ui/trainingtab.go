package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/access"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// trainingTab holds programmes and classes (培训), for the roles that
// record history.
func (w *window) trainingTab() *container.TabItem {
	ident, _ := w.store.Identity()
	if !access.Role(ident.Role).MayRecord() {
		return nil
	}
	return container.NewTabItem(i18n.T("ui.training.tab"), w.newTrainingView().content)
}

// trainingView is the 培训 tab: the programmes, each followed by its
// classes, on the left, and the selected programme's modules or the
// selected class's page on the right.
type trainingView struct {
	w            *window
	content      fyne.CanvasObject
	list         *widget.List
	rows         []trainingItem
	programmes   []record.Programme
	detail       *fyne.Container
	message      *widget.Label
	newProgramme *widget.Button
	newClass     *widget.Button

	// The dialog and class page opened last, for tests.
	programmeDialog *programmeDialog
	classDialog     *classDialog
	class           *classPage
}

// trainingItem is one row of the list: a programme, or a class under it.
type trainingItem struct {
	programme record.Programme
	class     *record.Class
}

func (w *window) newTrainingView() *trainingView {
	v := &trainingView{w: w, detail: container.NewStack(), message: widget.NewLabel("")}
	v.message.Importance = widget.DangerImportance
	v.message.Wrapping = fyne.TextWrapWord
	v.message.Hide()
	v.list = widget.NewList(
		func() int { return len(v.rows) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.rows) {
				o.(*widget.Label).SetText(v.rows[i].text())
			}
		},
	)
	v.list.OnSelected = func(i widget.ListItemID) {
		if i < len(v.rows) {
			v.open(v.rows[i])
		}
	}

	v.newProgramme = widget.NewButtonWithIcon(i18n.T("ui.programme.add"), theme.ContentAddIcon(), func() {
		v.programmeDialog = w.showProgrammeDialog(v.refresh)
	})
	v.newClass = widget.NewButtonWithIcon(i18n.T("ui.class.add"), theme.ContentAddIcon(), func() {
		v.classDialog = w.showClassDialog(v.programmes, v.refresh)
	})
	// NOTE: the list reloads after this tab's own saves and on 刷新, not when
	// a sync pulls a programme or class from another device.
	reload := widget.NewButtonWithIcon(i18n.T("ui.training.reload"), theme.ViewRefreshIcon(), v.refresh)
	buttons := container.NewGridWithColumns(1, v.newProgramme, v.newClass, reload)
	left := container.NewBorder(v.message, buttons, nil, nil, v.list)

	hint := widget.NewLabel(i18n.T("ui.training.choose"))
	hint.Importance = widget.LowImportance
	v.detail.Add(hint)

	split := container.NewHSplit(left, v.detail)
	split.Offset = 0.28
	v.content = split
	v.refresh()
	return v
}

// text returns the row's text: the programme title, or an indented class
// title with its start date.
func (item trainingItem) text() string {
	if item.class == nil {
		return display.ProgrammeTitle(item.programme)
	}
	return i18n.T("ui.training.class_row", item.class.Title, display.Date(item.class.Start))
}

// refresh reloads the programmes and classes off the UI goroutine.
func (v *trainingView) refresh() {
	v.w.spawn(func() {
		programmes, err := v.w.store.Programmes()
		var classes []record.Class
		if err == nil {
			classes, err = v.w.store.Classes()
		}
		v.w.do(func() {
			if err != nil {
				v.message.SetText(i18n.T("ui.records.load_failed", err))
				v.message.Show()
				return
			}
			v.message.Hide()
			v.programmes = programmes
			v.rows = trainingItems(programmes, classes)
			v.list.UnselectAll()
			v.list.Refresh()
		})
	})
}

// trainingItems lists each programme followed by its classes. A class
// whose programme is not known here, such as one synced before its
// programme, comes last.
func trainingItems(programmes []record.Programme, classes []record.Class) []trainingItem {
	var rows []trainingItem
	placed := map[string]bool{}
	for _, p := range programmes {
		rows = append(rows, trainingItem{programme: p})
		for i := range classes {
			if classes[i].Programme == p.ID {
				rows = append(rows, trainingItem{programme: p, class: &classes[i]})
				placed[classes[i].ID] = true
			}
		}
	}
	for i := range classes {
		if !placed[classes[i].ID] {
			rows = append(rows, trainingItem{class: &classes[i]})
		}
	}
	return rows
}

// open shows a programme's modules or a class's page on the right.
func (v *trainingView) open(item trainingItem) {
	var content fyne.CanvasObject
	if item.class == nil {
		content = container.NewVScroll(programmeDetail(item.programme))
	} else {
		v.class = v.w.newClassPage(*item.class)
		content = v.class.content
	}
	v.detail.Objects = []fyne.CanvasObject{content}
	v.detail.Refresh()
}
