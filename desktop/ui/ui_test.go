package ui

import (
	"crypto/ed25519"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

const testCollege = "4136012941" // 江西财经职业学院

// cheapArgon2 keeps password hashing fast in tests.
var cheapArgon2 = store.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}

// queue replaces fyne.Do in tests. Listeners and saves queue their widget
// updates and the test goroutine runs them in flush, so only the test
// goroutine touches widgets.
type queue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *queue) do(fn func()) {
	q.mu.Lock()
	q.fns = append(q.fns, fn)
	q.mu.Unlock()
}

// flush runs queued functions, including those they queue, until none is
// left.
func (q *queue) flush() {
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}

// waitQueued waits until a listener has queued something, then flushes.
func (q *queue) waitQueued(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		q.mu.Lock()
		n := len(q.fns)
		q.mu.Unlock()
		if n > 0 {
			q.flush()
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("nothing was queued for the UI within 5s")
}

// harness is a window on a real store in a temporary folder.
type harness struct {
	t     *testing.T
	app   fyne.App
	store *store.Store
	queue *queue
	win   fyne.Window
	w     *window
}

// openStore opens a store in a temporary folder, enrolled for testCollege
// unless enrol is false, and checks its integrity when the test ends.
func openStore(t *testing.T, enrol bool) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "client.db"), store.Options{Argon2: cheapArgon2})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	if enrol {
		enrolStore(t, st)
	}
	t.Cleanup(func() {
		if err := st.Check(); err != nil {
			t.Errorf("store integrity: %v", err)
		}
		st.Close()
	})
	return st
}

func enrolStore(t *testing.T, st *store.Store) {
	t.Helper()
	_, key, _ := ed25519.GenerateKey(nil)
	ident := store.Identity{Device: st.Device(), College: testCollege, CollegeName: "江西财经职业学院", PrivateKey: key}
	if err := st.SetIdentity(ident); err != nil {
		t.Fatalf("SetIdentity: %v", err)
	}
}

// newHarness opens a window in Chinese. Saves run inline on the test
// goroutine and their widget updates wait in the queue.
func newHarness(t *testing.T, st *store.Store, opts Options) *harness {
	t.Helper()
	i18n.SetLocale(i18n.Chinese)
	t.Cleanup(func() { i18n.SetLocale(i18n.Chinese) })
	h := &harness{t: t, app: test.NewTempApp(t), store: st, queue: &queue{}}
	h.w = newWindow(h.app, st, opts, h.queue.do, func(fn func()) { fn() })
	h.win = h.w.win
	h.win.Resize(fyne.NewSize(1100, 720))
	return h
}

// eventually flushes the queue until cond holds, for updates that arrive
// from a listener goroutine.
func (h *harness) eventually(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		h.queue.flush()
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	h.t.Fatalf("%s: not reached within 5s", what)
}

// rowText returns the text the person list shows in row i, made by the
// list's own item callbacks.
func rowText(p *personsPane, i int) string {
	item := p.list.CreateItem()
	p.list.UpdateItem(i, item)
	label, _ := personRowParts(item)
	return label.Text
}

// rowTag returns the tag the person list shows in row i, "" when hidden.
func rowTag(p *personsPane, i int) string {
	item := p.list.CreateItem()
	p.list.UpdateItem(i, item)
	_, tag := personRowParts(item)
	if !tag.Visible() {
		return ""
	}
	return tag.Text
}

// validID returns an ID number with the correct check character for the
// first 17 digits.
func validID(t *testing.T, first17 string) string {
	t.Helper()
	return first17 + string(validate.IDCheckChar(first17))
}

// savePerson stores a person directly, as an import or a pull would.
func savePerson(t *testing.T, st *store.Store, p record.Person) record.Person {
	t.Helper()
	saved, err := st.SavePerson(p)
	if err != nil {
		t.Fatalf("SavePerson(%s): %v", p.Name, err)
	}
	return saved
}

// fakeStatus is a StatusSource the test feeds by hand.
type fakeStatus struct {
	ch   chan syncclient.Status
	once sync.Once
}

func newFakeStatus() *fakeStatus { return &fakeStatus{ch: make(chan syncclient.Status, 4)} }

func (f *fakeStatus) Subscribe() (<-chan syncclient.Status, func()) {
	return f.ch, func() { f.once.Do(func() { close(f.ch) }) }
}
