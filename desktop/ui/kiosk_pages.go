package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/assessment"
	"mobilefactory/shared/i18n"
)

// choiceRow is a row of buttons for the points 1–5 of a scale. The chosen
// button is highlighted. Buttons are larger targets than radio buttons,
// which matters on a touch screen.
type choiceRow struct {
	buttons []*widget.Button // buttons[i] chooses point i+1
	content fyne.CanvasObject
}

// newChoiceRow makes a row with the labels of the points 1–5; onChoose
// gets the chosen point.
func newChoiceRow(label func(locale string, point int) string, onChoose func(point int)) *choiceRow {
	r := &choiceRow{}
	var objects []fyne.CanvasObject
	for point := assessment.MinAnswer; point <= assessment.MaxAnswer; point++ {
		b := widget.NewButton(label(i18n.Locale(), point), func() {
			r.mark(point)
			onChoose(point)
		})
		r.buttons = append(r.buttons, b)
		objects = append(objects, b)
	}
	r.content = container.NewGridWithColumns(len(objects), objects...)
	return r
}

// mark highlights the button of the chosen point.
func (r *choiceRow) mark(point int) {
	for i, b := range r.buttons {
		b.Importance = widget.MediumImportance
		if i+1 == point {
			b.Importance = widget.HighImportance
		}
		b.Refresh()
	}
}

// chosen returns the highlighted point, 0 when none is.
func (r *choiceRow) chosen() int {
	for i, b := range r.buttons {
		if b.Importance == widget.HighImportance {
			return i + 1
		}
	}
	return 0
}

func (k *kiosk) introPage() kioskPage {
	greeting := widget.NewLabel(i18n.T("kiosk.greeting.anonymous"))
	if k.name != "" {
		greeting.SetText(i18n.T("kiosk.greeting", k.name))
	}
	greeting.TextStyle = fyne.TextStyle{Bold: true}
	greeting.SizeName = theme.SizeNameSubHeadingText
	intro := widget.NewLabel(i18n.T("kiosk.intro", len(k.items), len(k.competencies)))
	intro.Wrapping = fyne.TextWrapWord
	k.begin = widget.NewButton(i18n.T("kiosk.begin"), func() { k.show(1) })
	k.begin.Importance = widget.HighImportance
	box := container.NewVBox(greeting, intro, container.NewCenter(k.begin))
	return kioskPage{content: container.NewVScroll(container.NewPadded(box))}
}

// itemPage makes the page of the given questionnaire items.
func (k *kiosk) itemPage(items []assessment.Item) kioskPage {
	page := kioskPage{blocks: map[string]fyne.CanvasObject{}}
	box := container.NewVBox()
	for _, it := range items {
		number := assessment.ItemNumber(it.ID)
		if page.first == 0 {
			page.first = number
		}
		page.last = number

		question := widget.NewLabel(strconv.Itoa(number) + ". " + it.Text(i18n.Locale()))
		question.Wrapping = fyne.TextWrapWord
		question.TextStyle = fyne.TextStyle{Bold: true}
		k.questions[it.ID] = question
		id := it.ID
		row := newChoiceRow(assessment.AgreementLabel, func(point int) {
			k.answers[id] = point
			k.answerChanged(id)
		})
		k.itemRows[id] = row
		block := container.NewVBox(question, row.content)
		page.blocks[id] = block
		box.Add(block)
	}
	page.content = container.NewVScroll(container.NewPadded(box))
	return page
}

// competencyPage makes the page of the competency self-rating.
func (k *kiosk) competencyPage() kioskPage {
	title := widget.NewLabel(i18n.T("kiosk.competency.title"))
	title.TextStyle = fyne.TextStyle{Bold: true}
	intro := widget.NewLabel(i18n.T("kiosk.competency.intro", len(k.competencies)))
	intro.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(title, intro)
	page := kioskPage{blocks: map[string]fyne.CanvasObject{}}
	for _, c := range k.competencies {
		locale := i18n.Locale()
		name := widget.NewLabel(c.Name(locale))
		name.TextStyle = fyne.TextStyle{Bold: true}
		k.questions[c.ID] = name
		hint := widget.NewLabel(c.Hint(locale))
		hint.Wrapping = fyne.TextWrapWord
		id := c.ID
		row := newChoiceRow(assessment.RatingLabel, func(point int) {
			k.ratings[id] = point
			k.answerChanged(id)
		})
		k.ratingRows[id] = row
		block := container.NewVBox(name, hint, row.content)
		page.blocks[id] = block
		box.Add(block)
	}
	page.content = container.NewVScroll(container.NewPadded(box))
	return page
}
