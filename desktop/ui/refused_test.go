package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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

// The status bar counts the refused changes and opens their list, which
// names the record, the field and the reason in Chinese; dismissing one
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
