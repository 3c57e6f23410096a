package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/chart"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/assessment"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// trajectorySection is a person's growth trajectory (成长轨迹): a chart of
// their approved records per half-year, the records in date order, one
// line each, and the radar chart of their latest approved assessment. Records waiting for review or returned
// do not show, because only approved records count.
type trajectorySection struct {
	*recordSection
	w      *window
	person func() string // the id of the person shown
	chart  *radarView
	// timeline holds the chart of records per half-year, empty when no
	// approved record has a date.
	timeline *fyne.Container
	// resized lays the page out again once loaded rows or a chart changed
	// the section's height.
	resized func()
}

// The size of the timeline chart on the person page, in Fyne units.
const (
	timelineWidth  = 520
	timelineHeight = 220
)

func (w *window) newTrajectorySection(person func() string) *trajectorySection {
	s := &trajectorySection{w: w, person: person, chart: newRadarView(), timeline: container.NewVBox(),
		resized: func() {}}
	s.recordSection = &recordSection{rows: container.NewVBox(), empty: i18n.T("trajectory.empty")}
	heading := widget.NewLabel(i18n.T("trajectory.title"))
	heading.TextStyle = fyne.TextStyle{Bold: true}
	s.content = container.NewVBox(heading, s.timeline, s.rows, s.chart.content)
	return s
}

// refresh reloads the trajectory and draws its chart off the UI goroutine.
func (s *trajectorySection) refresh() {
	id := s.person()
	if id == "" {
		return
	}
	load := s.chart.startLoad()
	s.w.spawn(func() {
		var rows []string
		var timeline []chart.TimelineEntry
		var latest record.Assessment
		var profile *assessment.Profile
		history, err := s.w.store.HistoryOf(id)
		var programmes []record.Programme
		if err == nil {
			programmes, err = s.w.store.Programmes()
		}
		if err == nil {
			byID := make(map[string]record.Programme, len(programmes))
			for _, p := range programmes {
				byID[p.ID] = p
			}
			for _, e := range display.Trajectory(history, byID) {
				rows = append(rows, display.TrajectoryRow(e))
				timeline = append(timeline, chart.TimelineEntry{Date: e.Date, Kind: e.Kind})
			}
			if a, p, ok := display.LatestApprovedAssessment(history); ok {
				latest, profile = a, &p
			}
		}
		drawing := load.draw(profile)
		timelineImage, timelineErr := chart.Timeline(timeline, load.locale, timelineWidth, timelineHeight)
		s.w.do(func() {
			if !s.chart.current(load) {
				return
			}
			if err != nil {
				s.setError(err)
				s.timeline.RemoveAll()
				s.chart.clear()
				s.resized()
				return
			}
			s.setRows(rows)
			s.timeline.RemoveAll()
			if !errors.Is(timelineErr, chart.ErrNoDates) {
				s.timeline.Add(container.NewHBox(chartImage(timelineImage, timelineErr, timelineWidth, timelineHeight)))
			}
			s.chart.show(drawing, i18n.T("trajectory.chart", display.Date(latest.Date)))
			s.resized()
		})
	})
}
