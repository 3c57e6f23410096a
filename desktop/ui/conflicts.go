package ui

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/access"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// Device roles that see more than the talent screen, as enrolment stores
// them in store.Identity.Role. The other roles are clerk and fair.
const (
	roleReviewer = "reviewer"
	roleCentral  = "central"
)

// canReviewConflicts reports whether a role gets the conflict review.
func canReviewConflicts(role string) bool { return role == roleReviewer || role == roleCentral }

// maxConflictsShown is the maximum number of items the review dialog lists.
// The newest come first, and resolving them brings up the rest.
const maxConflictsShown = 200

// conflictReview is the window's state for the conflict review. It is used
// only on the Fyne goroutine.
type conflictReview struct {
	countGen int            // generation of the latest count read, so an older read cannot overwrite it
	view     *conflictsView // the open review dialog, nil when it is closed
}

// newConflictsButton returns the status bar's 冲突 button. It shows the open
// count once refreshConflicts has read it.
func (w *window) newConflictsButton() *widget.Button {
	b := widget.NewButtonWithIcon(i18n.T("ui.conflict.button_unknown"), theme.WarningIcon(), w.showConflicts)
	b.Importance = widget.LowImportance
	return b
}

// refreshConflicts reads the open conflict count off the UI goroutine and
// shows it on the 冲突 button, and reloads the review dialog when it is open.
func (w *window) refreshConflicts() {
	if w.review.view != nil {
		w.review.view.load()
	}
	if w.main == nil || w.main.status.conflicts == nil {
		return
	}
	button := w.main.status.conflicts
	w.review.countGen++
	gen := w.review.countGen
	w.spawn(func() {
		items, err := w.store.Conflicts(true)
		w.do(func() {
			if gen != w.review.countGen {
				return
			}
			if err != nil {
				fyne.LogError("counting open conflicts", err)
				button.SetText(i18n.T("ui.conflict.button_unknown"))
				return
			}
			button.Importance = widget.LowImportance
			if len(items) > 0 {
				button.Importance = widget.WarningImportance
			}
			button.SetText(i18n.T("ui.conflict.button", len(items)))
		})
	})
}

// showConflicts opens the review dialog, or brings the open one forward.
func (w *window) showConflicts() {
	if w.review.view != nil {
		w.review.view.dialog.Show()
		return
	}
	v := w.newConflictsView()
	w.review.view = v
	v.dialog.SetOnClosed(func() {
		if w.review.view == v {
			w.review.view = nil
		}
	})
	v.dialog.Show()
	v.load()
}

// conflictsView is the review dialog: the open conflict items of the
// college, each with its two values and a button to keep either.
type conflictsView struct {
	w      *window
	dialog *dialog.CustomDialog
	count  *widget.Label
	list   *fyne.Container
	rows   []*conflictRow // the rows shown, in list order
	export *widget.Button // writes the rows shown to an xlsx file
	gen    int            // generation of the latest load, so an older load cannot overwrite it

	mayReveal bool // whether the device's role may show personal values in full
}

// conflictRow is one conflict item in the review dialog.
type conflictRow struct {
	entry       conflictEntry
	item        record.Conflict
	text        display.ConflictView
	winnerValue *widget.Label
	loserValue  *widget.Label
	keepWinner  *widget.Button
	keepLoser   *widget.Button
	reveal      *widget.Button // 显示完整, nil unless the role may see the masked field in full
	content     fyne.CanvasObject
}

func (w *window) newConflictsView() *conflictsView {
	v := &conflictsView{w: w, count: widget.NewLabel(i18n.T("ui.conflict.loading")), list: container.NewVBox()}
	ident, _ := w.store.Identity()
	v.mayReveal = access.Role(ident.Role).MaySeePersonal()
	explain := widget.NewLabel(i18n.T("ui.conflict.explain"))
	explain.Wrapping = fyne.TextWrapWord
	v.count.Importance = widget.LowImportance
	v.export = newListExportButton(v.onExport)
	top := container.NewVBox(explain, container.NewBorder(nil, nil, nil, v.export, v.count))
	content := container.NewBorder(top, nil, nil, nil, container.NewVScroll(v.list))
	v.dialog = dialog.NewCustom(i18n.T("ui.conflict.title"), i18n.T("ui.dialog.close"), content, w.win)
	v.dialog.Resize(fyne.NewSize(900, 600))
	return v
}

// load reads the open items and their records off the UI goroutine, then
// shows them.
func (v *conflictsView) load() {
	v.gen++
	gen := v.gen
	v.w.spawn(func() {
		entries, err := loadConflicts(v.w.store)
		v.w.do(func() {
			if gen == v.gen {
				v.show(entries, err)
			}
		})
	})
}

// show replaces the list with one row per entry, or with the error.
func (v *conflictsView) show(entries []conflictEntry, err error) {
	v.list.RemoveAll()
	v.rows = nil
	if err != nil {
		v.count.SetText(i18n.T("ui.conflict.load_failed", err))
		v.count.Importance = widget.DangerImportance
		v.count.Refresh()
		return
	}
	v.count.Importance = widget.LowImportance
	switch total := len(entries); {
	case total == 0:
		v.count.SetText(i18n.T("ui.conflict.empty"))
	case total > maxConflictsShown:
		v.count.SetText(i18n.T("ui.conflict.count_truncated", maxConflictsShown, total))
		entries = entries[:maxConflictsShown]
	default:
		v.count.SetText(i18n.T("ui.conflict.count", total))
	}

	// Personal values are masked for every role. Showing them in full is an
	// audited action: the row's 显示完整 button records an access event first.
	for _, e := range entries {
		row := v.newRow(e, display.Conflict(e.item, e.record, v.w.store.Device(), false, v.w.tables))
		v.rows = append(v.rows, row)
		v.list.Add(row.content)
	}
}

func (v *conflictsView) newRow(e conflictEntry, text display.ConflictView) *conflictRow {
	r := &conflictRow{entry: e, item: e.item, text: text}
	heading := widget.NewLabel(text.Heading)
	heading.TextStyle = fyne.TextStyle{Bold: true}
	heading.Wrapping = fyne.TextWrapWord
	r.keepWinner = widget.NewButtonWithIcon(i18n.T("ui.conflict.choose"), theme.ConfirmIcon(), func() {
		v.choose(r, e.item.Winner)
	})
	r.keepLoser = widget.NewButtonWithIcon(i18n.T("ui.conflict.choose"), theme.ConfirmIcon(), func() {
		v.choose(r, e.item.Loser)
	})
	winner, winnerValue := conflictSide(text.Winner, r.keepWinner)
	loser, loserValue := conflictSide(text.Loser, r.keepLoser)
	r.winnerValue, r.loserValue = winnerValue, loserValue
	sides := container.NewGridWithColumns(2, winner, loser)
	top := fyne.CanvasObject(heading)
	if masked(e.item) && v.mayReveal {
		r.reveal = widget.NewButtonWithIcon(i18n.T("ui.person.reveal"), theme.VisibilityIcon(), func() { v.reveal(r) })
		r.reveal.Importance = widget.LowImportance
		top = container.NewBorder(nil, nil, nil, r.reveal, heading)
	}
	r.content = container.NewVBox(top, sides, widget.NewSeparator())
	return r
}

// masked reports whether the review shows the values of a conflict item
// masked: a person's resident ID number, phone or address.
func masked(c record.Conflict) bool {
	if c.RecordKind != record.KindPerson {
		return false
	}
	switch c.Field {
	case record.FieldIDNumber, record.FieldPhone, record.FieldAddress:
		return true
	}
	return false
}

// conflictSide shows one value of an item: what it is, the value, who wrote
// it and when, and the button that keeps it. It also returns the value's
// label, which 显示完整 rewrites.
func conflictSide(side display.ConflictSide, keep *widget.Button) (fyne.CanvasObject, *widget.Label) {
	label := widget.NewLabel(side.Label)
	label.Importance = widget.LowImportance
	value := widget.NewLabel(side.Value)
	value.Wrapping = fyne.TextWrapWord
	author := widget.NewLabel(side.Author)
	author.Importance = widget.LowImportance
	return container.NewVBox(label, value, author, container.NewHBox(keep)), value
}

// reveal records an access event for the item's person and field off the
// UI goroutine, and shows both values in full once it is written, as the
// person page's 显示完整 does.
func (v *conflictsView) reveal(r *conflictRow) {
	r.reveal.Disable()
	person, field := r.item.Record, r.item.Field
	v.w.spawn(func() {
		err := v.w.store.RecordReveal(person, []string{field})
		v.w.do(func() {
			if err != nil {
				r.reveal.Enable()
				dialog.ShowError(errors.New(i18n.T("ui.person.reveal_failed", err)), v.w.win)
				return
			}
			text := display.Conflict(r.entry.item, r.entry.record, v.w.store.Device(), true, v.w.tables)
			r.text = text
			r.winnerValue.SetText(text.Winner.Value)
			r.loserValue.SetText(text.Loser.Value)
			r.reveal.Hide()
		})
	})
}

// choose resolves an item with value off the UI goroutine, then reloads the
// list and the count.
func (v *conflictsView) choose(r *conflictRow, value string) {
	r.keepWinner.Disable()
	r.keepLoser.Disable()
	id := r.item.ID
	v.w.spawn(func() {
		err := v.w.store.ResolveConflict(id, value)
		v.w.do(func() {
			switch {
			case errors.Is(err, store.ErrResolved):
				dialog.ShowInformation(i18n.T("ui.conflict.title"), i18n.T("ui.conflict.already_resolved"), v.w.win)
			case err != nil:
				r.keepWinner.Enable()
				r.keepLoser.Enable()
				dialog.ShowError(errors.New(i18n.T("ui.conflict.resolve_failed", err)), v.w.win)
			}
			v.w.refreshConflicts()
		})
	})
}

// conflictEntry is an open conflict item with what the store holds about
// the record it names.
type conflictEntry struct {
	item   record.Conflict
	record display.ConflictRecord
}

// loadConflicts reads the open conflict items, newest first, and the record
// each names. It reads the store, so it runs off the UI goroutine.
func loadConflicts(st *store.Store) ([]conflictEntry, error) {
	items, err := st.Conflicts(true)
	if err != nil {
		return nil, err
	}
	entries := make([]conflictEntry, 0, len(items))
	for _, item := range items {
		rec, err := conflictRecord(st, item)
		if err != nil {
			return nil, fmt.Errorf("reading the record of conflict %s: %w", item.ID, err)
		}
		entries = append(entries, conflictEntry{item: item, record: rec})
	}
	return entries, nil
}

// conflictRecord reads the person, training or internship a conflict item
// names. A record this device does not hold is not an error: its Found is
// false.
func conflictRecord(st *store.Store, item record.Conflict) (display.ConflictRecord, error) {
	var rec display.ConflictRecord
	personID := item.Record
	switch item.RecordKind {
	case record.KindTraining, record.KindInternship:
		state, err := st.State(item.RecordKind, item.Record)
		if errors.Is(err, store.ErrNotFound) {
			return rec, nil
		}
		if err != nil {
			return rec, err
		}
		values := state.Values()
		personID = values[record.FieldPerson]
		rec.Detail = values[record.FieldProgramme]
		if item.RecordKind == record.KindInternship {
			rec.Detail = values[record.FieldEmployer]
		}
	}

	rec.Found = true
	if personID == "" {
		return rec, nil
	}
	person, err := st.Person(personID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// A training or internship whose person is not here yet is shown
		// without a name.
		rec.Found = item.RecordKind != record.KindPerson
	case err != nil:
		return rec, err
	default:
		rec.Person = person.Name
	}
	return rec, nil
}
