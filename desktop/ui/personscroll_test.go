package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

func TestPersonPageScrollsTopForAnother(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	li := savePerson(t, st, record.Person{Name: "李志明"})
	wang := savePerson(t, st, record.Person{Name: "王芳"})
	h := newHarness(t, st, Options{})
	page := h.w.main.page
	h.w.main.persons.selectID(li.ID)
	h.queue.flush()

	page.scroll.Offset = fyne.NewPos(0, 240)
	h.w.main.persons.selectID(li.ID)
	h.queue.flush()
	if got := page.scroll.Offset.Y; got != 240 {
		t.Errorf("scroll offset after reloading the same person = %v, want 240", got)
	}

	h.w.main.persons.selectID(wang.ID)
	h.queue.flush()
	if got := page.scroll.Offset.Y; got != 0 {
		t.Errorf("scroll offset after choosing another person = %v, want 0", got)
	}

	page.scroll.Offset = fyne.NewPos(0, 240)
	page.clear()
	if got := page.scroll.Offset.Y; got != 0 {
		t.Errorf("scroll offset on a new person's page = %v, want 0", got)
	}
}
