package importer

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// The parts of an xlsx package that readWorkbook reads itself. excelize
// (v2.11.1) gives a cell's type only after unmarshalling the whole sheet,
// which took about 10 s for 100,000 rows in BenchmarkImport100kXLSX on a
// 2-core machine. So the sheet data is streamed here, and excelize still
// opens the file and reads the styles and the date system.

// Relationship types of the Office Open XML package (ECMA-376 part 1).
const (
	relOfficeDocument = "/officeDocument"
	relSharedStrings  = "/sharedStrings"
	relWorksheet      = "/worksheet"
)

// sheetPart is a worksheet of a workbook and its part name in the zip file.
type sheetPart struct {
	name string
	path string
}

// xlsxPackage is an opened xlsx zip file.
type xlsxPackage struct {
	files   map[string]*zip.File
	sheets  []sheetPart // in workbook order
	strings string      // part name of the shared strings, or ""
}

type xmlRelationships struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xmlWorkbook struct {
	Sheets []struct {
		Name string `xml:"name,attr"`
		// The relationship id is in the officeDocument relationships
		// namespace, whatever prefix the writer gave it.
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

// openPackage finds the workbook's sheets and shared strings in the zip
// file, following the package relationships rather than assuming the part
// names Excel uses.
func openPackage(zr *zip.Reader) (*xlsxPackage, error) {
	pkg := &xlsxPackage{files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		pkg.files[strings.TrimPrefix(f.Name, "/")] = f
	}

	var rootRels xmlRelationships
	if err := pkg.unmarshal("_rels/.rels", &rootRels); err != nil {
		return nil, err
	}
	workbookPath := "xl/workbook.xml"
	for _, r := range rootRels.Rels {
		if strings.HasSuffix(r.Type, relOfficeDocument) {
			workbookPath = resolvePart("", r.Target)
		}
	}

	var wb xmlWorkbook
	if err := pkg.unmarshal(workbookPath, &wb); err != nil {
		return nil, err
	}
	var wbRels xmlRelationships
	dir, file := path.Split(workbookPath)
	if err := pkg.unmarshal(dir+"_rels/"+file+".rels", &wbRels); err != nil {
		return nil, err
	}
	// Chart sheets and dialog sheets are listed as sheets too, but only
	// worksheets have cells.
	worksheets := map[string]string{}
	for _, r := range wbRels.Rels {
		switch {
		case strings.HasSuffix(r.Type, relWorksheet):
			worksheets[r.ID] = resolvePart(dir, r.Target)
		case strings.HasSuffix(r.Type, relSharedStrings):
			pkg.strings = resolvePart(dir, r.Target)
		}
	}
	for _, s := range wb.Sheets {
		for _, a := range s.Attrs {
			if a.Name.Local != "id" {
				continue
			}
			if p, ok := worksheets[a.Value]; ok && pkg.files[p] != nil {
				pkg.sheets = append(pkg.sheets, sheetPart{name: s.Name, path: p})
			}
		}
	}
	return pkg, nil
}

// resolvePart returns the part name of a relationship target, which is
// either absolute (/xl/worksheets/sheet1.xml) or relative to dir.
func resolvePart(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(dir+target), "/")
}

// open returns a reader of a part that fails past maxUnzipBytes, whatever
// size the zip directory claims.
func (p *xlsxPackage) open(name string) (io.ReadCloser, error) {
	f, ok := p.files[name]
	if !ok {
		return nil, fmt.Errorf("part %s missing", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("opening part %s: %w", name, err)
	}
	return limitedReadCloser{Reader: &limitedReader{r: rc, left: maxUnzipBytes}, Closer: rc}, nil
}

func (p *xlsxPackage) unmarshal(name string, v any) error {
	rc, err := p.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return fmt.Errorf("parsing part %s: %w", name, err)
	}
	return nil
}

// errPartTooLarge is returned by a part reader past maxUnzipBytes.
var errPartTooLarge = errors.New("part unpacks to more than the limit")

type limitedReader struct {
	r    io.Reader
	left int64
}

func (l *limitedReader) Read(b []byte) (int, error) {
	if l.left <= 0 {
		return 0, errPartTooLarge
	}
	if int64(len(b)) > l.left {
		b = b[:l.left]
	}
	n, err := l.r.Read(b)
	l.left -= int64(n)
	return n, err
}

type limitedReadCloser struct {
	io.Reader
	io.Closer
}

// readSharedStrings returns the shared string table: the text of each si
// element, joining its rich-text runs and leaving out phonetic guides.
func (p *xlsxPackage) readSharedStrings() ([]string, error) {
	if p.strings == "" {
		return nil, nil
	}
	rc, err := p.open(p.strings)
	if err != nil {
		return nil, err
	}
	defer rc.Close()

	var out []string
	var b strings.Builder
	inT, phonetic := false, 0
	d := xml.NewDecoder(rc)
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("parsing shared strings: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				b.Reset()
			case "t":
				inT = true
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				out = append(out, b.String())
			case "t":
				inT = false
			case "rPh":
				phonetic--
			}
		case xml.CharData:
			if inT && phonetic == 0 {
				b.Write(t)
			}
		}
	}
}
