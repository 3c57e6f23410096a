package ui

import (
	"slices"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// retrainingTab lists the graduates for re-training (回炉), for the roles
// that record history.
func (w *window) retrainingTab() *container.TabItem {
	if !w.roleOfDevice().MayRecord() {
		return nil
	}
	v := w.newRetrainingView()
	v.tab = container.NewTabItem(i18n.T("ui.retraining.tab"), v)
	return v.tab
}

// retrainingView is the 回炉 tab: the graduates still seeking work
// store.RetrainingAfter months after graduating, with a check each, 全选,
// and 报名回炉, which enrols the checked ones into a class or a programme.
// It is the tab's content, and it reloads when the tab is selected and
// after each store change.
type retrainingView struct {
	widget.BaseWidget
	w        *window
	tab      *container.TabItem // nil when the view is not in the window's tabs
	cancel   func()             // ends the store subscription
	content  fyne.CanvasObject
	list     *widget.List
	people   []record.Person
	months   []int             // months since graduation, by row
	checked  map[string]bool   // person id → checked
	enrolled map[string]string // person id → where they are enrolled for re-training, per the store
	all      *widget.Check
	enrol    *widget.Button
	count    *widget.Label
	message  *widget.Label
	dialog   *retrainingEnrol // the enrol dialog opened last, for tests

	// reads numbers each read of the store in the order it starts, and
	// shownRead is the number of the read the list shows, so that a read
	// finishing after a newer one is dropped.
	reads     atomic.Int64
	shownRead int64
}

func (w *window) newRetrainingView() *retrainingView {
	v := &retrainingView{w: w, checked: map[string]bool{}, enrolled: map[string]string{}}
	v.list = widget.NewList(
		func() int { return len(v.people) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewCheck("", nil), nil, widget.NewLabel(""))
		},
		v.updateRow,
	)
	v.all = widget.NewCheck(i18n.T("ui.retraining.all"), func(on bool) {
		for _, p := range v.people {
			v.checked[p.ID] = on
		}
		v.list.Refresh()
		v.updateCount()
	})
	v.enrol = widget.NewButtonWithIcon(i18n.T("ui.retraining.enrol"), theme.ContentAddIcon(), v.onEnrol)
	v.enrol.Importance = widget.HighImportance
	v.enrol.Disable()
	reload := widget.NewButtonWithIcon(i18n.T("ui.training.reload"), theme.ViewRefreshIcon(), v.refresh)
	v.count = widget.NewLabel("")
	v.message = widget.NewLabel("")
	v.message.Wrapping = fyne.TextWrapWord

	intro := widget.NewLabel(i18n.T("ui.retraining.intro", store.RetrainingAfter))
	intro.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(intro,
		container.NewHBox(v.all, v.count, layout.NewSpacer(), reload, v.enrol), v.message)
	v.content = container.NewBorder(top, nil, nil, nil, v.list)
	v.ExtendBaseWidget(v)
	v.listen()
	v.refresh()
	return v
}

func (v *retrainingView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// listen reloads the list after each local edit or pulled change, until
// the window rebuilds its screens and this view's tab no longer shows.
func (v *retrainingView) listen() {
	v.cancel = v.w.reloadWhileShown(func() *container.TabItem { return v.tab }, v.reload)
}

func (v *retrainingView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(v.people) {
		return
	}
	p := v.people[i]
	row := o.(*fyne.Container)
	label := row.Objects[0].(*widget.Label)
	check := row.Objects[1].(*widget.Check)
	label.SetText(v.rowText(i))
	check.OnChanged = nil
	check.SetChecked(v.checked[p.ID])
	check.OnChanged = func(on bool) {
		v.checked[p.ID] = on
		v.updateCount()
	}
}

func (v *retrainingView) majorName(code string) string {
	if e, ok := v.w.tables.Majors.ByCode(code); ok {
		return e.Name
	}
	return code
}

// refresh reloads the list for a user who selects the tab or taps 刷新,
// and clears the message, which was about an earlier action.
func (v *retrainingView) refresh() {
	v.showMessage("", widget.MediumImportance)
	v.reload()
}

// reload lists the graduates due for re-training, off the UI goroutine.
func (v *retrainingView) reload() {
	v.w.spawn(func() {
		l := v.read()
		v.w.do(func() { v.show(l) })
	})
}

// retrainingList is one read of the 回炉 list's data from the store.
type retrainingList struct {
	read     int64 // the number of the read, from retrainingView.reads
	people   []record.Person
	months   []int             // months since graduation, by row
	enrolled map[string]string // person id → where they are enrolled for re-training
	err      error
}

// read returns the graduates due for re-training as of the window's
// clock, with where each is enrolled.
func (v *retrainingView) read() retrainingList {
	l := retrainingList{read: v.reads.Add(1)}
	now := v.w.now()
	l.people = v.w.store.Retraining(now)
	l.months = make([]int, len(l.people))
	for i, p := range l.people {
		l.months[i] = display.MonthsSince(store.Graduated(p.GradYear), now)
	}
	l.enrolled, l.err = readEnrolments(v.w.store, l.people)
	return l
}

// show lists a read's graduates unless a newer read is shown. A list whose
// rows differ from those shown clears the message, which was about the
// old list.
func (v *retrainingView) show(l retrainingList) {
	if l.read < v.shownRead {
		return
	}
	v.shownRead = l.read
	before := v.rowTexts()
	v.people, v.months, v.enrolled = l.people, l.months, l.enrolled
	if !slices.Equal(before, v.rowTexts()) {
		v.showMessage("", widget.MediumImportance)
	}
	if l.err != nil {
		v.showMessage(i18n.T("ui.records.load_failed", l.err), widget.DangerImportance)
	}
	v.list.Refresh()
	v.updateCount()
}

// rowTexts returns the text of every row of the list.
func (v *retrainingView) rowTexts() []string {
	texts := make([]string, len(v.people))
	for i := range v.people {
		texts[i] = v.rowText(i)
	}
	return texts
}

func (v *retrainingView) rowText(i int) string {
	p := v.people[i]
	text := display.RetrainingRow(p, v.majorName(p.Major), v.months[i])
	if target, ok := v.enrolled[p.ID]; ok {
		text += " · " + i18n.T("ui.retraining.enrolled_in", target)
	}
	return text
}

// selected returns the checked persons in list order.
func (v *retrainingView) selected() []record.Person {
	var out []record.Person
	for _, p := range v.people {
		if v.checked[p.ID] {
			out = append(out, p)
		}
	}
	return out
}

func (v *retrainingView) updateCount() {
	n := len(v.selected())
	v.count.SetText(i18n.T("ui.retraining.count", len(v.people), n))
	if n == 0 {
		v.enrol.Disable()
	} else {
		v.enrol.Enable()
	}
}

// onEnrol reads the classes and programmes off the UI goroutine, then opens
// the dialog that chooses where to enrol the checked persons. Classes that
// have ended are left out.
func (v *retrainingView) onEnrol() {
	people := v.selected()
	if len(people) == 0 {
		return
	}
	v.w.spawn(func() {
		programmes, err := v.w.store.Programmes()
		var classes []record.Class
		if err == nil {
			classes, err = v.w.store.Classes()
		}
		v.w.do(func() {
			if err != nil {
				v.showMessage(i18n.T("ui.records.load_failed", err), widget.DangerImportance)
				return
			}
			v.dialog = v.showEnrolDialog(people, enrolTargets(programmes, openClasses(classes, v.w.now())))
		})
	})
}

func (v *retrainingView) showMessage(text string, importance widget.Importance) {
	v.message.Importance = importance
	v.message.SetText(text)
}

// enrolTarget is a class to enrol into, or a programme without a class.
type enrolTarget struct {
	label     string
	programme string
	class     string
}

// enrolTargets lists the classes, newest first, then every programme
// without a class.
func enrolTargets(programmes []record.Programme, classes []record.Class) []enrolTarget {
	titles := map[string]string{}
	for _, p := range programmes {
		titles[p.ID] = display.ProgrammeTitle(p)
	}
	var out []enrolTarget
	for _, c := range classes {
		out = append(out, enrolTarget{label: i18n.T("ui.retraining.target.class", c.Title, titles[c.Programme]),
			programme: c.Programme, class: c.ID})
	}
	for _, p := range programmes {
		out = append(out, enrolTarget{label: i18n.T("ui.retraining.target.programme", titles[p.ID]), programme: p.ID})
	}
	return out
}

// retrainingEnrol is the dialog that picks where the checked persons go.
type retrainingEnrol struct {
	dialog  *dialog.CustomDialog
	note    *widget.Label // the warning that no class is open, hidden while one is
	target  *widget.Select
	confirm *widget.Button
	message *widget.Label
}

func (v *retrainingView) showEnrolDialog(people []record.Person, targets []enrolTarget) *retrainingEnrol {
	d := &retrainingEnrol{message: widget.NewLabel("")}
	labels := make([]string, len(targets))
	for i, t := range targets {
		labels[i] = t.label
	}
	d.target = widget.NewSelect(labels, nil)
	d.target.PlaceHolder = i18n.T("ui.retraining.target.choose")
	d.message.Importance = widget.DangerImportance
	d.message.Wrapping = fyne.TextWrapWord
	summary := widget.NewLabel(i18n.T("ui.retraining.enrol_summary", len(people)))
	summary.Wrapping = fyne.TextWrapWord
	d.note = widget.NewLabel(i18n.T("ui.retraining.no_open_classes"))
	d.note.Importance = widget.WarningImportance
	d.note.Wrapping = fyne.TextWrapWord
	if slices.ContainsFunc(targets, func(t enrolTarget) bool { return t.class != "" }) {
		d.note.Hide()
	}

	d.dialog = dialog.NewCustomWithoutButtons(i18n.T("ui.retraining.enrol"),
		container.NewVBox(summary, d.note, d.target, d.message), v.w.win)
	cancel := widget.NewButton(i18n.T("ui.dialog.cancel"), d.dialog.Hide)
	d.confirm = widget.NewButtonWithIcon(i18n.T("ui.retraining.enrol"), theme.ConfirmIcon(), func() {
		i := d.target.SelectedIndex()
		if i < 0 || i >= len(targets) {
			d.message.SetText(i18n.T("ui.retraining.target.required"))
			return
		}
		d.confirm.Disable()
		v.enrolAll(people, targets[i], func() { d.dialog.Hide() })
	})
	d.confirm.Importance = widget.HighImportance
	d.dialog.SetButtons([]fyne.CanvasObject{cancel, d.confirm})
	d.dialog.Resize(fyne.NewSize(dialogWidth, 0))
	d.dialog.Show()
	return d
}

// enrolAll creates a draft training record in the target for each person,
// off the UI goroutine, and then lists who was enrolled and who was not.
func (v *retrainingView) enrolAll(people []record.Person, target enrolTarget, done func()) {
	v.w.spawn(func() {
		var enrolled, failed []string
		var firstErr error
		ok := map[string]bool{}
		for _, p := range people {
			fields := record.Training{Person: p.ID, Programme: target.programme, Class: target.class,
				Review: record.Review{State: record.ReviewDraft}}.Fields()
			if _, err := v.w.store.SaveHistory(record.KindTraining, "", fields); err != nil {
				failed = append(failed, p.Name)
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			enrolled = append(enrolled, p.Name)
			ok[p.ID] = true
		}
		// The 已报名 marks come from the store, as for enrolments made
		// elsewhere. The list is shown before the message, which would
		// otherwise be cleared as the list changes.
		l := v.read()
		v.w.do(func() {
			done()
			for id := range ok {
				v.checked[id] = false
			}
			// Clearing 全选 must not run its handler, which would also
			// uncheck the persons whose enrolment failed.
			onAll := v.all.OnChanged
			v.all.OnChanged = nil
			v.all.SetChecked(false)
			v.all.OnChanged = onAll
			v.show(l)
			text := i18n.T("ui.retraining.enrolled", len(enrolled), target.label, strings.Join(enrolled, "、"))
			if firstErr != nil {
				text += "\n" + i18n.T("ui.retraining.enrol_failed", strings.Join(failed, "、"), firstErr)
				v.showMessage(text, widget.DangerImportance)
				return
			}
			v.showMessage(text, widget.SuccessImportance)
		})
	})
}
