package ui

import (
	"image"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/chart"
	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/access"
	"mobilefactory/shared/assessment"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// Size of the radar charts on the person page, in Fyne units, which are
// pixels at scale 1.
const (
	pageChartWidth  = 360
	pageChartHeight = 280
)

// assessSection lists a person's career-direction assessments, newest
// first, with the radar chart of the newest, and opens the kiosk on which
// the person takes a new one.
type assessSection struct {
	*recordSection
	w      *window
	person func() record.Person // the person shown
	saved  func()               // reloads the page after the kiosk closes
	// resized lays the page out again once loaded rows or a chart changed
	// the section's height.
	resized func()
	start   *widget.Button
	chart   *radarView
	kiosk   *kiosk // the kiosk opened last, kept for tests
}

func (w *window) newAssessSection(person func() record.Person) *assessSection {
	s := &assessSection{w: w, person: person, chart: newRadarView(), saved: func() {}, resized: func() {}}
	s.recordSection = &recordSection{rows: container.NewVBox(), empty: i18n.T("assess.empty")}
	heading := widget.NewLabel(i18n.T("assessment.title"))
	heading.TextStyle = fyne.TextStyle{Bold: true}
	s.start = widget.NewButtonWithIcon(i18n.T("kiosk.start"), theme.MediaPlayIcon(), s.openKiosk)
	// A store enrolled without a role checks none, as SetReview does.
	ident, _ := w.store.Identity()
	if role := access.Role(ident.Role); role != "" && !role.MayRecord() {
		s.start.Hide()
	}
	s.content = container.NewVBox(container.NewHBox(heading, layout.NewSpacer(), s.start), s.rows, s.chart.content)
	return s
}

// openKiosk hands the window to the person shown for a new assessment.
// An erased person has no name to greet and takes no assessment.
func (s *assessSection) openKiosk() {
	person := s.person()
	if person.ID == "" || person.Erased != "" {
		return
	}
	s.kiosk = s.w.openKiosk(person.ID, person.Name, s.saved)
}

// refresh reloads the assessments and draws the newest one's chart off the
// UI goroutine.
func (s *assessSection) refresh() {
	person := s.person()
	if person.ID == "" {
		return
	}
	if person.Erased != "" {
		s.start.Disable()
	} else {
		s.start.Enable()
	}

	load := s.chart.startLoad()
	s.w.spawn(func() {
		history, err := s.w.store.HistoryOf(person.ID)
		var rows []historyRow
		var newest record.Assessment
		var profile *assessment.Profile
		if err == nil {
			list := slices.Clone(history.Assessments)
			slices.Reverse(list)
			for _, a := range list {
				p, parseErr := assessment.ParseProfile(a.Profile)
				rows = append(rows, historyRow{ref: store.ReviewRef{Kind: record.KindAssessment, ID: a.ID},
					text: assessmentRow(a, p, parseErr), review: a.Review})
				if parseErr == nil && profile == nil {
					newest, profile = a, &p
				}
			}
		}
		drawing := load.draw(profile)
		s.w.do(func() {
			if !s.chart.current(load) {
				return
			}
			if err != nil {
				s.setError(err)
				s.chart.clear()
				s.resized()
				return
			}
			s.setHistoryRows(s.w, rows)
			s.chart.show(drawing, i18n.T("assess.latest", display.Date(newest.Date)))
			s.resized()
		})
	})
}

// assessmentRow returns the text of an assessment in the section, such as
// "2026年12月4日 · 兴趣代码 RIC". The row's tag shows the review state.
func assessmentRow(a record.Assessment, p assessment.Profile, parseErr error) string {
	if parseErr != nil {
		return i18n.T("assess.row.unreadable", display.Date(a.Date))
	}
	return i18n.T("assess.row", display.Date(a.Date), p.Code())
}

// radarView shows one radar chart with a caption, drawn off the UI
// goroutine. It keeps the last image, because the page reloads on every
// store event and the profile shown rarely changes.
type radarView struct {
	content *fyne.Container
	loads   int // the number of loads started, to drop results of older ones
	cached  radarDrawing
}

// radarDrawing is a radar chart drawn for one profile in one locale.
type radarDrawing struct {
	key string // the profile's encoding and the locale; "" for no chart
	img image.Image
	err error
}

// radarLoad is one reload of a radarView: what the UI goroutine knew when
// it started, for the loading goroutine to use.
type radarLoad struct {
	n      int
	locale string
	cached radarDrawing
}

func newRadarView() *radarView {
	return &radarView{content: container.NewVBox()}
}

// startLoad starts a reload on the UI goroutine.
func (v *radarView) startLoad() radarLoad {
	v.loads++
	return radarLoad{n: v.loads, locale: i18n.Locale(), cached: v.cached}
}

// current reports whether load is the latest reload, on the UI goroutine.
func (v *radarView) current(load radarLoad) bool { return load.n == v.loads }

// draw draws the chart of p, or reuses the cached one when p and the
// locale are unchanged. It runs off the UI goroutine. A nil p draws none.
func (load radarLoad) draw(p *assessment.Profile) radarDrawing {
	if p == nil {
		return radarDrawing{}
	}
	key := load.locale + "|" + p.Encode()
	if key == load.cached.key {
		return load.cached
	}
	img, err := chart.Radar(*p, load.locale, pageChartWidth, pageChartHeight)
	return radarDrawing{key: key, img: img, err: err}
}

// show shows a drawing with its caption, or nothing for an empty drawing.
func (v *radarView) show(d radarDrawing, caption string) {
	v.cached = d
	v.content.RemoveAll()
	if d.key == "" {
		return
	}
	label := widget.NewLabel(caption)
	label.Importance = widget.LowImportance
	v.content.Add(label)
	v.content.Add(container.NewHBox(chartImage(d.img, d.err, pageChartWidth, pageChartHeight)))
}

// clear removes the chart.
func (v *radarView) clear() {
	v.content.RemoveAll()
}

// caption returns the caption shown, "" when there is no chart, as a test
// reads it.
func (v *radarView) caption() string {
	if len(v.content.Objects) == 0 {
		return ""
	}
	return v.content.Objects[0].(*widget.Label).Text
}

// image returns the chart image shown, nil when there is none.
func (v *radarView) image() image.Image {
	if len(v.content.Objects) < 2 {
		return nil
	}
	row := v.content.Objects[1].(*fyne.Container)
	if picture, ok := row.Objects[0].(*canvas.Image); ok {
		return picture.Image
	}
	return nil
}
