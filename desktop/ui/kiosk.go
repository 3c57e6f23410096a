package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/assessment"
	"mobilefactory/shared/i18n"
)

// itemsPerPage is the number of questionnaire items on one kiosk page. Six
// fit a 1100×720 window without scrolling.
const itemsPerPage = 6

// kiosk is the screen on which a student takes the career-direction
// assessment (学生测评) on the clerk's PC. It fills the window in place of
// the clerk's screen and shows the student's name and nothing else of the
// college's records: no person list, tabs or status bar. Leaving asks for a
// confirmation but no password, and brings the clerk's screen back.
type kiosk struct {
	w       *window
	person  string // ULID of the student
	name    string // the student's name; empty for an erased person
	back    fyne.CanvasObject
	title   string // the window title before the kiosk opened
	onClose func() // runs once the clerk's screen is back

	items        []assessment.Item
	competencies []assessment.Competency
	answers      map[string]int // item ID → agreement 1–5
	ratings      map[string]int // competency ID → rating 1–5
	itemRows     map[string]*choiceRow
	ratingRows   map[string]*choiceRow
	// questions maps an item or competency ID to the label of its text,
	// which turns red while it is missing an answer after a submit.
	questions map[string]*widget.Label

	pages    []kioskPage // the intro, the item pages, the competency page
	current  int         // index in pages
	body     *fyne.Container
	message  *widget.Label // the error of the last submit
	progress *widget.Label
	answered *widget.Label
	header   *fyne.Container
	nav      *fyne.Container
	begin    *widget.Button
	prev     *widget.Button
	next     *widget.Button
	submit   *widget.Button
	exit     *widget.Button
	content  fyne.CanvasObject

	saving     bool                  // a submitted result is being stored
	exitDialog *dialog.ConfirmDialog // the last exit confirmation, kept for tests
	result     *kioskResult          // the result page once stored
}

// kioskPage is one page of the kiosk. first and last are the 1-based
// numbers of its items, 0 on the intro and the competency page.
type kioskPage struct {
	content     *container.Scroll
	first, last int
	blocks      map[string]fyne.CanvasObject // item ID → its question and choices
}

// openKiosk replaces the clerk's screen with the kiosk for a student and
// makes the window full-screen where the platform allows it. onClose runs
// on the UI goroutine after the kiosk has closed.
func (w *window) openKiosk(personID, name string, onClose func()) *kiosk {
	k := &kiosk{
		w: w, person: personID, name: name, onClose: onClose,
		items:        assessment.Items(),
		competencies: assessment.Competencies(),
		answers:      map[string]int{},
		ratings:      map[string]int{},
		itemRows:     map[string]*choiceRow{},
		ratingRows:   map[string]*choiceRow{},
		questions:    map[string]*widget.Label{},
	}
	k.build()

	k.back = w.win.Content()
	k.title = w.win.Title()
	w.win.SetTitle(i18n.T("assessment.title"))
	w.setContent(k.content)
	w.win.SetFullScreen(true)
	k.show(0)
	return k
}

// build makes the kiosk's chrome and pages.
func (k *kiosk) build() {
	heading := widget.NewLabel(k.headerText())
	heading.TextStyle = fyne.TextStyle{Bold: true}
	k.exit = widget.NewButtonWithIcon(i18n.T("kiosk.exit"), theme.LogoutIcon(), k.confirmExit)
	k.header = container.NewHBox(heading, layout.NewSpacer(), k.exit)

	k.message = widget.NewLabel("")
	k.message.Importance = widget.DangerImportance
	k.message.Wrapping = fyne.TextWrapWord
	k.message.Hide()
	k.progress = widget.NewLabel("")
	k.answered = widget.NewLabel("")
	k.prev = widget.NewButtonWithIcon(i18n.T("kiosk.back"), theme.NavigateBackIcon(), func() { k.show(k.current - 1) })
	k.next = widget.NewButtonWithIcon(i18n.T("kiosk.next"), theme.NavigateNextIcon(), func() { k.show(k.current + 1) })
	k.next.IconPlacement = widget.ButtonIconTrailingText
	k.next.Importance = widget.HighImportance
	k.submit = widget.NewButtonWithIcon(i18n.T("kiosk.submit"), theme.ConfirmIcon(), k.onSubmit)
	k.submit.Importance = widget.HighImportance
	k.nav = container.NewHBox(k.prev, layout.NewSpacer(), k.progress, k.answered, layout.NewSpacer(), k.next, k.submit)

	k.pages = append(k.pages, k.introPage())
	for first := 0; first < len(k.items); first += itemsPerPage {
		k.pages = append(k.pages, k.itemPage(k.items[first:min(first+itemsPerPage, len(k.items))]))
	}
	k.pages = append(k.pages, k.competencyPage())

	k.body = container.NewStack()
	footer := container.NewVBox(k.message, k.nav)
	k.content = container.NewBorder(container.NewVBox(k.header, widget.NewSeparator()), footer, nil, nil, k.body)
	k.updateAnswered()
}

func (k *kiosk) headerText() string {
	if k.name == "" {
		return i18n.T("assessment.title")
	}
	return i18n.T("kiosk.header", i18n.T("assessment.title"), k.name)
}

// show turns to page i and sets the navigation for it.
func (k *kiosk) show(i int) {
	if i < 0 || i >= len(k.pages) {
		return
	}
	k.current = i
	page := k.pages[i]
	k.body.Objects = []fyne.CanvasObject{page.content}
	k.body.Refresh()
	page.content.ScrollToTop()

	last := i == len(k.pages)-1
	switch {
	case i == 0:
		k.nav.Hide()
	case last:
		k.nav.Show()
		k.progress.SetText(i18n.T("kiosk.competency.title"))
		k.next.Hide()
		k.submit.Show()
	default:
		k.nav.Show()
		k.progress.SetText(i18n.T("kiosk.progress", page.first, page.last, len(k.items)))
		k.next.Show()
		k.submit.Hide()
	}
	k.content.Refresh()
}

// updateAnswered shows how many of the questions and competencies have an
// answer.
func (k *kiosk) updateAnswered() {
	total := len(k.items) + len(k.competencies)
	k.answered.SetText(i18n.T("kiosk.answered", len(k.answers)+len(k.ratings), total))
}

// confirmExit asks whether to leave the kiosk, because leaving drops the
// answers so far.
func (k *kiosk) confirmExit() {
	k.exitDialog = newConfirm(i18n.T("kiosk.exit"), i18n.T("kiosk.exit.message"), i18n.T("kiosk.exit.confirm"),
		func(leave bool) {
			if leave {
				k.close()
			}
		}, k.w.win)
	k.exitDialog.Show()
}

// close brings the clerk's screen back. While the lock screen shows, the
// clerk's screen waits behind it instead.
func (k *kiosk) close() {
	w := k.w
	w.win.SetFullScreen(false)
	w.win.SetTitle(k.title)
	if w.locked {
		w.unlocked = k.back
	} else {
		w.win.SetContent(k.back)
	}
	if k.onClose != nil {
		k.onClose()
	}
}
