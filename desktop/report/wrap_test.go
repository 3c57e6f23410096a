package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mobilefactory/shared/i18n"
)

// testDoc returns a doc on an empty page with the body font.
func testDoc(t *testing.T) *doc {
	t.Helper()
	font, err := bundledFont()
	if err != nil {
		t.Fatal(err)
	}
	d := &doc{pdf: newPDF(Input{Locale: i18n.English}, font), font: font, locale: i18n.English}
	d.pdf.SetFont(fontFamily, "", bodySize)
	return d
}

// Latin text breaks at spaces, CJK text between any two characters.
func TestWrapBreaksAtSpaces(t *testing.T) {
	d := testDoc(t)
	margins := 2 * d.pdf.GetCellMargin()
	width := d.pdf.GetStringWidth("Communication s") + margins
	got := d.wrap("Numbers and Communication skills", width)
	want := []string{"Numbers and", "Communication", "skills"}
	if !slices.Equal(got, want) {
		t.Errorf("wrap = %q, want %q", got, want)
	}

	cjkWidth := d.pdf.GetStringWidth("能按图纸独") + margins
	got = d.wrap("能按图纸独立完成", cjkWidth)
	want = []string{"能按图纸独", "立完成"}
	if !slices.Equal(got, want) {
		t.Errorf("wrap of CJK text = %q, want %q", got, want)
	}
}

// A word wider than the line is split with a hyphen between letters, and
// a code without letters on both sides of the cut gets none.
func TestWrapSplitsLongWord(t *testing.T) {
	d := testDoc(t)
	width := d.pdf.GetStringWidth("Communi") + 2*d.pdf.GetCellMargin()
	for _, line := range d.wrap("Communication", width) {
		if d.pdf.GetStringWidth(line) > width-2*d.pdf.GetCellMargin()+0.01 {
			t.Errorf("line %q is wider than the column", line)
		}
	}
	if got := strings.Join(d.wrap("Communication", width), "|"); !strings.HasSuffix(strings.Split(got, "|")[0], "-") {
		t.Errorf("wrap(Communication) = %q, want the first piece to end in a hyphen", got)
	}
	if got := strings.Join(d.wrap("S000036010000245001234", width), ""); got != "S000036010000245001234" {
		t.Errorf("wrap of a certificate number joined = %q, want it unchanged", got)
	}
}

// The English report keeps table words whole: narrow columns shrink their
// font instead of cutting "Communication" or "Internship".
func TestBuildEnglishWordsWhole(t *testing.T) {
	f := newFixture(t)
	in := f.input(t, "clerk", false)
	in.Locale = i18n.English
	var buf bytes.Buffer
	if err := Build(&buf, in); err != nil {
		t.Fatalf("Build: %v", err)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v (make deps installs poppler-utils)", err)
	}
	words := strings.Fields(string(out))
	for _, want := range []string{"Communication", "Supervisor", "Internship", "Intermediate"} {
		if !slices.Contains(words, want) {
			t.Errorf("English report lacks the whole word %q", want)
		}
	}
}
