package importer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"mobilefactory/shared/validate"
)

// xlsFile returns the path of a fixture made by scripts/make-xls-fixtures.py.
func xlsFile(name string) string { return filepath.Join("testdata", "xls", name) }

func TestXLSGraduatesImport(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	res, err := ImportFile(st, xlsFile("graduates.xls"), Options{})
	if err != nil {
		t.Fatalf("ImportFile: %v", err)
	}
	if res.Sheet != "毕业生名单" {
		t.Errorf("Sheet = %q, want 毕业生名单, the sheet with the header", res.Sheet)
	}
	if res.Rows != 3 || res.Imported != 3 || res.Rejected != 0 {
		t.Fatalf("Rows, Imported, Rejected = %d, %d, %d, want 3, 3, 0; errors %+v",
			res.Rows, res.Imported, res.Rejected, res.Errors)
	}
	p := personByIDNumber(t, st, "36010220030514001X")
	if p.Name != "张三" {
		t.Errorf("Name = %q, want 张三", p.Name)
	}
	if p.Phone != "13807912345" {
		t.Errorf("Phone = %q, want 13807912345 from a number cell", p.Phone)
	}
	if p.GradYear != 2024 {
		t.Errorf("GradYear = %d, want 2024", p.GradYear)
	}
	if p := personByIDNumber(t, st, "360102200106300025"); p.Name != "阿依古丽·买买提" {
		t.Errorf("Name = %q, want 阿依古丽·买买提", p.Name)
	}
	checkNoUnrepresentable(t, st)
}

func TestXLSReadCellsMergedTitle(t *testing.T) {
	cells, err := ReadCells(xlsFile("graduates.xls"))
	if err != nil {
		t.Fatalf("ReadCells: %v", err)
	}
	if len(cells) != 5 {
		t.Fatalf("read %d rows, want 5", len(cells))
	}
	// The title is merged over A1:G1, so every cell of row 1 holds it.
	for c := range 7 {
		if got := cells[0][c].Text; got != "2024届毕业生名单" {
			t.Errorf("row 1 column %d = %q, want the merged title", c+1, got)
		}
	}
	if got := cells[2][6]; got.Date != (validate.Date{Year: 2024, Month: 6, Day: 30}) || !got.Number {
		t.Errorf("graduation date cell = %+v, want the number cell 2024-06-30", got)
	}
	if got := cells[2][4]; got.Text != "2024" || !got.Number || !got.Date.IsZero() {
		t.Errorf("year cell = %+v, want the number 2024 without a date", got)
	}
}

func TestXLSIDNumberAsNumberRejected(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	res, err := ImportFile(st, xlsFile("id-as-number.xls"), Options{})
	if err != nil {
		t.Fatalf("ImportFile: %v", err)
	}
	if res.Imported != 2 || res.Rejected != 1 {
		t.Fatalf("Imported, Rejected = %d, %d, want 2, 1; errors %+v", res.Imported, res.Rejected, res.Errors)
	}
	errs := errorsOfRow(res, 3)
	if len(errs) != 1 {
		t.Fatalf("row 3 errors = %+v, want one", errs)
	}
	e := errs[0]
	if e.Column != "身份证号" {
		t.Errorf("Column = %q, want 身份证号", e.Column)
	}
	if e.Value != "360102200305140000" {
		t.Errorf("Value = %q, want 360102200305140000 as the file holds it", e.Value)
	}
	for _, part := range []string{"第 3 行", "3.60102E+17", "“文本”"} {
		if !strings.Contains(e.Message, part) {
			t.Errorf("message %q lacks %q", e.Message, part)
		}
	}
}

func TestXLSDates(t *testing.T) {
	for _, c := range []struct {
		file   string
		serial string
	}{
		{"dates.xls", "37755"},      // 1900 date system
		{"dates-1904.xls", "36293"}, // 1904 date system
	} {
		cells, err := ReadCells(xlsFile(c.file))
		if err != nil {
			t.Fatalf("%s: ReadCells: %v", c.file, err)
		}
		want := []validate.Date{
			{Year: 2003, Month: 5, Day: 14}, // yyyy-mm-dd
			{Year: 2003, Month: 5, Day: 14}, // yyyy"年"m"月"d"日"
			{Year: 2003, Month: 5},          // yyyy"年"m"月": a month
		}
		for i, w := range want {
			if got := cells[i+1][1]; got.Date != w || got.Text != c.serial {
				t.Errorf("%s row %d = %+v, want %v from the serial %s", c.file, i+2, got, w, c.serial)
			}
		}
		text := cells[4][1]
		if d, err := text.AsDate(); text.Number || err != nil || d.String() != "2003-05" {
			t.Errorf("%s text 2003.05 = %+v, AsDate %v, %v, want the month 2003-05", c.file, text, d, err)
		}
		if plain := cells[5][1]; !plain.Number || !plain.Date.IsZero() || plain.Text != c.serial {
			t.Errorf("%s plain number = %+v, want the number %s without a date", c.file, plain, c.serial)
		}
	}
}

func TestXLSSharedStringsAcrossContinue(t *testing.T) {
	cells, err := ReadCells(xlsFile("long-strings.xls"))
	if err != nil {
		t.Fatalf("ReadCells: %v", err)
	}
	if len(cells) != 3001 {
		t.Fatalf("read %d rows, want 3001", len(cells))
	}
	bad := 0
	for i := 1; i <= 3000; i++ {
		want := "ascii text number " + strconv.Itoa(i)
		if i%2 == 1 {
			want = "江西财经大学计算机科学与技术专业第" + strconv.Itoa(i) + "号"
		}
		if got := cells[i][1].Text; got != want {
			if bad < 3 {
				t.Errorf("row %d = %q, want %q", i+1, got, want)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%d of 3000 strings wrong", bad)
	}
}

func TestXLSFormulaResultAndLatin1(t *testing.T) {
	cells, err := ReadCells(xlsFile("formula-latin1.xls"))
	if err != nil {
		t.Fatalf("ReadCells: %v", err)
	}
	if got := cells[1][2]; got.Text != "2024" || !got.Number {
		t.Errorf("formula cell = %+v, want its cached number 2024", got)
	}
	if got := cells[1][3].Text; got != "Café·Zoë" {
		t.Errorf("Latin-1 cell = %q, want Café·Zoë", got)
	}
}

// biffStream builds a BIFF stream of records, each a type and its data.
func biffStream(records ...biffRecord) []byte {
	var b bytes.Buffer
	for _, r := range records {
		_ = binary.Write(&b, binary.LittleEndian, [2]uint16{r.typ, uint16(len(r.data))})
		b.Write(r.data)
	}
	return b.Bytes()
}

func TestScanBIFFFormulaString(t *testing.T) {
	bof := biffRecord{biffBOF, []byte{0x00, 0x06, 0x10, 0x00}}
	globals := []biffRecord{bof, {biffDateMode, []byte{1, 0}}, {biffBoundSheet, make([]byte, 8)}, {biffEOF, nil}}
	sheetStart := len(biffStream(globals...))
	binary.LittleEndian.PutUint32(globals[2].data, uint32(sheetStart))

	formula := make([]byte, 20)
	binary.LittleEndian.PutUint16(formula[0:], 4) // row 5
	binary.LittleEndian.PutUint16(formula[2:], 2) // column C
	formula[6], formula[12], formula[13] = 0, 0xFF, 0xFF
	str := append([]byte{2, 0, 1}, 0x37, 0x75, 0x73, 0x59) // UTF-16LE 男女
	merge := []byte{1, 0, 0, 0, 1, 0, 0, 0, 3, 0}          // A1:D2
	sheet := []biffRecord{bof, {biffFormula, formula}, {biffString, str}, {biffMergeCells, merge}, {biffEOF, nil}}

	info, err := scanBIFF(biffStream(append(globals, sheet...)...))
	if err != nil {
		t.Fatalf("scanBIFF: %v", err)
	}
	if !info.date1904 {
		t.Error("date1904 = false, want true from DATEMODE 1")
	}
	if len(info.sheets) != 1 {
		t.Fatalf("%d sheets, want 1", len(info.sheets))
	}
	s := info.sheets[0]
	if got := s.formulas[5][3]; got.Text != "男女" || got.Number {
		t.Errorf("formula C5 = %+v, want the text 男女", got)
	}
	if want := []mergeRange{{top: 1, left: 1, bottom: 2, right: 4}}; len(s.merges) != 1 || s.merges[0] != want[0] {
		t.Errorf("merges = %+v, want %+v", s.merges, want)
	}
}

func TestScanBIFFRejects(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"encrypted", biffStream(biffRecord{biffBOF, []byte{0x00, 0x06}}, biffRecord{biffFilePass, make([]byte, 6)}), errXLSEncrypted},
		{"excel 95", biffStream(biffRecord{biffBOF, []byte{0x00, 0x05}}), errXLSOldBIFF},
		{"excel 4", biffStream(biffRecord{0x0409, []byte{0x00, 0x00}}), errXLSOldBIFF},
	}
	for _, c := range cases {
		if _, err := scanBIFF(c.data); !errors.Is(err, c.want) {
			t.Errorf("%s: error = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestXLSNotAWorkbook(t *testing.T) {
	data, err := os.ReadFile(xlsFile("graduates.xls"))
	if err != nil {
		t.Fatal(err)
	}
	// Renaming the Workbook stream leaves a valid OLE2 file, like a .doc.
	name := utf16LE("Workbook")
	if bytes.Count(data, name) != 1 {
		t.Fatal("the Workbook stream name is not in the fixture once")
	}
	doc := bytes.Replace(data, name, utf16LE("Document"), 1)
	st := openTemp(t, jiangxiFinance)
	_, err = importBytes(t, st, "list.xls", doc)
	if fe := fileErrorOf(t, err, ErrNotSpreadsheet); fe.Key != "import.file.not_spreadsheet" {
		t.Errorf("key = %q, want import.file.not_spreadsheet", fe.Key)
	}
}

func utf16LE(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// TestXLSDamagedNeverPanics overwrites bytes all over a workbook: each
// damaged file either reads or fails with a FileError, and never panics.
func TestXLSDamagedNeverPanics(t *testing.T) {
	data, err := os.ReadFile(xlsFile("graduates.xls"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for offset := 512; offset < len(data); offset += 3 {
		for _, v := range []byte{0x00, 0xFF} {
			damaged := bytes.Clone(data)
			damaged[offset] = v
			path := filepath.Join(dir, "damaged.xls")
			if err := os.WriteFile(path, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := ReadCells(path)
			var fe *FileError
			if err != nil && !errors.As(err, &fe) {
				t.Errorf("byte %d set to %#x: error %v, want a FileError", offset, v, err)
			}
		}
	}
}

func TestXLSTooManyCells(t *testing.T) {
	saved := maxCells
	maxCells = 100
	t.Cleanup(func() { maxCells = saved })
	_, err := ReadCells(xlsFile("long-strings.xls"))
	if fe := fileErrorOf(t, err, ErrTooLarge); fe.Key != "import.file.too_many_cells" {
		t.Errorf("key = %q, want import.file.too_many_cells", fe.Key)
	}
}

func TestCompoundFileRoundTrip(t *testing.T) {
	// 8 MB needs more FAT sectors than the header lists, so DIFAT sectors.
	for _, size := range []int{100, 5000, 8 << 20} {
		stream := binaryNoise(size)
		got, encrypted, err := workbookStream(compoundFile(stream))
		if err != nil || encrypted {
			t.Fatalf("size %d: workbookStream: %v, encrypted %v", size, err, encrypted)
		}
		if want := max(size, cfbMiniCutoff); len(got) != want {
			t.Errorf("size %d: stream of %d bytes, want %d", size, len(got), want)
		}
		if !bytes.Equal(got[:size], stream) {
			t.Errorf("size %d: stream differs from the one wrapped", size)
		}
	}
}
