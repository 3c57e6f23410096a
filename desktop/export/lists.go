package export

import (
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/sheet"
)

// QueueRow is one item of the review queue with the texts the screen
// shows for it.
type QueueRow struct {
	Kind      string // the record's kind, marked when it corrects an earlier version
	Person    string
	Summary   string
	Class     string
	Submitted string
}

// ReviewQueue returns the table of the review queue's rows, with the
// columns in the order a row shows its parts.
func ReviewQueue(rows []QueueRow) sheet.Table {
	t := sheet.Table{Sheet: i18n.T("export.review.sheet"), Columns: []sheet.Column{
		{Header: i18n.T("export.review.kind")},
		{Header: i18n.T("export.review.person")},
		{Header: i18n.T("export.review.summary")},
		{Header: i18n.T("export.review.class")},
		{Header: i18n.T("export.review.submitted")},
	}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{r.Kind, r.Person, r.Summary, r.Class, r.Submitted})
	}
	return t
}

// Conflicts returns the table of the conflict list: per item, whose record
// and which field, then each value with the device and time that wrote
// it. The values are as the views hold them, masked unless the views were
// made with reveal set.
func Conflicts(views []display.ConflictView) sheet.Table {
	t := sheet.Table{Sheet: i18n.T("export.conflict.sheet"), Columns: []sheet.Column{
		{Header: i18n.T("export.conflict.heading")},
		{Header: i18n.T("export.conflict.winner")},
		{Header: i18n.T("export.conflict.winner_author")},
		{Header: i18n.T("export.conflict.loser")},
		{Header: i18n.T("export.conflict.loser_author")},
	}}
	for _, v := range views {
		t.Rows = append(t.Rows, []string{v.Heading, v.Winner.Value, v.Winner.Author, v.Loser.Value, v.Loser.Author})
	}
	return t
}
