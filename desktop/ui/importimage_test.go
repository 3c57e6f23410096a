package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"mobilefactory/shared/access"
	"mobilefactory/shared/demo"
)

// TestImportPreviewImage renders the preview of the READMEs' example list
// against the demo's sample person, as docs/import-preview.png shows it:
// the warning-free counts, the unknown 备注 column with its Select, and the
// first rejected row's reasons.
func TestImportPreviewImage(t *testing.T) {
	st := openStoreAs(t, string(access.Clerk))
	sample := demo.Generate(demo.Options{People: 10, Seed: 1}).Persons[0]
	sample.ID, sample.College = "", ""
	savePerson(t, st, sample)
	h := newHarness(t, st, Options{})
	h.w.progressDelay = 0

	v := h.openImportView("../../docs/examples/graduates-example.xlsx")
	if got, want := v.counts.Text, "新增 4 · 更新 1 · 跳过 0 · 拒绝 3"; got != want {
		t.Fatalf("counts = %q, want %q", got, want)
	}
	v.rows.Select(5) // 第 9 行, the first rejected row
	h.queue.flush()
	test.AssertImageMatches(t, "import_preview.png", h.win.Canvas().Capture())
}
