package report

import (
	"bytes"
	"fmt"
	"strconv"

	"codeberg.org/go-pdf/fpdf"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/assessment"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/record"
)

// profile writes the person's basic facts as label and value pairs.
func (d *doc) profile(in Input) {
	p := in.Person
	tables := codes.MustLoad()
	reveal := in.Unmasked
	year := ""
	if p.GradYear != 0 {
		year = strconv.Itoa(p.GradYear)
	}
	d.heading(d.t("report.section.profile"))
	t := d.table([]float64{2, 4, 2, 4})
	rows := [][4]string{
		{d.t("field.name"), p.Name, d.t("field.gender"), d.coded("gender", p.Gender)},
		{d.t("field.student_no"), p.StudentNo, d.t("field.id_number"), personal(record.FieldIDNumber, p.IDNumber, reveal)},
		{d.t("field.major"), major(tables, p.Major), d.t("field.grad_year"), year},
		{d.t("field.home_region"), region(tables, p.HomeRegion), d.t("field.status"), d.coded("status", p.Status)},
		{d.t("field.phone"), personal(record.FieldPhone, p.Phone, reveal), d.t("field.address"), personal(record.FieldAddress, p.Address, reveal)},
	}
	for _, r := range rows {
		t.row(r[0], orDash(r[1]), r[2], orDash(r[3]))
	}
	if !reveal {
		d.note(d.t("report.masked"))
	}
}

// trainings writes each approved training record: the programme, its
// modules with attendance and scores, and the completion computed from
// them.
func (d *doc) trainings(list []record.Training, programmes []record.Programme) {
	d.heading(d.t("report.section.training"))
	if len(list) == 0 {
		d.note(d.t("report.none"))
		return
	}
	byID := make(map[string]record.Programme, len(programmes))
	for _, p := range programmes {
		byID[p.ID] = p
	}
	if _, ok := byID[record.BasicProgramme]; !ok {
		byID[record.BasicProgramme] = record.Basic()
	}
	for i, tr := range list {
		if i > 0 {
			d.pdf.Ln(2)
		}
		programme, known := byID[tr.Programme]
		if !known || len(tr.Results) == 0 {
			d.trainingAsEntered(tr, programme, known)
			continue
		}
		d.trainingModules(tr, programme)
	}
}

// programmeTitle returns the programme's title, translated for the basic
// programme, whose title is a translation key.
func (d *doc) programmeTitle(p record.Programme) string {
	if p.ID == record.BasicProgramme {
		return d.t(p.Title)
	}
	return p.Title
}

func (d *doc) moduleName(p record.Programme, m record.Module) string {
	if p.ID == record.BasicProgramme {
		return d.t(m.Name)
	}
	return m.Name
}

// trainingLine returns the line above a training record: the programme,
// the employer and position it prepares for, and the date.
func (d *doc) trainingLine(title string, p record.Programme, date string) string {
	line := title
	if p.Employer != "" || p.Position != "" {
		line += " · " + d.t("report.training.for", p.Employer, p.Position)
	}
	if date != "" {
		line += " · " + d.date(date)
	}
	return line
}

func (d *doc) completion(done bool) string {
	if done {
		return d.t("report.training.completed")
	}
	return d.t("report.training.not_completed")
}

// trainingModules writes a training record whose results are per module.
func (d *doc) trainingModules(tr record.Training, p record.Programme) {
	c := record.Complete(p, tr.Results)
	d.ensure(4 * lineHeight)
	d.paragraph(d.trainingLine(d.programmeTitle(p), p, tr.Date))
	t := d.table([]float64{5, 2, 2, 2, 2}, d.t("report.training.module"), d.t("report.training.hours"),
		d.t("report.training.attended"), d.t("field.score"), d.t("report.training.result"))
	for _, m := range p.Modules {
		res, ok := tr.Results[m.Key]
		attended, score, result := "—", "—", d.t("report.training.no_result")
		if ok {
			attended = strconv.Itoa(res.Attended)
			if res.Score >= 0 {
				score = strconv.Itoa(res.Score)
			}
			result = d.t("report.training.failed")
			if res.Passed(m) {
				result = d.t("report.training.passed")
			}
		}
		t.row(d.moduleName(p, m), strconv.Itoa(m.Hours), attended, score, result)
	}
	average := "—"
	if c.Average >= 0 {
		average = strconv.Itoa(c.Average)
	}
	d.paragraph(d.t("report.training.summary", c.Modules, c.Passed, c.Hours, average, d.completion(c.Completed)))
}

// trainingAsEntered writes a training record that has no per-module
// results, or whose programme is not in the store: the hours, score and
// completion it stores.
func (d *doc) trainingAsEntered(tr record.Training, p record.Programme, known bool) {
	title := tr.Programme
	if known {
		title = d.programmeTitle(p)
	}
	d.paragraph(d.trainingLine(title, p, tr.Date))
	hours := "—"
	if tr.Hours > 0 {
		hours = strconv.Itoa(tr.Hours)
	}
	d.paragraph(d.t("report.training.entered", hours, orDash(tr.Score), d.completion(tr.Completed)))
}

// assessment writes the latest approved assessment: the six interest
// scores, the interest code and its summary, the competency self-rating
// and the radar chart.
func (d *doc) assessment(list []record.Assessment) error {
	d.heading(d.t("report.section.assessment"))
	if len(list) == 0 {
		d.note(d.t("report.none"))
		return nil
	}
	// HistoryOf sorts assessments by date, so the last is the latest.
	latest := list[len(list)-1]
	profile, err := assessment.ParseProfile(latest.Profile)
	if err != nil {
		d.note(d.t("report.assessment.unreadable", d.date(latest.Date)))
		return nil
	}
	d.paragraph(d.t("report.assessment.line", d.date(latest.Date), profile.Code(), assessment.Summary(profile, d.locale)))

	names := make([]string, 0, assessment.NumDimensions)
	scores := make([]string, 0, assessment.NumDimensions)
	shares := make([]float64, 0, assessment.NumDimensions)
	for _, dim := range assessment.Dimensions {
		names = append(names, dim.Name(d.locale)+" "+dim.Letter())
		scores = append(scores, strconv.FormatFloat(profile.Scores[dim], 'f', 1, 64))
		shares = append(shares, 1)
	}
	d.table(shares, names...).row(scores...)

	names, scores, shares = names[:0], scores[:0], shares[:0]
	for _, c := range assessment.Competencies() {
		names = append(names, c.Name(d.locale))
		scores = append(scores, d.t("report.assessment.self_rating", profile.Competencies[c.ID], assessment.MaxAnswer))
		shares = append(shares, 1)
	}
	d.pdf.Ln(1)
	d.note(d.t("report.assessment.competencies"))
	d.table(shares, names...).row(scores...)

	png, err := RadarPNG(profile, d.locale)
	if err != nil {
		return err
	}
	// Keep the chart with its section: shrink it to the rest of the page
	// when most of it fits, else carry it over under a caption that names
	// the section.
	width, height := radarWidthMM, radarWidthMM*radarHeightPx/radarWidthPx
	if room := d.bottom() - d.pdf.GetY() - 2; room < height {
		if room >= minRadarShare*height {
			width, height = width*room/height, room
		} else {
			d.pdf.AddPage()
			d.note(d.t("report.assessment.chart_continued"))
		}
	}
	return d.image("radar", png, width, height)
}

// minRadarShare is the smallest share of its full size the radar chart is
// shrunk to so that it stays on its section's page.
const minRadarShare = 0.6

// image places a PNG centred on the page, starting a new page unless it
// fits on this one.
func (d *doc) image(name string, png []byte, width, height float64) error {
	d.ensure(height + 2)
	d.pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	pageWidth, _ := d.pdf.GetPageSize()
	y := d.pdf.GetY() + 2
	d.pdf.ImageOptions(name, (pageWidth-width)/2, y, width, height, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	d.pdf.SetY(y + height)
	if d.pdf.Err() {
		return fmt.Errorf("placing image %s: %w", name, d.pdf.Error())
	}
	return nil
}

// internships writes the approved internships and job-experience
// sessions with the supervisor's rating and evaluation.
func (d *doc) internships(list []record.Internship) {
	d.heading(d.t("report.section.internship"))
	if len(list) == 0 {
		d.note(d.t("report.none"))
		return
	}
	t := d.table([]float64{1.5, 3.0, 3.3, 1.4, 2.6, 3.6}, d.t("field.intern_kind"), d.t("report.internship.employer"),
		d.t("report.internship.period"), d.t("field.supervisor"), d.t("field.rating"), d.t("field.evaluation"))
	for _, in := range list {
		kind := in.Kind
		if kind == "" {
			kind = record.InternWork
		}
		place := in.Employer
		if in.Position != "" {
			place += "\n" + in.Position
		}
		t.row(d.coded("intern_kind", kind), place, d.period(in.Start, in.End), orDash(in.Supervisor),
			d.rating(in.Rating), orDash(in.Evaluation))
	}
}

// awards writes the approved awards.
func (d *doc) awards(list []record.Award) {
	d.heading(d.t("report.section.award"))
	if len(list) == 0 {
		d.note(d.t("report.none"))
		return
	}
	t := d.table([]float64{6, 1.4, 3.2, 2.2}, d.t("field.title"), d.t("field.level"), d.t("field.issuer"), d.t("field.date"))
	for _, a := range list {
		t.row(a.Title, orDash(d.coded("award_level", a.Level)), orDash(a.Issuer), orDash(d.date(a.Date)))
	}
}

// certificates writes the approved vocational certificates with their
// skill levels.
func (d *doc) certificates(list []record.Certificate) {
	d.heading(d.t("report.section.certificate"))
	if len(list) == 0 {
		d.note(d.t("report.none"))
		return
	}
	t := d.table([]float64{2.6, 1.6, 3.6, 4, 2.4}, d.t("field.title"), d.t("field.skill_level"), d.t("report.certificate.issuer"),
		d.t("field.cert_no"), d.t("field.date"))
	for _, c := range list {
		t.row(c.Title, orDash(d.coded("skill_level", c.SkillLevel)), orDash(c.Issuer), orDash(c.CertNo), orDash(d.date(c.Date)))
	}
}

// signOff writes the reviewing college, the reviewer and date of the
// latest approval among the records shown, and the export date.
func (d *doc) signOff(in Input, h store.History) {
	latest := latestReview(h)
	d.heading(d.t("report.section.sign_off"))
	d.paragraph(d.t("report.sign_off.statement"))
	d.pdf.Ln(1)
	exported := d.date(in.Date.Format("2006-01-02"))
	if in.Account != "" {
		exported = d.t("report.sign_off.exported_by", exported, in.Account)
	}
	t := d.table([]float64{2, 4, 2, 4})
	t.row(d.t("report.sign_off.college"), orDash(in.College), d.t("field.review_by"), orDash(latest.By))
	t.row(d.t("field.review_at"), orDash(d.date(latest.At)), d.t("report.sign_off.exported"), exported)
	d.pdf.Ln(6)
	d.ensure(3 * lineHeight)
	d.paragraph(d.t("report.sign_off.seal"))
}

// latestReview returns the review of the most recently approved record
// among those the report shows: every kind but counselling.
func latestReview(h store.History) record.Review {
	var latest record.Review
	consider := func(r record.Review) {
		if r.Approved() && r.At > latest.At {
			latest = r
		}
	}
	for _, v := range h.Trainings {
		consider(v.Review)
	}
	for _, v := range h.Assessments {
		consider(v.Review)
	}
	for _, v := range h.Internships {
		consider(v.Review)
	}
	for _, v := range h.Awards {
		consider(v.Review)
	}
	for _, v := range h.Certificates {
		consider(v.Review)
	}
	return latest
}
