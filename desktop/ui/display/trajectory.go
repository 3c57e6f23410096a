package display

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/assessment"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// TrajectoryEntry is one approved record on a person's growth trajectory
// (成长轨迹).
type TrajectoryEntry struct {
	Date    string      // ISO 8601 date or month, "" when the record has none
	Kind    record.Kind // one of record.HistoryKinds
	ID      string      // ULID of the record
	Label   string      // the kind as the screen names it, such as 培训 or 体验
	Summary string      // a one-line summary of the record
}

// Trajectory returns the approved records of h as a growth trajectory,
// oldest first. Records without a date come last, and records of one date
// keep the order of record.HistoryKinds. A training record's date is its
// completion, an internship's its start. programmes maps programme ids to
// programmes, so that a training record shows its programme's title and
// the completion its results add up to.
func Trajectory(h store.History, programmes map[string]record.Programme) []TrajectoryEntry {
	h = h.Approved()
	var out []TrajectoryEntry
	for _, t := range h.Trainings {
		out = append(out, TrajectoryEntry{Date: t.Date, Kind: record.KindTraining, ID: t.ID,
			Label: i18n.T("kind.training"), Summary: trainingSummary(t, programmes)})
	}
	for _, a := range h.Assessments {
		out = append(out, TrajectoryEntry{Date: a.Date, Kind: record.KindAssessment, ID: a.ID,
			Label: i18n.T("kind.assessment"), Summary: assessmentSummary(a)})
	}
	for _, in := range h.Internships {
		row := in
		row.Kind = "" // the label names the kind already
		out = append(out, TrajectoryEntry{Date: in.Start, Kind: record.KindInternship, ID: in.ID,
			Label: internKindLabel(in.Kind), Summary: InternshipRow(row)})
	}
	for _, a := range h.Awards {
		out = append(out, TrajectoryEntry{Date: a.Date, Kind: record.KindAward, ID: a.ID,
			Label: i18n.T("kind.award"), Summary: joinSet(a.Title, translated("award_level.", a.Level), a.Issuer)})
	}
	for _, c := range h.Certificates {
		out = append(out, TrajectoryEntry{Date: c.Date, Kind: record.KindCertificate, ID: c.ID,
			Label: i18n.T("kind.certificate"), Summary: joinSet(c.Title, translated("skill_level.", c.SkillLevel), c.Issuer)})
	}
	for _, c := range h.Counsellings {
		counsellor := ""
		if c.Counsellor != "" {
			counsellor = i18n.T("trajectory.counsellor", c.Counsellor)
		}
		out = append(out, TrajectoryEntry{Date: c.Date, Kind: record.KindCounselling, ID: c.ID,
			Label: i18n.T("kind.counselling"), Summary: joinSet(c.Topic, counsellor)})
	}

	slices.SortStableFunc(out, func(a, b TrajectoryEntry) int {
		if (a.Date == "") != (b.Date == "") {
			// The undated entry goes last.
			if a.Date == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(strings.Compare(a.Date, b.Date),
			cmp.Compare(slices.Index(record.HistoryKinds, a.Kind), slices.Index(record.HistoryKinds, b.Kind)),
			strings.Compare(a.ID, b.ID))
	})
	return out
}

// TrajectoryRow returns the text of an entry, such as
// "2024年5月10日 · 培训 · 基础模块 · 96 学时 · 成绩 85 · 已结业".
func TrajectoryRow(e TrajectoryEntry) string {
	date := Date(e.Date)
	if date == "" {
		date = i18n.T("trajectory.undated")
	}
	return i18n.T("trajectory.row", date, e.Label, e.Summary)
}

// LatestApprovedAssessment returns the approved assessment of h with the
// latest date whose profile parses, and that profile. ok is false when
// there is none.
func LatestApprovedAssessment(h store.History) (a record.Assessment, p assessment.Profile, ok bool) {
	approved := h.Approved().Assessments
	for i := len(approved) - 1; i >= 0; i-- {
		// HistoryOf sorts assessments by date, oldest first.
		if profile, err := assessment.ParseProfile(approved[i].Profile); err == nil {
			return approved[i], profile, true
		}
	}
	return record.Assessment{}, assessment.Profile{}, false
}

// trainingSummary describes a training record by its programme and how far
// it got: hours, average score and completion, computed from the module
// results when the record has them and its programme is known.
func trainingSummary(t record.Training, programmes map[string]record.Programme) string {
	title := t.Programme
	hours, score, completed := t.Hours, t.Score, t.Completed
	if p, ok := programmes[t.Programme]; ok {
		title = p.Title
		if p.ID == record.BasicProgramme {
			title = i18n.T(p.Title)
		}
		if len(t.Results) > 0 {
			c := record.Complete(p, t.Results)
			hours, completed = c.Hours, c.Completed
			score = ""
			if c.Average >= 0 {
				score = strconv.Itoa(c.Average)
			}
		}
	}

	parts := []string{title}
	if hours > 0 {
		parts = append(parts, i18n.T("ui.training.row.hours", hours))
	}
	if score != "" {
		parts = append(parts, i18n.T("ui.training.row.score", score))
	}
	if completed {
		parts = append(parts, i18n.T("ui.training.row.completed"))
	} else {
		parts = append(parts, i18n.T("ui.training.row.not_completed"))
	}
	return strings.Join(parts, " · ")
}

// assessmentSummary returns an assessment's interest code and the names of
// its dimensions, or a note that the stored profile cannot be read.
func assessmentSummary(a record.Assessment) string {
	p, err := assessment.ParseProfile(a.Profile)
	if err != nil {
		return i18n.T("field.profile") + " ?"
	}
	return i18n.T("trajectory.assessment", p.Code(), codeNames(p))
}

// codeNames returns the names of the dimensions of p's interest code,
// such as 实际型、研究型、常规型.
func codeNames(p assessment.Profile) string {
	locale := i18n.Locale()
	var names []string
	for _, letter := range p.Code() {
		for _, d := range assessment.Dimensions {
			if d.Letter() == string(letter) {
				names = append(names, d.Name(locale))
			}
		}
	}
	return strings.Join(names, i18n.T("assessment.list_separator"))
}

// internKindLabel names an internship kind: 实习, or 体验 for a
// job-experience session. An empty kind reads as a work placement.
func internKindLabel(kind string) string {
	if kind == "" {
		kind = record.InternWork
	}
	return translated("intern_kind.", kind)
}

// translated returns the translation of prefix+code, or the code itself
// when there is none, so unknown codes stay visible.
func translated(prefix, code string) string {
	if code == "" {
		return ""
	}
	if text := i18n.T(prefix + code); text != prefix+code {
		return text
	}
	return code
}

// joinSet joins the non-empty parts with " · ".
func joinSet(parts ...string) string {
	kept := slices.DeleteFunc(parts, func(s string) bool { return s == "" })
	return strings.Join(kept, " · ")
}
