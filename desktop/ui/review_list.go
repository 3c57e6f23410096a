package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// text returns the text of a queue row: kind, person, summary, class
// and submission time.
func (r queueRow) text() string {
	parts := []string{i18n.T("kind." + r.item.Kind.String()), r.person, r.summary}
	if r.corrects() {
		parts[0] = i18n.T("ui.review.row.correction", parts[0])
	}
	if r.class != "" {
		parts = append(parts, i18n.T("ui.review.row.class", r.class))
	}
	if r.submitted != "" {
		parts = append(parts, i18n.T("ui.review.row.submitted", r.submitted))
	}
	parts = slices.DeleteFunc(parts, func(s string) bool { return s == "" })
	return strings.Join(parts, " · ")
}

// corrects reports whether the record is a correction of an earlier version.
func (r queueRow) corrects() bool {
	return r.item.Fields[record.FieldSupersedes] != ""
}

// newItem makes a queue row: the check, the text wrapped over as many
// lines as updateHeights gave the row, and the 查看 button. The check and
// the button keep their height at the top of a tall row.
func (q *reviewQueue) newItem() fyne.CanvasObject {
	check := widget.NewCheck("", nil)
	open := widget.NewButtonWithIcon(i18n.T("ui.review.open"), theme.DocumentIcon(), nil)
	label := widget.NewLabel("")
	label.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, container.NewVBox(check), container.NewVBox(open), label)
}

// queueItemParts returns the widgets of a list item newItem made.
func queueItemParts(o fyne.CanvasObject) (check *widget.Check, open *widget.Button, label *widget.Label) {
	for _, child := range o.(*fyne.Container).Objects {
		switch c := child.(type) {
		case *fyne.Container:
			if found, _, _ := queueItemParts(c); found != nil {
				check = found
			}
			if _, found, _ := queueItemParts(c); found != nil {
				open = found
			}
		case *widget.Check:
			check = c
		case *widget.Button:
			open = c
		case *widget.Label:
			label = c
		}
	}
	return check, open, label
}

// updateHeights sets the height of each row the list shows to fit its text
// wrapped at the list's current width. A list not laid out yet keeps the
// template's height until the review screen is resized.
func (q *reviewQueue) updateHeights() {
	item := q.newItem()
	check, open, _ := queueItemParts(item)
	base := item.MinSize().Height
	// The text gets what the check, the button, the two gaps of the border
	// layout and the list's scroll bar leave.
	width := q.list.Size().Width - check.MinSize().Width - open.MinSize().Width -
		2*theme.Padding() - theme.ScrollBarSize()
	if width <= 0 {
		return
	}
	q.heights = make([]float32, len(q.shown))
	for i, row := range q.shown {
		// A new label each time, because a label resized to its current
		// size keeps the line breaks of its previous text.
		measure := widget.NewLabel(row.text())
		measure.Wrapping = fyne.TextWrapWord
		measure.Resize(fyne.NewSize(width, base))
		q.heights[i] = max(base, measure.MinSize().Height)
		q.list.SetItemHeight(i, q.heights[i])
	}
}

// maxSelectWidth bounds the width fitOptions gives a select, so one very
// long option does not push the rest of the filter row off the screen.
const maxSelectWidth = 360

// fitOptions returns s in a box as wide as its widest option needs, so the
// selected option shows whole. Call refitOptions after setting new options.
func fitOptions(s *widget.Select) *fyne.Container {
	box := container.New(layout.NewGridWrapLayout(s.MinSize()), s)
	refitOptions(box, s)
	return box
}

// refitOptions resizes a box fitOptions made to the current options of s.
func refitOptions(box *fyne.Container, s *widget.Select) {
	width := s.MinSize().Width
	for _, option := range s.Options {
		text := fyne.MeasureText(option, theme.TextSize(), fyne.TextStyle{})
		// The select pads its text on both sides and shows a drop-down icon.
		width = max(width, text.Width+theme.IconInlineSize()+4*theme.InnerPadding())
	}
	width = min(width, maxSelectWidth)
	box.Layout = layout.NewGridWrapLayout(fyne.NewSize(width, s.MinSize().Height))
	box.Refresh()
}

func (q *reviewQueue) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(q.shown) {
		return
	}
	row := q.shown[i]
	check, open, label := queueItemParts(o)
	label.SetText(row.text())
	check.OnChanged = nil
	check.SetChecked(q.selected[row.item.ID])
	check.OnChanged = func(on bool) {
		if on {
			q.selected[row.item.ID] = true
		} else {
			delete(q.selected, row.item.ID)
		}
	}
	open.OnTapped = func() { q.showDetail(row) }
}
