package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/oklog/ulid/v2"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// otherDevice is the id of another device of the college.
const otherDevice = "01JDEVICE00000000000007K3QZP"

// openStoreAs opens an enrolled store whose identity has the given role.
func openStoreAs(t *testing.T, role string) *store.Store {
	t.Helper()
	st := openStore(t, true)
	ident, _ := st.Identity()
	ident.Role = role
	if err := st.SetIdentity(ident); err != nil {
		t.Fatalf("SetIdentity(role %s): %v", role, err)
	}
	return st
}

// pullRace applies the page the server sends after this device and
// otherDevice changed 李娜's employer from the same starting point. The page
// carries the person with otherDevice's later value, 九江乙公司, and a
// conflict item that keeps this device's earlier value, 南昌甲公司. It returns
// the person's id.
func pullRace(t *testing.T, st *store.Store, loserAt, winnerAt time.Time) string {
	t.Helper()
	person := ulid.Make()
	winnerStamp := hlc.Make(winnerAt.UnixMilli(), 0)
	var changes []changeset.Change
	for field, value := range map[string]string{record.FieldName: "李娜", record.FieldEmployer: "九江乙公司"} {
		changes = append(changes, changeset.Change{Kind: record.KindPerson, ID: person, Scope: testCollege,
			Field: field, Value: value, Stamp: winnerStamp, Device: otherDevice})
	}

	item := record.Conflict{
		RecordKind: record.KindPerson, Record: person.String(), Field: record.FieldEmployer,
		Reason: record.ConflictSameField,
		Winner: "九江乙公司", WinnerDevice: otherDevice, WinnerStamp: uint64(winnerStamp),
		Loser: "南昌甲公司", LoserDevice: st.Device(), LoserStamp: uint64(hlc.Make(loserAt.UnixMilli(), 0)),
		Status: record.ConflictOpen,
	}
	itemID := ulid.Make()
	for field, value := range item.Fields() {
		if value == "" {
			continue
		}
		changes = append(changes, changeset.Change{Kind: record.KindConflict, ID: itemID, Scope: testCollege,
			Field: field, Value: value, Stamp: winnerStamp, Device: "server"})
	}

	if err := st.ApplyPage(changes, st.Cursor()+1); err != nil {
		t.Fatalf("ApplyPage(conflict): %v", err)
	}
	return person.String()
}

// labelTexts returns the text of every label inside o, in layout order.
func labelTexts(o fyne.CanvasObject) []string {
	switch o := o.(type) {
	case *widget.Label:
		return []string{o.Text}
	case *widget.Form:
		var out []string
		for _, item := range o.Items {
			out = append(out, item.Text)
			out = append(out, labelTexts(item.Widget)...)
		}
		return out
	case *fyne.Container:
		var out []string
		for _, child := range o.Objects {
			out = append(out, labelTexts(child)...)
		}
		return out
	case *container.Scroll:
		return labelTexts(o.Content)
	}
	return nil
}

func TestConflictReviewKeepsSetAsideValue(t *testing.T) {
	st := openStoreAs(t, roleReviewer)
	h := newHarness(t, st, Options{})
	h.queue.flush()
	button := h.w.main.status.conflicts
	if button == nil {
		t.Fatal("reviewer has no 冲突 button")
	}
	if got := button.Text; got != "冲突 (0)" {
		t.Errorf("冲突 button before any conflict = %q, want 冲突 (0)", got)
	}

	// The conflict arrives with a pull while the window is open.
	loserAt := time.Date(2026, 12, 4, 9, 5, 0, 0, time.Local)
	winnerAt := time.Date(2026, 12, 4, 10, 32, 0, 0, time.Local)
	person := pullRace(t, st, loserAt, winnerAt)
	h.eventually("冲突 (1) after the pull", func() bool { return button.Text == "冲突 (1)" })

	test.Tap(button)
	h.queue.flush()
	view := h.w.review.view
	if view == nil {
		t.Fatal("tapping 冲突 opened no review dialog")
	}
	if got := view.count.Text; got != "共 1 项待处理" {
		t.Errorf("review count line = %q, want 共 1 项待处理", got)
	}
	if len(view.rows) != 1 {
		t.Fatalf("review lists %d rows, want 1", len(view.rows))
	}
	row := view.rows[0]
	want := []string{
		"李娜 · 单位 · 两人同时修改了同一项",
		"现用值", "九江乙公司", "设备 7K3QZP · 2026年12月4日 10:32",
		"被替换的值", "南昌甲公司", "本机 · 2026年12月4日 09:05",
	}
	if got := labelTexts(row.content); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("row text =\n%q\nwant\n%q", got, want)
	}
	if row.keepWinner.Text != "采用此值" || row.keepLoser.Text != "采用此值" {
		t.Errorf("row buttons = %q and %q, want 采用此值 twice", row.keepWinner.Text, row.keepLoser.Text)
	}

	test.Tap(row.keepLoser)
	h.eventually("冲突 (0) after resolving", func() bool { return button.Text == "冲突 (0)" })

	p, err := st.Person(person)
	if err != nil {
		t.Fatalf("Person after resolving: %v", err)
	}
	if p.Employer != "南昌甲公司" {
		t.Errorf("employer after keeping the set-aside value = %q, want 南昌甲公司", p.Employer)
	}
	open, err := st.Conflicts(true)
	if err != nil || len(open) != 0 {
		t.Errorf("open conflicts after resolving = %+v, %v; want none", open, err)
	}
	h.eventually("review list emptied", func() bool { return len(view.rows) == 0 })
	if got := view.count.Text; got != "没有待处理的冲突" {
		t.Errorf("review count line after resolving = %q, want 没有待处理的冲突", got)
	}
}

func TestConflictReviewShowsStoredConflict(t *testing.T) {
	st := openStoreAs(t, roleCentral)
	pullRace(t, st, time.Now().Add(-time.Minute), time.Now())
	h := newHarness(t, st, Options{})
	h.queue.flush()
	if got := h.w.main.status.conflicts.Text; got != "冲突 (1)" {
		t.Errorf("冲突 button of a store with one open item = %q, want 冲突 (1)", got)
	}
	if h.w.main.status.conflicts.Importance != widget.WarningImportance {
		t.Errorf("冲突 button with an open item has importance %v, want warning", h.w.main.status.conflicts.Importance)
	}
}

func TestClerkHasNoConflictButton(t *testing.T) {
	st := openStoreAs(t, "clerk")
	pullRace(t, st, time.Now().Add(-time.Minute), time.Now())
	h := newHarness(t, st, Options{})
	h.queue.flush()
	if b := h.w.main.status.conflicts; b != nil {
		t.Errorf("clerk sees a conflict button %q", b.Text)
	}
}

// pullIDConflict applies a page that carries 王芳 with otherDevice's ID
// number and a conflict item that keeps this device's earlier one, which
// differs only in the middle digits. It returns the person's id.
func pullIDConflict(t *testing.T, st *store.Store) string {
	t.Helper()
	person := ulid.Make()
	stamp := hlc.Make(time.Now().UnixMilli(), 0)
	const winner, loser = "360121200201011232", "360102199905051232"
	changes := []changeset.Change{
		{Kind: record.KindPerson, ID: person, Scope: testCollege, Field: record.FieldName, Value: "王芳", Stamp: stamp, Device: otherDevice},
		{Kind: record.KindPerson, ID: person, Scope: testCollege, Field: record.FieldIDNumber, Value: winner, Stamp: stamp, Device: otherDevice},
	}
	item := record.Conflict{
		RecordKind: record.KindPerson, Record: person.String(), Field: record.FieldIDNumber,
		Reason: record.ConflictSameField,
		Winner: winner, WinnerDevice: otherDevice, WinnerStamp: uint64(stamp),
		Loser: loser, LoserDevice: st.Device(), LoserStamp: uint64(stamp) - 1,
		Status: record.ConflictOpen,
	}
	itemID := ulid.Make()
	for field, value := range item.Fields() {
		if value != "" {
			changes = append(changes, changeset.Change{Kind: record.KindConflict, ID: itemID, Scope: testCollege,
				Field: field, Value: value, Stamp: stamp, Device: "server"})
		}
	}
	if err := st.ApplyPage(changes, st.Cursor()+1); err != nil {
		t.Fatalf("ApplyPage(ID conflict): %v", err)
	}
	return person.String()
}

func TestConflictRevealShowsBothValues(t *testing.T) {
	st := openStoreAs(t, roleReviewer)
	person := pullIDConflict(t, st)
	h := newHarness(t, st, Options{})
	h.queue.flush()

	test.Tap(h.w.main.status.conflicts)
	h.queue.flush()
	view := h.w.review.view
	if view == nil || len(view.rows) != 1 {
		t.Fatalf("review dialog rows = %v, want one", view)
	}
	row := view.rows[0]
	if got := row.winnerValue.Text; got != "3601**********1232" {
		t.Errorf("kept ID number before reveal = %q, want 3601**********1232", got)
	}
	if got := row.loserValue.Text; got != "3601**********1232" {
		t.Errorf("set-aside ID number before reveal = %q, want 3601**********1232", got)
	}
	if row.reveal == nil || !row.reveal.Visible() {
		t.Fatal("reviewer sees no 显示完整 on an ID number conflict")
	}
	if got := row.reveal.Text; got != "显示完整" {
		t.Errorf("reveal button = %q, want 显示完整", got)
	}
	pending := st.Pending()

	test.Tap(row.reveal)
	h.queue.flush()
	if got := row.winnerValue.Text; got != "360121200201011232" {
		t.Errorf("kept ID number after reveal = %q, want 360121200201011232", got)
	}
	if got := row.loserValue.Text; got != "360102199905051232" {
		t.Errorf("set-aside ID number after reveal = %q, want 360102199905051232", got)
	}
	if row.reveal.Visible() {
		t.Error("显示完整 still shown after the values are in full")
	}

	changes, err := st.Outbox(uint64(pending), 10)
	if err != nil {
		t.Fatal(err)
	}
	event := map[string]string{}
	for _, c := range changes {
		if c.Kind != record.KindAccess {
			t.Errorf("outbox change after reveal has kind %s, want access", c.Kind)
		}
		event[c.Field] = c.Value
	}
	want := map[string]string{record.FieldPerson: person, record.FieldFields: "id_number", record.FieldAction: "reveal"}
	for field, value := range want {
		if event[field] != value {
			t.Errorf("access event %s = %q, want %q", field, event[field], value)
		}
	}
}

func TestConflictRevealOnlyForMaskedFields(t *testing.T) {
	st := openStoreAs(t, roleCentral)
	pullRace(t, st, time.Now().Add(-time.Minute), time.Now())
	h := newHarness(t, st, Options{})
	h.queue.flush()
	test.Tap(h.w.main.status.conflicts)
	h.queue.flush()
	view := h.w.review.view
	if view == nil || len(view.rows) != 1 {
		t.Fatalf("review dialog rows = %v, want one", view)
	}
	if b := view.rows[0].reveal; b != nil {
		t.Errorf("employer conflict shows a %q button", b.Text)
	}
}
