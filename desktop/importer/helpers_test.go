package importer

import (
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// casesDir holds the real-world input files of the project.
var casesDir = filepath.Join("..", "..", "testdata", "cases")

// College codes the tests enrol devices for.
const (
	jiangxiVocationalUniversity = "4136011785" // 江西职业技术大学, formerly 九江职业技术学院
	pingxiangHealth             = "4136014656" // 萍乡卫生职业学院
	shangraoVocational          = "4136013870" // 上饶职业技术学院
	jiangxiFinance              = "4136012941" // 江西财经职业学院
	jiangxiTransport            = "4136012940" // 江西交通职业技术学院
	jiangxiApplied              = "4136012942" // 江西应用技术职业学院
)

// openTemp opens a store in a temporary folder, enrolled for college, and
// checks the file's integrity when the test ends.
func openTemp(t testing.TB, college string) *store.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "client.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("store.Open(%s): %v", path, err)
	}
	if college != "" {
		_, key, _ := ed25519.GenerateKey(nil)
		if err := s.SetIdentity(store.Identity{Device: s.Device(), College: college, PrivateKey: key}); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Errorf("store integrity: %v", err)
		}
		s.Close()
	})
	return s
}

// caseFile returns the path of a file in testdata/cases.
func caseFile(name string) string { return filepath.Join(casesDir, name) }

// writeTemp writes data to a new file named name in a temporary folder.
func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// csvText joins lines with CRLF, as Excel writes them.
func csvText(lines ...string) []byte {
	return []byte(strings.Join(lines, "\r\n") + "\r\n")
}

// importBytes writes data to a file and imports it into st.
func importBytes(t *testing.T, st *store.Store, name string, data []byte) (Result, error) {
	t.Helper()
	return ImportFile(st, writeTemp(t, name, data), Options{})
}

// mustImport imports data and fails the test on an error.
func mustImport(t *testing.T, st *store.Store, name string, data []byte) Result {
	t.Helper()
	res, err := importBytes(t, st, name, data)
	if err != nil {
		t.Fatalf("ImportFile(%s): %v", name, err)
	}
	return res
}

// personByIDNumber returns the stored person with the ID number.
func personByIDNumber(t *testing.T, st *store.Store, id string) record.Person {
	t.Helper()
	for _, p := range st.Persons() {
		if p.IDNumber == id {
			return p
		}
	}
	t.Fatalf("no stored person with ID number %s", id)
	return record.Person{}
}

// checkNoUnrepresentable fails the test if a stored field holds U+FFFD or
// a private-use character.
func checkNoUnrepresentable(t *testing.T, st *store.Store) {
	t.Helper()
	for _, p := range st.Persons() {
		for field, v := range p.Fields() {
			for _, r := range v {
				if r == utf8.RuneError || unicode.Is(unicode.Co, r) {
					t.Errorf("stored %s of %s holds %U", field, p.ID, r)
				}
			}
		}
	}
}

// errorsOfRow returns the errors of one row.
func errorsOfRow(res Result, row int) []RowError {
	var out []RowError
	for _, e := range res.Errors {
		if e.Row == row {
			out = append(out, e)
		}
	}
	return out
}

// fileErrorOf returns err as a *FileError and checks it wraps want.
func fileErrorOf(t *testing.T, err, want error) *FileError {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *FileError", err, err)
	}
	return fe
}

// idNumber returns a valid ID number made of 17 digits and their check
// character.
func idNumber(first17 string) string {
	return first17 + string(validate.IDCheckChar(first17))
}

// xlsxCell is a value to put into a generated workbook: a string is
// stored as text, a number as a number.
type xlsxCell = any

// writeXLSX writes a workbook with one sheet per entry of sheets, in order,
// and returns its path. style, when not nil, returns the style of a cell
// made with f.NewStyle, or 0.
func writeXLSX(t testing.TB, sheets []string, rows map[string][][]xlsxCell, props *excelize.WorkbookPropsOptions,
	style func(f *excelize.File, sheet string, row, col int) int) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range sheets {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows[name] {
			for c, v := range row {
				axis, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(name, axis, v); err != nil {
					t.Fatal(err)
				}
				if style == nil {
					continue
				}
				if id := style(f, name, r+1, c+1); id != 0 {
					if err := f.SetCellStyle(name, axis, axis, id); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	if props != nil {
		if err := f.SetWorkbookProps(props); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "list.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func itoa(n int) string { return strconv.Itoa(n) }
