package ui

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/sheet"
)

// employersTab is the 用人单位 tab: the provincial employer directory, for
// every role. Only a central office device may change it.
func (w *window) employersTab() *container.TabItem {
	v := w.newEmployersView()
	v.tab = container.NewTabItem(i18n.T("ui.directory.employers.tab"), v)
	return v.tab
}

// employerRow is an employer with the texts its list row shows and the
// lower-case text a search matches.
type employerRow struct {
	employer record.Employer
	region   string
	nature   string
	industry string
	key      string
}

func newEmployerRow(e record.Employer, tables *codes.Tables) employerRow {
	r := employerRow{employer: e, region: tables.RegionName(e.Region), industry: tables.IndustryName(e.Industry)}
	r.nature = natureName(tables, e.Nature)
	r.key = strings.ToLower(e.Name + "\n" + e.CreditCode + "\n" + r.region + "\n" + e.Region)
	return r
}

// sortByPinyin sorts rows by name as the person list sorts people: by
// full pinyin, then by ULID for a stable order of equal names.
func sortByPinyin(rows []employerRow) {
	keys := make(map[string]string, len(rows))
	for _, r := range rows {
		keys[r.employer.ID] = store.PinyinSortKey(r.employer.Name)
	}
	slices.SortFunc(rows, func(a, b employerRow) int {
		if c := cmp.Compare(keys[a.employer.ID], keys[b.employer.ID]); c != 0 {
			return c
		}
		return cmp.Compare(a.employer.ID, b.employer.ID)
	})
}

// natureName returns the name of an employer nature code in the current
// locale, the code table's Chinese name when the locale has none, or ""
// for an unknown code.
func natureName(tables *codes.Tables, code string) string {
	n, ok := tables.EmployerNature.ByCode(code)
	if !ok {
		return ""
	}
	key := "employer_nature." + code
	if name := i18n.T(key); name != key {
		return name
	}
	return n.Name
}

// text returns the row's text: name, credit code, region and nature.
func (r employerRow) text() string {
	return joinNonEmpty([]string{r.employer.Name, r.employer.CreditCode, r.region, r.nature})
}

// employersView is the content of the 用人单位 tab. It reloads when the tab
// is selected and after each store change.
type employersView struct {
	widget.BaseWidget
	w      *window
	tab    *container.TabItem // nil when the view is not in the window's tabs
	pane   *directoryPane
	all    []employerRow
	shown  []employerRow
	dialog *employerDialog // the dialog opened last, for tests
	match  *matchView      // the 淡季转移 dialog opened last, for tests
}

func (w *window) newEmployersView() *employersView {
	v := &employersView{w: w}
	list := widget.NewList(
		func() int { return len(v.shown) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.shown) {
				o.(*widget.Label).SetText(v.shown[i].text())
			}
		},
	)
	v.pane = w.newDirectoryPane(i18n.T("ui.employers.search"), list, directoryActions{
		addLabel: i18n.T("ui.employers.add"),
		onSearch: v.filter,
		onAdd:    func() { v.dialog = w.showEmployerDialog(record.Employer{}, v.refresh) },
		onEdit: func(i widget.ListItemID) {
			v.dialog = w.showEmployerDialog(v.shown[i].employer, v.refresh)
		},
		onRemove: func(i widget.ListItemID) { v.confirmDelete(v.shown[i].employer) },
		onExport: v.onExport,
	})
	v.pane.addRowAction(i18n.T("ui.match.action.transfer"), theme.MailForwardIcon(), func(i widget.ListItemID) {
		v.match = w.showTransferMatch(v.shown[i].employer)
	})
	v.ExtendBaseWidget(v)
	w.reloadWhileShown(func() *container.TabItem { return v.tab }, v.refresh)
	v.refresh()
	return v
}

func (v *employersView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.pane.content)
}

// refresh reads the employers off the UI goroutine, with their region and
// nature names, and shows those the search matches.
func (v *employersView) refresh() {
	tables := v.w.tables
	v.w.spawn(func() {
		employers, err := v.w.store.Employers()
		rows := make([]employerRow, len(employers))
		for i, e := range employers {
			rows[i] = newEmployerRow(e, tables)
		}
		sortByPinyin(rows)
		v.w.do(func() {
			v.pane.showLoadError(err)
			if err != nil {
				return
			}
			v.all = rows
			v.filter()
		})
	})
}

// filter shows the employers whose name, credit code or region contains
// the search text, ignoring case.
func (v *employersView) filter() {
	v.shown = filterRows(v.pane, v.all, func(r employerRow) string { return r.key }, "ui.employers.count", "ui.employers.count_found")
	v.pane.clearSelection()
	v.pane.list.Refresh()
}

// confirmDelete deletes the employer once the user confirms. An employer
// with open demands stays: those demands would go on being recommended
// under no employer, so the user must close or move them first.
func (v *employersView) confirmDelete(e record.Employer) {
	v.w.spawn(func() {
		open, err := openDemandsOf(v.w.store, e.ID)
		v.w.do(func() {
			switch {
			case err != nil:
				dialog.ShowError(errors.New(i18n.T("ui.directory.delete_failed", err)), v.w.win)
			case open > 0:
				showInformation(i18n.T("ui.employers.delete_title"),
					i18n.T("ui.employers.delete_blocked", e.Name, open), v.w.win)
			default:
				newConfirm(i18n.T("ui.employers.delete_title"), i18n.T("ui.employers.delete_confirm", e.Name),
					i18n.T("ui.directory.delete"), func(ok bool) {
						if ok {
							v.delete(e)
						}
					}, v.w.win).Show()
			}
		})
	})
}

// delete deletes the employer off the UI goroutine and reloads the list.
func (v *employersView) delete(e record.Employer) {
	v.w.spawn(func() {
		err := v.w.store.DeleteEmployer(e.ID)
		v.w.do(func() {
			if err != nil {
				dialog.ShowError(errors.New(i18n.T("ui.directory.delete_failed", err)), v.w.win)
				return
			}
			v.refresh()
		})
	})
}

// openDemandsOf returns the number of the employer's demands still
// recruiting today: not closed and not past their end date.
func openDemandsOf(st *store.Store, employerID string) (int, error) {
	demands, err := st.Demands()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range demands {
		if d.Employer == employerID && d.OpenOn(record.Today()) {
			n++
		}
	}
	return n, nil
}

// onExport exports the employers the search shows.
func (v *employersView) onExport() {
	if len(v.shown) == 0 {
		showInformation(exportTitle("export.list.employers"), i18n.T("ui.export.empty"), v.w.win)
		return
	}
	v.w.exportList("export.list.employers", v.listTable())
}

// listTable returns the builder of the table of the employers shown now.
func (v *employersView) listTable() func() sheet.Table {
	rows := append([]employerRow(nil), v.shown...)
	return func() sheet.Table {
		t := sheet.Table{Sheet: i18n.T("export.list.employers"), Columns: []sheet.Column{
			{Header: i18n.T("export.employers.name")},
			{Header: i18n.T("field.credit_code"), Text: true},
			{Header: i18n.T("field.region")},
			{Header: i18n.T("field.industry")},
			{Header: i18n.T("field.nature")},
			{Header: i18n.T("field.contact")},
			{Header: i18n.T("field.contact_phone"), Text: true},
		}}
		for _, r := range rows {
			e := r.employer
			t.Rows = append(t.Rows, []string{e.Name, e.CreditCode, r.region, r.industry, r.nature, e.Contact, e.ContactPhone})
		}
		return t
	}
}

// joinNonEmpty joins the non-empty parts with two spaces, as list rows
// separate their parts.
func joinNonEmpty(parts []string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "  ")
}
