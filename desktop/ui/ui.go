// Package ui builds the desktop client's window: the enrolment screen while
// the device is not enrolled, and afterwards the talent screen with the
// person list, the person page and the sync status bar. One file holds each
// screen, and the text and formatting they need live in package display.
//
// All text goes through package i18n. Simplified Chinese is the default
// whatever the system locale, and the settings dialog switches to English.
//
// Widgets are touched only on the Fyne goroutine. Store saves and the
// enrolment call run on their own goroutines and report back through
// fyne.Do, and so do the listeners for store events and sync status.
package ui

import (
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/access"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
)

// StatusSource delivers sync status updates. Subscribe returns a channel of
// updates and a function that ends the subscription by closing the channel.
// The window's listener runs until the channel is closed.
type StatusSource interface {
	Subscribe() (<-chan syncclient.Status, func())
}

// Options configure New. The zero value gives a window without sync status
// updates and without enrolment.
type Options struct {
	// Status feeds the status bar. When nil, the bar shows the device as
	// offline with the store's pending count and last sync time.
	Status StatusSource
	// Enrol enrols the device with the server at address using a one-time
	// enrolment code, and stores the identity in the store. It runs off the
	// UI goroutine. The text of an error it returns is the user's message,
	// which a dialog shows as it is.
	Enrol func(server, code string) error
	// Tables are the code tables for majors and regions. New uses
	// codes.MustLoad() when Tables is nil.
	Tables *codes.Tables
	// OnLogin runs on the Fyne goroutine once the store is unlocked: at
	// once for a store without accounts, else after the sign-in screen.
	OnLogin func()
	// IdleLock is the idle time after which the window locks; when zero,
	// the time the settings saved, DefaultIdleLock by default.
	IdleLock time.Duration
}

// prefLocale is the preference key of the chosen locale.
const prefLocale = "locale"

// window is the state of the main window. Its fields are used only on the
// Fyne goroutine, except store, opts and tables, which are read-only.
type window struct {
	app    fyne.App
	win    fyne.Window
	store  *store.Store
	opts   Options
	tables *codes.Tables

	do    func(func()) // runs a function on the Fyne goroutine: fyne.Do
	spawn func(func()) // runs a function off it: a new goroutine

	status syncclient.Status // the latest status, kept across rebuilds
	main   *mainScreen       // nil while the enrolment screen shows
	review conflictReview    // the 冲突 count and the open review dialog
	// enrolling is the enrolment screen's form while it shows.
	enrolling *enrolForm
	stop      []func() // ends the listeners

	login    *loginForm        // the sign-in or lock screen's form while it shows
	loggedIn bool              // OnLogin has run
	locked   bool              // the lock screen hides the window
	unlocked fyne.CanvasObject // the content the lock screen hides
	now      func() time.Time  // clock of the idle lock: time.Now
	// progressDelay is how long an export runs before its progress dialog
	// shows; tests set it to 0 to see the dialog at once.
	progressDelay time.Duration
	lastActive    atomic.Int64      // Unix nanoseconds of the last key or mouse event
	focused       fyne.Focusable    // the focused widget at the last idle check
	focusedText   string            // its text then, when it is an entry
	topOverlay    fyne.CanvasObject // the top dialog or menu at the last idle check
	// lockedOverlays are the dialogs and menus the lock screen hides, shown
	// again on unlock.
	lockedOverlays []fyne.CanvasObject
}

// New creates the main window for a store and shows the screen that fits
// it: enrolment when the store has no identity, else the talent screen. It
// sets the app's theme to one with the bundled Chinese font and the locale
// to the one saved in the app's preferences (Chinese by default). The
// caller shows the window. Closing it stops the window's listeners but
// leaves the store open.
func New(app fyne.App, st *store.Store, opts Options) fyne.Window {
	w := newWindow(app, st, opts, fyne.Do, func(fn func()) { go fn() })
	w.startIdleCheck()
	return w.win
}

func newWindow(app fyne.App, st *store.Store, opts Options, do, spawn func(func())) *window {
	if opts.Tables == nil {
		opts.Tables = codes.MustLoad()
	}
	w := &window{app: app, store: st, opts: opts, tables: opts.Tables, do: do, spawn: spawn, now: time.Now,
		progressDelay: progressDelay}
	w.status = syncclient.Status{Pending: st.Pending(), LastSync: st.LastSync()}

	i18n.SetLocale(app.Preferences().StringWithFallback(prefLocale, i18n.Chinese))
	app.Settings().SetTheme(newChineseTheme())

	w.win = app.NewWindow(i18n.T("app.name"))
	w.win.Resize(fyne.NewSize(1100, 720))
	w.win.SetOnClosed(w.close)
	w.listen()
	w.watchActivity()
	w.build()
	if !st.Locked() {
		w.signedIn()
	}
	return w
}

// build shows the screen that fits the store, in the current locale: the
// sign-in screen while it is locked, the enrolment screen while it has no
// identity, else the talent screen.
func (w *window) build() {
	if w.store.Locked() {
		w.main = nil
		w.win.SetTitle(i18n.T("app.name"))
		w.setContent(w.loginScreen())
		// Typing goes to the account entry at once, as in any sign-in.
		w.win.Canvas().Focus(w.login.account)
		return
	}
	ident, enrolled := w.store.Identity()
	if !enrolled {
		w.main = nil
		w.win.SetTitle(i18n.T("app.name"))
		w.setContent(w.enrolScreen())
		return
	}

	w.win.SetTitle(i18n.T("ui.window.title", i18n.T("app.name"), w.collegeName(ident)))

	selected := ""
	if w.main != nil {
		selected = w.main.page.id
	}
	w.main = w.newMainScreen()
	w.setContent(w.main.content)
	w.refreshConflicts()
	if selected != "" {
		w.main.persons.selectID(selected)
	}
}

// setContent shows content, watched for mouse activity. While the lock
// screen shows, the content waits behind it.
func (w *window) setContent(content fyne.CanvasObject) {
	watched := newActivityWatcher(content, w.touch)
	if w.locked {
		w.unlocked = watched
		return
	}
	w.win.SetContent(watched)
}

// collegeName returns the name of the device's scope: 招聘会 and the fair
// code for a fair, else the college name enrolment stored, else the code
// table's, else the code.
func (w *window) collegeName(ident store.Identity) string {
	if fair, ok := access.FairCode(ident.College); ok {
		return i18n.T("scope.fair", fair)
	}
	if ident.CollegeName != "" {
		return ident.CollegeName
	}
	if c, ok := w.tables.College(ident.College); ok {
		return c.Name
	}
	return ident.College
}

// setLocale switches the language, saves the choice and rebuilds the window.
func (w *window) setLocale(locale string) {
	i18n.SetLocale(locale)
	w.app.Preferences().SetString(prefLocale, i18n.Locale())
	w.build()
}

// listen starts the goroutines that turn store events and sync status
// updates into widget updates.
func (w *window) listen() {
	events, cancel := w.store.Subscribe()
	w.stop = append(w.stop, cancel)
	go func() {
		for ev := range events {
			w.do(func() { w.onStoreEvent(ev) })
		}
	}()

	if w.opts.Status == nil {
		return
	}
	updates, cancel := w.opts.Status.Subscribe()
	w.stop = append(w.stop, cancel)
	go func() {
		for s := range updates {
			w.do(func() { w.onStatus(s) })
		}
	}()
}

func (w *window) onStoreEvent(ev store.Event) {
	// The store's outbox is the pending count, so a local edit shows at
	// once, before the sync client reports its next status.
	w.status.Pending = w.store.Pending()
	w.status.LastSync = w.store.LastSync()
	if w.main == nil {
		// Enrolment stores the identity and so sends an event.
		if _, ok := w.store.Identity(); ok {
			w.build()
		}
		return
	}
	w.main.status.set(w.status)
	if ev.Local || ev.Remote {
		// NOTE: the person form keeps what it shows, so a pulled change to
		// the person being edited appears only when they are selected again.
		w.main.persons.refresh()
		w.main.page.refreshRecords()
		w.refreshConflicts()
	}
}

func (w *window) onStatus(s syncclient.Status) {
	w.status = s
	if w.main != nil {
		w.main.status.set(s)
	}
}

// close ends the listeners. The store stays open for the caller to close.
func (w *window) close() {
	for _, stop := range w.stop {
		stop()
	}
	w.stop = nil
}

// newConfirm returns a confirmation dialog whose buttons name the action,
// confirm, and 取消. Fyne's own buttons read 是 and 不, which do not say what
// happens.
func newConfirm(title, message, confirm string, onResult func(bool), parent fyne.Window) *dialog.ConfirmDialog {
	d := dialog.NewConfirm(title, message, onResult, parent)
	d.SetConfirmText(confirm)
	d.SetDismissText(i18n.T("ui.dialog.cancel"))
	return d
}
