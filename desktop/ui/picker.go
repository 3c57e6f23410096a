package ui

import (
	"fyne.io/fyne/v2/widget"
)

// maxPickerOptions is how many matches a code picker offers at once.
const maxPickerOptions = 30

// newCodePicker returns an entry for a coded value (a major or a region)
// whose drop-down offers the table entries matching what has been typed, as
// labels such as "510203 软件技术". The caller turns the text back into a
// code with display.CodeOf.
func newCodePicker(placeholder string, options func(query string, limit int) []string) *widget.SelectEntry {
	picker := widget.NewSelectEntry(nil)
	picker.SetPlaceHolder(placeholder)
	var offered []string
	picker.OnChanged = func(text string) {
		for _, option := range offered {
			if option == text {
				return // an option was just chosen, so keep the list
			}
		}
		offered = options(text, maxPickerOptions)
		picker.SetOptions(offered)
	}
	return picker
}
