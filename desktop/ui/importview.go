package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/importer"
	"mobilefactory/shared/i18n"
)

// importFilters are the outcome filters of the preview's row list, in the
// order its select lists them. The first, -1, shows every row.
var importFilters = []importer.Outcome{-1, importer.OutcomeAdd, importer.OutcomeUpdate, importer.OutcomeSkip, importer.OutcomeReject}

// importView is the preview screen of an import: the file, the counts, the
// columns with their mapping, the rows by outcome, the mode and 导入.
type importView struct {
	w    *window
	kind importKind
	path string
	// mapping holds the columns mapped on this screen: header → field, ""
	// to ignore the column.
	mapping     map[string]string
	plan        *importer.Plan
	blocked     string // the message that blocks 导入, such as a missing column, or ""
	visibleRows []int  // indexes into plan.Rows of the rows the filter shows

	dialog       *dialog.CustomDialog
	source       *widget.Label
	counts       *widget.Label
	warnings     *widget.Label // the importer's warnings about the whole file
	problem      *widget.Label // blocked, in red
	hint         *widget.Label // the note on hand mappings, for a graduate list
	columns      *fyne.Container
	columnRows   []columnRow // the lines of columns, updated in place by a new preview
	filter       *canvasSelect
	rows         *widget.List
	detail       *widget.Label // the full detail of the selected row
	mode         *widget.RadioGroup
	importButton *widget.Button
	saveRejected *widget.Button
	message      *widget.Label
	progress     *progressDialog // the dialog of the last write, for tests

	// onApplyProgress, for tests, runs after each progress report of the
	// write, on the goroutine that writes.
	onApplyProgress func(done, total int)
}

// newImportView makes the preview screen of plan, the preview of the file
// at path. err is the preview's error when plan lacks a required column.
func (w *window) newImportView(kind importKind, path string, plan *importer.Plan, err error) *importView {
	v := &importView{w: w, kind: kind, path: path, mapping: map[string]string{}}

	v.source = widget.NewLabel("")
	v.source.Truncation = fyne.TextTruncateEllipsis
	v.counts = boldLabel("")
	v.warnings = widget.NewLabel("")
	v.warnings.Importance = widget.WarningImportance
	v.warnings.Wrapping = fyne.TextWrapWord
	v.problem = widget.NewLabel("")
	v.problem.Importance = widget.DangerImportance
	v.problem.Wrapping = fyne.TextWrapWord

	v.columns = container.NewVBox()
	v.hint = widget.NewLabel(i18n.T("ui.import.mapping_hint"))
	v.hint.Wrapping = fyne.TextWrapWord
	v.hint.Importance = widget.LowImportance
	columnsPane := container.NewBorder(container.NewVBox(boldLabel(i18n.T("ui.import.columns")), v.hint), nil, nil, nil,
		container.NewVScroll(v.columns))

	v.filter = newCanvasSelect(w.win.Canvas(), filterLabels(), func(string) { v.applyFilter() })
	v.rows = widget.NewList(func() int { return len(v.visibleRows) }, newImportRow, v.updateImportRow)
	v.rows.OnSelected = v.onRowSelected
	v.detail = widget.NewLabel(i18n.T("ui.import.detail_hint"))
	v.detail.Wrapping = textWrapping()
	// The detail of the selected row scrolls in the lower part, so a long
	// list of reasons never squeezes the rows to one or two lines.
	rowsAndDetail := container.NewVSplit(v.rows, container.NewVScroll(v.detail))
	rowsAndDetail.Offset = 0.72
	rowsPane := container.NewBorder(container.NewHBox(widget.NewLabel(i18n.T("ui.import.filter")), v.filter), nil, nil, nil, rowsAndDetail)

	split := container.NewHSplit(columnsPane, rowsPane)
	split.Offset = 0.3
	if plan.Kind != importer.KindPersons {
		// A results file's columns need no field selects, and its rows
		// carry long reasons, so the rows get most of the width.
		split.Offset = 0.22
	}

	v.mode = widget.NewRadioGroup([]string{i18n.T("ui.import.mode.valid_rows"), i18n.T("ui.import.mode.all_or_nothing")}, nil)
	v.mode.Required = true
	v.mode.SetSelected(i18n.T("ui.import.mode.valid_rows"))
	v.importButton = widget.NewButtonWithIcon(i18n.T("ui.import.apply"), theme.ConfirmIcon(), v.onImport)
	v.importButton.Importance = widget.HighImportance
	v.saveRejected = widget.NewButtonWithIcon(i18n.T("ui.import.save_rejected"), theme.DocumentSaveIcon(), v.onSaveRejected)
	v.message = widget.NewLabel("")
	v.message.Wrapping = textWrapping()

	top := container.NewVBox(v.source, v.warnings, v.counts, v.problem)
	bottom := container.NewVBox(v.mode, v.message, container.NewHBox(v.importButton, v.saveRejected))
	content := container.NewBorder(top, bottom, nil, nil, split)

	// Mouse movement over the dialog counts as activity for the idle
	// lock, which otherwise observes only the window content under it.
	v.dialog = dialog.NewCustomWithoutButtons(kind.title, newActivityWatcher(content, w.touch), w.win)
	v.dialog.SetButtons([]fyne.CanvasObject{widget.NewButton(i18n.T("ui.dialog.close"), v.dialog.Hide)})
	v.setPlan(plan, err)
	v.filter.SetSelected(filterLabels()[0])
	return v
}

// show shows the screen sized to most of the window.
func (v *importView) show() {
	size := v.w.win.Canvas().Size()
	v.dialog.Resize(fyne.NewSize(size.Width*0.92, size.Height*0.92))
	v.dialog.Show()
}

// filterLabels returns the texts of importFilters.
func filterLabels() []string {
	out := []string{i18n.T("ui.import.filter.all")}
	for _, o := range importFilters[1:] {
		out = append(out, outcomeLabel(o))
	}
	return out
}

// outcomeLabel returns the name of an outcome: 新增, 更新, 跳过 or 拒绝.
func outcomeLabel(o importer.Outcome) string {
	switch o {
	case importer.OutcomeAdd:
		return i18n.T("ui.import.outcome.add")
	case importer.OutcomeUpdate:
		return i18n.T("ui.import.outcome.update")
	case importer.OutcomeSkip:
		return i18n.T("ui.import.outcome.skip")
	default:
		return i18n.T("ui.import.outcome.reject")
	}
}

// setPlan shows a new preview. err is the preview's error when plan lacks
// a required column, which blocks 导入 until a column is mapped.
func (v *importView) setPlan(plan *importer.Plan, err error) {
	v.plan = plan
	v.blocked = ""
	if err != nil {
		v.blocked = importErrorText(err)
	}

	where := plan.Encoding
	if len(plan.Sheets) > 0 {
		where = i18n.T("ui.import.sheet", plan.Sheets[0])
		if len(plan.Sheets) > 1 {
			quoted := make([]string, len(plan.Sheets))
			for i, name := range plan.Sheets {
				quoted[i] = i18n.T("ui.import.sheet_quoted", name)
			}
			where = i18n.T("ui.import.sheets", strings.Join(quoted, i18n.T("ui.import.sheet_separator")))
		}
	} else if plan.Sheet != "" {
		where = i18n.T("ui.import.sheet", plan.Sheet)
	}
	v.source.SetText(i18n.T("ui.import.source", filepath.Base(v.path), where))
	v.counts.SetText(i18n.T("ui.import.counts", plan.Add, plan.Update, plan.Skip, plan.Reject))
	v.warnings.SetText(strings.Join(plan.Warnings, "\n"))
	if len(plan.Warnings) == 0 {
		v.warnings.Hide()
	} else {
		v.warnings.Show()
	}
	v.problem.SetText(v.blocked)
	if v.blocked == "" {
		v.problem.Hide()
	} else {
		v.problem.Show()
	}
	if plan.Kind == importer.KindPersons {
		v.hint.Show()
	} else {
		v.hint.Hide()
	}
	v.buildColumns()
	v.applyFilter()
	v.updateButtons()
}

// updateButtons enables 导入 for a plan that can be imported and shows
// 保存被拒绝的行 when rows were rejected.
func (v *importView) updateButtons() {
	if v.blocked != "" || len(v.plan.Rows) == 0 {
		v.importButton.Disable()
	} else {
		v.importButton.Enable()
	}
	if v.plan.Reject > 0 {
		v.saveRejected.Show()
	} else {
		v.saveRejected.Hide()
	}
}

// columnRow is one line of the column pane: the header and either the
// field of an automatic mapping, a note that the column is ignored, or the
// select of the field.
type columnRow struct {
	key   string // the header and the kind of line, to tell whether a new preview can reuse the line
	box   *fyne.Container
	value *widget.Label // the mapped field or the note, nil for a select
	sel   *canvasSelect // the field select, nil for a label
}

// buildColumns lists the file's columns: an automatic mapping as text, a
// column mapped by hand or not at all with a select of the fields. When a
// new preview lists the same columns in the same way, the lines are
// updated in place, so a select the user may be tapping stays in the
// window.
func (v *importView) buildColumns() {
	var listed []importer.Column
	var keys []string
	for _, c := range v.plan.Columns {
		if !c.Silent {
			listed = append(listed, c)
			keys = append(keys, c.Header+"\x00"+v.columnKind(c))
		}
	}
	if sameKeys(v.columnRows, keys) {
		for i, c := range listed {
			v.updateColumnRow(v.columnRows[i], c)
		}
		return
	}

	v.columns.RemoveAll()
	v.columnRows = v.columnRows[:0]
	for i, c := range listed {
		header := widget.NewLabel(c.Header)
		header.Truncation = fyne.TextTruncateEllipsis
		row := columnRow{key: keys[i]}
		var right fyne.CanvasObject
		switch v.columnKind(c) {
		case "select":
			row.sel = v.newFieldSelect(c)
			right = row.sel
		case "ignored":
			row.value = widget.NewLabel(i18n.T("ui.import.unknown_column"))
			row.value.Importance = widget.WarningImportance
			right = row.value
		default:
			row.value = widget.NewLabel("")
			right = row.value
		}
		row.box = container.NewGridWithColumns(2, header, right)
		v.updateColumnRow(row, c)
		v.columnRows = append(v.columnRows, row)
		v.columns.Add(row.box)
	}
	v.columns.Refresh()
}

// columnKind returns how the column pane shows a column: "auto" for an
// automatic mapping, "ignored" for an unknown column of a file that takes
// no hand mapping, else "select".
func (v *importView) columnKind(c importer.Column) string {
	switch {
	case c.Auto:
		return "auto"
	case v.plan.Kind != importer.KindPersons:
		// Only a graduate list takes a hand mapping, so another file's
		// unknown column is listed as ignored.
		return "ignored"
	default:
		return "select"
	}
}

// updateColumnRow shows the mapping of c in row.
func (v *importView) updateColumnRow(row columnRow, c importer.Column) {
	switch {
	case row.sel != nil:
		row.sel.setSelectedQuietly(v.selectedField(c))
	case c.Auto:
		row.value.SetText("→ " + v.fieldLabel(c.Field))
	}
}

// sameKeys reports whether rows are the lines of the columns keys names.
func sameKeys(rows []columnRow, keys []string) bool {
	if len(rows) != len(keys) {
		return false
	}
	for i, r := range rows {
		if r.key != keys[i] {
			return false
		}
	}
	return true
}

// fieldLabel returns the name of a column's field: 姓名 for a person
// field, 软件测试基础 出勤 or 软件测试基础 成绩 for a module's attendance or
// score in a results file.
func (v *importView) fieldLabel(field string) string {
	kind, module, ok := strings.Cut(field, ":")
	if !ok {
		return importer.FieldLabel(field)
	}
	name := module
	if v.kind.moduleName != nil {
		name = v.kind.moduleName(module)
	}
	if kind == "score" {
		return i18n.T("import.results.change.score", name)
	}
	return i18n.T("import.results.change.attended", name)
}

// selectedField returns the option a column's select shows: its field,
// 忽略 for a column ignored by hand, else "" for the placeholder 未识别.
func (v *importView) selectedField(c importer.Column) string {
	if c.Field != "" {
		return importer.FieldLabel(c.Field)
	}
	// Ignored by hand now, or in an earlier import of the same columns.
	if field, ok := v.mapping[c.Header]; (ok && field == "") || v.plan.IgnoredByHand(c) {
		return i18n.T("ui.import.ignore")
	}
	return ""
}

// newFieldSelect makes the select of a column's field. Choosing one
// previews the file again with the column mapped so.
func (v *importView) newFieldSelect(c importer.Column) *canvasSelect {
	fields := importer.MappableFields()
	labels := []string{i18n.T("ui.import.ignore")}
	for _, f := range fields {
		labels = append(labels, importer.FieldLabel(f))
	}
	sel := newCanvasSelect(v.w.win.Canvas(), labels, nil)
	sel.PlaceHolder = i18n.T("ui.import.unknown_column")
	header := c.Header
	sel.OnChanged = func(string) {
		field := ""
		if i := sel.SelectedIndex(); i > 0 {
			field = fields[i-1]
		}
		v.mapColumn(header, field)
	}
	return sel
}

// mapColumn maps the column with header to field ("" to ignore it) and
// previews the file again in the background.
func (v *importView) mapColumn(header, field string) {
	previous, hadPrevious := v.mapping[header]
	v.mapping[header] = field
	mapping := make(map[string]string, len(v.mapping))
	for h, f := range v.mapping {
		mapping[h] = f
	}
	v.message.SetText("")
	v.importButton.Disable()
	v.w.runPreview(v.kind, v.path, mapping, func(plan *importer.Plan, err error) {
		if plan != nil && (err == nil || errors.Is(err, importer.ErrMissingColumns)) {
			v.setPlan(plan, err)
			return
		}
		if !errors.Is(err, context.Canceled) {
			v.message.SetText(importErrorText(err))
		}
		// The selects go back to the mapping of the plan shown.
		if hadPrevious {
			v.mapping[header] = previous
		} else {
			delete(v.mapping, header)
		}
		v.buildColumns()
		v.updateButtons()
	})
}

// applyFilter lists the rows whose outcome the filter selects.
func (v *importView) applyFilter() {
	want := importer.Outcome(-1)
	if i := v.filter.SelectedIndex(); i > 0 {
		want = importFilters[i]
	}
	v.visibleRows = v.visibleRows[:0]
	for i, r := range v.plan.Rows {
		if want < 0 || r.Outcome == want {
			v.visibleRows = append(v.visibleRows, i)
		}
	}
	v.rows.UnselectAll()
	v.detail.SetText(i18n.T("ui.import.detail_hint"))
	v.rows.Refresh()
}

// newImportRow makes a row of the preview list: one line, cut with an
// ellipsis, because the full detail shows below the list.
func newImportRow() fyne.CanvasObject {
	label := widget.NewLabel("")
	label.Truncation = fyne.TextTruncateEllipsis
	return label
}

func (v *importView) updateImportRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(v.visibleRows) {
		return
	}
	r := v.plan.Rows[v.visibleRows[i]]
	text := v.rowHeading(r)
	if detail := v.rowDetail(r); detail != "" {
		text += "  " + strings.ReplaceAll(detail, "\n", "；")
	}
	o.(*widget.Label).SetText(text)
}

func (v *importView) onRowSelected(i widget.ListItemID) {
	if i >= len(v.visibleRows) {
		return
	}
	r := v.plan.Rows[v.visibleRows[i]]
	text := v.rowHeading(r)
	if detail := v.rowDetail(r); detail != "" {
		text += "\n" + detail
	}
	v.detail.SetText(text)
}

// onImport writes the plan in the background with the chosen mode.
func (v *importView) onImport() {
	mode := importer.ModeValidRows
	if v.mode.Selected == i18n.T("ui.import.mode.all_or_nothing") {
		mode = importer.ModeAllOrNothing
	}
	plan := v.plan
	ctx, cancel := context.WithCancel(context.Background())
	pr := v.w.startProgress(v.kind.title, i18n.T("ui.import.saving_wait"), cancel)
	v.progress = pr
	v.importButton.Disable()
	v.message.SetText("")
	v.w.spawn(func() {
		res, err := plan.Apply(ctx, v.w.store, mode, func(n, total int) {
			pr.step(v.w, i18n.T("ui.import.saving", n, total), n, total)
			if v.onApplyProgress != nil {
				v.onApplyProgress(n, total)
			}
		})
		cancel()
		v.w.do(func() {
			pr.finish()
			v.showApplied(res, err)
		})
	})
}

// showApplied shows the outcome of a write under the buttons.
func (v *importView) showApplied(res importer.Result, err error) {
	switch {
	case err == nil:
		v.message.Importance = widget.SuccessImportance
		v.message.SetText(i18n.T("ui.import.done", res.Imported, res.Updated, res.Unchanged, res.Rejected))
		if v.kind.applied != nil {
			v.kind.applied()
		}
		return // 导入 stays disabled: the plan is written
	case errors.Is(err, context.Canceled):
		v.message.Importance = widget.WarningImportance
		v.message.SetText(i18n.T("ui.import.cancelled"))
		v.importButton.Enable()
	case errors.Is(err, importer.ErrRejectedRows):
		v.message.Importance = widget.DangerImportance
		v.message.SetText(i18n.T("ui.import.all_or_nothing_rejected", v.plan.Reject))
		v.importButton.Enable()
	default:
		// A stale plan stays disabled, and its message requests a new preview.
		v.message.Importance = widget.DangerImportance
		v.message.SetText(importErrorText(err))
	}
	v.message.Refresh()
}

// onSaveRejected prompts for a folder and saves the rejected rows there.
// It prompts for a folder, not a file, because Fyne's save dialog empties
// the chosen file before the program can check it.
func (v *importView) onSaveRejected() {
	v.w.showFolderPrompt(func(dir string) { v.saveRejectedIn(dir, nil) })
}

// saveRejectedIn writes the rejected rows into dir off the UI goroutine
// and shows the path. onDone, for tests, gets the path and the error.
func (v *importView) saveRejectedIn(dir string, onDone func(string, error)) {
	plan, base := v.plan, rejectedFileBase(v.path)
	v.w.spawn(func() {
		path, err := writeRejectedFree(plan, dir, base)
		v.w.do(func() {
			if err != nil {
				v.message.Importance = widget.DangerImportance
				v.message.SetText(i18n.T("ui.import.rejected_failed", importErrorText(err)))
			} else {
				v.message.Importance = widget.MediumImportance
				v.message.SetText(i18n.T("ui.import.rejected_saved", path))
			}
			v.message.Refresh()
			if onDone != nil {
				onDone(path, err)
			}
		})
	})
}

// textWrapping returns how long labels wrap in the current locale. Fyne
// breaks TextWrapWord lines only at spaces, so Chinese text, which has
// none, breaks at the few spaces around numbers and leaves short lines;
// TextWrapBreak breaks it at any character.
func textWrapping() fyne.TextWrap {
	if i18n.Locale() == i18n.Chinese {
		return fyne.TextWrapBreak
	}
	return fyne.TextWrapWord
}
