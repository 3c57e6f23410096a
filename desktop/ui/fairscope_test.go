package ui

import (
	"testing"

	"mobilefactory/shared/i18n"
)

// A fair device's scope is shown as the fair, not as the raw scope text.
func TestFairScopeShownAsFair(t *testing.T) {
	st := openStoreAs(t, "fair")
	ident, _ := st.Identity()
	ident.College, ident.CollegeName = "fair:GZ2026A", ""
	if err := st.SetIdentity(ident); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, st, Options{})
	if got, want := h.win.Title(), "移动工厂 — 招聘会 GZ2026A"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	h.w.setLocale(i18n.English)
	defer i18n.SetLocale(i18n.Chinese)
	if got, want := h.win.Title(), "Mobile Factory — Job fair GZ2026A"; got != want {
		t.Errorf("title in English = %q, want %q", got, want)
	}
}
