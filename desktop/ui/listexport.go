package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/export"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/sheet"
)

// newListExportButton makes a list screen's 导出 button.
func newListExportButton(onTap func()) *widget.Button {
	return widget.NewButtonWithIcon(i18n.T("ui.export.button"), theme.DownloadIcon(), onTap)
}

// folderPromptShare is the share of the window's width and height that a
// folder prompt takes. Fyne's default folder dialog is about 480×280,
// which shows only a few folders at a time.
const folderPromptShare = 0.8

// showFolderPrompt shows Fyne's folder dialog at folderPromptShare of the
// window and passes the chosen folder's path to chosen. Cancelling calls
// nothing, and an error shows in a dialog.
func (w *window) showFolderPrompt(chosen func(dir string)) {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		if dir == nil {
			return // cancelled
		}
		chosen(dir.Path())
	}, w.win)
	size := w.win.Canvas().Size()
	d.Resize(fyne.NewSize(size.Width*folderPromptShare, size.Height*folderPromptShare))
	d.Show()
}

// exportTitle returns the dialog title of the export of list, an
// export.list.* key: 导出人才名单, 导出审核队列 or 导出冲突列表.
func exportTitle(list string) string {
	return i18n.T("ui.export.title." + strings.TrimPrefix(list, "export.list."))
}

// exportList prompts for a folder and writes the table build returns into
// a new file there, named for list (an export.list.* key) and today. It
// prompts for a folder, not a file, because Fyne's save dialog empties the
// chosen file before the program could check it.
func (w *window) exportList(list string, build func() sheet.Table) {
	w.showFolderPrompt(func(dir string) { w.writeList(dir, list, build, nil) })
}

// writeList builds the table and writes it into dir off the UI goroutine,
// under the first free name of FileName with -2, -3 and so on, then shows
// the path or the error. onDone, if set, runs on the UI goroutine with the
// path and the error, for tests.
//
// NOTE: there is no progress dialog. The list is in memory, and the
// writer streams it, so even a full person list is written in seconds.
func (w *window) writeList(dir, list string, build func() sheet.Table, onDone func(string, error)) {
	name := export.FileName(list, w.now())
	w.spawn(func() {
		table := build()
		path, err := export.FreePath(dir, name)
		if err == nil {
			err = sheet.Write(path, table)
		}
		w.do(func() {
			if err != nil {
				dialog.ShowError(err, w.win)
			} else {
				showInformation(exportTitle(list), i18n.T("ui.export.done", len(table.Rows), path), w.win)
			}
			if onDone != nil {
				onDone(path, err)
			}
		})
	})
}

// onExportList exports the persons the search finds, all of them and not
// only the first maxListed the list shows, masked as the list masks them.
func (p *personsPane) onExportList() {
	if len(p.results) == 0 {
		dialog.ShowInformation(exportTitle("export.list.people"), i18n.T("ui.export.empty"), p.w.win)
		return
	}
	p.w.exportList("export.list.people", p.listTable())
}

// listTable returns the builder of the person list's table for the
// current search. It reads the search text now, on the UI goroutine.
func (p *personsPane) listTable() func() sheet.Table {
	query := p.search.Text
	st := p.w.store
	return func() sheet.Table {
		return export.People(st.Search(query, st.Count()), export.Masked)
	}
}

// onExport exports the items the kind and class filters let through, in
// the queue's order.
func (q *reviewQueue) onExport() {
	if len(q.shown) == 0 {
		dialog.ShowInformation(exportTitle("export.list.review"), i18n.T("ui.export.empty"), q.w.win)
		return
	}
	q.w.exportList("export.list.review", q.listTable())
}

// listTable returns the builder of the queue's table for the rows shown now.
func (q *reviewQueue) listTable() func() sheet.Table {
	rows := make([]export.QueueRow, len(q.shown))
	for i, r := range q.shown {
		kind := i18n.T("kind." + r.item.Kind.String())
		if r.corrects() {
			kind = i18n.T("ui.review.row.correction", kind)
		}
		rows[i] = export.QueueRow{Kind: kind, Person: r.person, Summary: r.summary, Class: r.class, Submitted: r.submitted}
	}
	return func() sheet.Table { return export.ReviewQueue(rows) }
}

// onExport exports the conflict items the dialog lists, masked as the
// dialog first shows them, even for an item revealed with 显示完整.
func (v *conflictsView) onExport() {
	if len(v.rows) == 0 {
		dialog.ShowInformation(exportTitle("export.list.conflicts"), i18n.T("ui.export.empty"), v.w.win)
		return
	}
	v.w.exportList("export.list.conflicts", v.listTable())
}

// listTable returns the builder of the conflict table for the rows shown
// now.
func (v *conflictsView) listTable() func() sheet.Table {
	entries := make([]conflictEntry, len(v.rows))
	for i, r := range v.rows {
		entries[i] = r.entry
	}
	self, tables := v.w.store.Device(), v.w.tables
	return func() sheet.Table {
		views := make([]display.ConflictView, len(entries))
		for i, e := range entries {
			views[i] = display.Conflict(e.item, e.record, self, false, tables)
		}
		return export.Conflicts(views)
	}
}
