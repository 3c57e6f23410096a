package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// Valid ID numbers of invented people.
var (
	idWang  = "360403200202170219"
	idZhao  = "360321200307300646"
	idLiNa  = "36012120020101099X"
	idFirst = idNumber("36010220040101001")
)

func TestHeaderSynonyms(t *testing.T) {
	cases := []struct {
		header string
		row    string
		want   record.Person
	}{
		{"姓名,身份证号", "王建华," + idWang,
			record.Person{Name: "王建华", IDNumber: idWang}},
		{"姓名,身份证号码,性别", "王建华," + idWang + ",男",
			record.Person{Name: "王建华", IDNumber: idWang, Gender: record.GenderMale}},
		{"姓名,公民身份号码,手机", "王建华," + idWang + ",13870210021",
			record.Person{Name: "王建华", IDNumber: idWang, Phone: "13870210021"}},
		{"姓名,身份证号,联系电话,专业名称", "王建华," + idWang + ",13870210021,软件技术",
			record.Person{Name: "王建华", IDNumber: idWang, Phone: "13870210021", Major: "510203"}},
		{"姓名,身份证号,专业代码,毕业年度", "王建华," + idWang + ",510203,2024",
			record.Person{Name: "王建华", IDNumber: idWang, Major: "510203", GradYear: 2024}},
		{"姓名,身份证号,专业,届别", "王建华," + idWang + ",软件技术,2024届",
			record.Person{Name: "王建华", IDNumber: idWang, Major: "510203", GradYear: 2024}},
		{"姓名,身份证号,籍贯,就业状态", "王建华," + idWang + ",九江市,待就业",
			record.Person{Name: "王建华", IDNumber: idWang, HomeRegion: "360400", Status: record.StatusSeeking}},
		{"姓名,身份证号,生源地,学号", "王建华," + idWang + ",九江市,JX2024001",
			record.Person{Name: "王建华", IDNumber: idWang, HomeRegion: "360400", StudentNo: "JX2024001"}},
		{"姓名,身份证号,就业地区,就业单位", "王建华," + idWang + ",南昌市,江西铜业",
			record.Person{Name: "王建华", IDNumber: idWang, WorkRegion: "360100", Employer: "江西铜业"}},
		{"姓名,身份证号,工作地区,工作单位", "王建华," + idWang + ",南昌市,江西铜业",
			record.Person{Name: "王建华", IDNumber: idWang, WorkRegion: "360100", Employer: "江西铜业"}},
		{"姓名,身份证号,单位,学校", "王建华," + idWang + ",江西铜业,江西财经职业学院",
			record.Person{Name: "王建华", IDNumber: idWang, Employer: "江西铜业"}},
		{"姓名,身份证号,院校名称", "王建华," + idWang + ",江西财经职业学院",
			record.Person{Name: "王建华", IDNumber: idWang}},
		{"院校,姓名,身份证号", "4136012941,王建华," + idWang,
			record.Person{Name: "王建华", IDNumber: idWang}},
		{" *姓名 ,身份证号（18位）,手机号码(必填)", "王建华," + idWang + ",13870210021",
			record.Person{Name: "王建华", IDNumber: idWang, Phone: "13870210021"}},
		{"姓　名,身份证号", "王建华," + idWang, // a full-width space inside
			record.Person{Name: "王建华", IDNumber: idWang}},
	}
	for _, c := range cases {
		st := openTemp(t, jiangxiFinance)
		res := mustImport(t, st, "list.csv", csvText(c.header, c.row))
		if res.Imported != 1 {
			t.Errorf("header %q: Imported = %d, want 1; errors %+v", c.header, res.Imported, res.Errors)
			continue
		}
		got := st.Persons()[0]
		c.want.ID, c.want.College = got.ID, jiangxiFinance
		if got != c.want {
			t.Errorf("header %q: stored %+v\nwant %+v", c.header, got, c.want)
		}
	}
}

func TestTitleRowBeforeHeader(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	res := mustImport(t, st, "list.csv", csvText(
		"2024届毕业生名单,,",
		",,",
		"姓名,身份证号,手机号码",
		"王建华,"+idWang+",12345",
	))
	if res.Rows != 1 || res.Rejected != 1 {
		t.Fatalf("Rows, Rejected = %d, %d, want 1, 1", res.Rows, res.Rejected)
	}
	if got := res.Errors[0].Row; got != 4 {
		t.Errorf("error row = %d, want 4, the row Excel shows", got)
	}
}

func TestUnknownColumnsIgnored(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	res := mustImport(t, st, "list.csv", csvText("序号,姓名,身份证号,备注,姓名", "1,王建华,"+idWang+",班长,李四"))
	if res.Imported != 1 {
		t.Fatalf("Imported = %d, want 1; errors %+v", res.Imported, res.Errors)
	}
	// 序号, the running number, is ignored without being listed.
	if got := strings.Join(res.Ignored, ","); got != "备注,姓名" {
		t.Errorf("Ignored = %q, want 备注,姓名 (the repeated 姓名 too)", got)
	}
	if got := st.Persons()[0].Name; got != "王建华" {
		t.Errorf("stored name = %q, want the first 姓名 column's 王建华", got)
	}
}

func TestSeparatorsAndLineEnds(t *testing.T) {
	cases := []struct {
		name string
		data string
	}{
		{"comma CRLF", "姓名,身份证号,手机号码\r\n王建华," + idWang + ",13870210021\r\n"},
		{"comma LF", "姓名,身份证号,手机号码\n王建华," + idWang + ",13870210021\n"},
		{"comma CR", "姓名,身份证号,手机号码\r王建华," + idWang + ",13870210021\r"},
		{"no final line end", "姓名,身份证号,手机号码\n王建华," + idWang + ",13870210021"},
		{"tab", "姓名\t身份证号\t手机号码\r\n王建华\t" + idWang + "\t13870210021\r\n"},
		{"semicolon", "姓名;身份证号;手机号码\r\n王建华;" + idWang + ";13870210021\r\n"},
		{"Excel sep line", "sep=;\r\n姓名;身份证号;手机号码\r\n王建华;" + idWang + ";13870210021\r\n"},
		{"quoted cells", "\"姓名\",\"身份证号\",\"手机号码\"\r\n\"王建华\",\"" + idWang + "\",\"138 7021 0021\"\r\n"},
	}
	for _, c := range cases {
		st := openTemp(t, jiangxiFinance)
		res := mustImport(t, st, "list.csv", []byte(c.data))
		if res.Imported != 1 || res.Rejected != 0 {
			t.Errorf("%s: Imported, Rejected = %d, %d, want 1, 0; errors %+v", c.name, res.Imported, res.Rejected, res.Errors)
			continue
		}
		p := st.Persons()[0]
		if p.Name != "王建华" || p.IDNumber != idWang || p.Phone != "13870210021" {
			t.Errorf("%s: stored %q, %q, %q", c.name, p.Name, p.IDNumber, p.Phone)
		}
	}
}

func TestQuotedHeaderCellWithComma(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	_, err := importBytes(t, st, "list.csv", []byte("\"姓名,中文\",身份证号\r\n王建华,"+idWang+"\r\n"))
	fe := fileErrorOf(t, err, ErrMissingColumns)
	if !strings.Contains(fe.Message(), "姓名") {
		t.Errorf("message %q does not name 姓名", fe.Message())
	}
}

func TestRowNumbersAsExcelShowsThem(t *testing.T) {
	// Row 2 has a cell spanning two lines and row 3 is blank, so the bad
	// phone of 李娜 is on line 6 of the file but in row 5 of the sheet.
	st := openTemp(t, jiangxiFinance)
	res := mustImport(t, st, "list.csv", csvText(
		"姓名,身份证号,手机号码,工作单位",
		"王建华,"+idWang+",13870210021,\"江西铜业\n贵溪冶炼厂\"",
		"",
		"赵敏,"+idZhao+",13979900064,",
		"李娜,"+idLiNa+",1234,",
	))
	if res.Rows != 3 || res.Imported != 2 || res.Rejected != 1 {
		t.Fatalf("Rows, Imported, Rejected = %d, %d, %d, want 3, 2, 1; errors %+v", res.Rows, res.Imported, res.Rejected, res.Errors)
	}
	if got := res.Errors[0].Row; got != 5 {
		t.Errorf("error row = %d, want 5", got)
	}
}

func TestEncodings(t *testing.T) {
	text := "姓名,身份证号,工作单位\r\n王建华," + idWang + ",赣州稀土集团\r\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"UTF-8", []byte(text), EncodingUTF8},
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, text...), EncodingUTF8},
		{"UTF-16LE with BOM", utf16Bytes("\uFEFF"+text, false), EncodingUTF16LE},
		{"UTF-16BE with BOM", utf16Bytes("\uFEFF"+text, true), EncodingUTF16BE},
		{"UTF-16LE without BOM", utf16Bytes(text, false), EncodingUTF16LE},
		{"GB18030", []byte(gb), EncodingGB18030},
		{"UTF-16LE tab-separated", utf16Bytes("\uFEFF"+strings.ReplaceAll(text, ",", "\t"), false), EncodingUTF16LE},
	}
	for _, c := range cases {
		st := openTemp(t, jiangxiFinance)
		res := mustImport(t, st, "list.csv", c.data)
		if res.Encoding != c.want {
			t.Errorf("%s: Encoding = %q, want %q", c.name, res.Encoding, c.want)
		}
		if res.Imported != 1 {
			t.Errorf("%s: Imported = %d, want 1; errors %+v", c.name, res.Imported, res.Errors)
			continue
		}
		p := st.Persons()[0]
		if p.Name != "王建华" || p.Employer != "赣州稀土集团" {
			t.Errorf("%s: stored name, employer = %q, %q, want 王建华, 赣州稀土集团", c.name, p.Name, p.Employer)
		}
	}
}

// utf16Bytes encodes s as UTF-16, big-endian when big is true.
func utf16Bytes(s string, big bool) []byte {
	var b bytes.Buffer
	for _, u := range utf16.Encode([]rune(s)) {
		if big {
			b.WriteByte(byte(u >> 8))
			b.WriteByte(byte(u))
		} else {
			b.WriteByte(byte(u))
			b.WriteByte(byte(u >> 8))
		}
	}
	return b.Bytes()
}

func TestPrivateUseCharInUTF8Rejected(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	res := mustImport(t, st, "list.csv", csvText(
		"姓名,身份证号,工作单位",
		"李\uE000,"+idWang+",",
		"赵敏,"+idZhao+",江西\uFFFD铜业",
	))
	if res.Imported != 0 || res.Rejected != 2 {
		t.Fatalf("Imported, Rejected = %d, %d, want 0, 2", res.Imported, res.Rejected)
	}
	if got := res.Errors[1].Column; got != "工作单位" {
		t.Errorf("second error column = %q, want 工作单位", got)
	}
	checkNoUnrepresentable(t, st)
}

func TestMissingRequiredColumn(t *testing.T) {
	cases := []struct {
		header, missing string
	}{
		{"姓名,手机号码", "身份证号"},
		{"身份证号,手机号码", "姓名"},
		{"编号,手机号码", "姓名、身份证号"},
	}
	for _, c := range cases {
		st := openTemp(t, jiangxiFinance)
		res, err := importBytes(t, st, "list.csv", csvText(c.header, "王建华,13870210021"))
		fe := fileErrorOf(t, err, ErrMissingColumns)
		if !strings.Contains(fe.Message(), "“"+c.missing+"”") {
			t.Errorf("header %q: message %q does not name %s", c.header, fe.Message(), c.missing)
		}
		if res.Imported != 0 || st.Count() != 0 {
			t.Errorf("header %q: imported %d, store holds %d, want nothing", c.header, res.Imported, st.Count())
		}
	}
}

func TestDuplicateIDInOneFile(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	res := mustImport(t, st, "list.csv", csvText(
		"姓名,身份证号",
		"王建华,"+idWang,
		"赵敏,"+idZhao,
		"王健华, "+idWang+" ",
	))
	if res.Imported != 2 || res.Rejected != 1 {
		t.Fatalf("Imported, Rejected = %d, %d, want 2, 1", res.Imported, res.Rejected)
	}
	e := res.Errors[0]
	if e.Row != 4 || e.Column != "身份证号" {
		t.Errorf("error at row %d column %q, want row 4, 身份证号", e.Row, e.Column)
	}
	if !strings.Contains(e.Message, "与第 2 行重复") {
		t.Errorf("message %q does not name row 2", e.Message)
	}
	if got := personByIDNumber(t, st, idWang).Name; got != "王建华" {
		t.Errorf("stored name = %q, want the first row's 王建华", got)
	}
}

func TestExistingIDUpdatesPerson(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	old, err := st.SavePerson(record.Person{Name: "李娜", IDNumber: idLiNa, Phone: "13807912345",
		Status: record.StatusSeeking, GradYear: 2024})
	if err != nil {
		t.Fatal(err)
	}

	// The list has no phone column and a lower-case check digit.
	res := mustImport(t, st, "list.csv", csvText(
		"姓名,身份证号,就业状态,工作单位",
		"李娜,"+strings.ToLower(idLiNa)+",已就业,江西铜业",
	))
	if res.Imported != 0 || res.Updated != 1 {
		t.Fatalf("Imported, Updated = %d, %d, want 0, 1; errors %+v", res.Imported, res.Updated, res.Errors)
	}
	if n := st.Count(); n != 1 {
		t.Fatalf("store holds %d persons, want 1", n)
	}
	got, err := st.Person(old.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := old
	want.Status, want.Employer = record.StatusEmployed, "江西铜业"
	if got != want {
		t.Errorf("updated person = %+v\nwant %+v (phone and year kept)", got, want)
	}
}

func TestEveryFieldErrorReported(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	res := mustImport(t, st, "list.csv", csvText(
		"姓名,性别,身份证号,手机号码,院校,学历",
		"王建华,未知,360403200202170218,1234,江西不存在职业学院,大专",
		"赵敏,女,"+idZhao+",13979900064,江西财经职业学院,大专",
	))
	if res.Imported != 1 || res.Rejected != 1 {
		t.Fatalf("Imported, Rejected = %d, %d, want 1, 1", res.Imported, res.Rejected)
	}
	want := []struct{ column, value, part string }{
		{"院校", "江西不存在职业学院", "院校“江西不存在职业学院”不在教育部院校名单中"},
		{"性别", "未知", "性别“未知”"},
		{"身份证号", "360403200202170218", "校验位"},
		{"手机号码", "1234", "手机号码“1234”"},
	}
	errs := errorsOfRow(res, 2)
	if len(errs) != len(want) {
		t.Fatalf("row 2 errors = %+v, want %d", errs, len(want))
	}
	for i, w := range want {
		e := errs[i]
		if e.Column != w.column || e.Value != w.value {
			t.Errorf("error %d column, value = %q, %q, want %q, %q", i, e.Column, e.Value, w.column, w.value)
		}
		if !strings.HasPrefix(e.Message, "第 2 行“"+w.column+"”列：") || !strings.Contains(e.Message, w.part) {
			t.Errorf("error %d message %q, want the row, column and %q", i, e.Message, w.part)
		}
	}
}

func TestCollegeByCodeAndFormerName(t *testing.T) {
	st := openTemp(t, jiangxiVocationalUniversity)
	res := mustImport(t, st, "list.csv", csvText(
		"姓名,身份证号,院校",
		"王建华,"+idWang+",4136011785",
		"赵敏,"+idZhao+",九江职业技术学院",
		"李娜,"+idLiNa+",4136012941",
		"周杰,"+idFirst+",",
	))
	if res.Imported != 3 || res.Rejected != 1 {
		t.Fatalf("Imported, Rejected = %d, %d, want 3, 1; errors %+v", res.Imported, res.Rejected, res.Errors)
	}
	e := res.Errors[0]
	if e.Row != 4 || !strings.Contains(e.Message, "“4136012941”即江西财经职业学院") {
		t.Errorf("error = %+v, want row 4 naming 江西财经职业学院", e)
	}
}

func TestNotASpreadsheet(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		key  string
	}{
		{"png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2}, 100)...), "import.file.not_spreadsheet"},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "import.file.not_spreadsheet"},
		{"ole2 header only", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "import.file.not_spreadsheet"},
		{"html as xls", []byte("<html><body><table><tr><td>姓名</td></tr></table></body></html>"), "import.file.markup"},
		{"binary", binaryNoise(4096), "import.file.not_spreadsheet"},
		{"zip without workbook", zipWithoutWorkbook(t), "import.file.not_spreadsheet"},
	}
	for _, c := range cases {
		st := openTemp(t, jiangxiFinance)
		res, err := importBytes(t, st, "list.xlsx", c.data)
		if !errors.Is(err, ErrNotSpreadsheet) {
			t.Errorf("%s: error = %v, want ErrNotSpreadsheet", c.name, err)
			continue
		}
		fe := fileErrorOf(t, err, ErrNotSpreadsheet)
		if fe.Key != c.key {
			t.Errorf("%s: key = %q, want %q", c.name, fe.Key, c.key)
		}
		if fe.Message() == c.key {
			t.Errorf("%s: message for %q is not translated", c.name, c.key)
		}
		if res.Imported != 0 || st.Count() != 0 {
			t.Errorf("%s: imported %d, store holds %d, want nothing", c.name, res.Imported, st.Count())
		}
	}
}

// binaryNoise returns n bytes of a fixed pseudo-random sequence.
func binaryNoise(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// zipWithoutWorkbook returns a zip file holding a Word document's main
// part, as a .docx picked by mistake is.
func zipWithoutWorkbook(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	part, err := w.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := part.Write([]byte(`<?xml version="1.0"?><w:document/>`)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestEmptyFile(t *testing.T) {
	cases := []struct {
		name string
		data []byte
	}{
		{"no bytes", nil},
		{"only BOM", []byte{0xEF, 0xBB, 0xBF}},
		{"only blank lines", []byte("\r\n\r\n  \r\n")},
		{"only separators", []byte(",,,\r\n,,\r\n")},
		{"empty workbook", emptyWorkbook(t)},
	}
	for _, c := range cases {
		st := openTemp(t, jiangxiFinance)
		_, err := importBytes(t, st, "list.csv", c.data)
		fe := fileErrorOf(t, err, ErrEmpty)
		if fe.Key != "import.file.empty" {
			t.Errorf("%s: key = %q, want import.file.empty", c.name, fe.Key)
		}
	}
}

func emptyWorkbook(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(writeXLSX(t, []string{"Sheet1"}, nil, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestHeaderOnlyImportsNothing(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	res := mustImport(t, st, "list.csv", csvText("姓名,身份证号"))
	if res.Rows != 0 || res.Imported != 0 || len(res.Errors) != 0 {
		t.Errorf("Result = %+v, want no rows and no errors", res)
	}
}

func TestHugeCellRejected(t *testing.T) {
	huge := strings.Repeat("王", 100000)
	st := openTemp(t, jiangxiFinance)
	res := mustImport(t, st, "list.csv", csvText(
		"姓名,身份证号",
		huge+","+idWang,
		"赵敏,"+idZhao,
	))
	if res.Imported != 1 || res.Rejected != 1 {
		t.Fatalf("Imported, Rejected = %d, %d, want 1, 1", res.Imported, res.Rejected)
	}
	e := res.Errors[0]
	if e.Column != "姓名" || !strings.Contains(e.Message, "100000") {
		t.Errorf("error = column %q, message %q, want 姓名 and the length", e.Column, e.Message)
	}
	if n := utf8.RuneCountInString(e.Value); n != MaxShownRunes+1 {
		t.Errorf("shown value has %d characters, want %d and an ellipsis", n, MaxShownRunes+1)
	}
	if len(e.Message) > 2000 {
		t.Errorf("message has %d bytes, want the value left out", len(e.Message))
	}
}

func TestTooManyColumnsOrCells(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	wide := "姓名,身份证号" + strings.Repeat(",x", maxColumns)
	_, err := importBytes(t, st, "list.csv", csvText("姓名,身份证号", wide))
	fe := fileErrorOf(t, err, ErrTooLarge)
	if fe.Key != "import.file.too_many_columns" || !strings.HasPrefix(fe.Message(), "第 2 行") {
		t.Errorf("key %q, message %q, want too_many_columns naming line 2", fe.Key, fe.Message())
	}

	// Rows of separators only are blank and cost nothing.
	res := mustImport(t, st, "list.csv", csvText("姓名,身份证号", strings.Repeat(",", 10000), "王建华,"+idWang))
	if res.Imported != 1 {
		t.Errorf("Imported = %d, want 1", res.Imported)
	}

	saved := maxCells
	maxCells = 5
	defer func() { maxCells = saved }()
	for _, path := range []string{
		writeTemp(t, "list.csv", csvText("姓名,身份证号", "a,1", "b,2")),
		writeXLSX(t, []string{"Sheet1"}, map[string][][]xlsxCell{"Sheet1": {{"姓名", "身份证号"}, {"a", "1"}, {"b", "2"}}}, nil, nil),
	} {
		_, err := ImportFile(st, path, Options{})
		fe := fileErrorOf(t, err, ErrTooLarge)
		if fe.Key != "import.file.too_many_cells" {
			t.Errorf("%s: key = %q, want import.file.too_many_cells", path, fe.Key)
		}
	}
}

func TestUnclosedQuoteKeepsOtherRows(t *testing.T) {
	// A quote left open swallows the rest of the file into one cell, which
	// is rejected; the rows before it are kept.
	st := openTemp(t, jiangxiFinance)
	lines := []string{"姓名,身份证号", "赵敏," + idZhao, "\"王建华," + idWang}
	for range 200 {
		lines = append(lines, "某某某,"+idFirst)
	}
	res := mustImport(t, st, "list.csv", csvText(lines...))
	if res.Imported != 1 || res.Rejected != 1 {
		t.Errorf("Imported, Rejected = %d, %d, want 1, 1", res.Imported, res.Rejected)
	}
}

func TestWorkbookSheetChoice(t *testing.T) {
	path := writeXLSX(t, []string{"说明", "名单"}, map[string][][]xlsxCell{
		"说明": {{"本表为 2024 届毕业生名单"}},
		"名单": {{"2024届毕业生"}, {"姓名", "身份证号", "手机号码", "毕业年份"},
			{"王建华", idWang, 13870210021, 2024}},
	}, nil, nil)
	st := openTemp(t, jiangxiFinance)
	res, err := ImportFile(st, path, Options{})
	if err != nil {
		t.Fatalf("ImportFile: %v", err)
	}
	if res.Sheet != "名单" {
		t.Errorf("Sheet = %q, want 名单", res.Sheet)
	}
	if res.Imported != 1 {
		t.Fatalf("Imported = %d, want 1; errors %+v", res.Imported, res.Errors)
	}
	p := st.Persons()[0]
	if p.Phone != "13870210021" || p.GradYear != 2024 {
		t.Errorf("phone, year = %q, %d from number cells, want 13870210021, 2024", p.Phone, p.GradYear)
	}
}

func TestWorkbookDateInYearColumn(t *testing.T) {
	// 45473 is 2024-06-30.
	path := writeXLSX(t, []string{"Sheet1"}, map[string][][]xlsxCell{
		"Sheet1": {{"姓名", "身份证号", "毕业年份"}, {"王建华", idWang, 45473}},
	}, nil, func(f *excelize.File, sheet string, row, col int) int {
		if row != 2 || col != 3 {
			return 0
		}
		id, err := f.NewStyle(&excelize.Style{NumFmt: 14})
		if err != nil {
			t.Fatal(err)
		}
		return id
	})
	st := openTemp(t, jiangxiFinance)
	res, err := ImportFile(st, path, Options{})
	if err != nil {
		t.Fatalf("ImportFile: %v", err)
	}
	if res.Imported != 1 {
		t.Fatalf("Imported = %d, want 1; errors %+v", res.Imported, res.Errors)
	}
	if got := st.Persons()[0].GradYear; got != 2024 {
		t.Errorf("GradYear = %d, want 2024", got)
	}
}

func TestBatchesSaveEveryRow(t *testing.T) {
	lines := []string{"姓名,身份证号"}
	for i := range 7 {
		lines = append(lines, "学生"+itoa(i)+","+idNumber("3601022004010100"+itoa(i)))
	}
	st := openTemp(t, jiangxiFinance)
	res, err := ImportFile(st, writeTemp(t, "list.csv", csvText(lines...)), Options{Batch: 3})
	if err != nil {
		t.Fatalf("ImportFile: %v", err)
	}
	if res.Imported != 7 || st.Count() != 7 {
		t.Errorf("Imported = %d, store holds %d, want 7 and 7", res.Imported, st.Count())
	}
}

func TestNotEnrolled(t *testing.T) {
	st := openTemp(t, "")
	_, err := importBytes(t, st, "list.csv", csvText("姓名,身份证号", "王建华,"+idWang))
	if !errors.Is(err, store.ErrNotEnrolled) {
		t.Errorf("error = %v, want store.ErrNotEnrolled", err)
	}
}

// A fair device writes only its fair's records, so a college's graduate
// list is refused before a row is read.
func TestFairDeviceImportRefused(t *testing.T) {
	st := openTemp(t, "fair:GZ2026A")
	_, err := importBytes(t, st, "list.csv", csvText("姓名,身份证号", "王建华,"+idWang))
	fe := fileErrorOf(t, err, ErrFairDevice)
	if got := fe.Message(); !strings.Contains(got, "招聘会 GZ2026A") || !strings.Contains(got, "不能导入院校的毕业生名单") {
		t.Errorf("message = %q, want it to name the fair and the refusal", got)
	}
	if st.Count() != 0 {
		t.Errorf("store holds %d records after the refused import, want 0", st.Count())
	}
}

func TestUnreadableFile(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	_, err := ImportFile(st, "no-such-file.csv", Options{})
	fe := fileErrorOf(t, err, ErrUnreadable)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v does not wrap os.ErrNotExist", err)
	}
	if fe.Message() == fe.Key {
		t.Errorf("message for %q is not translated", fe.Key)
	}
}

func TestMessagesInEnglish(t *testing.T) {
	i18n.SetLocale(i18n.English)
	defer i18n.SetLocale(i18n.Chinese)

	st := openTemp(t, jiangxiFinance)
	res := mustImport(t, st, "list.csv", csvText("姓名,身份证号,手机号码", "王建华,"+idWang+",1234"))
	if len(res.Errors) != 1 {
		t.Fatalf("errors = %+v, want one", res.Errors)
	}
	if got := res.Errors[0].Message; !strings.HasPrefix(got, `Row 2, column "手机号码": `) {
		t.Errorf("message = %q, want it in English", got)
	}
	if got := res.Summary(); !strings.HasPrefix(got, "1 rows read") {
		t.Errorf("Summary() = %q, want it in English", got)
	}
}

func TestWriteErrorsTextAndControlChars(t *testing.T) {
	errs := []RowError{
		{Row: 2, Column: "身份证号", Value: "36012120020101099x", Message: "m1"},
		{Row: 3, Column: "姓名", Value: "李\x01娜", Message: "m2"},
	}
	path := t.TempDir() + "/errors.xlsx"
	if err := WriteErrors(path, errs); err != nil {
		t.Fatalf("WriteErrors: %v", err)
	}
	rows := readSheet(t, path, "导入问题")
	if got := rows[1][2]; got != "36012120020101099x" {
		t.Errorf("value of row 2 = %q, want the ID number as text", got)
	}
	if got := rows[2][2]; got != "李娜" {
		t.Errorf("value of row 3 = %q, want the control character dropped", got)
	}
}

func TestElapsedUsesClock(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	ticks := 0
	now := func() time.Time {
		ticks++
		return time.Date(2026, 1, 1, 0, 0, ticks, 0, time.UTC)
	}
	res, err := ImportFile(st, writeTemp(t, "list.csv", csvText("姓名,身份证号", "王建华,"+idWang)), Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Elapsed != time.Second {
		t.Errorf("Elapsed = %v, want 1s from the injected clock", res.Elapsed)
	}
}

// FuzzReadText checks that no input crashes the text reader, and that the
// rows it returns have increasing row numbers from 1.
func FuzzReadText(f *testing.F) {
	f.Add([]byte("姓名,身份证号\r\n王建华," + idWang + "\r\n"))
	f.Add([]byte("sep=;\n姓名;身份证号\n\"a\nb\";1\n"))
	f.Add(utf16Bytes("\uFEFF姓名\t身份证号\r\n", false))
	f.Add([]byte{0xAA, 0xA1, ',', 0xFF, 0xFE})
	f.Add([]byte("\"unclosed,quote\n\n,,"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tbl, err := readText(data)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FileError", err)
			}
			return
		}
		last := 0
		for _, r := range tbl.rows {
			if r.num <= last {
				t.Fatalf("row number %d after %d", r.num, last)
			}
			last = r.num
		}
	})
}

// Importing the same list twice changes nothing the second time, and the
// result counts the rows as up to date.
func TestReimportCountsUnchanged(t *testing.T) {
	st := openTemp(t, "4136011785")
	path := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(path, []byte("姓名,身份证号\n王建华,360403200202170219\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportFile(st, path, Options{}); err != nil {
		t.Fatal(err)
	}
	pending := st.Pending()
	res, err := ImportFile(st, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unchanged != 1 || res.Updated != 0 || res.Imported != 0 {
		t.Errorf("second import: unchanged %d, updated %d, imported %d; want 1, 0, 0", res.Unchanged, res.Updated, res.Imported)
	}
	if st.Pending() != pending {
		t.Errorf("pending after the second import = %d, want %d", st.Pending(), pending)
	}
}

// Lists often carry skills and whether the graduate would work in
// Jiangxi; both are read into the person.
func TestImportSkillsAndReturn(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	mustImport(t, st, "skills.csv", csvText(
		"姓名,身份证号,技能特长,是否愿意回江西",
		"李志明,36012120020101099X,焊接；电工,是",
		"王芳,360403199905120028,,否",
	))
	li := personByIDNumber(t, st, "36012120020101099X")
	if li.Skills != "焊接、电工" || li.WillReturn != record.WillReturnYes {
		t.Errorf("李志明 skills %q, return %q; want 焊接、电工 and %s", li.Skills, li.WillReturn, record.WillReturnYes)
	}
	if wang := personByIDNumber(t, st, "360403199905120028"); wang.WillReturn != record.WillReturnNo {
		t.Errorf("王芳 return %q, want %s", wang.WillReturn, record.WillReturnNo)
	}
}
