package ui

import (
	"errors"
	"image"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/chart"
	"mobilefactory/shared/assessment"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// Size of the radar chart image on the kiosk's result page in pixels, which
// it fills in Fyne units.
const (
	kioskChartWidth  = 440
	kioskChartHeight = 340
)

// kioskResult is the result page of the kiosk.
type kioskResult struct {
	code    *widget.Label
	summary *widget.Label
	chart   fyne.CanvasObject // the radar chart image, or why it cannot be shown
	done    *widget.Button
}

// messenger is an error with a message for the user, such as
// *assessment.IncompleteError.
type messenger interface {
	Message(locale string) string
}

// answerChanged updates the count and, after a failed submit, the message
// and the red mark of the answered question.
func (k *kiosk) answerChanged(id string) {
	k.updateAnswered()
	if q := k.questions[id]; q.Importance == widget.DangerImportance {
		q.Importance = widget.MediumImportance
		q.Refresh()
	}
	if !k.message.Visible() {
		return
	}
	var incomplete *assessment.IncompleteError
	if _, err := assessment.Score(k.collect()); errors.As(err, &incomplete) {
		k.message.SetText(incomplete.Message(i18n.Locale()))
		return
	}
	k.message.Hide()
	k.content.Refresh()
}

// collect returns the answers given so far.
func (k *kiosk) collect() assessment.Answers {
	a := assessment.Answers{Items: map[string]int{}, Competencies: map[string]int{}}
	for id, v := range k.answers {
		a.Items[id] = v
	}
	for id, v := range k.ratings {
		a.Competencies[id] = v
	}
	return a
}

// onSubmit scores the answers and stores the result. With answers missing
// it lists them, marks them red and turns to the first.
func (k *kiosk) onSubmit() {
	if k.saving {
		return
	}
	profile, err := assessment.Score(k.collect())
	var incomplete *assessment.IncompleteError
	if errors.As(err, &incomplete) {
		k.showMissing(incomplete)
		return
	}
	if err != nil {
		// The buttons give only known IDs and points 1–5, so this is a bug,
		// but the student still reads what went wrong.
		k.showMessage(err)
		return
	}
	k.save(profile)
}

func (k *kiosk) showMessage(err error) {
	var m messenger
	if errors.As(err, &m) {
		// NOTE: a list in the message has no space after its separator (the
		// Chinese 、). A thin space showed as a visible gap, and Fyne 2.7 wraps
		// only at unicode.IsSpace runes, so a zero-width space adds no break.
		// A wrapped line may therefore start with 、.
		k.message.SetText(m.Message(i18n.Locale()))
	} else {
		k.message.SetText(err.Error())
	}
	k.message.Show()
	k.content.Refresh()
}

// showMissing shows the incomplete error, marks each missing question and
// turns to the page of the first, scrolled to it.
func (k *kiosk) showMissing(incomplete *assessment.IncompleteError) {
	for _, id := range incomplete.Missing {
		if q := k.questions[id]; q != nil {
			q.Importance = widget.DangerImportance
			q.Refresh()
		}
	}
	k.showMessage(incomplete)

	first := incomplete.Missing[0]
	for i, page := range k.pages {
		block, ok := page.blocks[first]
		if !ok {
			continue
		}
		k.show(i)
		page.content.ScrollToOffset(fyne.NewPos(0, block.Position().Y))
		return
	}
}

// save stores the profile as a submitted assessment taken today, and draws
// its radar chart, both off the UI goroutine. The result page shows once
// the record is stored.
func (k *kiosk) save(profile assessment.Profile) {
	k.saving = true
	k.submit.Disable()
	locale := i18n.Locale()
	fields := map[string]string{
		record.FieldPerson:  k.person,
		record.FieldProfile: profile.Encode(),
		record.FieldDate:    k.w.now().Format(time.DateOnly),
	}
	k.w.spawn(func() {
		_, err := k.w.store.SaveHistory(record.KindAssessment, "", fields)
		var img image.Image
		var chartErr error
		if err == nil {
			img, chartErr = chart.Radar(profile, locale, kioskChartWidth, kioskChartHeight)
		}
		k.w.do(func() {
			k.saving = false
			k.submit.Enable()
			if err != nil {
				// The error names the record kind and step, never the
				// student's data.
				k.showMessage(errors.New(i18n.T("kiosk.save_failed", err)))
				return
			}
			k.showResult(profile, img, chartErr)
		})
	})
}

// showResult replaces the pages with the result: the interest code, its
// summary, the radar chart and the competency ratings. Only 完成 is left,
// which needs no confirmation because the result is stored.
func (k *kiosk) showResult(profile assessment.Profile, img image.Image, chartErr error) {
	locale := i18n.Locale()
	r := &kioskResult{}
	title := widget.NewLabel(i18n.T("kiosk.result.title"))
	title.TextStyle = fyne.TextStyle{Bold: true}
	r.code = widget.NewLabel(i18n.T("kiosk.result.code", profile.Code()))
	r.code.TextStyle = fyne.TextStyle{Bold: true}
	r.summary = widget.NewLabel(assessment.Summary(profile, locale))
	r.summary.Wrapping = fyne.TextWrapWord
	r.chart = chartImage(img, chartErr, kioskChartWidth, kioskChartHeight)

	ratings := container.NewVBox()
	for _, c := range k.competencies {
		ratings.Add(widget.NewLabel(i18n.T("kiosk.result.competency",
			c.Name(locale), assessment.RatingLabel(locale, profile.Competencies[c.ID]))))
	}
	saved := widget.NewLabel(i18n.T("kiosk.result.saved"))
	saved.Importance = widget.SuccessImportance
	saved.Wrapping = fyne.TextWrapWord
	r.done = widget.NewButton(i18n.T("kiosk.result.done"), k.close)
	r.done.Importance = widget.HighImportance

	box := container.NewVBox(title, r.code, r.summary, container.NewCenter(r.chart), ratings, saved)
	k.result = r
	k.message.Hide()
	k.exit.Hide()
	// 完成 takes the place of the page navigation, so it shows without
	// scrolling.
	k.nav.Objects = []fyne.CanvasObject{layout.NewSpacer(), r.done, layout.NewSpacer()}
	k.nav.Show()
	k.nav.Refresh()
	k.body.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewPadded(box))}
	k.body.Refresh()
	k.content.Refresh()
}

// chartImage shows a chart image at width×height Fyne units, or the reason
// it could not be drawn.
func chartImage(img image.Image, err error, width, height int) fyne.CanvasObject {
	if err != nil || img == nil {
		message := widget.NewLabel(i18n.T("kiosk.chart_failed", err))
		message.Importance = widget.WarningImportance
		message.Wrapping = fyne.TextWrapWord
		return message
	}
	picture := canvas.NewImageFromImage(img)
	picture.FillMode = canvas.ImageFillContain
	picture.SetMinSize(fyne.NewSize(float32(width), float32(height)))
	return picture
}
