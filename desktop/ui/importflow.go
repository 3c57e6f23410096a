package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"mobilefactory/desktop/importer"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/i18n"
)

// importExtensions are the file types the import's open dialog lists.
// A legacy .xls file is listed so that the importer can tell the user to
// save it as .xlsx, instead of the dialog hiding it.
var importExtensions = []string{".xlsx", ".xls", ".csv", ".txt", ".tsv"}

// maxRejectedNames bounds the numbered names tried for a rejected-rows
// file before saving gives up.
const maxRejectedNames = 1000

// importKind is one kind of import the window offers: a graduate list for
// the person list, or a class's results for its class page.
type importKind struct {
	title string // title of the dialogs
	// preview reads and checks the file at path without writing.
	preview func(ctx context.Context, path string, opts importer.Options) (*importer.Plan, error)
	// applied runs on the UI goroutine after an import wrote to the store.
	applied func()
	// moduleName returns the name of the programme module with a key, for
	// the result columns of a results file; nil for a graduate list.
	moduleName func(key string) string
}

// personsImport is the import of a graduate list into the person list.
func (w *window) personsImport() importKind {
	return importKind{
		title: i18n.T("ui.import.title"),
		preview: func(ctx context.Context, path string, opts importer.Options) (*importer.Plan, error) {
			return importer.Preview(ctx, w.store, path, opts)
		},
		applied: func() {
			if w.main != nil {
				w.main.persons.refresh()
			}
		},
	}
}

// resultsImport is the import of a results file into the page's class.
func (p *classPage) resultsImport() importKind {
	return importKind{
		title: i18n.T("ui.import.results_title"),
		preview: func(ctx context.Context, path string, opts importer.Options) (*importer.Plan, error) {
			return importer.PreviewResults(ctx, p.w.store, path, p.class.ID, opts)
		},
		applied:    p.load,
		moduleName: p.moduleName,
	}
}

// moduleName returns the name of the class's programme module with key,
// or key itself when the programme has no such module.
func (p *classPage) moduleName(key string) string {
	for _, m := range p.programme.Modules {
		if m.Key == key {
			return display.ModuleName(p.programme, m)
		}
	}
	return key
}

// chooseImportFile shows the open dialog for a spreadsheet and previews
// the chosen file.
func (w *window) chooseImportFile(kind importKind) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		w.openImport(kind, path, nil)
	}, w.win)
	d.SetFilter(storage.NewExtensionFileFilter(importExtensions))
	d.Resize(w.win.Canvas().Size())
	d.Show()
}

// openImport previews the file at path off the UI goroutine and shows the
// preview screen, or the message of a file that cannot be imported. A
// file that lacks a required column still opens the preview when it has
// unknown columns, so that the user can map one by hand. onShown, for
// tests, gets the preview screen once it shows.
func (w *window) openImport(kind importKind, path string, onShown func(*importView)) {
	w.runPreview(kind, path, nil, func(plan *importer.Plan, err error) {
		if errors.Is(err, context.Canceled) {
			return
		}
		if err != nil && !mappable(plan, err) {
			w.showImportError(err)
			return
		}
		v := w.newImportView(kind, path, plan, err)
		v.show()
		if onShown != nil {
			onShown(v)
		}
	})
}

// mappable reports whether a failed preview may still show its columns: a
// missing required column while some column is unknown.
func mappable(plan *importer.Plan, err error) bool {
	return plan != nil && errors.Is(err, importer.ErrMissingColumns) && len(plan.Unknown()) > 0
}

// runPreview runs kind.preview with mapping off the UI goroutine, with a
// progress dialog and 取消 once it runs longer than the window's progress
// delay. done runs on the UI goroutine with the plan and the error, which
// is context.Canceled after 取消.
func (w *window) runPreview(kind importKind, path string, mapping map[string]string, done func(*importer.Plan, error)) {
	ctx, cancel := context.WithCancel(context.Background())
	pr := w.startProgress(kind.title, i18n.T("ui.import.reading"), cancel)
	opts := importer.Options{
		Tables:   w.tables,
		Mapping:  mapping,
		Progress: func(n, total int) { pr.step(w, i18n.T("ui.import.checking", n, total), n, total) },
	}
	w.spawn(func() {
		plan, err := kind.preview(ctx, path, opts)
		cancel()
		w.do(func() {
			pr.finish()
			done(plan, err)
		})
	})
}

// showImportError shows why a file cannot be imported: the importer's
// message for a whole-file error, else the error text.
func (w *window) showImportError(err error) {
	dialog.ShowError(errors.New(importErrorText(err)), w.win)
}

// importErrorText returns the user's message for an error of Preview or
// Apply.
func importErrorText(err error) string {
	var fe *importer.FileError
	if errors.As(err, &fe) {
		return fe.Message()
	}
	return i18n.T("ui.import.failed", err)
}

// rejectedFileBase returns the name, without extension, of the
// rejected-rows file of the file at source: 毕业生名单-被拒绝的行.
func rejectedFileBase(source string) string {
	base := filepath.Base(source)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return i18n.T("ui.import.rejected_name", base)
}

// writeRejectedFree saves the plan's rejected rows in dir as base.xlsx, or
// base-2.xlsx, base-3.xlsx and so on when a file of that name exists, and
// returns the path written. It never overwrites a file, because
// WriteRejected creates the file exclusively.
func writeRejectedFree(plan *importer.Plan, dir, base string) (string, error) {
	for n := 1; n <= maxRejectedNames; n++ {
		name := base + ".xlsx"
		if n > 1 {
			name = fmt.Sprintf("%s-%d.xlsx", base, n)
		}
		path := filepath.Join(dir, name)
		if _, err := os.Lstat(path); err == nil {
			continue
		} else if !os.IsNotExist(err) {
			return "", err
		}
		err := plan.WriteRejected(path)
		if errors.Is(err, os.ErrExist) {
			continue // made by another program since the check above
		}
		return path, err
	}
	return "", errors.New(i18n.T("ui.import.rejected_no_name", base, maxRejectedNames))
}
