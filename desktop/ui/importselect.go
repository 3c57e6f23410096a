package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// canvasSelect is a widget.Select that opens its menu on a known canvas
// when Fyne cannot tell which canvas the select belongs to.
//
// Fyne 2.7.1's Select passes Driver().CanvasForObject(select) to
// NewPopUpMenu, which panics on a nil canvas. The glfw driver returns nil
// for an object whose canvas cache entry has expired and not yet been
// rebuilt by the next repaint, or that left the canvas between the click
// and the menu. Fyne fixed this upstream after 2.7.1 (fyne-io/fyne pull
// request 6305, "guard against nil canvas in pop-up paths").
type canvasSelect struct {
	widget.Select
	canvas fyne.Canvas
	// canvasOf looks up the canvas of an object: the driver's
	// CanvasForObject. Tests replace it to simulate the nil lookup.
	canvasOf func(fyne.CanvasObject) fyne.Canvas
}

// newCanvasSelect makes a select whose menu falls back to canvas.
func newCanvasSelect(canvas fyne.Canvas, options []string, changed func(string)) *canvasSelect {
	s := &canvasSelect{canvas: canvas, canvasOf: func(o fyne.CanvasObject) fyne.Canvas {
		return fyne.CurrentApp().Driver().CanvasForObject(o)
	}}
	s.Options = options
	s.OnChanged = changed
	s.ExtendBaseWidget(s)
	return s
}

// Tapped opens the menu as widget.Select does, below the select, and on
// s.canvas when the driver finds no canvas for the select.
func (s *canvasSelect) Tapped(ev *fyne.PointEvent) {
	if s.Disabled() {
		return
	}
	if s.canvasOf(s) != nil {
		s.Select.Tapped(ev)
		return
	}
	origin := ev.AbsolutePosition.Subtract(ev.Position)
	s.showMenu(origin.AddXY(0, s.Size().Height-theme.InputBorderSize()))
}

// TypedKey ignores the keys that open the menu while the driver finds no
// canvas for the select, because widget.Select would panic on them. The
// next repaint restores the lookup, so a second key press works.
func (s *canvasSelect) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeySpace, fyne.KeyUp, fyne.KeyDown:
		if s.canvasOf(s) == nil {
			return
		}
	}
	s.Select.TypedKey(ev)
}

// showMenu lists the options at pos on s.canvas, as wide as the select.
func (s *canvasSelect) showMenu(pos fyne.Position) {
	items := make([]*fyne.MenuItem, len(s.Options))
	for i, option := range s.Options {
		items[i] = fyne.NewMenuItem(option, func() { s.SetSelected(option) })
	}
	pop := widget.NewPopUpMenu(fyne.NewMenu("", items...), s.canvas)
	pop.ShowAtPosition(pos)
	pop.Resize(fyne.NewSize(s.Size().Width, pop.MinSize().Height))
}

// setSelectedQuietly shows option as selected, or the placeholder for "",
// without running OnChanged, so that a new preview can update the select
// in place instead of replacing a widget the user may be tapping.
func (s *canvasSelect) setSelectedQuietly(option string) {
	changed := s.OnChanged
	s.OnChanged = nil
	if option == "" {
		s.ClearSelected()
	} else {
		s.SetSelected(option)
	}
	s.OnChanged = changed
}
