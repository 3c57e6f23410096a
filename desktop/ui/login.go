package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/i18n"
)

// DefaultIdleLock is how long the window waits without a key or mouse event
// before it locks, unless the settings set another time.
const DefaultIdleLock = 10 * time.Minute

// prefIdleMinutes is the preference key of the idle time in minutes.
const prefIdleMinutes = "idle_lock_minutes"

// idleCheckEvery is how often the window checks for idle time.
const idleCheckEvery = 15 * time.Second

// loginForm is the sign-in screen's inputs, kept for tests. The same form
// serves the lock screen, where the account is fixed.
type loginForm struct {
	account  *widget.Entry
	password *widget.Entry
	submit   *widget.Button
	message  *widget.Label
	lock     bool // the lock screen of a signed-in account
}

// loginScreen requests an account and its password on a locked store.
func (w *window) loginScreen() fyne.CanvasObject {
	return w.passwordScreen(false)
}

// lockScreen hides the window behind the signed-in account's password.
func (w *window) lockScreen() fyne.CanvasObject {
	return w.passwordScreen(true)
}

func (w *window) passwordScreen(lock bool) fyne.CanvasObject {
	f := &loginForm{account: widget.NewEntry(), password: widget.NewPasswordEntry(), lock: lock}
	f.message = widget.NewLabel("")
	f.message.Importance = widget.DangerImportance
	f.message.Wrapping = fyne.TextWrapWord
	f.message.Hide()
	f.submit = widget.NewButton(i18n.T("ui.login.submit"), func() { w.signIn(f) })
	f.submit.Importance = widget.HighImportance
	f.account.OnSubmitted = func(string) { w.signIn(f) }
	f.password.OnSubmitted = func(string) { w.signIn(f) }
	w.login = f

	title := widget.NewLabel(i18n.T("ui.login.title"))
	explain := widget.NewLabel(i18n.T("ui.login.explain"))
	if lock {
		f.account.SetText(w.store.Account())
		f.account.Disable()
		title.SetText(i18n.T("ui.lock.title"))
		explain.SetText(i18n.T("ui.lock.explain", w.store.Account()))
	}
	title.TextStyle = fyne.TextStyle{Bold: true}
	explain.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(i18n.T("ui.login.account"), f.account),
		widget.NewFormItem(i18n.T("ui.login.password"), f.password),
	)
	box := container.NewVBox(title, explain, form, f.message, container.NewHBox(f.submit))
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(440, box.MinSize().Height+60), box))
}

// signIn checks the password off the UI goroutine, because the password
// hash takes a noticeable time, then opens the window or shows the message.
func (w *window) signIn(f *loginForm) {
	account := strings.TrimSpace(f.account.Text)
	password := f.password.Text
	if account == "" || password == "" {
		w.showLoginMessage(f, i18n.T("ui.login.required"))
		return
	}
	f.submit.Disable()
	w.spawn(func() {
		err := w.store.Unlock(account, password)
		w.do(func() {
			f.submit.Enable()
			if err != nil {
				f.password.SetText("")
				msg := store.Message(err)
				if msg == "" {
					msg = i18n.T("ui.login.failed", err)
				}
				w.showLoginMessage(f, msg)
				return
			}
			w.login = nil
			w.touch()
			if f.lock {
				w.unlockScreen()
				return
			}
			w.build()
			w.signedIn()
		})
	})
}

func (w *window) showLoginMessage(f *loginForm, text string) {
	f.message.SetText(text)
	f.message.Show()
}

// signedIn runs Options.OnLogin once the store is unlocked.
func (w *window) signedIn() {
	if w.opts.OnLogin != nil && !w.loggedIn {
		w.loggedIn = true
		w.opts.OnLogin()
	}
}

// lock hides every screen and open dialog behind the lock screen. The
// dialogs are kept, with what the user entered in them, and come back on
// unlock. The store stays open, so sync goes on. A store without accounts
// has no password to ask for and does not lock.
func (w *window) lock() {
	if w.locked || w.store.Account() == "" {
		return
	}
	w.locked = true
	w.unlocked = w.win.Content()
	overlays := w.win.Canvas().Overlays()
	w.lockedOverlays = append(w.lockedOverlays[:0], overlays.List()...)
	for _, o := range w.lockedOverlays {
		overlays.Remove(o)
	}
	w.win.SetContent(w.lockScreen())
	w.win.Canvas().Focus(w.login.password)
}

// unlockScreen brings back the screen and the dialogs the lock hid. A
// dialog that was closed while locked, such as the progress dialog of an
// import that finished, stays closed.
func (w *window) unlockScreen() {
	w.locked = false
	content, hidden := w.unlocked, w.lockedOverlays
	w.unlocked, w.lockedOverlays = nil, nil
	if content == nil {
		w.review.view = nil // its dialog is dropped with the others
		w.build()
		return
	}
	w.win.SetContent(content)
	overlays := w.win.Canvas().Overlays()
	for _, o := range hidden {
		if o.Visible() {
			overlays.Add(o)
		}
	}
}

// idleLimit returns the idle time after which the window locks.
func (w *window) idleLimit() time.Duration {
	if w.opts.IdleLock > 0 {
		return w.opts.IdleLock
	}
	minutes := w.app.Preferences().IntWithFallback(prefIdleMinutes, int(DefaultIdleLock/time.Minute))
	return time.Duration(max(minutes, 1)) * time.Minute
}

// touch records user activity now.
func (w *window) touch() { w.lastActive.Store(w.now().UnixNano()) }

// checkIdle locks the window once it has been idle for the idle limit.
// Typing into a focused widget and clicks in a dialog reach no canvas
// hook, so these changes since the last check also count as activity: the
// focused widget, the focused entry's text and the top dialog.
func (w *window) checkIdle() {
	if w.locked || w.login != nil {
		return
	}
	canvas := w.win.Canvas()
	focused := canvas.Focused()
	if focused != w.focused {
		w.touch()
	}
	w.focused = focused
	if entry, ok := focused.(*widget.Entry); ok {
		if entry.Text != w.focusedText {
			w.touch()
		}
		w.focusedText = entry.Text
	}
	if top := canvas.Overlays().Top(); top != w.topOverlay {
		w.touch()
		w.topOverlay = top
	}
	idle := w.now().Sub(time.Unix(0, w.lastActive.Load()))
	if idle >= w.idleLimit() {
		w.lock()
	}
}

// watchActivity makes key events on the canvas count as activity. Mouse
// events count through activityWatcher.
func (w *window) watchActivity() {
	w.touch()
	canvas := w.win.Canvas()
	canvas.SetOnTypedKey(func(*fyne.KeyEvent) { w.touch() })
	canvas.SetOnTypedRune(func(rune) { w.touch() })
	if dc, ok := canvas.(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(*fyne.KeyEvent) { w.touch() })
	}
}

// startIdleCheck runs checkIdle on the Fyne goroutine every idleCheckEvery
// until the window closes.
func (w *window) startIdleCheck() {
	stop := make(chan struct{})
	w.stop = append(w.stop, func() { close(stop) })
	ticker := time.NewTicker(idleCheckEvery)
	go func() {
		defer ticker.Stop()
		for {
			select {
			case <-ticker.C:
				w.do(w.checkIdle)
			case <-stop:
				return
			}
		}
	}()
}

// activityWatcher wraps the window content and counts mouse movement over
// it as activity. Fyne has no window-wide mouse hook, but its desktop
// driver calls Cursor on every object under the pointer on each move, so
// that method serves as one.
// NOTE: this relies on the glfw driver of Fyne 2.7 calling Cursor for
// parents too. While a dialog shows, the driver looks only at the dialog.
// A dialog's content therefore needs a watcher of its own to count mouse
// movement over it, as the import preview has.
type activityWatcher struct {
	widget.BaseWidget
	content fyne.CanvasObject
	touch   func()
}

func newActivityWatcher(content fyne.CanvasObject, touch func()) *activityWatcher {
	a := &activityWatcher{content: content, touch: touch}
	a.ExtendBaseWidget(a)
	return a
}

func (a *activityWatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(a.content)
}

// Cursor counts the mouse event and keeps the default pointer, which the
// objects inside replace with their own.
func (a *activityWatcher) Cursor() desktop.Cursor {
	a.touch()
	return desktop.DefaultCursor
}

var _ desktop.Cursorable = (*activityWatcher)(nil)
