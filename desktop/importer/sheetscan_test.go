package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestScanSheetCellForms(t *testing.T) {
	// Written the way different programs write sheets: a namespace prefix,
	// rows and cells without r attributes, an inline string with rich
	// runs and a phonetic guide, a formula with its cached value, and a
	// self-closing empty cell.
	sheet := `<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="2"><x:c r="B2" t="s"><x:v>0</x:v></x:c><x:c r="D2" s="3"><x:v>37755</x:v></x:c></x:row>
<x:row><x:c t="inlineStr"><x:is><x:r><x:t>王</x:t></x:r><x:r><x:t xml:space="preserve">建华</x:t></x:r><x:rPh sb="0" eb="1"><x:t>wang</x:t></x:rPh></x:is></x:c><x:c/><x:c t="str"><x:f>A3&amp;"x"</x:f><x:v>王建华x</x:v></x:c></x:row>
<x:row r="7"><x:c r="AA7" t="b"><x:v>1</x:v></x:c></x:row>
</x:sheetData></x:worksheet>`

	type got struct {
		num   int
		cells []rawCell
	}
	var rows []got
	err := scanSheet(strings.NewReader(sheet), func(num int, cells []rawCell) bool {
		rows = append(rows, got{num, append([]rawCell(nil), cells...)})
		return true
	})
	if err != nil {
		t.Fatalf("scanSheet: %v", err)
	}
	want := []got{
		{2, []rawCell{{col: 2, typ: "s", value: "0"}, {col: 4, style: 3, value: "37755"}}},
		{3, []rawCell{{col: 1, typ: "inlineStr", value: "王建华"}, {col: 3, typ: "str", value: "王建华x"}}},
		{7, []rawCell{{col: 27, typ: "b", value: "1"}}},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows = %+v, want %+v", rows, want)
	}
	for i := range want {
		if rows[i].num != want[i].num {
			t.Errorf("row %d number = %d, want %d", i, rows[i].num, want[i].num)
		}
		if len(rows[i].cells) != len(want[i].cells) {
			t.Errorf("row %d cells = %+v, want %+v", want[i].num, rows[i].cells, want[i].cells)
			continue
		}
		for j := range want[i].cells {
			if rows[i].cells[j] != want[i].cells[j] {
				t.Errorf("row %d cell %d = %+v, want %+v", want[i].num, j, rows[i].cells[j], want[i].cells[j])
			}
		}
	}
}

func TestScanSheetRejectsBadRows(t *testing.T) {
	cases := map[string]string{
		"rows out of order": `<worksheet><sheetData><row r="5"><c><v>1</v></c></row><row r="2"><c><v>1</v></c></row></sheetData></worksheet>`,
		"column past XFD":   `<worksheet><sheetData><row r="1"><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>`,
		"broken XML":        `<worksheet><sheetData><row r="1"><c><v>1</c>`,
	}
	for name, sheet := range cases {
		err := scanSheet(strings.NewReader(sheet), func(int, []rawCell) bool { return true })
		if err == nil {
			t.Errorf("%s: scanSheet returned no error", name)
		}
	}
}

func TestColumnOf(t *testing.T) {
	cases := map[string]int{"A1": 1, "Z9": 26, "AA7": 27, "az3": 52, "XFD1": 16384, "XFE1": 16385, "12": 0, "": 0}
	for ref, want := range cases {
		if got := columnOf(ref); got != want {
			t.Errorf("columnOf(%q) = %d, want %d", ref, got, want)
		}
	}
}

func TestDecodeEscapes(t *testing.T) {
	cases := map[string]string{
		"江西铜业_x000D_\n贵溪": "江西铜业\r\n贵溪",
		"_x005F_x000D_":   "_\x000D_"[:0] + "__x000D_"[1:],
		"a_xZZZZ_b":       "a_xZZZZ_b",
		"tail_x00":        "tail_x00",
		"no escapes":      "no escapes",
	}
	for in, want := range cases {
		if got := decodeEscapes(in); got != want {
			t.Errorf("decodeEscapes(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDateFormatOfCode(t *testing.T) {
	cases := map[string]dateFormat{
		`yyyy"年"m"月"d"日"`:    fullDate,
		`yyyy/mm/dd`:         fullDate,
		`[$-804]yyyy"年"m"月"`: monthOnly,
		`mmm-yy`:             monthOnly,
		`h:mm:ss`:            notDate,
		`0.00`:               notDate,
		`"day "0`:            notDate,
		`General`:            notDate,
		`@`:                  notDate,
		`[Red]0;"d"`:         notDate,
		`\d0`:                notDate,
	}
	for code, want := range cases {
		if got := dateFormatOfCode(code); got != want {
			t.Errorf("dateFormatOfCode(%q) = %d, want %d", code, got, want)
		}
	}
}

func TestPackageWithAbsoluteTargets(t *testing.T) {
	// A workbook at a non-standard part name, with absolute relationship
	// targets and a rich-text shared string with a phonetic guide.
	parts := map[string]string{
		"_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/book/main.xml"/></Relationships>`,
		"book/main.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="名单" sheetId="1" rel:id="s1"/></sheets></workbook>`,
		"book/_rels/main.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="s1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/book/sheets/a.xml"/>
<Relationship Id="s2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/></Relationships>`,
		"book/strings.xml":  `<sst><si><t>姓名</t></si><si><r><t>王</t></r><r><t>建华</t></r><rPh><t>おう</t></rPh></si></sst>`,
		"book/sheets/a.xml": `<worksheet><sheetData><row r="1"><c t="s"><v>0</v></c></row><row r="2"><c t="s"><v>1</v></c></row></sheetData></worksheet>`,
	}
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, body := range parts {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}

	pkg, err := openPackage(zr)
	if err != nil {
		t.Fatalf("openPackage: %v", err)
	}
	if len(pkg.sheets) != 1 || pkg.sheets[0] != (sheetPart{name: "名单", path: "book/sheets/a.xml"}) {
		t.Errorf("sheets = %+v, want 名单 at book/sheets/a.xml", pkg.sheets)
	}
	shared, err := pkg.readSharedStrings()
	if err != nil {
		t.Fatalf("readSharedStrings: %v", err)
	}
	if strings.Join(shared, "|") != "姓名|王建华" {
		t.Errorf("shared strings = %q, want 姓名, 王建华", shared)
	}
}

func TestPartReaderStopsAtLimit(t *testing.T) {
	r := &limitedReader{r: strings.NewReader(strings.Repeat("x", 100)), left: 10}
	buf := make([]byte, 64)
	n, err := r.Read(buf)
	if n != 10 || err != nil {
		t.Fatalf("first Read = %d, %v, want 10, nil", n, err)
	}
	if _, err := r.Read(buf); !errors.Is(err, errPartTooLarge) {
		t.Errorf("second Read error = %v, want errPartTooLarge", err)
	}
}
