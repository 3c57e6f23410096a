package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/i18n"
)

// progressDelay is how long work runs before its progress dialog shows.
const progressDelay = time.Second

// progressDialog is the dialog with a progress bar and a cancel button that
// long work (an export, an import's check or write) shows once it has run
// for the window's progress delay, so quick work does not flash a dialog.
type progressDialog struct {
	dialog   *dialog.CustomDialog
	bar      *widget.ProgressBar
	label    *widget.Label
	cancel   *widget.Button
	finished bool // set on the UI goroutine when the work ends
}

// startProgress makes the progress dialog with first as its text and shows
// it after the delay unless the work finished first. 取消 calls onCancel
// once and disables itself.
func (w *window) startProgress(title, first string, onCancel func()) *progressDialog {
	pr := &progressDialog{bar: widget.NewProgressBar(), label: widget.NewLabel(first)}
	pr.cancel = widget.NewButton(i18n.T("ui.dialog.cancel"), func() {
		onCancel()
		pr.cancel.Disable()
	})
	pr.dialog = dialog.NewCustomWithoutButtons(title, container.NewVBox(pr.label, pr.bar), w.win)
	pr.dialog.SetButtons([]fyne.CanvasObject{pr.cancel})
	show := func() {
		if !pr.finished {
			pr.dialog.Show()
		}
	}
	if w.progressDelay <= 0 {
		show()
	} else {
		time.AfterFunc(w.progressDelay, func() { w.do(show) })
	}
	return pr
}

// step shows that done of total items are finished, with text. It may run
// on any goroutine.
func (pr *progressDialog) step(w *window, text string, done, total int) {
	w.do(func() {
		pr.bar.Max = float64(max(total, 1))
		pr.bar.SetValue(float64(done))
		pr.label.SetText(text)
	})
}

// finish hides the dialog. It runs on the UI goroutine.
func (pr *progressDialog) finish() {
	pr.finished = true
	pr.dialog.Hide()
}
