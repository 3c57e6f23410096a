package importer

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/richardlehane/mscfb"
	"github.com/shakinm/xlsReader/xls"
	"github.com/shakinm/xlsReader/xls/structure"
)

// Legacy Excel 97–2003 workbooks (.xls, BIFF8 records in an OLE2 compound
// file) are read in two passes. xlsReader (github.com/shakinm/xlsReader
// v0.9.12) reads the cells, the shared strings and the number formats.
// It skips formulas and merged cells and hides the date system, so
// scanBIFF walks the records itself for those (record layouts from
// [MS-XLS], the Excel Binary File Format specification).

// BIFF record types read by scanBIFF.
const (
	biffBOF        = 0x0809
	biffEOF        = 0x000A
	biffFilePass   = 0x002F // the workbook is encrypted
	biffDateMode   = 0x0022 // 1 for the 1904 date system
	biffBoundSheet = 0x0085 // a sheet and the offset of its records
	biffMergeCells = 0x00E5
	biffFormula    = 0x0006
	biffString     = 0x0207 // the string result of the formula before it
	biffVersion8   = 0x0600 // BOF version of BIFF8, Excel 97 and later
)

// Errors of scanBIFF, which readXLS turns into FileErrors.
var (
	errXLSEncrypted = errors.New("xls workbook is encrypted")
	errXLSOldBIFF   = errors.New("xls workbook older than BIFF8 (Excel 97)")
)

// biffInfo is the date system and the sheets of a workbook stream.
type biffInfo struct {
	date1904 bool
	sheets   []biffSheet // in workbook order, one per BOUNDSHEET record
}

// biffSheet is one worksheet's merged cells and formula results.
type biffSheet struct {
	offset   uint32 // of the sheet's BOF record in the stream
	merges   []mergeRange
	formulas map[int]map[int]Cell // row → column → cached result, both from 1
	lastRow  int                  // of the formulas, from 1
}

// readXLS reads a legacy .xls workbook: the sheets that hold a list,
// chosen as readWorkbook chooses. An OLE2 file without a workbook stream
// (such as a .doc) is not a spreadsheet, and an encrypted workbook or an
// Excel 95 one gets its own message.
func readXLS(ctx context.Context, data []byte, m headerMatcher) (tables []*table, ignored []string, err error) {
	notWorkbook := fileError(ErrNotSpreadsheet, "import.file.not_spreadsheet")
	// xlsReader indexes its records without bounds checks, so a damaged
	// file makes it panic.
	defer func() {
		if recover() != nil {
			tables, ignored, err = nil, nil, notWorkbook
		}
	}()

	stream, encrypted, err := workbookStream(data)
	switch {
	case encrypted:
		return nil, nil, fileError(ErrNotSpreadsheet, "import.file.encrypted")
	case err != nil:
		return nil, nil, notWorkbook
	}
	info, err := scanBIFF(stream)
	switch {
	case errors.Is(err, errXLSEncrypted):
		return nil, nil, fileError(ErrNotSpreadsheet, "import.file.encrypted")
	case errors.Is(err, errXLSOldBIFF):
		return nil, nil, fileError(ErrNotSpreadsheet, "import.file.legacy_xls")
	case err != nil:
		return nil, nil, notWorkbook
	}

	wb, err := xls.OpenReader(bytes.NewReader(compoundFile(stream)))
	if err != nil || wb.GetNumberSheets() == 0 {
		return nil, nil, notWorkbook
	}
	r := biffCellReader{wb: &wb, date1904: info.date1904, dateStyle: map[int]dateFormat{}}
	sheets := wb.GetSheets()
	if len(sheets) != len(info.sheets) {
		// Chart and macro sheets are in both lists, so a mismatch means a
		// damaged file.
		return nil, nil, notWorkbook
	}

	chosen, ignored, err := chooseSheets(len(sheets), func(i int) ([]tableRow, error) {
		top, _, err := r.readSheet(ctx, &sheets[i], info.sheets[i], maxHeaderRow, nil)
		return top, err
	}, func(i int) string { return sheets[i].GetName() }, m)
	if err != nil {
		return nil, nil, err
	}
	if len(chosen) == 0 {
		return nil, nil, fileError(ErrEmpty, "import.file.empty")
	}

	budget := newRowBudget()
	for _, i := range chosen {
		rows, total, err := r.readSheet(ctx, &sheets[i], info.sheets[i], -1, budget)
		if err != nil {
			return nil, nil, err
		}
		merges := info.sheets[i].merges
		fillMerges(rows, merges)
		tables = append(tables, &table{rows: rows, merges: merges, sheet: sheets[i].GetName(), total: total})
	}
	return tables, ignored, nil
}

// workbookStream returns the Workbook stream of an OLE2 compound file, or
// encrypted true for an encrypted xlsx (an EncryptedPackage stream).
func workbookStream(data []byte) (stream []byte, encrypted bool, err error) {
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, false, err
	}
	for entry, err := doc.Next(); err == nil; entry, err = doc.Next() {
		switch entry.Name {
		case "EncryptedPackage":
			return nil, true, nil
		case "Workbook", "Book":
			// A stream cannot be larger than the file that contains it,
			// and the check keeps a forged size from allocating gigabytes.
			if entry.Size <= 0 || entry.Size > int64(len(data)) {
				return nil, false, fmt.Errorf("workbook stream size %d in a file of %d bytes", entry.Size, len(data))
			}
			stream = make([]byte, entry.Size)
			if _, err := io.ReadFull(entry, stream); err != nil {
				return nil, false, fmt.Errorf("reading the workbook stream: %w", err)
			}
			return stream, false, nil
		}
	}
	return nil, false, errors.New("no workbook stream")
}

// biffRecord is one record of a BIFF stream.
type biffRecord struct {
	typ  uint16
	data []byte
}

// nextRecord returns the record at offset and the offset of the next, or
// false past the end or for a record running past the end.
func nextRecord(stream []byte, offset int) (biffRecord, int, bool) {
	if offset < 0 || offset+4 > len(stream) {
		return biffRecord{}, 0, false
	}
	typ := binary.LittleEndian.Uint16(stream[offset:])
	size := int(binary.LittleEndian.Uint16(stream[offset+2:]))
	end := offset + 4 + size
	if end > len(stream) {
		return biffRecord{}, 0, false
	}
	return biffRecord{typ: typ, data: stream[offset+4 : end]}, end, true
}

// scanBIFF reads the globals of a BIFF8 workbook stream and, for each
// worksheet, its merged cells and formula results.
func scanBIFF(stream []byte) (biffInfo, error) {
	var info biffInfo
	rec, next, ok := nextRecord(stream, 0)
	if !ok || rec.typ != biffBOF || len(rec.data) < 2 {
		// Excel 5 and 95 (BIFF5) also start with 0x0809 but a version of
		// 0x0500; earlier versions have other BOF types.
		if ok && (rec.typ&0xFF) == 0x09 {
			return info, errXLSOldBIFF
		}
		return info, errors.New("workbook stream does not start with BOF")
	}
	if binary.LittleEndian.Uint16(rec.data) != biffVersion8 {
		return info, errXLSOldBIFF
	}

	for offset := next; ; offset = next {
		rec, next, ok = nextRecord(stream, offset)
		if !ok {
			return info, errors.New("workbook globals end early")
		}
		switch rec.typ {
		case biffFilePass:
			return info, errXLSEncrypted
		case biffDateMode:
			info.date1904 = len(rec.data) >= 2 && binary.LittleEndian.Uint16(rec.data) == 1
		case biffBoundSheet:
			if len(rec.data) < 6 {
				return info, errors.New("short BOUNDSHEET record")
			}
			// xlsReader lists every sheet, charts and macro sheets too.
			info.sheets = append(info.sheets, biffSheet{offset: binary.LittleEndian.Uint32(rec.data)})
		}
		if rec.typ == biffEOF {
			break
		}
	}
	for i := range info.sheets {
		scanSheetRecords(stream, &info.sheets[i])
	}
	return info, nil
}

// scanSheetRecords reads the merged cells and the cached formula results
// of the sheet whose BOF is at s.offset, up to its EOF.
func scanSheetRecords(stream []byte, s *biffSheet) {
	if int64(s.offset) >= int64(len(stream)) {
		return
	}
	var pending cellKey // cell of a string formula awaiting its STRING record
	for offset := int(s.offset); ; {
		rec, next, ok := nextRecord(stream, offset)
		if !ok || rec.typ == biffEOF {
			return
		}
		offset = next
		switch rec.typ {
		case biffMergeCells:
			s.addMerges(rec.data)
		case biffFormula:
			pending = s.addFormula(rec.data)
		case biffString:
			if pending != (cellKey{}) {
				if text, ok := readBIFFString(rec.data); ok {
					s.setFormula(pending, Cell{Text: text})
				}
				pending = cellKey{}
			}
		}
	}
}

// addMerges adds the ranges of a MERGECELLS record: a count, then first
// row, last row, first column and last column, 16 bits each, from 0.
func (s *biffSheet) addMerges(data []byte) {
	if len(data) < 2 {
		return
	}
	n := int(binary.LittleEndian.Uint16(data))
	for i := 0; i < n && 2+8*(i+1) <= len(data) && len(s.merges) < maxMerges; i++ {
		ref := data[2+8*i:]
		m := mergeRange{
			top:    int(binary.LittleEndian.Uint16(ref[0:])) + 1,
			bottom: int(binary.LittleEndian.Uint16(ref[2:])) + 1,
			left:   int(binary.LittleEndian.Uint16(ref[4:])) + 1,
			right:  int(binary.LittleEndian.Uint16(ref[6:])) + 1,
		}
		if m.bottom >= m.top && m.right >= m.left {
			s.merges = append(s.merges, m)
		}
	}
}

// cellKey is a cell's row and column, both from 1.
type cellKey struct{ row, col int }

// addFormula stores the cached result of a FORMULA record. The record
// starts with row, column and format index, 16 bits each, then 8 bytes
// of result. The result is a float64 unless its last two bytes are
// 0xFFFF. Then its first byte is the type: 0 for a string in the next
// STRING record, 1 for a boolean, 2 for an error, 3 for an empty string.
// addFormula returns the cell of a string result, else the zero key.
func (s *biffSheet) addFormula(data []byte) cellKey {
	if len(data) < 14 {
		return cellKey{}
	}
	key := cellKey{int(binary.LittleEndian.Uint16(data[0:])) + 1, int(binary.LittleEndian.Uint16(data[2:])) + 1}
	if key.col > maxXLSColumns {
		return cellKey{}
	}
	result := data[6:14]
	if result[6] != 0xFF || result[7] != 0xFF {
		f := math.Float64frombits(binary.LittleEndian.Uint64(result))
		s.setFormula(key, numberCell(f))
		return cellKey{}
	}
	switch result[0] {
	case 0:
		return key
	case 1:
		s.setFormula(key, Cell{Text: map[bool]string{false: "FALSE", true: "TRUE"}[result[2] != 0]})
	case 2:
		s.setFormula(key, Cell{Text: biffErrors[result[2]]})
	}
	return cellKey{}
}

func (s *biffSheet) setFormula(key cellKey, c Cell) {
	if s.formulas == nil {
		s.formulas = map[int]map[int]Cell{}
	}
	if s.formulas[key.row] == nil {
		s.formulas[key.row] = map[int]Cell{}
	}
	s.formulas[key.row][key.col] = c
	s.lastRow = max(s.lastRow, key.row)
}

// biffErrors are the texts of the error codes of a BIFF8 cell.
var biffErrors = map[byte]string{
	0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!",
	0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A",
}

// readBIFFString reads an unformatted BIFF8 string: a 16-bit character
// count, a flags byte whose bit 0 marks UTF-16LE (else each byte is a
// Latin-1 character), then the characters.
//
// NOTE: a string continued in a CONTINUE record is cut at the end of the
// STRING record, which holds about 4,000 Chinese characters.
func readBIFFString(data []byte) (string, bool) {
	if len(data) < 3 {
		return "", false
	}
	n := int(binary.LittleEndian.Uint16(data))
	wide := data[2]&1 == 1
	body := data[3:]
	if wide {
		n = min(n, len(body)/2)
		units := make([]uint16, n)
		for i := range units {
			units[i] = binary.LittleEndian.Uint16(body[2*i:])
		}
		return string(utf16.Decode(units)), true
	}
	return latin1(body[:min(n, len(body))]), true
}

// latin1 decodes bytes each of which is the code point of a character.
func latin1(b []byte) string {
	runes := make([]rune, len(b))
	for i, c := range b {
		runes[i] = rune(c)
	}
	return string(runes)
}

// numberCell returns the Cell of a number cell, with the number as
// strconv formats it, such as 360102200305140000 or 0.5.
func numberCell(f float64) Cell {
	return Cell{Text: strconv.FormatFloat(f, 'f', -1, 64), Number: true}
}

// biffCellReader turns the cells of an xlsReader workbook into Cells.
type biffCellReader struct {
	wb        *xls.Workbook
	date1904  bool
	dateStyle map[int]dateFormat // format index → its kind
}

// readSheet returns the non-blank rows of a sheet, at most limit of them
// unless limit is negative, with the formula results scanBIFF read, and
// the count of its non-blank rows. A row the budget, when not nil, does
// not keep is counted and left out.
func (r *biffCellReader) readSheet(ctx context.Context, sheet *xls.Sheet, info biffSheet, limit int,
	budget *rowBudget) ([]tableRow, int, error) {
	var rows []tableRow
	cellCount, total := 0, 0
	numRows := max(sheet.GetNumberRows(), info.lastRow)
	for i := 0; i < numRows && (limit < 0 || len(rows) < limit); i++ {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
		}
		raw, _ := sheet.GetRow(i)
		cols := raw.GetCols()
		row := tableRow{num: i + 1, cells: make([]Cell, len(cols))}
		for c, cd := range cols {
			row.cells[c] = r.cell(cd)
		}
		for col, cell := range info.formulas[row.num] {
			if len(row.cells) < col {
				row.cells = append(row.cells, make([]Cell, col-len(row.cells))...)
			}
			row.cells[col-1] = cell
		}
		if row.blank() {
			continue
		}
		total++
		if budget != nil && !budget.keep(total-1) {
			continue
		}
		if cellCount += len(row.cells); cellCount > maxCells {
			return nil, 0, fileError(ErrTooLarge, "import.file.too_many_cells", maxCells)
		}
		rows = append(rows, row)
	}
	return rows, total, nil
}

// maxXLSColumns is the column limit of a BIFF8 sheet (IV).
const maxXLSColumns = 256

// cell returns the Cell of an xlsReader cell. Text is the stored value:
// the string of a text cell, the number of a number cell.
func (r *biffCellReader) cell(cd structure.CellData) Cell {
	switch cd.GetType() {
	case "*record.LabelSSt", "*record.LabelBIFF8":
		return Cell{Text: fixLatin1(cd.GetString())}
	case "*record.Number", "*record.Rk":
	case "*record.BoolErr":
		return Cell{Text: cd.GetString()}
	default: // blank cells
		return Cell{}
	}

	c := numberCell(cd.GetFloat64())
	kind := r.formatOf(cd.GetXFIndex())
	if kind == notDate {
		return c
	}
	c.Date = dateOfSerial(cd.GetFloat64(), r.date1904, kind)
	return c
}

// formatOf returns the kind of the number format of a cell format.
func (r *biffCellReader) formatOf(xf int) dateFormat {
	if kind, ok := r.dateStyle[xf]; ok {
		return kind
	}
	format := r.wb.GetXFbyIndex(xf)
	index := format.GetFormatIndex()
	kind := builtInDateFormats[index]
	if code := r.wb.GetFormatByIndex(index); code.GetIndex() == index && index != 0 {
		// A FORMAT record also overrides a built-in index, as Excel on
		// Chinese Windows writes for some of them.
		kind = dateFormatOfCode(code.String())
	}
	if kind == 0 {
		kind = notDate
	}
	r.dateStyle[xf] = kind
	return kind
}

// fixLatin1 repairs a string that xlsReader returned as the raw bytes of
// a compressed BIFF8 string: each byte is a Latin-1 character, such as
// 0xB7 for the middle dot ·, which is not valid UTF-8 alone.
//
// NOTE: a compressed string whose Latin-1 bytes happen to form valid
// UTF-8, such as "Ã©", comes out as that UTF-8 ("é"). xlsReader does not
// expose the string's flags that would tell.
func fixLatin1(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return latin1([]byte(s))
}

// Values of the compound file format ([MS-CFB]) that compoundFile writes.
const (
	cfbSector     = 512 // version 3 sector size
	cfbFATPerSect = cfbSector / 4
	cfbHeaderFATs = 109 // FAT sector ids in the header
	cfbEndOfChain = 0xFFFFFFFE
	cfbFreeSect   = 0xFFFFFFFF
	cfbFATSect    = 0xFFFFFFFD
	cfbDIFATSect  = 0xFFFFFFFC
	cfbNoStream   = 0xFFFFFFFF
	cfbMiniCutoff = 4096
)

// compoundFile wraps a workbook stream in a new, well-formed compound
// file, so that xlsReader, whose own compound file reader follows sector
// chains without a cycle check and loops forever on a damaged file, only
// reads a file built here. The stream is padded with zeros to the mini
// stream cutoff, past the EOF records that end its parsing.
func compoundFile(stream []byte) []byte {
	if len(stream) < cfbMiniCutoff {
		stream = append(bytes.Clone(stream), make([]byte, cfbMiniCutoff-len(stream))...)
	}
	dataSectors := (len(stream) + cfbSector - 1) / cfbSector
	fatSectors, difatSectors := 1, 0
	for {
		total := dataSectors + fatSectors + difatSectors + 1 // + directory
		f := (total + cfbFATPerSect - 1) / cfbFATPerSect
		d := 0
		if f > cfbHeaderFATs {
			d = (f - cfbHeaderFATs + cfbFATPerSect - 2) / (cfbFATPerSect - 1)
		}
		if f == fatSectors && d == difatSectors {
			break
		}
		fatSectors, difatSectors = f, d
	}
	firstFAT := dataSectors
	firstDIFAT := firstFAT + fatSectors
	dirSector := firstDIFAT + difatSectors
	total := dirSector + 1

	out := make([]byte, cfbSector*(1+total))
	le := binary.LittleEndian
	sector := func(i int) []byte { return out[cfbSector*(1+i) : cfbSector*(2+i)] }

	// Header.
	copy(out, magicOLE2)
	le.PutUint16(out[24:], 0x003E)
	le.PutUint16(out[26:], 3)
	le.PutUint16(out[28:], 0xFFFE)
	le.PutUint16(out[30:], 9)
	le.PutUint16(out[32:], 6)
	le.PutUint32(out[44:], uint32(fatSectors))
	le.PutUint32(out[48:], uint32(dirSector))
	le.PutUint32(out[56:], cfbMiniCutoff)
	le.PutUint32(out[60:], cfbEndOfChain)
	le.PutUint32(out[68:], cfbEndOfChain)
	if difatSectors > 0 {
		le.PutUint32(out[68:], uint32(firstDIFAT))
	}
	le.PutUint32(out[72:], uint32(difatSectors))
	for i := range cfbHeaderFATs {
		id := uint32(cfbFreeSect)
		if i < fatSectors {
			id = uint32(firstFAT + i)
		}
		le.PutUint32(out[76+4*i:], id)
	}

	// DIFAT sectors: 127 FAT sector ids each, then the next DIFAT sector.
	for d := range difatSectors {
		s := sector(firstDIFAT + d)
		for j := range cfbFATPerSect - 1 {
			id := uint32(cfbFreeSect)
			if i := cfbHeaderFATs + d*(cfbFATPerSect-1) + j; i < fatSectors {
				id = uint32(firstFAT + i)
			}
			le.PutUint32(s[4*j:], id)
		}
		next := uint32(cfbEndOfChain)
		if d+1 < difatSectors {
			next = uint32(firstDIFAT + d + 1)
		}
		le.PutUint32(s[cfbSector-4:], next)
	}

	// FAT: the stream's chain, then the FAT, DIFAT and directory sectors.
	fat := func(i int, v uint32) { le.PutUint32(sector(firstFAT + i/cfbFATPerSect)[4*(i%cfbFATPerSect):], v) }
	for i := range fatSectors * cfbFATPerSect {
		fat(i, cfbFreeSect)
	}
	for i := range dataSectors {
		next := uint32(i + 1)
		if i == dataSectors-1 {
			next = cfbEndOfChain
		}
		fat(i, next)
	}
	for i := range fatSectors {
		fat(firstFAT+i, cfbFATSect)
	}
	for i := range difatSectors {
		fat(firstDIFAT+i, cfbDIFATSect)
	}
	fat(dirSector, cfbEndOfChain)

	// Directory: the root storage and the Workbook stream.
	dir := sector(dirSector)
	entry := func(i int, name string, typ byte, child, start uint32, size int) {
		e := dir[128*i : 128*(i+1)]
		units := utf16.Encode([]rune(name))
		for j, u := range units {
			le.PutUint16(e[2*j:], u)
		}
		le.PutUint16(e[64:], uint16(2*len(units)+2))
		e[66], e[67] = typ, 1
		le.PutUint32(e[68:], cfbNoStream)
		le.PutUint32(e[72:], cfbNoStream)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint32(e[120:], uint32(size))
	}
	entry(0, "Root Entry", 5, 1, cfbEndOfChain, 0)
	entry(1, "Workbook", 2, cfbNoStream, 0, len(stream))

	copy(out[cfbSector:], stream)
	return out
}
