package ui

import (
	"errors"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/access"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// historyRow is one history record in a person's section: its text, its
// review state and the function that opens its form prefilled.
type historyRow struct {
	ref    store.ReviewRef
	text   string
	review record.Review
	edit   func() // nil when the record cannot be edited on this screen
}

// historyRowView is the widgets of one history row: the state tag, the
// text and the buttons for the moves the device's role may make.
type historyRowView struct {
	content fyne.CanvasObject
	tag     *widget.Label
	text    *widget.Label
	// actions maps a button's i18n key (ui.history.action.*) to the button.
	actions map[string]*widget.Button
}

// Keys of the row actions, which are also their labels' i18n keys.
const (
	actionSubmit   = "ui.history.action.submit"
	actionWithdraw = "ui.history.action.withdraw"
	actionApprove  = "ui.history.action.approve"
	actionReturn   = "ui.history.action.return"
	actionEdit     = "ui.history.action.edit"
	actionDelete   = "ui.history.action.delete"
)

// roleOfDevice returns the role the device was enrolled with.
func (w *window) roleOfDevice() access.Role {
	ident, _ := w.store.Identity()
	return access.Role(ident.Role)
}

// setHistoryRows shows one row per history record with its state tag and
// actions, or the empty text when there are none.
func (s *recordSection) setHistoryRows(w *window, rows []historyRow) {
	if len(rows) == 0 {
		s.setRows(nil)
		return
	}
	s.rows.RemoveAll()
	s.views = nil
	for _, row := range rows {
		v := w.newHistoryRowView(row)
		s.views = append(s.views, v)
		s.rows.Add(v.content)
	}
}

// tags returns the state tags shown, as a test reads them.
func (s *recordSection) tags() []string {
	var out []string
	for _, v := range s.views {
		out = append(out, v.tag.Text)
	}
	return out
}

// tagImportance colours a state tag.
var tagImportance = map[string]widget.Importance{
	record.ReviewDraft:    widget.MediumImportance,
	record.ReviewPending:  widget.WarningImportance,
	record.ReviewApproved: widget.SuccessImportance,
	record.ReviewReturned: widget.DangerImportance,
}

func (w *window) newHistoryRowView(row historyRow) *historyRowView {
	v := &historyRowView{actions: map[string]*widget.Button{}}
	state := row.review.Current()
	v.tag = widget.NewLabel(display.ReviewTag(row.review))
	v.tag.Importance = tagImportance[state]
	v.tag.TextStyle = fyne.TextStyle{Bold: true}
	v.tag.Wrapping = fyne.TextWrapWord
	v.text = widget.NewLabel(row.text)
	v.text.Wrapping = fyne.TextWrapWord

	role := w.roleOfDevice()
	buttons := container.NewHBox()
	add := func(key string, onTap func()) {
		b := widget.NewButton(i18n.T(key), onTap)
		v.actions[key] = b
		buttons.Add(b)
	}
	refs := []store.ReviewRef{row.ref}
	if role.MayRecord() && (state == record.ReviewDraft || state == record.ReviewReturned) {
		add(actionSubmit, func() { w.moveReview(refs, state, record.ReviewPending, "", nil) })
	}
	if role.MayRecord() && !role.MayReview() && state == record.ReviewPending {
		add(actionWithdraw, func() { w.moveReview(refs, state, record.ReviewDraft, "", nil) })
	}
	if role.MayReview() && state == record.ReviewPending {
		add(actionApprove, func() { w.moveReview(refs, state, record.ReviewApproved, "", nil) })
	}
	if role.MayReview() && (state == record.ReviewPending || state == record.ReviewApproved) {
		add(actionReturn, func() { w.showReturnDialog(refs, state, nil) })
	}
	if role.MayRecord() && row.edit != nil {
		add(actionEdit, row.edit)
	}
	if role.MayReview() || (role.MayRecord() && state != record.ReviewApproved) {
		add(actionDelete, func() { w.confirmDeleteHistory(row.ref) })
	}

	// The tag sits above the text so that a long return reason wraps.
	v.content = container.NewVBox(v.tag, v.text, buttons, widget.NewSeparator())
	return v
}

// moveReview moves records to state to off the UI goroutine and runs done,
// if any, on the UI goroutine once they moved. The store event that
// follows reloads the screens. from is the state the user saw, named in
// the message when the move fails.
func (w *window) moveReview(refs []store.ReviewRef, from, to, reason string, done func()) {
	w.spawn(func() {
		err := w.store.SetReview(refs, to, reason)
		w.do(func() {
			if err != nil {
				dialog.ShowError(reviewError(err, from, to), w.win)
				return
			}
			if done != nil {
				done()
			}
		})
	})
}

// reviewError turns a SetReview error into the user's message.
func reviewError(err error, from, to string) error {
	if errors.Is(err, store.ErrReviewMove) {
		return errors.New(i18n.T("ui.history.move_refused",
			i18n.T("review."+from), i18n.T("review."+to), err))
	}
	return errors.New(i18n.T("ui.history.move_failed", err))
}

// confirmDeleteHistory shows a confirmation before deleting a history record, then
// deletes it off the UI goroutine.
func (w *window) confirmDeleteHistory(ref store.ReviewRef) {
	newConfirm(i18n.T("ui.history.delete.title"), i18n.T("ui.history.delete.message"),
		i18n.T("ui.history.action.delete"), func(ok bool) {
			if !ok {
				return
			}
			w.spawn(func() {
				err := w.store.Delete(ref.Kind, ref.ID)
				w.do(func() {
					if err != nil {
						dialog.ShowError(errors.New(i18n.T("ui.history.delete.failed", err)), w.win)
					}
				})
			})
		}, w.win).Show()
}

// returnDialog is the dialog where a reviewer gives the reason for
// returning records to the clerk.
type returnDialog struct {
	dialog  *dialog.CustomDialog
	reason  *widget.Entry
	message *widget.Label // shown when 退回 is tapped without a reason
	confirm *widget.Button
}

// maxReasonRunes is the longest return reason, in characters.
const maxReasonRunes = 500

// showReturnDialog opens the return dialog and returns refs with the
// reason given. The
// dialog stays open until a reason is given or the user cancels. done, if
// any, runs on the UI goroutine once the records were returned.
func (w *window) showReturnDialog(refs []store.ReviewRef, from string, done func()) *returnDialog {
	d := &returnDialog{reason: widget.NewMultiLineEntry(), message: widget.NewLabel("")}
	d.reason.SetPlaceHolder(i18n.T("ui.history.return.hint"))
	d.reason.SetMinRowsVisible(3)
	d.message.Importance = widget.DangerImportance
	d.message.Wrapping = fyne.TextWrapWord
	d.message.Hide()

	// The message about a missing or long reason goes once the reason
	// changes, and 退回 checks the reason again.
	d.reason.OnChanged = func(string) {
		if d.message.Visible() {
			d.message.Hide()
			d.dialog.Resize(fyne.NewSize(dialogWidth, 0))
		}
	}

	prompt := widget.NewLabel(i18n.T("ui.history.return.prompt", len(refs)))
	prompt.Wrapping = fyne.TextWrapWord
	d.dialog = dialog.NewCustomWithoutButtons(i18n.T("ui.history.return.title"),
		container.NewVBox(prompt, d.reason, d.message), w.win)
	cancel := widget.NewButton(i18n.T("ui.dialog.cancel"), d.dialog.Hide)
	d.confirm = widget.NewButton(i18n.T("ui.history.action.return"), func() {
		reason := strings.TrimSpace(d.reason.Text)
		problem := ""
		if n := utf8.RuneCountInString(reason); n == 0 {
			problem = i18n.T("ui.history.return.reason_required")
		} else if n > maxReasonRunes {
			problem = i18n.T("ui.history.return.reason_too_long", n, maxReasonRunes)
		}
		if problem != "" {
			d.message.SetText(problem)
			d.message.Show()
			d.dialog.Resize(fyne.NewSize(dialogWidth, 0))
			return
		}
		d.dialog.Hide()
		w.moveReview(refs, from, record.ReviewReturned, reason, done)
	})
	d.confirm.Importance = widget.DangerImportance
	d.dialog.SetButtons([]fyne.CanvasObject{cancel, d.confirm})
	d.dialog.Resize(fyne.NewSize(dialogWidth, 0))
	d.dialog.Show()
	return d
}

// codeLabels returns the translations of codes under an i18n key prefix,
// the options of a Select whose index is the code's.
func codeLabels(prefix string, codes []string) []string {
	labels := make([]string, len(codes))
	for i, code := range codes {
		labels[i] = i18n.T(prefix + code)
	}
	return labels
}

// selectCode selects the option of code, or clears the select when code
// is not one of codes.
func selectCode(s *widget.Select, codes []string, code string) {
	s.ClearSelected()
	for i, c := range codes {
		if c == code {
			s.SetSelectedIndex(i)
		}
	}
}

// selectedCode returns the code of the selected option, "" for none.
func selectedCode(s *widget.Select, codes []string) string {
	if i := s.SelectedIndex(); i >= 0 && i < len(codes) {
		return codes[i]
	}
	return ""
}

// dialogTitle returns the title of a history form: "<prefix>.add" for a
// new record, "<prefix>.edit" for a correction of the record with id.
func dialogTitle(prefix, id string) string {
	if id == "" {
		return i18n.T(prefix + ".add")
	}
	return i18n.T(prefix + ".edit")
}

// historyValues returns a record's fields for store.SaveHistory, marked
// to stay a draft when draft is set. Without the mark the save submits it.
func historyValues(fields map[string]string, draft bool) map[string]string {
	delete(fields, record.FieldReview)
	if draft {
		fields[record.FieldReview] = record.ReviewDraft
	}
	return fields
}
