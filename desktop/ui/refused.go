package ui

import (
	"errors"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// refusedWatchers holds, per window, the function that stops the listener
// of the status bar's 被拒绝 button. A rebuilt status bar (after a language
// switch) stops the previous listener.
var refusedWatchers = struct {
	sync.Mutex
	stop map[*window]func()
}{stop: map[*window]func(){}}

// newRefusedButton returns the status bar's 被拒绝 button, which shows the
// number of changes the server refused and opens their list. It is hidden
// while there are none. A listener reads the count off the UI goroutine
// after every store event.
func (w *window) newRefusedButton() *widget.Button {
	b := widget.NewButtonWithIcon("", theme.ErrorIcon(), w.showRefused)
	b.Importance = widget.DangerImportance
	b.Hide()
	show := func(n int) {
		if n == 0 {
			b.Hide()
			return
		}
		b.SetText(i18n.T("ui.refused.button", n))
		b.Show()
	}

	events, cancel := w.store.Subscribe()
	refusedWatchers.Lock()
	if stop, ok := refusedWatchers.stop[w]; ok {
		stop()
	} else {
		w.stop = append(w.stop, func() {
			refusedWatchers.Lock()
			defer refusedWatchers.Unlock()
			if stop, ok := refusedWatchers.stop[w]; ok {
				stop()
				delete(refusedWatchers.stop, w)
			}
		})
	}
	refusedWatchers.stop[w] = cancel
	refusedWatchers.Unlock()

	go func() {
		for range events {
			n := w.store.RefusedCount()
			w.do(func() { show(n) })
		}
	}()
	w.spawn(func() {
		n := w.store.RefusedCount()
		w.do(func() { show(n) })
	})
	return b
}

// showRefused opens the list of refused changes.
func (w *window) showRefused() { w.openRefused() }

// openRefused opens the list of refused changes and returns it.
func (w *window) openRefused() *refusedView {
	v := &refusedView{w: w, list: container.NewVBox(), count: widget.NewLabel(i18n.T("ui.refused.loading"))}
	explain := widget.NewLabel(i18n.T("ui.refused.explain"))
	explain.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(container.NewVBox(explain, v.count), nil, nil, nil, container.NewVScroll(v.list))
	v.dialog = dialog.NewCustom(i18n.T("ui.refused.title"), i18n.T("ui.dialog.close"), content, w.win)
	v.dialog.Resize(fyne.NewSize(760, 520))
	v.dialog.Show()
	v.load()
	return v
}

// refusedView is the dialog 被服务器拒绝的修改: one row per refused change,
// each with a button that dismisses it.
type refusedView struct {
	w      *window
	dialog *dialog.CustomDialog
	count  *widget.Label
	list   *fyne.Container
	rows   []refusedRow
	gen    int // generation of the latest load, so an older load cannot overwrite it
}

// refusedRow is one refused change as the dialog shows it.
type refusedRow struct {
	change  store.RefusedChange
	text    string // record, field and reason
	dismiss *widget.Button
}

// load reads the refused changes and the records they name off the UI
// goroutine, then shows them.
func (v *refusedView) load() {
	v.gen++
	gen := v.gen
	v.w.spawn(func() {
		changes, err := v.w.store.Refused()
		labels := make([]string, len(changes))
		for i, c := range changes {
			labels[i] = RefusedRecordLabel(v.w.store, c)
		}
		v.w.do(func() {
			if gen == v.gen {
				v.show(changes, labels, err)
			}
		})
	})
}

func (v *refusedView) show(changes []store.RefusedChange, labels []string, err error) {
	v.list.RemoveAll()
	v.rows = nil
	if err != nil {
		v.count.SetText(i18n.T("ui.refused.load_failed", err))
		v.count.Importance = widget.DangerImportance
		v.count.Refresh()
		return
	}
	if len(changes) == 0 {
		v.count.SetText(i18n.T("ui.refused.empty"))
		return
	}
	v.count.SetText(i18n.T("ui.refused.count", len(changes)))
	for i, c := range changes {
		row := refusedRow{change: c, text: i18n.T("ui.refused.row", labels[i], display.FieldName(c.Field), RefusedReason(c.Reason))}
		heading := widget.NewLabel(row.text)
		heading.Wrapping = fyne.TextWrapWord
		when := widget.NewLabel(i18n.T("ui.refused.when", display.DateTime(c.At)))
		when.Importance = widget.LowImportance
		row.dismiss = widget.NewButtonWithIcon(i18n.T("ui.refused.dismiss"), theme.ConfirmIcon(), func() { v.dismiss(c) })
		v.rows = append(v.rows, row)
		v.list.Add(container.NewVBox(heading, container.NewBorder(nil, nil, nil, row.dismiss, when), widget.NewSeparator()))
	}
}

// dismiss removes a refused change from the list off the UI goroutine,
// then reloads the list.
func (v *refusedView) dismiss(c store.RefusedChange) {
	v.w.spawn(func() {
		err := v.w.store.DismissRefused(c)
		v.w.do(func() {
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				dialog.ShowError(errors.New(i18n.T("ui.refused.dismiss_failed", err)), v.w.win)
			}
			v.load()
		})
	})
}

// RefusedReason returns the reason of a refusal in the user's words, with
// what to do about it.
func RefusedReason(code protocol.Code) string {
	switch code {
	case protocol.CodeScope, protocol.CodeRole, protocol.CodeInvalid, protocol.CodeErased, protocol.CodeReview:
		return i18n.T("ui.refused.reason." + string(code))
	}
	return i18n.T("ui.refused.reason.other", string(code))
}

// RefusedRecordLabel names the record of a refused change: the person, or
// the kind of record and its person. A person whose personal information
// was erased, here or (by the refusal's reason) on the server, has no name
// any more and is called 已删除个人信息的人员. It reads the store, so it
// runs off the UI goroutine.
func RefusedRecordLabel(st *store.Store, c store.RefusedChange) string {
	personID := c.Record
	switch c.Kind {
	case record.KindPerson:
	case record.KindTraining, record.KindInternship, record.KindAssessment, record.KindAward,
		record.KindCertificate, record.KindCounselling:
		state, err := st.State(c.Kind, c.Record)
		if err != nil {
			return i18n.T("ui.refused.record."+c.Kind.String(), i18n.T("ui.refused.record.unknown_person"))
		}
		personID = state.Values()[record.FieldPerson]
	case record.KindConflict, record.KindAccess:
		return i18n.T("ui.refused.record." + c.Kind.String())
	default:
		return i18n.T("ui.refused.record.other", c.Record)
	}
	name := i18n.T("ui.refused.record.unknown_person")
	p, err := st.Person(personID)
	switch {
	case err == nil && p.Erased != "", c.Reason == protocol.CodeErased:
		name = i18n.T("ui.refused.record.erased_person")
	case err == nil && p.Name != "":
		name = p.Name
	}
	if c.Kind == record.KindPerson {
		return name
	}
	return i18n.T("ui.refused.record."+c.Kind.String(), name)
}
