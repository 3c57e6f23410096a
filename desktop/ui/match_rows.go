package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/shared/sheet"
)

// matchRow is a ranked row with the names its list row and export show in
// place of codes.
type matchRow struct {
	row     protocol.MatchRow
	college string
	major   string
	region  string
	job     string // 数控车床操作工（江西洪都数控机械有限公司）, "" without a demand
	// jobDetail is the demand's region and salary, such as
	// 江西省南昌市青山湖区  4500–6500元/月. It is "" without a demand or when
	// the store lacks the demand.
	jobDetail string
}

// demandLookup returns the stored demand with an id, or an error when the
// store lacks it, as (*store.Store).Demand does.
type demandLookup func(id string) (record.Demand, error)

// newMatchRows looks up the names of the rows' codes, and the region and
// salary of each row's demand through demand, which may be nil. An unknown
// code shows as it is. It reads the store, so it runs off the UI goroutine.
func newMatchRows(rows []protocol.MatchRow, tables *codes.Tables, demand demandLookup) []matchRow {
	out := make([]matchRow, len(rows))
	demands := map[string]string{}
	for i, r := range rows {
		m := matchRow{row: r, college: r.College, major: r.Major, region: tables.RegionName(r.Region)}
		if c, ok := tables.College(r.College); ok {
			m.college = c.Name
		}
		if e, ok := tables.Majors.ByCode(r.Major); ok {
			m.major = e.Name
		}
		if r.Demand != "" {
			m.job = i18n.T("ui.match.job_at", r.Title, r.Employer)
			if detail, ok := demands[r.Demand]; ok {
				m.jobDetail = detail
			} else if demand != nil {
				if d, err := demand(r.Demand); err == nil {
					m.jobDetail = joinNonEmpty([]string{tables.RegionName(d.Region), salaryText(d.SalaryMin, d.SalaryMax)})
				}
				demands[r.Demand] = m.jobDetail
			}
		}
		out[i] = m
	}
	return out
}

// gradYear returns 2025届, or "" when unknown.
func (r matchRow) gradYear() string {
	if r.row.GradYear == 0 {
		return ""
	}
	return i18n.T("ui.match.grad_year", r.row.GradYear)
}

// texts returns the bold first line and the detail line of the row for
// the use: the person for job and transfer, the job for person.
func (r matchRow) texts(use string) (first, detail string) {
	person := joinNonEmpty([]string{r.college, r.major, r.gradYear(), r.region})
	switch use {
	case protocol.MatchPerson:
		return r.job, r.jobDetail
	case protocol.MatchTransfer:
		// The target job goes on the first line, because the detail line
		// is cut off at the list's width.
		return joinNonEmpty([]string{r.row.Name, r.transferTarget()}), person
	}
	return r.row.Name, person
}

// transferTarget returns 可转至：job (employer), or 暂无合适岗位 for a row
// without a job.
func (r matchRow) transferTarget() string {
	if r.job == "" {
		return i18n.T("ui.match.transfer.no_job")
	}
	return i18n.T("ui.match.transfer.to", r.job)
}

// newMatchListRow makes a list row: the rank at the left, the score at the
// right, and the name or job in bold above its details.
func newMatchListRow() fyne.CanvasObject {
	rank := widget.NewLabel("")
	score := widget.NewLabel("")
	score.TextStyle = fyne.TextStyle{Bold: true}
	first := widget.NewLabel("")
	first.TextStyle = fyne.TextStyle{Bold: true}
	first.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, rank, score, container.NewVBox(first, detail))
}

// matchRowParts returns the labels of a row made by newMatchListRow.
func matchRowParts(o fyne.CanvasObject) (rank, first, detail, score *widget.Label) {
	box := o.(*fyne.Container)
	lines := box.Objects[0].(*fyne.Container)
	return box.Objects[1].(*widget.Label), lines.Objects[0].(*widget.Label), lines.Objects[1].(*widget.Label),
		box.Objects[2].(*widget.Label)
}

// updateMatchListRow shows r at position rank of the list. The list's
// position is the rank: a transfer's rows each rank their own person, and
// their MatchRow.Rank may repeat.
func updateMatchListRow(o fyne.CanvasObject, r matchRow, rank int, use string) {
	rankLabel, first, detail, score := matchRowParts(o)
	rankLabel.SetText(strconv.Itoa(rank))
	f, d := r.texts(use)
	first.SetText(f)
	detail.SetText(d)
	if d == "" {
		detail.Hide()
	} else {
		detail.Show()
	}
	score.SetText(i18n.T("ui.match.score", formatPoints(r.row.Score)))
	o.Refresh()
}

// onExport exports the rows shown, with their reasons. The rows carry no
// ID number, phone or address, so the file shows what the screen shows.
func (v *matchView) onExport() {
	if len(v.shown) == 0 {
		showInformation(exportTitle(v.list), i18n.T("ui.export.empty"), v.w.win)
		return
	}
	v.w.exportList(v.list, matchTable(v.list, v.shown))
}

// matchTable returns the builder of the export table of rows.
func matchTable(list string, rows []matchRow) func() sheet.Table {
	rows = append([]matchRow(nil), rows...)
	return func() sheet.Table {
		t := sheet.Table{Sheet: i18n.T(list), Columns: []sheet.Column{
			{Header: i18n.T("export.match.rank"), Number: true},
			{Header: i18n.T("export.match.name")},
			{Header: i18n.T("export.match.college")},
			{Header: i18n.T("export.match.major")},
			{Header: i18n.T("export.match.grad_year"), Number: true},
			{Header: i18n.T("export.match.region")},
			{Header: i18n.T("export.match.title")},
			{Header: i18n.T("export.match.employer")},
			{Header: i18n.T("export.match.score"), Number: true},
			{Header: i18n.T("export.match.reasons")},
		}}
		for n, r := range rows {
			reasons := make([]string, len(r.row.Reasons))
			for i, reason := range r.row.Reasons {
				reasons[i] = reasonLine(reason)
			}
			year := ""
			if r.row.GradYear != 0 {
				year = strconv.Itoa(r.row.GradYear)
			}
			t.Rows = append(t.Rows, []string{strconv.Itoa(n + 1), r.row.Name, r.college, r.major, year, r.region,
				r.row.Title, r.row.Employer, formatPoints(r.row.Score), strings.Join(reasons, "；")})
		}
		return t
	}
}
