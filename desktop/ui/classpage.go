package ui

import (
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// maxGridErrorsShown is how many invalid cells the grid's message names
// before it gives only the count of the rest.
const maxGridErrorsShown = 5

// classPage is a class's page in the 培训 tab: its members, the button
// that adds one, and the results grid with its save choice.
type classPage struct {
	w         *window
	class     record.Class
	programme record.Programme
	content   fyne.CanvasObject
	heading   *widget.Label
	titleRow  *fyne.Container   // the heading and the dates
	body      *fyne.Container   // holds the grid once loaded
	scroll    *container.Scroll // scrolls the body
	grid      *classGrid        // nil until loaded
	addMember *widget.Button
	// importResults reads the class's attendance and scores from a file.
	importResults *widget.Button
	mode          *widget.RadioGroup
	save          *widget.Button
	message       *widget.Label
	search        *memberSearch // the last member search opened, for tests

	// reads numbers each read of the store in the order it starts, and
	// shownRead is the number of the read the page shows. A read that
	// started before the one shown, such as a reload that a save's first
	// write set off, is dropped when it finishes later.
	reads     atomic.Int64
	shownRead int64
}

func (w *window) newClassPage(c record.Class) *classPage {
	p := &classPage{w: w, class: c, body: container.NewStack()}
	p.heading = boldLabel(c.Title)
	dates := widget.NewLabel(i18n.T("ui.internship.row.period", display.Date(c.Start), display.Date(c.End)))
	p.addMember = widget.NewButtonWithIcon(i18n.T("ui.class.add_member"), theme.ContentAddIcon(), func() {
		p.search = p.showMemberSearch()
	})
	p.importResults = widget.NewButtonWithIcon(i18n.T("ui.import.results_button"), theme.UploadIcon(), func() {
		w.chooseImportFile(p.resultsImport())
	})
	p.mode = widget.NewRadioGroup([]string{i18n.T("ui.grid.mode.draft"), i18n.T("ui.grid.mode.submit")}, nil)
	p.mode.Horizontal = true
	p.mode.Required = true
	p.mode.SetSelected(i18n.T("ui.grid.mode.draft"))
	p.save = widget.NewButtonWithIcon(i18n.T("ui.grid.save"), theme.DocumentSaveIcon(), p.onSave)
	p.save.Importance = widget.HighImportance
	p.save.Disable()
	p.message = widget.NewLabel("")
	p.message.Wrapping = fyne.TextWrapWord

	p.titleRow = container.NewHBox(p.heading, dates)
	top := container.NewVBox(p.titleRow, container.NewHBox(p.addMember, p.importResults, p.mode, p.save))
	// The message goes below the grid: lines added there shorten the
	// scroll area from the bottom and leave every cell where it was, so a
	// click aimed while an error appears still lands on its cell.
	p.scroll = container.NewScroll(p.body)
	p.content = container.NewBorder(top, p.message, nil, nil, p.scroll)
	p.load()
	return p
}

// classLoad is the data a class page reads from the store.
type classLoad struct {
	read      int64 // the number of the read, from classPage.reads
	programme record.Programme
	members   []record.Training
	names     map[string]string // person id → name
	err       error
}

// load reads the programme and the members off the UI goroutine and then
// rebuilds the grid, keeping what was typed and not saved.
func (p *classPage) load() {
	p.w.spawn(func() {
		l := p.read()
		p.w.do(func() { p.show(l) })
	})
}

func (p *classPage) read() classLoad {
	l := classLoad{read: p.reads.Add(1)}
	if l.programme, l.err = p.w.store.Programme(p.class.Programme); l.err != nil {
		return l
	}
	if l.members, l.err = p.w.store.ClassMembers(p.class.ID); l.err != nil {
		return l
	}
	l.names = map[string]string{}
	for _, m := range l.members {
		person, err := p.w.store.Person(m.Person)
		if err != nil || person.Name == "" {
			l.names[m.Person] = i18n.T("ui.grid.unknown_member")
			continue
		}
		l.names[m.Person] = person.Name
	}
	slices.SortStableFunc(l.members, func(a, b record.Training) int {
		return strings.Compare(l.names[a.Person], l.names[b.Person])
	})
	return l
}

// show puts a read's members in the grid. A roster that differs from the
// one shown clears the message, which was about the old roster.
func (p *classPage) show(l classLoad) {
	if l.read < p.shownRead {
		return
	}
	p.shownRead = l.read
	if l.err != nil {
		p.showMessage(i18n.T("ui.records.load_failed", l.err), widget.DangerImportance)
		return
	}
	p.programme = l.programme
	p.heading.SetText(i18n.T("ui.class.heading", p.class.Title, display.ProgrammeTitle(l.programme), len(l.members)))
	// The longer heading moves the dates to the right.
	p.titleRow.Refresh()
	if len(l.members) == 0 {
		if p.grid != nil {
			p.showMessage("", widget.MediumImportance)
		}
		p.grid = nil
		p.body.Objects = []fyne.CanvasObject{widget.NewLabel(i18n.T("ui.class.no_members"))}
		p.body.Refresh()
		p.save.Disable()
		return
	}
	if p.grid != nil && p.grid.shows(l.programme, l.members, l.names) {
		// A store change elsewhere, such as another class's save or a
		// pulled person, leaves this grid as it is, with the focus and
		// what was typed.
		return
	}
	var typed map[string][]display.CellInput
	if p.grid != nil && p.grid.programme.ID == l.programme.ID {
		typed = p.grid.typed()
	}
	p.showMessage("", widget.MediumImportance)
	p.grid = newClassGrid(l.programme, l.members, l.names, typed, p.onGridChange)
	p.body.Objects = []fyne.CanvasObject{p.grid.content}
	p.body.Refresh()
	p.save.Enable()
	if errs := p.grid.errors(); len(errs) > 0 {
		// Invalid cells typed before the reload are still in the grid.
		p.showMessage(gridErrorText(errs), widget.DangerImportance)
	}
}

// reopen clears the message and reloads the members, for a user who comes
// back to the class: a message about an earlier save is stale by then.
func (p *classPage) reopen() {
	p.showMessage("", widget.MediumImportance)
	p.load()
}

// onGridChange names the invalid cells while the user types, and clears
// the message once they are fixed.
func (p *classPage) onGridChange() {
	if errs := p.grid.errors(); len(errs) > 0 {
		p.showMessage(gridErrorText(errs), widget.DangerImportance)
		return
	}
	p.showMessage("", widget.MediumImportance)
}

func gridErrorText(errs []*validate.Error) string {
	lines := []string{i18n.T("ui.grid.invalid", len(errs))}
	for _, e := range errs[:min(len(errs), maxGridErrorsShown)] {
		lines = append(lines, i18n.T(e.Key, e.Args...))
	}
	if n := len(errs) - maxGridErrorsShown; n > 0 {
		lines = append(lines, i18n.T("ui.grid.invalid_more", n))
	}
	return strings.Join(lines, "\n")
}

func (p *classPage) showMessage(text string, importance widget.Importance) {
	p.message.Importance = importance
	p.message.SetText(text)
}

// gridWrite is one row to store: the member's record to supersede and its
// new fields.
type gridWrite struct {
	id     string
	name   string
	fields map[string]string
}

// onSave stores the rows whose results changed as new versions of their
// training records, as drafts or submitted for review per the choice.
// Submitting also stores the unchanged rows that are still drafts or were
// returned, so one click submits the whole class. Nothing is stored while
// a cell is invalid. A row with no attendance or score at all is not
// submitted, because a reviewer would only see "0 modules passed". The
// message names those members, and the other rows are still stored.
func (p *classPage) onSave() {
	if p.grid == nil {
		return
	}
	if errs := p.grid.errors(); len(errs) > 0 {
		p.showMessage(gridErrorText(errs), widget.DangerImportance)
		return
	}
	submit := p.mode.Selected == i18n.T("ui.grid.mode.submit")
	date := p.class.End
	if date == "" {
		date = p.w.now().Format(time.DateOnly)
	}
	var writes []gridWrite
	var blank []string // members not submitted because nothing was entered
	for _, r := range p.grid.rows {
		state := r.member.Review.Current()
		resubmit := submit && (state == record.ReviewDraft || state == record.ReviewReturned)
		if !r.changed() && !resubmit {
			continue
		}
		if submit && len(r.results) == 0 {
			blank = append(blank, r.name)
			continue
		}
		writes = append(writes, gridWrite{id: r.member.ID, name: r.name,
			fields: gridFields(r.member, p.grid.programme, r.results, date, submit)})
	}
	blankText := ""
	if len(blank) > 0 {
		blankText = i18n.T("ui.grid.blank_not_submitted", strings.Join(blank, "、"))
	}
	if len(writes) == 0 {
		if blankText != "" {
			p.showMessage(blankText, widget.DangerImportance)
			return
		}
		p.showMessage(i18n.T("ui.grid.nothing_changed"), widget.MediumImportance)
		return
	}
	names := make([]string, len(writes))
	for i, wr := range writes {
		names[i] = wr.name
	}

	p.save.Disable()
	p.w.spawn(func() {
		var failed []string
		var firstErr error
		for _, wr := range writes {
			if _, err := p.w.store.SaveHistory(record.KindTraining, wr.id, wr.fields); err != nil {
				failed = append(failed, wr.name)
				if firstErr == nil {
					firstErr = err
				}
			}
		}
		l := p.read()
		p.w.do(func() {
			p.show(l)
			if firstErr != nil {
				text := i18n.T("ui.grid.save_failed", strings.Join(failed, "、"), firstErr)
				if blankText != "" {
					text += "\n" + blankText
				}
				p.showMessage(text, widget.DangerImportance)
				return
			}
			key := "ui.grid.saved_draft"
			if submit {
				key = "ui.grid.saved_submitted"
			}
			if blankText != "" {
				p.showMessage(i18n.T(key, len(writes), strings.Join(names, "、"))+"\n"+blankText, widget.WarningImportance)
				return
			}
			p.showMessage(i18n.T(key, len(writes), strings.Join(names, "、")), widget.SuccessImportance)
		})
	})
}

// gridFields returns the fields of a member's new training version: the
// results with the hours, average score and completion they add up to.
func gridFields(member record.Training, p record.Programme, results record.Results, date string, submit bool) map[string]string {
	c := record.Complete(p, results)
	t := record.Training{Person: member.Person, Programme: member.Programme, Class: member.Class,
		Results: results, Hours: c.Hours, Completed: c.Completed, Date: date}
	if t.Programme == "" {
		t.Programme = p.ID
	}
	if c.Average >= 0 {
		t.Score = strconv.Itoa(c.Average)
	}
	if !submit {
		t.Review.State = record.ReviewDraft
	}
	return t.Fields()
}
