package report

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var writeDocs = flag.Bool("docs", false, "render page 1 of the fixture's report to docs/report-page1.png")

// TestDocsPage renders docs/report-page1.png when run with -docs:
//
//	go test -tags migrated_fynedo ./desktop/report -run TestDocsPage -docs
func TestDocsPage(t *testing.T) {
	if !*writeDocs {
		t.Skip("run with -docs to render docs/report-page1.png")
	}
	f := newFixture(t)
	var buf bytes.Buffer
	if err := Build(&buf, f.input(t, "clerk", false)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(pdf, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "page")
	if out, err := exec.Command("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, root).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	png, err := os.ReadFile(root + ".png")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "..", "docs", "report-page1.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
