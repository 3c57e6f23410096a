package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"mobilefactory/shared/record"
)

// mainScreen is the talent screen, with the person list on the left and
// the person page on the right, in the first of the role's tabs, and the
// status bar below.
type mainScreen struct {
	content fyne.CanvasObject
	persons *personsPane
	page    *personPage
	status  *statusBar
	tabs    *container.AppTabs
}

func (w *window) newMainScreen() *mainScreen {
	m := &mainScreen{}
	m.page = w.newPersonPage(func(p record.Person) {
		// A saved person is shown selected in the list.
		m.persons.refresh()
		m.persons.selectID(p.ID)
	})
	m.persons = w.newPersonsPane(m.page.load, m.page.clear)
	m.status = w.newStatusBar()
	m.status.set(w.status)

	split := container.NewHSplit(m.persons.content, m.page.content)
	split.Offset = 0.32
	m.tabs = w.mainTabs(split)
	m.content = container.NewBorder(nil, m.status.content, nil, nil, m.tabs)
	return m
}
