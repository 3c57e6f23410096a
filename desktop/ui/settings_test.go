package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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

// findSelect returns the first select under o whose options include option.
func findSelect(o fyne.CanvasObject, option string) *widget.Select {
	switch o := o.(type) {
	case *widget.Select:
		if slices.Contains(o.Options, option) {
			return o
		}
	case *widget.PopUp:
		return findSelect(o.Content, option)
	case *widget.Form:
		for _, item := range o.Items {
			if s := findSelect(item.Widget, option); s != nil {
				return s
			}
		}
	case *fyne.Container:
		for _, child := range o.Objects {
			if s := findSelect(child, option); s != nil {
				return s
			}
		}
	}
	return nil
}

// The idle-lock selector, laid out at its minimum size as a narrow settings
// dialog lays it out, shows its longest choice in full.
func TestIdleSelectShowsWholeChoice(t *testing.T) {
	st := openStore(t, true)
	h := newHarness(t, st, Options{})
	longest := "10 分钟无操作后锁定"
	box := container.NewHBox(h.w.newIdleSelect())
	box.Resize(box.MinSize())
	idle := findSelect(box, longest)
	if idle == nil {
		t.Fatal("no idle-lock selector")
	}
	idle.SetSelected(longest)
	var label *widget.RichText
	for _, o := range test.WidgetRenderer(idle).Objects() {
		if r, ok := o.(*widget.RichText); ok {
			label = r
		}
	}
	if label == nil {
		t.Fatal("idle-lock selector has no text")
	}
	need := widget.NewLabel(longest).MinSize().Width
	if got := label.Size().Width; got < need {
		t.Errorf("idle-lock text is %.0f wide, want at least %.0f to show %q in full", got, need, longest)
	}
}
