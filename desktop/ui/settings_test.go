package ui

import (
	"testing"

	"mobilefactory/shared/i18n"
)

func TestSwitchToEnglish(t *testing.T) {
	st := openStore(t, true)
	h := newHarness(t, st, Options{})
	if got := h.w.main.persons.add.Text; got != "新增人才" {
		t.Fatalf("add button in Chinese = %q, want 新增人才", got)
	}
	if got, want := h.win.Title(), "移动工厂 — 江西财经职业学院"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}

	h.w.setLocale(i18n.English)
	if got := h.w.main.persons.add.Text; got != "New person" {
		t.Errorf("add button after switching = %q, want New person", got)
	}
	if got, want := h.win.Title(), "Mobile Factory — 江西财经职业学院"; got != want {
		t.Errorf("title after switching = %q, want %q", got, want)
	}
	if got := h.app.Preferences().String(prefLocale); got != i18n.English {
		t.Errorf("saved locale preference = %q, want %q", got, i18n.English)
	}

	// A window opened later starts in the saved language.
	i18n.SetLocale(i18n.Chinese)
	again := newWindow(h.app, st, Options{}, h.queue.do, func(fn func()) { fn() })
	if got := again.main.page.save.Text; got != "Save" {
		t.Errorf("save button of a new window = %q, want Save", got)
	}
}
