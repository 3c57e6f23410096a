package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/report"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// reportResult is the outcome of an export of recommendation reports.
type reportResult struct {
	written   []string // paths of the files written
	failed    []string // one message per person whose report failed
	cancelled bool
}

// exportReports writes the recommendation report of each person, off the
// UI goroutine, with a progress dialog for exports over the delay. With one
// person, target is the file; otherwise it is the folder that gets one
// file per person. A person whose report fails (no consent, say) is listed
// in the summary and the others are still written. onDone runs on the UI
// goroutine, for tests.
func (w *window) exportReports(persons []record.Person, target string, single bool, onDone func(reportResult)) {
	opts := report.Options{Date: w.now(), Locale: i18n.Locale()}
	role, err := report.ExportRole(w.store, opts)
	if err != nil {
		dialog.ShowError(err, w.win)
		return
	}
	var cancelled atomic.Bool
	// NOTE: no test taps cancel mid-export, because the test harness runs
	// spawned work at once.
	pr := w.startProgress(i18n.T("ui.report.title"), i18n.T("ui.report.progress", 0, len(persons)),
		func() { cancelled.Store(true) })
	w.spawn(func() {
		var res reportResult
		folder := target
		if single {
			folder = filepath.Dir(target)
		}
		if err := report.CheckFolder(folder); err != nil {
			// One message for the folder, not one per person.
			res.failed = append(res.failed, err.Error())
			w.do(func() {
				pr.finish()
				dialog.ShowError(err, w.win)
				if onDone != nil {
					onDone(res)
				}
			})
			return
		}
		used := map[string]bool{}
		for i, p := range persons {
			if cancelled.Load() {
				res.cancelled = true
				break
			}
			path := target
			if !single {
				path = freeReportPath(target, p, used)
			}
			if err := report.WritePerson(w.store, p, role, path, opts); err != nil {
				res.failed = append(res.failed, failureLine(p, err))
			} else {
				res.written = append(res.written, path)
			}
			pr.step(w, i18n.T("ui.report.progress", i+1, len(persons)), i+1, len(persons))
		}
		w.do(func() {
			pr.finish()
			w.showReportResult(res, target, single)
			if onDone != nil {
				onDone(res)
			}
		})
	})
}

// failureLine names the person whose report failed and why, naming them
// once when the message already does.
func failureLine(p record.Person, err error) string {
	label := report.PersonLabel(p)
	if strings.Contains(err.Error(), label) {
		return err.Error()
	}
	return i18n.T("ui.report.member_failed", label, err)
}

// showReportResult shows the files an export wrote and the persons whose
// report failed.
func (w *window) showReportResult(res reportResult, target string, single bool) {
	if single && len(res.failed) == 1 {
		dialog.ShowError(errors.New(res.failed[0]), w.win)
		return
	}
	text := i18n.T("ui.report.done", len(res.written), target)
	if single {
		text = i18n.T("ui.report.done_one", target)
	}
	if res.cancelled {
		text = i18n.T("ui.report.cancelled", len(res.written), target)
	}
	if len(res.failed) > 0 {
		text += "\n" + i18n.T("ui.report.some_failed", len(res.failed)) + "\n" + strings.Join(res.failed, "\n")
	}
	message := widget.NewLabel(text)
	message.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(i18n.T("ui.report.title"), i18n.T("ui.dialog.close"), container.NewVScroll(message), w.win)
	d.Resize(fyne.NewSize(dialogWidth, 240))
	d.Show()
}

// onReport prompts for a folder and writes the shown person's report into it,
// named as the batch export names it, with -2 and so on added when a file
// of that name exists. It asks for a folder, not a file, because Fyne's
// save dialog empties the chosen file before the program can check it,
// which would destroy any file picked by mistake.
func (p *personPage) onReport() {
	if p.id == "" {
		return
	}
	person := p.current
	if !person.Consented() {
		dialog.ShowError(errors.New(i18n.T("desktop.report.no_consent", report.PersonLabel(person))), p.w.win)
		return
	}
	p.w.showFolderPrompt(func(dir string) {
		p.w.exportReports([]record.Person{person}, freeReportPath(dir, person, map[string]bool{}), true, nil)
	})
}

// freeReportPath returns the path in dir for person's report that neither
// a file on disk nor an earlier report of the batch (the names in used)
// takes, so the window never overwrites a file.
func freeReportPath(dir string, person record.Person, used map[string]bool) string {
	for {
		path := filepath.Join(dir, report.UniqueName(used, report.FileName(person)))
		if _, err := os.Lstat(path); os.IsNotExist(err) {
			return path
		}
	}
}

// newReportButton makes the person page's button for the report.
func (p *personPage) newReportButton() *widget.Button {
	return widget.NewButtonWithIcon(i18n.T("ui.report.button"), theme.DocumentIcon(), p.onReport)
}

// onExportReports prompts for a folder and writes the report of every person
// the list shows into it.
func (p *personsPane) onExportReports() {
	persons := append([]record.Person(nil), p.results...)
	if len(persons) == 0 {
		return
	}
	p.w.showFolderPrompt(func(dir string) { p.w.exportReports(persons, dir, false, nil) })
}
