package ui

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/sheet"
)

// demandsTab is the 岗位需求 tab: the job demands of the directory's
// employers, for every role. Only a central office device may change them.
func (w *window) demandsTab() *container.TabItem {
	v := w.newDemandsView()
	v.tab = container.NewTabItem(i18n.T("ui.directory.demands.tab"), v)
	return v.tab
}

// demandRow is a job demand with the texts its list row shows and the
// lower-case text a search matches.
type demandRow struct {
	demand     record.Demand
	employer   string
	occupation string
	region     string
	salary     string
	season     string
	programme  string
	key        string
}

func newDemandRow(d record.Demand, employers map[string]string, programmes map[string]string, tables *codes.Tables) demandRow {
	r := demandRow{demand: d, employer: employers[d.Employer], region: tables.RegionName(d.Region),
		salary: salaryText(d.SalaryMin, d.SalaryMax), season: seasonText(d), programme: programmes[d.Programme]}
	if r.employer == "" && d.Employer != "" {
		r.employer = i18n.T("ui.demands.no_employer")
	}
	if o, ok := tables.Occupation(d.Occupation); ok {
		r.occupation = o.Name
	}
	r.key = strings.ToLower(strings.Join([]string{d.Title, r.employer, r.occupation, r.region}, "\n"))
	return r
}

// status returns 招聘中, or 已结束 for a closed demand or one past its End date.
func (r demandRow) status() string {
	if r.demand.OpenOn(record.Today()) {
		return i18n.T("ui.demands.status.open")
	}
	return i18n.T("ui.demands.status.closed")
}

// detail returns the row's second line: employer, occupation, region,
// headcount, salary, season and the programme that trains for the job.
func (r demandRow) detail() string {
	programme := ""
	if r.programme != "" {
		programme = i18n.T("ui.demands.programme", r.programme)
	}
	return joinNonEmpty([]string{r.employer, r.occupation, r.region,
		i18n.T("ui.demands.headcount", r.demand.Headcount), r.salary, r.season, programme})
}

// salaryText returns a monthly salary range as a row shows it: 4500–6500元/月,
// 4500元/月起, 最高6500元/月, or "" when neither bound is given.
func salaryText(low, high int) string {
	switch {
	case low > 0 && high > 0 && low != high:
		return i18n.T("ui.demands.salary.range", low, high)
	case low > 0 && high > 0:
		return i18n.T("ui.demands.salary.exact", low)
	case low > 0:
		return i18n.T("ui.demands.salary.from", low)
	case high > 0:
		return i18n.T("ui.demands.salary.up_to", high)
	}
	return ""
}

// seasonText returns when a demand's work is: its dates, such as
// 2026-03-01至2026-06-30, and its months, such as 3–6月 or 11–2月 for a
// season across the new year, joined by two spaces; "" when it has
// neither.
func seasonText(d record.Demand) string {
	var dates, months string
	start, end := display.Date(d.Start), display.Date(d.End)
	switch {
	case start != "" && end != "":
		dates = i18n.T("ui.demands.season.dates", start, end)
	case start != "":
		dates = i18n.T("ui.demands.season.from", start)
	case end != "":
		dates = i18n.T("ui.demands.season.until", end)
	}
	if len(d.Months) > 0 {
		months = i18n.T("ui.demands.season.months", monthRuns(d.Months))
	}
	return joinNonEmpty([]string{dates, months})
}

// monthRuns writes ascending months 1–12 as runs joined by 、, such as
// 3–6 or 3–6、9. A run that reaches December continues into a run from
// January, so 1, 2, 11, 12 is 11–2.
func monthRuns(months []int) string {
	type run struct{ first, last int }
	var runs []run
	for _, m := range months {
		if n := len(runs); n > 0 && runs[n-1].last == m-1 {
			runs[n-1].last = m
			continue
		}
		runs = append(runs, run{m, m})
	}
	if n := len(runs); n > 1 && runs[0].first == 1 && runs[n-1].last == 12 {
		runs[0].first = runs[n-1].first
		runs = runs[:n-1]
	}
	parts := make([]string, len(runs))
	for i, r := range runs {
		parts[i] = strconv.Itoa(r.first)
		if r.last != r.first {
			parts[i] += "–" + strconv.Itoa(r.last)
		}
	}
	return strings.Join(parts, "、")
}

// demandsView is the content of the 岗位需求 tab. It reloads when the tab is
// selected and after each store change.
type demandsView struct {
	widget.BaseWidget
	w         *window
	tab       *container.TabItem // nil when the view is not in the window's tabs
	pane      *directoryPane
	all       []demandRow
	shown     []demandRow
	employers []employerChoice   // the employers a demand may name, in pinyin order
	courses   []record.Programme // the job-tailored programmes a demand may link
	dialog    *demandDialog      // the dialog opened last, for tests
	match     *matchView         // the 匹配人才 dialog opened last, for tests
	detail    *demandDetail      // the 查看 dialog opened last, for tests
}

func (w *window) newDemandsView() *demandsView {
	v := &demandsView{w: w}
	list := widget.NewList(
		func() int { return len(v.shown) },
		newDemandListRow,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.shown) {
				updateDemandListRow(o, v.shown[i])
			}
		},
	)
	v.pane = w.newDirectoryPane(i18n.T("ui.demands.search"), list, directoryActions{
		addLabel: i18n.T("ui.demands.add"),
		onSearch: v.filter,
		onAdd: func() {
			v.dialog = w.showDemandDialog(record.Demand{}, v.employers, v.courses, v.refresh)
		},
		onEdit: func(i widget.ListItemID) {
			v.dialog = w.showDemandDialog(v.shown[i].demand, v.employers, v.courses, v.refresh)
		},
		onRemove: func(i widget.ListItemID) { v.confirmDelete(v.shown[i].demand) },
		onExport: v.onExport,
	})
	v.pane.addRowAction(i18n.T("ui.demands.view"), theme.InfoIcon(), func(i widget.ListItemID) {
		v.detail = w.showDemandDetail(v.shown[i])
	})
	v.pane.addRowAction(i18n.T("ui.match.action.job"), theme.SearchIcon(), func(i widget.ListItemID) {
		v.match = w.showJobMatch(v.shown[i].demand, v.shown[i].employer)
	})
	v.ExtendBaseWidget(v)
	w.reloadWhileShown(func() *container.TabItem { return v.tab }, v.refresh)
	v.refresh()
	return v
}

func (v *demandsView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.pane.content)
}

// newDemandListRow makes a list row: the job title in bold with its status
// at the right end, and the details below.
func newDemandListRow() fyne.CanvasObject {
	title := widget.NewLabel("")
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.Truncation = fyne.TextTruncateEllipsis
	status := widget.NewLabel("")
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(container.NewBorder(nil, nil, nil, status, title), detail)
}

// demandRowParts returns the labels of a row made by newDemandListRow.
func demandRowParts(o fyne.CanvasObject) (title, status, detail *widget.Label) {
	box := o.(*fyne.Container)
	top := box.Objects[0].(*fyne.Container)
	return top.Objects[0].(*widget.Label), top.Objects[1].(*widget.Label), box.Objects[1].(*widget.Label)
}

func updateDemandListRow(o fyne.CanvasObject, r demandRow) {
	title, status, detail := demandRowParts(o)
	title.SetText(r.demand.Title)
	status.SetText(r.status())
	status.Importance = widget.SuccessImportance
	if !r.demand.OpenOn(record.Today()) {
		status.Importance = widget.LowImportance
	}
	detail.SetText(r.detail())
	// A container lays its children out again only on Refresh, and the
	// status needs its space on the right.
	o.Refresh()
}

// refresh reads the demands, employers and programmes off the UI
// goroutine, builds the row texts there, and shows the rows the search
// matches.
func (v *demandsView) refresh() {
	tables := v.w.tables
	v.w.spawn(func() {
		demands, err := v.w.store.Demands()
		var employers []record.Employer
		if err == nil {
			employers, err = v.w.store.Employers()
		}
		var programmes []record.Programme
		if err == nil {
			programmes, err = v.w.store.Programmes()
		}
		employerNames := make(map[string]string, len(employers))
		for _, e := range employers {
			employerNames[e.ID] = e.Name
		}
		var courses []record.Programme
		titles := map[string]string{}
		for _, p := range programmes {
			if p.ID != record.BasicProgramme {
				courses = append(courses, p)
				titles[p.ID] = display.ProgrammeTitle(p)
			}
		}
		choices := employerChoices(employers)
		rows := make([]demandRow, len(demands))
		for i, d := range demands {
			rows[i] = newDemandRow(d, employerNames, titles, tables)
		}
		v.w.do(func() {
			v.pane.showLoadError(err)
			if err != nil {
				return
			}
			v.all, v.employers, v.courses = rows, choices, courses
			v.filter()
		})
	})
}

// filter shows the demands whose title, employer, occupation or region
// contains the search text, ignoring case.
func (v *demandsView) filter() {
	v.shown = filterRows(v.pane, v.all, func(r demandRow) string { return r.key }, "ui.demands.count", "ui.demands.count_found")
	v.pane.clearSelection()
	v.pane.list.Refresh()
}

// confirmDelete deletes the demand once the user confirms.
func (v *demandsView) confirmDelete(d record.Demand) {
	newConfirm(i18n.T("ui.demands.delete_title"), i18n.T("ui.demands.delete_confirm", d.Title),
		i18n.T("ui.directory.delete"), func(ok bool) {
			if !ok {
				return
			}
			v.w.spawn(func() {
				err := v.w.store.DeleteDemand(d.ID)
				v.w.do(func() {
					if err != nil {
						dialog.ShowError(errors.New(i18n.T("ui.directory.delete_failed", err)), v.w.win)
						return
					}
					v.refresh()
				})
			})
		}, v.w.win).Show()
}

// onExport exports the demands the search shows.
func (v *demandsView) onExport() {
	if len(v.shown) == 0 {
		showInformation(exportTitle("export.list.demands"), i18n.T("ui.export.empty"), v.w.win)
		return
	}
	v.w.exportList("export.list.demands", v.listTable())
}

// listTable returns the builder of the table of the demands shown now.
func (v *demandsView) listTable() func() sheet.Table {
	rows := append([]demandRow(nil), v.shown...)
	tables := v.w.tables
	return func() sheet.Table {
		t := sheet.Table{Sheet: i18n.T("export.list.demands"), Columns: []sheet.Column{
			{Header: i18n.T("export.demands.title")},
			{Header: i18n.T("export.demands.employer")},
			{Header: i18n.T("field.occupation")},
			{Header: i18n.T("field.majors")},
			{Header: i18n.T("field.certificates")},
			{Header: i18n.T("field.skills")},
			{Header: i18n.T("export.demands.region")},
			{Header: i18n.T("field.headcount"), Number: true},
			{Header: i18n.T("export.demands.salary")},
			{Header: i18n.T("export.demands.season")},
			{Header: i18n.T("field.demand_status")},
			{Header: i18n.T("export.demands.programme")},
		}}
		for _, r := range rows {
			d := r.demand
			t.Rows = append(t.Rows, []string{d.Title, r.employer, r.occupation, majorNames(tables, d.Majors),
				certificateText(d.Certificates), record.JoinList(d.Skills), r.region, strconv.Itoa(d.Headcount),
				r.salary, r.season, r.status(), r.programme})
		}
		return t
	}
}

// majorNames returns the names of majors, major classes or categories,
// joined by 、. An unknown code is shown as it is.
func majorNames(tables *codes.Tables, majorCodes []string) string {
	names := make([]string, len(majorCodes))
	for i, code := range majorCodes {
		names[i] = majorCodeLabel(tables, code)
	}
	return strings.Join(names, "、")
}

// certificateText returns certificates as 数控车工（中级）、电工.
func certificateText(certs []record.DemandCertificate) string {
	parts := make([]string, len(certs))
	for i, c := range certs {
		parts[i] = c.Title
		if c.SkillLevel != "" {
			parts[i] = i18n.T("ui.demands.certificate_level", c.Title, i18n.T("skill_level."+c.SkillLevel))
		}
	}
	return strings.Join(parts, "、")
}
