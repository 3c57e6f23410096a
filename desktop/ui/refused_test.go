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
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// findButton returns the first button under o whose text starts with prefix.
func findButton(o fyne.CanvasObject, prefix string) *widget.Button {
	switch w := o.(type) {
	case *widget.Button:
		if strings.HasPrefix(w.Text, prefix) {
			return w
		}
	case *fyne.Container:
		for _, child := range w.Objects {
			if b := findButton(child, prefix); b != nil {
				return b
			}
		}
	case *container.Split:
		if b := findButton(w.Leading, prefix); b != nil {
			return b
		}
		return findButton(w.Trailing, prefix)
	}
	return nil
}

// The status bar counts the refused changes and opens their list. The list
// names the record, the field and the reason in Chinese, and dismissing one
// removes it.
func TestRefusedScreen(t *testing.T) {
	st := openStore(t, true)
	h := newHarness(t, st, Options{})
	h.queue.flush()
	if b := findButton(h.w.main.status.content, "被拒绝"); b != nil && b.Visible() {
		t.Errorf("refused button visible without refusals: %q", b.Text)
	}

	p := savePerson(t, st, record.Person{Name: "李娜"})
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.Local)
	err := st.SaveRefused([]protocol.Refusal{
		{Seq: 1, Kind: uint8(record.KindPerson), Record: p.ID, Field: record.FieldPhone, Reason: protocol.CodeInvalid},
		{Seq: 2, Kind: uint8(record.KindPerson), Record: p.ID, Field: record.FieldErased, Reason: protocol.CodeRole},
	}, at)
	if err != nil {
		t.Fatal(err)
	}
	var button *widget.Button
	h.eventually("refused count", func() bool {
		button = findButton(h.w.main.status.content, "被拒绝")
		return button != nil && button.Visible() && button.Text == "被拒绝 2"
	})

	v := h.w.openRefused()
	h.queue.flush()
	if got, want := v.count.Text, "共 2 条被拒绝的修改"; got != want {
		t.Errorf("count line = %q, want %q", got, want)
	}
	if len(v.rows) != 2 {
		t.Fatalf("dialog shows %d rows, want 2", len(v.rows))
	}
	want := "李娜 · 手机号码：填写的值格式不对"
	if !strings.HasPrefix(v.rows[1].text, want) {
		t.Errorf("row of the phone = %q, want it to start with %q", v.rows[1].text, want)
	}
	if !strings.Contains(v.rows[0].text, "本设备的角色无权做这项修改") {
		t.Errorf("row of the erasure = %q, want the role reason", v.rows[0].text)
	}

	test.Tap(v.rows[0].dismiss)
	h.queue.flush()
	if len(v.rows) != 1 || v.rows[0].change.Field != record.FieldPhone {
		t.Errorf("rows after dismissing = %d, want the phone only", len(v.rows))
	}
	h.eventually("count after dismissing", func() bool { return button.Text == "被拒绝 1" })
	if n := st.RefusedCount(); n != 1 {
		t.Errorf("store refused count = %d, want 1", n)
	}
	if got, _ := st.Person(p.ID); got.Name != "李娜" {
		t.Errorf("person after dismissing = %q, want 李娜 kept", got.Name)
	}
}

// A phone refused because the person was erased on the server names the
// erasure, also once the erasure has reached this store and the name is
// gone.
func TestRefusedErasedPerson(t *testing.T) {
	st := openStoreAs(t, "central") // ErasePerson replaces an erasure pulled from the server
	h := newHarness(t, st, Options{})
	h.queue.flush()

	p := savePerson(t, st, record.Person{Name: "李娜"})
	err := st.SaveRefused([]protocol.Refusal{
		{Seq: 1, Kind: uint8(record.KindPerson), Record: p.ID, Field: record.FieldPhone, Reason: protocol.CodeErased},
	}, time.Date(2026, 3, 2, 9, 30, 0, 0, time.Local))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ErasePerson(p.ID); err != nil {
		t.Fatalf("ErasePerson: %v", err)
	}

	v := h.w.openRefused()
	h.queue.flush()
	if len(v.rows) != 1 {
		t.Fatalf("dialog shows %d rows, want 1", len(v.rows))
	}
	want := "已删除个人信息的人员 · 手机号码：此人的个人信息已应本人要求删除，不能再填写。如需重新登记，请新建一条记录。"
	if got := v.rows[0].text; got != want {
		t.Errorf("row of the erased phone =\n%q\nwant\n%q", got, want)
	}
}

// A refusal for erasure names the erased person even when this store does
// not hold the person at all.
func TestRefusedErasedPersonNotHere(t *testing.T) {
	st := openStore(t, true)
	c := store.RefusedChange{Kind: record.KindPerson, Record: ulid.Make().String(), Field: record.FieldPhone, Reason: protocol.CodeErased}
	if got := RefusedRecordLabel(st, c); got != "已删除个人信息的人员" {
		t.Errorf("label of an erased person not in the store = %q, want 已删除个人信息的人员", got)
	}
	c.Reason = protocol.CodeInvalid
	if got := RefusedRecordLabel(st, c); got != "（本机没有此人）" {
		t.Errorf("label of an invalid value for a person not in the store = %q, want （本机没有此人）", got)
	}
}
