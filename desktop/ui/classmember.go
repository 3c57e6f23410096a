package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// maxMemberMatches is how many persons the member search lists at once.
const maxMemberMatches = 50

// memberSearch is the dialog that adds members to a class: a search box
// (name, pinyin initials, student number or the last digits of an ID
// number, as in the person list) and the matches. Choosing a match
// enrols the person as a draft training record; the dialog stays open for
// the next one.
type memberSearch struct {
	page    *classPage
	dialog  *dialog.CustomDialog
	query   *widget.Entry
	list    *widget.List
	results []record.Person
	message *widget.Label
}

func (p *classPage) showMemberSearch() *memberSearch {
	s := &memberSearch{page: p, query: widget.NewEntry(), message: widget.NewLabel("")}
	s.query.SetPlaceHolder(i18n.T("ui.persons.search"))
	s.query.OnChanged = func(text string) {
		// The search index is in memory, so searching on the UI goroutine
		// does no I/O, as in the person list.
		s.results = p.w.store.Search(text, maxMemberMatches)
		s.list.UnselectAll()
		s.list.Refresh()
	}
	s.message.Wrapping = fyne.TextWrapWord
	s.list = widget.NewList(
		func() int { return len(s.results) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.results) {
				o.(*widget.Label).SetText(display.PersonRow(s.results[i]))
			}
		},
	)
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.results) {
			s.add(s.results[i])
		}
	}
	content := container.NewBorder(container.NewVBox(s.query, s.message), nil, nil, nil, s.list)
	s.dialog = dialog.NewCustom(i18n.T("ui.class.add_member"), i18n.T("ui.dialog.close"), content, p.w.win)
	s.dialog.Resize(fyne.NewSize(dialogWidth, 480))
	s.dialog.Show()
	return s
}

// add enrols person in the class unless they are already a member.
func (s *memberSearch) add(person record.Person) {
	p := s.page
	if p.grid != nil {
		for _, r := range p.grid.rows {
			if r.member.Person == person.ID {
				s.showMessage(i18n.T("ui.class.already_member", person.Name), widget.WarningImportance)
				return
			}
		}
	}
	fields := record.Training{Person: person.ID, Programme: p.class.Programme, Class: p.class.ID,
		Review: record.Review{State: record.ReviewDraft}}.Fields()
	p.w.spawn(func() {
		_, err := p.w.store.SaveHistory(record.KindTraining, "", fields)
		l := p.read()
		p.w.do(func() {
			p.show(l)
			if err != nil {
				s.showMessage(i18n.T("ui.records.save_failed", err), widget.DangerImportance)
				return
			}
			s.showMessage(i18n.T("ui.class.member_added", person.Name), widget.SuccessImportance)
		})
	})
}

func (s *memberSearch) showMessage(text string, importance widget.Importance) {
	s.message.Importance = importance
	s.message.SetText(text)
}
