package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"mobilefactory/shared/i18n"
)

// tabRefresher is a tab's content that reloads from the store each time
// its tab is selected.
type tabRefresher interface{ refresh() }

// mainTabs puts the talent screen in the first tab and the screens of the
// device's role after it. A tab function returns nil when the role does
// not get that screen.
func (w *window) mainTabs(talent fyne.CanvasObject) *container.AppTabs {
	tabs := container.NewAppTabs(container.NewTabItem(i18n.T("ui.tab.talent"), talent))
	for _, tab := range []func() *container.TabItem{w.reviewTab, w.trainingTab, w.retrainingTab,
		w.employersTab, w.demandsTab} {
		if item := tab(); item != nil {
			tabs.Append(item)
		}
	}
	tabs.OnSelected = func(item *container.TabItem) {
		if r, ok := item.Content.(tabRefresher); ok {
			r.refresh()
		}
	}
	return tabs
}

// reloadWhileShown calls reload on the UI goroutine after each local edit
// or pulled change. Once the window rebuilds its screens and tab no longer
// shows, it stops listening. It returns the function that stops listening
// at once.
func (w *window) reloadWhileShown(tab func() *container.TabItem, reload func()) (cancel func()) {
	events, cancel := w.store.Subscribe()
	w.stop = append(w.stop, cancel)
	go func() {
		for ev := range events {
			if !ev.Local && !ev.Remote {
				continue
			}
			w.do(func() {
				if !w.showsTab(tab()) {
					cancel()
					return
				}
				reload()
			})
		}
	}()
	return cancel
}
