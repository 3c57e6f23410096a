package ui

import (
	"errors"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// classGrid is the results grid of a class: one row per member, two
// entries per module (出勤学时, 成绩), and the computed columns 已通过模块,
// 总学时, 平均分 and 是否结业, which follow every keystroke. It is a plain
// table of entries, 400 for 40 members of a 5-module programme, one line
// high per member, and a keystroke recomputes its own row only.
type classGrid struct {
	programme record.Programme
	rows      []*gridRow
	content   fyne.CanvasObject
	onChange  func() // runs after any cell changes
}

// gridRow is one member's row.
type gridRow struct {
	grid     *classGrid
	member   record.Training
	name     string
	cells    []gridCells
	computed [computedColumns]*widget.Label
	original string // the stored results, encoded, to tell a changed row
	results  record.Results
	errs     []*validate.Error
}

// gridCells are one module's attendance and score entries in a row.
type gridCells struct {
	attended *widget.Entry
	score    *widget.Entry
}

// computedColumns are the grid's computed columns: modules passed as X/Y,
// total hours, average score and completion, as display.CompletionCells
// returns them.
const computedColumns = 4

// newClassGrid builds the grid. typed holds, keyed by training record id,
// the cells of rows changed and not saved in the grid this one replaces, so
// that a reload after adding a member keeps what was typed.
func newClassGrid(p record.Programme, members []record.Training, names map[string]string,
	typed map[string][]display.CellInput, onChange func()) *classGrid {
	g := &classGrid{programme: p, onChange: onChange}
	var cells []fyne.CanvasObject

	// The heading row: each module's name over what its two entries hold,
	// with the module's hours and pass mark.
	cells = append(cells, boldLabel(i18n.T("ui.grid.member")))
	for _, m := range p.Modules {
		cells = append(cells, container.NewVBox(boldLabel(display.ModuleName(p, m)),
			container.NewGridWithColumns(2, smallLabel(i18n.T("ui.grid.attended_of", m.Hours)),
				smallLabel(i18n.T("ui.grid.score_pass", m.PassMark)))))
	}
	for _, key := range []string{"ui.grid.passed", "ui.grid.hours", "ui.grid.average", "ui.grid.completed"} {
		cells = append(cells, boldLabel(i18n.T(key)))
	}

	for _, member := range members {
		row := g.newRow(member, names[member.Person], typed[member.ID])
		cells = append(cells, widget.NewLabel(row.name))
		for _, c := range row.cells {
			cells = append(cells, container.NewGridWithColumns(2, c.attended, c.score))
		}
		for _, l := range row.computed {
			cells = append(cells, l)
		}
		g.rows = append(g.rows, row)
	}
	g.content = container.New(&tableLayout{columns: 1 + len(p.Modules) + computedColumns}, cells...)
	return g
}

func smallLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	return l
}

func (g *classGrid) newRow(member record.Training, name string, typed []display.CellInput) *gridRow {
	row := &gridRow{grid: g, member: member, name: name, original: encodeResults(member.Results)}
	for i := range row.computed {
		row.computed[i] = widget.NewLabel("")
	}
	for _, m := range g.programme.Modules {
		result, ok := member.Results[m.Key]
		c := gridCells{attended: widget.NewEntry(), score: widget.NewEntry()}
		c.attended.SetText(display.CellText(result, ok, false))
		c.score.SetText(display.CellText(result, ok, true))
		if i := len(row.cells); i < len(typed) {
			c.attended.SetText(typed[i].Attended)
			c.score.SetText(typed[i].Score)
		}
		c.attended.Validator = row.cellValidator(m, false)
		c.score.Validator = row.cellValidator(m, true)
		c.attended.OnChanged = func(string) { row.recompute(); g.onChange() }
		c.score.OnChanged = func(string) { row.recompute(); g.onChange() }
		row.cells = append(row.cells, c)
	}
	row.recompute()
	return row
}

// cellValidator marks an entry whose text the grid cannot take.
func (r *gridRow) cellValidator(m record.Module, score bool) func(string) error {
	return func(text string) error {
		if _, err := display.ParseCell(r.name, r.grid.programme, m, score, text); err != nil {
			return errors.New(i18n.T(err.Key, err.Args...))
		}
		return nil
	}
}

func (r *gridRow) inputs() []display.CellInput {
	inputs := make([]display.CellInput, len(r.cells))
	for i, c := range r.cells {
		inputs[i] = display.CellInput{Attended: c.attended.Text, Score: c.score.Text}
	}
	return inputs
}

// recompute reads the row's cells and updates its computed columns.
func (r *gridRow) recompute() {
	r.results, r.errs = display.ParseGridRow(r.name, r.grid.programme, r.inputs())
	texts := display.CompletionCells(record.Complete(r.grid.programme, r.results))
	for i, l := range r.computed {
		l.SetText(texts[i])
	}
}

// changed reports whether the row's results differ from the stored ones.
func (r *gridRow) changed() bool { return encodeResults(r.results) != r.original }

// typed returns the cells of the rows changed and not saved, keyed by
// training record id. An invalid row counts as changed.
func (g *classGrid) typed() map[string][]display.CellInput {
	out := map[string][]display.CellInput{}
	for _, r := range g.rows {
		if r.changed() || len(r.errs) > 0 {
			out[r.member.ID] = r.inputs()
		}
	}
	return out
}

// shows reports whether the grid already shows these members' stored
// versions and review states, in this order and under these names, for
// this programme.
func (g *classGrid) shows(p record.Programme, members []record.Training, names map[string]string) bool {
	if g.programme.ID != p.ID || len(g.rows) != len(members) || !slices.Equal(g.programme.Modules, p.Modules) {
		return false
	}
	for i, r := range g.rows {
		// A review changes the record in place, so its id stays the same.
		if r.member.ID != members[i].ID || r.member.Review != members[i].Review || r.name != names[members[i].Person] {
			return false
		}
	}
	return true
}

// errors returns every invalid cell's error, row by row.
func (g *classGrid) errors() []*validate.Error {
	var out []*validate.Error
	for _, r := range g.rows {
		out = append(out, r.errs...)
	}
	return out
}

func encodeResults(r record.Results) string {
	if len(r) == 0 {
		return ""
	}
	return r.Encode()
}
