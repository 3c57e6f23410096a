package ui

import (
	"strconv"
	"time"

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

// reviewQueue is the review tab (审核): the history records waiting for
// review, oldest submission first, filtered by kind and class, with
// approve, return and bulk approve.
type reviewQueue struct {
	w       *window
	tab     *container.TabItem
	kind    *widget.Select // 全部, then the kinds of record.HistoryKinds
	class   *widget.Select // 全部班级, then the titles of classes
	list    *widget.List
	count   *widget.Label
	message *widget.Label // the error that stopped the queue from loading
	notice  *widget.Label // the outcome of the last approve or return
	empty   *widget.Label // shown in place of the list when it shows nothing
	// classBox sizes the class filter to its widest option.
	classBox *fyne.Container
	approve  *widget.Button
	reject   *widget.Button
	all      *widget.Button
	export   *widget.Button // writes the rows shown to an xlsx file

	items    []queueRow // every record waiting, oldest first
	shown    []queueRow // the items the filters let through
	classes  []record.Class
	selected map[string]bool // ids of the checked items
	heights  []float32       // the row heights updateHeights set, per shown item

	cancel  func()                // ends the store subscription
	confirm *dialog.ConfirmDialog // the bulk approve confirmation shown last
	detail  *dialog.CustomDialog  // the record shown last
	// detailApprove and detailReturn are the 通过 and 退回 buttons of detail.
	detailApprove, detailReturn *widget.Button
	fields                      *widget.Form  // the fields detail shows
	returning                   *returnDialog // the return dialog shown last
}

// queueRow is one waiting record with the text the queue shows for it.
type queueRow struct {
	item      store.QueueItem
	person    string // the person's name
	summary   string
	class     string // the class title, for training records in a class
	submitted string
}

// reviewTab is the review queue (审核), for roles that review.
func (w *window) reviewTab() *container.TabItem {
	if !w.roleOfDevice().MayReview() {
		return nil
	}
	q := w.newReviewQueue()
	return q.tab
}

// reviewScreen is the review tab's content. It keeps its queue so that a
// test can reach it from the tab.
type reviewScreen struct {
	widget.BaseWidget
	queue   *reviewQueue
	content fyne.CanvasObject
}

// Resize lays the screen out and fits the queue's row heights to the new
// width.
func (s *reviewScreen) Resize(size fyne.Size) {
	width := s.Size().Width
	s.BaseWidget.Resize(size)
	if size.Width != width {
		s.queue.updateHeights()
	}
}

func newReviewScreen(q *reviewQueue, content fyne.CanvasObject) *reviewScreen {
	s := &reviewScreen{queue: q, content: content}
	s.ExtendBaseWidget(s)
	return s
}

func (s *reviewScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.content)
}

func (w *window) newReviewQueue() *reviewQueue {
	q := &reviewQueue{w: w, selected: map[string]bool{}}

	kinds := []string{i18n.T("ui.review.all_kinds")}
	for _, k := range record.HistoryKinds {
		kinds = append(kinds, i18n.T("kind."+k.String()))
	}
	q.kind = widget.NewSelect(kinds, func(string) { q.applyFilter() })
	q.kind.SetSelectedIndex(0)
	q.class = widget.NewSelect([]string{i18n.T("ui.review.all_classes")}, func(string) { q.applyFilter() })
	q.class.SetSelectedIndex(0)

	q.list = widget.NewList(func() int { return len(q.shown) }, q.newItem, q.updateItem)
	q.count = widget.NewLabel("")
	q.message = widget.NewLabel("")
	q.message.Importance = widget.DangerImportance
	q.message.Wrapping = fyne.TextWrapWord
	q.message.Hide()
	q.notice = widget.NewLabel("")
	q.notice.Importance = widget.SuccessImportance
	q.notice.Hide()
	q.empty = widget.NewLabel("")
	q.empty.Alignment = fyne.TextAlignCenter
	q.empty.Hide()

	q.approve = widget.NewButtonWithIcon(i18n.T("ui.history.action.approve"), theme.ConfirmIcon(), q.onApprove)
	q.approve.Importance = widget.HighImportance
	q.reject = widget.NewButtonWithIcon(i18n.T("ui.history.action.return"), theme.CancelIcon(), q.onReturn)
	q.all = widget.NewButtonWithIcon(i18n.T("ui.review.approve_all"), theme.ConfirmIcon(), q.onApproveAll)

	q.classBox = fitOptions(q.class)
	filters := container.NewHBox(widget.NewLabel(i18n.T("ui.review.kind")), fitOptions(q.kind),
		widget.NewLabel(i18n.T("ui.review.class")), q.classBox, layout.NewSpacer(), q.count)
	q.export = newListExportButton(q.onExport)
	actions := container.NewHBox(q.approve, q.reject, q.all, q.export, q.notice)
	top := container.NewVBox(filters, actions, q.message)
	list := container.NewStack(q.list, container.NewVBox(q.empty))
	q.tab = container.NewTabItem(i18n.T("ui.tab.review"),
		newReviewScreen(q, container.NewBorder(top, nil, nil, nil, list)))

	q.listen()
	q.load()
	return q
}

// listen reloads the queue after each local edit or pulled change, until
// the window rebuilds its screens and this queue no longer shows.
func (q *reviewQueue) listen() {
	q.cancel = q.w.reloadWhileShown(func() *container.TabItem { return q.tab }, q.load)
}

// load reads the queue, the classes and the names to show off the UI
// goroutine, then shows them.
func (q *reviewQueue) load() {
	q.w.spawn(func() {
		rows, classes, err := readQueue(q.w.store)
		q.w.do(func() { q.show(rows, classes, err) })
	})
}

// readQueue returns the waiting records with their texts, and the classes.
func readQueue(st *store.Store) ([]queueRow, []record.Class, error) {
	items, err := st.ReviewQueue()
	if err != nil {
		return nil, nil, err
	}
	classes, err := st.Classes()
	if err != nil {
		return nil, nil, err
	}
	programmes, err := st.Programmes()
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	rows := make([]queueRow, len(items))
	for i, item := range items {
		name, ok := names[item.Person]
		if !ok {
			name = personName(st, item.Person)
			names[item.Person] = name
		}
		rows[i] = queueRow{item: item, person: name,
			summary:   recordSummary(item.Kind, item.Fields, programmes),
			class:     classTitle(classes, item.Class),
			submitted: submittedText(item.SubmittedAt)}
	}
	return rows, classes, nil
}

// personName returns the name of a person for the queue: 已删除个人信息 for
// an erased person, and the id when the person is not in the store yet.
func personName(st *store.Store, id string) string {
	p, err := st.Person(id)
	switch {
	case err != nil:
		return id
	case p.Erased != "":
		return i18n.T("field.erased")
	}
	return p.Name
}

func classTitle(classes []record.Class, id string) string {
	for _, c := range classes {
		if c.ID == id {
			return c.Title
		}
	}
	return ""
}

// programmeTitle returns a programme's title, translated for the built-in
// basic programme; old records name the programme directly.
func programmeTitle(programmes []record.Programme, id string) string {
	for _, p := range programmes {
		if p.ID == id {
			if p.ID == record.BasicProgramme {
				return i18n.T(p.Title)
			}
			return p.Title
		}
	}
	return id
}

// programmeOf returns the programme with the given id, or one titled with
// the id itself for old records that named their programme in free text.
func programmeOf(programmes []record.Programme, id string) record.Programme {
	for _, p := range programmes {
		if p.ID == id {
			return p
		}
	}
	return record.Programme{Title: id}
}

// recordSummary returns the one-line text of a history record, without
// its kind, which the queue row shows first.
func recordSummary(kind record.Kind, f map[string]string, programmes []record.Programme) string {
	switch kind {
	case record.KindTraining:
		t := record.TrainingFrom("", "", f)
		return display.TrainingSummary(t, programmeOf(programmes, t.Programme), "")
	case record.KindAssessment:
		return display.AssessmentSummary(record.AssessmentFrom("", "", f))
	case record.KindInternship:
		return display.InternshipRow(record.InternshipFrom("", "", f))
	case record.KindAward:
		return display.AwardRow(record.AwardFrom("", "", f))
	case record.KindCertificate:
		return display.CertificateRow(record.CertificateFrom("", "", f))
	case record.KindCounselling:
		return display.CounsellingRow(record.CounsellingFrom("", "", f))
	}
	return ""
}

// submittedText returns an RFC 3339 submission time as the screen shows it.
func submittedText(at string) string {
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return at
	}
	return display.DateTime(t)
}

// show replaces the queue's content, keeping the filters and the checks
// of items still waiting.
func (q *reviewQueue) show(rows []queueRow, classes []record.Class, err error) {
	if err != nil {
		q.message.SetText(i18n.T("ui.records.load_failed", err))
		q.message.Show()
		return
	}
	q.message.Hide()
	q.items = rows

	classID := q.selectedClass()
	q.classes = classes
	titles := []string{i18n.T("ui.review.all_classes")}
	selected := 0
	for i, c := range classes {
		titles = append(titles, c.Title)
		if c.ID == classID {
			selected = i + 1
		}
	}
	q.class.SetOptions(titles)
	refitOptions(q.classBox, q.class)
	q.class.SetSelectedIndex(selected) // runs applyFilter
	q.applyFilter()
}

// selectedClass returns the id of the class filter, "" for all classes.
func (q *reviewQueue) selectedClass() string {
	if i := q.class.SelectedIndex(); i > 0 && i <= len(q.classes) {
		return q.classes[i-1].ID
	}
	return ""
}

// applyFilter shows the items of the chosen kind and class. A check on an
// item the filters hide is dropped, so the buttons act only on what shows.
func (q *reviewQueue) applyFilter() {
	if q.list == nil {
		return // the selects are being built
	}
	var kind record.Kind
	if i := q.kind.SelectedIndex(); i > 0 {
		kind = record.HistoryKinds[i-1]
	}
	class := q.selectedClass()
	q.shown = q.shown[:0]
	visible := map[string]bool{}
	for _, row := range q.items {
		if kind != 0 && row.item.Kind != kind {
			continue
		}
		if class != "" && row.item.Class != class {
			continue
		}
		q.shown = append(q.shown, row)
		visible[row.item.ID] = true
	}

	for id := range q.selected {
		if !visible[id] {
			delete(q.selected, id)
		}
	}

	q.count.SetText(i18n.T("ui.review.count", len(q.shown), len(q.items)))
	switch {
	case len(q.items) == 0:
		q.empty.SetText(i18n.T("ui.review.empty"))
		q.empty.Show()
	case len(q.shown) == 0:
		q.empty.SetText(i18n.T("ui.review.empty_filtered"))
		q.empty.Show()
	default:
		q.empty.Hide()
	}
	q.updateHeights()
	q.list.Refresh()
}

// checkedRefs returns the checked items that show, oldest first.
func (q *reviewQueue) checkedRefs() []store.ReviewRef {
	var refs []store.ReviewRef
	for _, row := range q.shown {
		if q.selected[row.item.ID] {
			refs = append(refs, store.ReviewRef{Kind: row.item.Kind, ID: row.item.ID})
		}
	}
	return refs
}

func (q *reviewQueue) clearChecks() {
	clear(q.selected)
	q.list.Refresh()
}

// moved returns the function to run once n records moved to state. It
// clears the checks and shows the number of records moved.
func (q *reviewQueue) moved(n int, state string) func() {
	return func() {
		q.clearChecks()
		q.notice.SetText(i18n.T("ui.review.moved."+state, n))
		q.notice.Show()
	}
}

func (q *reviewQueue) onApprove() {
	refs := q.checkedRefs()
	if len(refs) == 0 {
		dialog.ShowInformation(i18n.T("ui.review.title"), i18n.T("ui.review.none_checked"), q.w.win)
		return
	}
	q.w.moveReview(refs, record.ReviewPending, record.ReviewApproved, "", q.moved(len(refs), record.ReviewApproved))
}

func (q *reviewQueue) onReturn() {
	refs := q.checkedRefs()
	if len(refs) == 0 {
		dialog.ShowInformation(i18n.T("ui.review.title"), i18n.T("ui.review.none_checked"), q.w.win)
		return
	}
	q.returning = q.w.showReturnDialog(refs, record.ReviewPending, q.moved(len(refs), record.ReviewReturned))
}

// onApproveAll approves every item the filters show after one
// confirmation that names their number.
func (q *reviewQueue) onApproveAll() {
	refs := make([]store.ReviewRef, len(q.shown))
	for i, row := range q.shown {
		refs[i] = store.ReviewRef{Kind: row.item.Kind, ID: row.item.ID}
	}
	if len(refs) == 0 {
		dialog.ShowInformation(i18n.T("ui.review.title"), i18n.T("ui.review.nothing_shown"), q.w.win)
		return
	}
	// The message breaks at any character, because word wrapping moved
	// the whole run after the count's space to the next line and left
	// "5" alone on the first.
	message := widget.NewLabel(i18n.T("ui.review.approve_all.confirm", len(refs)))
	message.Wrapping = fyne.TextWrapBreak
	q.confirm = dialog.NewCustomConfirm(i18n.T("ui.review.approve_all"), i18n.T("ui.review.approve_all"),
		i18n.T("ui.dialog.cancel"), message, func(ok bool) {
			if ok {
				q.w.moveReview(refs, record.ReviewPending, record.ReviewApproved, "",
					q.moved(len(refs), record.ReviewApproved))
			}
		}, q.w.win)
	q.confirm.Resize(fyne.NewSize(dialogWidth, 0))
	q.confirm.Show()
}

// showDetail shows a waiting record's fields read-only, with 通过 and
// 退回 for the record.
func (q *reviewQueue) showDetail(row queueRow) {
	form := widget.NewForm()
	if row.corrects() {
		form.Append(i18n.T("ui.review.correction"), readOnlyLabel(i18n.T("ui.review.correction.detail")))
	}
	form.Append(i18n.T("field.person"), readOnlyLabel(row.person))
	for _, field := range record.FieldsOf(row.item.Kind) {
		switch field {
		case record.FieldPerson, record.FieldSupersedes, record.FieldDeleted, record.FieldReview,
			record.FieldReviewBy, record.FieldReviewAt:
			continue
		}
		value := q.fieldText(field, row.item.Fields[field])
		if value == "" {
			continue
		}
		form.Append(i18n.T("field."+field), readOnlyLabel(value))
	}
	q.fields = form

	q.detail = dialog.NewCustomWithoutButtons(i18n.T("kind."+row.item.Kind.String()),
		container.NewVScroll(form), q.w.win)
	refs := []store.ReviewRef{{Kind: row.item.Kind, ID: row.item.ID}}
	closeDetail := widget.NewButton(i18n.T("ui.dialog.close"), q.detail.Hide)
	q.detailReturn = widget.NewButtonWithIcon(i18n.T("ui.history.action.return"), theme.CancelIcon(), func() {
		q.detail.Hide()
		q.returning = q.w.showReturnDialog(refs, record.ReviewPending, q.moved(1, record.ReviewReturned))
	})
	q.detailApprove = widget.NewButtonWithIcon(i18n.T("ui.history.action.approve"), theme.ConfirmIcon(), func() {
		q.detail.Hide()
		q.w.moveReview(refs, record.ReviewPending, record.ReviewApproved, "", q.moved(1, record.ReviewApproved))
	})
	q.detailApprove.Importance = widget.HighImportance

	q.detail.SetButtons([]fyne.CanvasObject{closeDetail, q.detailReturn, q.detailApprove})
	q.detail.Resize(fyne.NewSize(dialogWidth, 480))
	q.detail.Show()
}

func readOnlyLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// fieldText returns a stored value as the detail dialog shows it: codes
// translated, dates and times formatted, ids replaced by titles.
func (q *reviewQueue) fieldText(field, value string) string {
	if value == "" {
		return ""
	}
	switch field {
	case record.FieldClass:
		if title := classTitle(q.classes, value); title != "" {
			return title
		}
	case record.FieldProgramme:
		if value == record.BasicProgramme {
			return i18n.T(record.Basic().Title)
		}
	case record.FieldDate, record.FieldStart, record.FieldEnd:
		return display.Date(value)
	case record.FieldSubmittedAt:
		return submittedText(value)
	case record.FieldCompleted:
		if value == "1" {
			return i18n.T("ui.training.row.completed")
		}
		return i18n.T("ui.training.row.not_completed")
	case record.FieldInternKind:
		return i18n.T("intern_kind." + value)
	case record.FieldLevel:
		return i18n.T("award_level." + value)
	case record.FieldSkillLevel:
		return i18n.T("skill_level." + value)
	case record.FieldRating:
		if rating, err := strconv.Atoi(value); err == nil {
			return display.RatingOption(rating)
		}
	case record.FieldWorkRegion:
		return display.RegionLabel(q.w.tables, value)
	}
	return value
}
