package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// trainingTab holds programmes and classes (培训), for the roles that
// record history.
func (w *window) trainingTab() *container.TabItem {
	if !w.roleOfDevice().MayRecord() {
		return nil
	}
	v := w.newTrainingView()
	v.tab = container.NewTabItem(i18n.T("ui.training.tab"), v)
	return v.tab
}

// showsTab reports whether item is one of the main screen's tabs. A view
// whose tab no longer shows, because the window rebuilt its screens or the
// view was made outside the tabs, ends its store subscription.
func (w *window) showsTab(item *container.TabItem) bool {
	m := w.main
	return item != nil && m != nil && m.tabs != nil && slices.Contains(m.tabs.Items, item)
}

// trainingView is the 培训 tab: the programmes, each followed by its
// classes, on the left, and the selected programme's modules or the
// selected class's page on the right. It is the tab's content, and it
// reloads when the tab is selected and after each store change.
type trainingView struct {
	widget.BaseWidget
	w            *window
	tab          *container.TabItem // nil when the view is not in the window's tabs
	cancel       func()             // ends the store subscription
	content      fyne.CanvasObject
	list         *widget.List
	rows         []trainingItem
	programmes   []record.Programme
	detail       *fyne.Container
	selectedKey  trainingKey       // the row selected, or to select once listed
	selected     widget.ListItemID // the selected row, -1 for none
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

// trainingKey names a row of the list across reloads: a class id, or a
// programme id with no class. The zero key names no row.
type trainingKey struct {
	programme string
	class     string
}

func (item trainingItem) key() trainingKey {
	if item.class != nil {
		return trainingKey{class: item.class.ID}
	}
	return trainingKey{programme: item.programme.ID}
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
	v.selected = -1
	v.list.OnSelected = func(i widget.ListItemID) {
		v.selected = i
		if i < len(v.rows) {
			v.open(v.rows[i])
		}
	}

	// A new programme or class is selected once the list shows it.
	v.newProgramme = widget.NewButtonWithIcon(i18n.T("ui.programme.add"), theme.ContentAddIcon(), func() {
		v.programmeDialog = w.showProgrammeDialog(func(id string) {
			v.selectedKey = trainingKey{programme: id}
			v.refresh()
		})
	})
	v.newClass = widget.NewButtonWithIcon(i18n.T("ui.class.add"), theme.ContentAddIcon(), func() {
		v.classDialog = w.showClassDialog(v.programmes, func(id string) {
			v.selectedKey = trainingKey{class: id}
			v.refresh()
		})
	})
	reload := widget.NewButtonWithIcon(i18n.T("ui.training.reload"), theme.ViewRefreshIcon(), v.refresh)
	buttons := container.NewGridWithColumns(1, v.newProgramme, v.newClass, reload)
	left := container.NewBorder(v.message, buttons, nil, nil, v.list)

	hint := widget.NewLabel(i18n.T("ui.training.choose"))
	hint.Importance = widget.LowImportance
	v.detail.Add(hint)

	split := container.NewHSplit(left, v.detail)
	split.Offset = 0.28
	v.content = split
	v.ExtendBaseWidget(v)
	v.listen()
	v.refresh()
	return v
}

func (v *trainingView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// listen reloads the view after each local edit or pulled change, until
// the window rebuilds its screens and this view's tab no longer shows.
func (v *trainingView) listen() {
	v.cancel = v.w.reloadWhileShown(func() *container.TabItem { return v.tab }, v.reload)
}

// text returns the row's text: the programme title, or an indented class
// title with its start date.
func (item trainingItem) text() string {
	if item.class == nil {
		return display.ProgrammeTitle(item.programme)
	}
	return i18n.T("ui.training.class_row", item.class.Title, display.Date(item.class.Start))
}

// refresh reloads the view as reload does, for a user who selects the tab
// or taps 刷新, and an open class page also clears its stale message.
func (v *trainingView) refresh() { v.load(true) }

// reload reloads the view after a store change.
func (v *trainingView) reload() { v.load(false) }

// load reads the programmes and classes off the UI goroutine, keeps the
// selected row selected, and reloads what the right side shows. An open
// class page keeps what was typed in its grid, and its message unless
// reopen is set.
func (v *trainingView) load(reopen bool) {
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
			v.list.Refresh()
			v.reselect(reopen)
		})
	})
}

// reselect selects the row of v.selectedKey again after a reload, which may have
// moved it, and shows its current content without running OnSelected, so
// that an open class page is reloaded and not replaced. With reopen set
// the class page also clears its message.
func (v *trainingView) reselect(reopen bool) {
	i := slices.IndexFunc(v.rows, func(item trainingItem) bool { return item.key() == v.selectedKey })
	if v.selectedKey == (trainingKey{}) || i < 0 {
		// NOTE: a shown item that a sync deleted stays on the right until
		// another row is selected.
		v.list.UnselectAll()
		v.selected = -1
		return
	}
	v.selected = i
	onSelected := v.list.OnSelected
	v.list.OnSelected = nil
	v.list.Select(i)
	v.list.OnSelected = onSelected

	item := v.rows[i]
	if item.class != nil && v.class != nil && v.class.class.ID == item.class.ID {
		v.class.class = *item.class
		if reopen {
			v.class.reopen()
			return
		}
		v.class.load()
		return
	}
	v.open(item)
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
	v.selectedKey = item.key()
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
