package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// tableLayout places objects row by row in a fixed number of columns. Each
// column is as wide as its widest cell and each row as tall as its tallest
// cell, with the theme's padding between them, so a column of long
// headings does not squeeze the others. Extra
// space is left empty at the right and bottom, so rows stay one line high
// and a scroll container scrolls horizontally once the table is wider than
// the view.
type tableLayout struct {
	columns int
}

// sizes returns the width of each column and the height of each row.
func (t *tableLayout) sizes(objects []fyne.CanvasObject) (widths, heights []float32) {
	widths = make([]float32, t.columns)
	heights = make([]float32, (len(objects)+t.columns-1)/t.columns)
	for i, o := range objects {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		widths[i%t.columns] = max(widths[i%t.columns], m.Width)
		heights[i/t.columns] = max(heights[i/t.columns], m.Height)
	}
	return widths, heights
}

func (t *tableLayout) Layout(objects []fyne.CanvasObject, _ fyne.Size) {
	widths, heights := t.sizes(objects)
	var y float32
	for row, h := range heights {
		var x float32
		for col, w := range widths {
			i := row*t.columns + col
			if i >= len(objects) {
				break
			}
			objects[i].Move(fyne.NewPos(x, y))
			objects[i].Resize(fyne.NewSize(w, h))
			x += w + theme.Padding()
		}
		y += h + theme.Padding()
	}
}

func (t *tableLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	widths, heights := t.sizes(objects)
	gap := theme.Padding()
	var size fyne.Size
	for _, w := range widths {
		size.Width += w + gap
	}
	for _, h := range heights {
		size.Height += h + gap
	}
	return size.Subtract(fyne.NewSquareSize(gap)).Max(fyne.NewSize(0, 0))
}
