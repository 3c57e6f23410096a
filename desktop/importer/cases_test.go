package importer

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// The tests in this file import the real-world files of testdata/cases
// and check the values its README gives.
//
// A device imports only its own college's rows, so a file naming several
// colleges is imported on one device per college: together they import
// every row, and each rejects the rows of the others.

func TestGBKFileOnFormerNameCollege(t *testing.T) {
	st := openTemp(t, jiangxiVocationalUniversity)
	res, err := ImportFile(st, caseFile("graduates-gbk.csv"), Options{})
	if err != nil {
		t.Fatalf("ImportFile: %v", err)
	}

	if res.Encoding != EncodingGB18030 {
		t.Errorf("Encoding = %q, want %q", res.Encoding, EncodingGB18030)
	}
	if res.Rows != 3 || res.Imported != 1 || res.Updated != 0 || res.Rejected != 2 {
		t.Errorf("Rows, Imported, Updated, Rejected = %d, %d, %d, %d, want 3, 1, 0, 2",
			res.Rows, res.Imported, res.Updated, res.Rejected)
	}

	// 九江职业技术学院 is the former name of this device's college.
	p := personByIDNumber(t, st, "360403200202170219")
	want := record.Person{ID: p.ID, College: jiangxiVocationalUniversity, Name: "王建华",
		Gender: record.GenderMale, IDNumber: "360403200202170219", Phone: "13870210021",
		Major: "460301", GradYear: 2024, HomeRegion: "360400", Status: record.StatusEmployed}
	if p != want {
		t.Errorf("stored person = %+v\nwant %+v", p, want)
	}

	// The other two rows name other colleges that exist: rejected, with the
	// college named, and no college created.
	for _, c := range []struct {
		row     int
		college string
	}{{3, "萍乡卫生职业学院"}, {4, "上饶职业技术学院"}} {
		errs := errorsOfRow(res, c.row)
		if len(errs) != 1 {
			t.Fatalf("row %d errors = %+v, want one", c.row, errs)
		}
		e := errs[0]
		if e.Column != "院校" || e.Value != c.college {
			t.Errorf("row %d error column, value = %q, %q, want 院校, %q", c.row, e.Column, e.Value, c.college)
		}
		for _, part := range []string{"第 " + itoa(c.row) + " 行", "“院校”列", c.college, "江西职业技术大学", "其他院校"} {
			if !strings.Contains(e.Message, part) {
				t.Errorf("row %d message %q lacks %q", c.row, e.Message, part)
			}
		}
	}
	if n := st.Count(); n != 1 {
		t.Errorf("store holds %d persons, want 1", n)
	}
}

func TestGBKFileEachCollegeImportsItsRow(t *testing.T) {
	cases := []struct {
		college string
		want    record.Person
	}{
		{jiangxiVocationalUniversity, record.Person{Name: "王建华", Gender: record.GenderMale,
			IDNumber: "360403200202170219", Phone: "13870210021", Major: "460301", GradYear: 2024,
			HomeRegion: "360400", Status: record.StatusEmployed}},
		{pingxiangHealth, record.Person{Name: "赵敏", Gender: record.GenderFemale,
			IDNumber: "360321200307300646", Phone: "13979900064", Major: "520201", GradYear: 2025,
			HomeRegion: "360300", Status: record.StatusSeeking}},
		// The file gives 女, but the 17th digit 7 of the ID number means
		// male, so the row imports without a gender.
		{shangraoVocational, record.Person{Name: "吴佳怡",
			IDNumber: "361102200212080071", Phone: "18779300007", Major: "530701", GradYear: 2024,
			HomeRegion: "361100", Status: record.StatusEmployed}},
	}
	for _, c := range cases {
		t.Run(c.college, func(t *testing.T) {
			st := openTemp(t, c.college)
			res, err := ImportFile(st, caseFile("graduates-gbk.csv"), Options{})
			if err != nil {
				t.Fatalf("ImportFile: %v", err)
			}
			if res.Imported != 1 || res.Rejected != 2 {
				t.Errorf("Imported, Rejected = %d, %d, want 1, 2", res.Imported, res.Rejected)
			}
			got := personByIDNumber(t, st, c.want.IDNumber)
			c.want.ID, c.want.College = got.ID, c.college
			if got != c.want {
				t.Errorf("stored person = %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestGBKUserDefinedCharRejected(t *testing.T) {
	st := openTemp(t, jiangxiApplied)
	res, err := ImportFile(st, caseFile("graduates-gbk-user-defined-char.csv"), Options{})
	if err != nil {
		t.Fatalf("ImportFile: %v", err)
	}
	if res.Encoding != EncodingGB18030 {
		t.Errorf("Encoding = %q, want %q", res.Encoding, EncodingGB18030)
	}
	if res.Imported != 1 || res.Rejected != 1 {
		t.Errorf("Imported, Rejected = %d, %d, want 1, 1", res.Imported, res.Rejected)
	}
	if p := personByIDNumber(t, st, "360403200202170219"); p.Name != "王建华" {
		t.Errorf("first row name = %q, want 王建华", p.Name)
	}

	errs := errorsOfRow(res, 3)
	if len(errs) != 1 {
		t.Fatalf("row 3 errors = %+v, want one", errs)
	}
	if errs[0].Column != "姓名" {
		t.Errorf("row 3 error column = %q, want 姓名", errs[0].Column)
	}
	if !strings.HasPrefix(errs[0].Value, "李") {
		t.Errorf("row 3 error value = %q, want the name as decoded", errs[0].Value)
	}
	for _, part := range []string{"第 3 行", "“姓名”列", "编码无法表示"} {
		if !strings.Contains(errs[0].Message, part) {
			t.Errorf("message %q lacks %q", errs[0].Message, part)
		}
	}
	if n := st.Count(); n != 1 {
		t.Errorf("store holds %d persons, want 1", n)
	}
	checkNoUnrepresentable(t, st)
}

func TestMessyValuesNormalised(t *testing.T) {
	want := map[string]record.Person{
		"36012120020101099X": {Name: "李娜", Phone: "13807912345"},
		"360102200305140124": {Name: "张伟", Phone: "13907971111"},
		"360781200303280551": {Name: "周杰", Phone: "15070000055"},
		"360102200210101018": {Name: "阿依古丽·买买提", Phone: "13607910101"},
		"360102200206061033": {Name: "买买提·艾力", Phone: "13607910103"},
	}
	colleges := map[string]int{ // college code → rows of the file it owns
		"4136010839":     1, // 江西工业职业技术学院
		jiangxiTransport: 1,
		"4136014665":     1, // 赣州职业技术学院
		jiangxiFinance:   2,
	}

	imported := 0
	for college, rows := range colleges {
		st := openTemp(t, college)
		res, err := ImportFile(st, caseFile("graduates-messy-values.csv"), Options{})
		if err != nil {
			t.Fatalf("ImportFile on %s: %v", college, err)
		}
		if res.Imported != rows || res.Rejected != 5-rows {
			t.Errorf("on %s: Imported, Rejected = %d, %d, want %d, %d", college, res.Imported, res.Rejected, rows, 5-rows)
		}
		for _, e := range res.Errors {
			if e.Column != "院校" {
				t.Errorf("on %s: unexpected error %+v", college, e)
			}
		}
		for _, p := range st.Persons() {
			w, ok := want[p.IDNumber]
			if !ok {
				t.Errorf("on %s: stored ID number %q, want one of the normalised forms", college, p.IDNumber)
				continue
			}
			if p.Name != w.Name || p.Phone != w.Phone {
				t.Errorf("on %s: stored %q, %q for %s, want %q, %q", college, p.Name, p.Phone, p.IDNumber, w.Name, w.Phone)
			}
			imported++
		}
		if college == jiangxiFinance {
			checkMiddleDotSearch(t, st)
		}
	}
	if imported != 5 {
		t.Errorf("imported %d persons over all colleges, want 5", imported)
	}
}

// checkMiddleDotSearch checks that both spellings of a middle dot find the
// two people whose names have one.
func checkMiddleDotSearch(t *testing.T, st interface {
	Search(string, int) []record.Person
}) {
	t.Helper()
	for _, c := range []struct{ query, want string }{
		{"阿依古丽·买买提", "阿依古丽·买买提"},
		{"阿依古丽•买买提", "阿依古丽·买买提"},
		{"买买提·艾力", "买买提·艾力"},
		{"买买提•艾力", "买买提·艾力"},
	} {
		found := st.Search(c.query, 10)
		if len(found) != 1 || found[0].Name != c.want {
			t.Errorf("Search(%q) = %v, want %s", c.query, found, c.want)
		}
	}
	if found := st.Search("买买提", 10); len(found) != 2 {
		t.Errorf("Search(买买提) found %d persons, want 2", len(found))
	}
}

func TestIDNumbersStoredAsNumbersRejected(t *testing.T) {
	st := openTemp(t, jiangxiTransport)
	res, err := ImportFile(st, caseFile("graduates-id-as-number.xlsx"), Options{})
	if err != nil {
		t.Fatalf("ImportFile: %v", err)
	}
	if res.Sheet != "毕业生名单" {
		t.Errorf("Sheet = %q, want 毕业生名单", res.Sheet)
	}
	if res.Rows != 3 || res.Imported != 0 || res.Rejected != 3 {
		t.Errorf("Rows, Imported, Rejected = %d, %d, %d, want 3, 0, 3", res.Rows, res.Imported, res.Rejected)
	}
	if n := st.Count(); n != 0 {
		t.Errorf("store holds %d persons, want 0: an ID number was guessed", n)
	}

	idCells := map[int][2]string{ // row → value in the file, as Excel shows it
		2: {"360102200305140000", "3.60102E+17"},
		3: {"360702200209210000", "3.60702E+17"},
		4: {"360502200311030000", "3.60502E+17"},
	}
	for row, v := range idCells {
		var idErr *RowError
		for _, e := range errorsOfRow(res, row) {
			if e.Column == "身份证号" {
				idErr = &e
			}
		}
		if idErr == nil {
			t.Errorf("row %d has no 身份证号 error", row)
			continue
		}
		if idErr.Value != v[0] {
			t.Errorf("row %d value = %q, want %q as the file holds it", row, idErr.Value, v[0])
		}
		for _, part := range []string{"第 " + itoa(row) + " 行", "“身份证号”列", v[1], "“文本”", "重新输入"} {
			if !strings.Contains(idErr.Message, part) {
				t.Errorf("row %d message %q lacks %q", row, idErr.Message, part)
			}
		}
	}

	// The error list saves as a workbook the clerk can open.
	out := filepath.Join(t.TempDir(), "errors.xlsx")
	if err := WriteErrors(out, res.Errors); err != nil {
		t.Fatalf("WriteErrors: %v", err)
	}
	rows := readSheet(t, out, "导入问题")
	if got := strings.Join(rows[0], ","); got != "行号,列,原值,问题" {
		t.Errorf("error list header = %q, want 行号,列,原值,问题", got)
	}
	if len(rows) != len(res.Errors)+1 {
		t.Fatalf("error list has %d rows, want %d", len(rows), len(res.Errors)+1)
	}
	first := res.Errors[0]
	if got := rows[1]; got[0] != itoa(first.Row) || got[1] != first.Column || got[2] != first.Value || got[3] != first.Message {
		t.Errorf("error list row 2 = %q, want %d, %q, %q, %q", got, first.Row, first.Column, first.Value, first.Message)
	}
}

func TestDatesExcelCells(t *testing.T) {
	cells, err := ReadCells(caseFile("dates-excel-cells.xlsx"))
	if err != nil {
		t.Fatalf("ReadCells: %v", err)
	}
	cases := []struct {
		row    int
		number bool
		want   string
	}{
		{2, true, "2003-05-14"}, // built-in short date format 14
		{3, true, "2003-05-14"}, // custom format yyyy"年"m"月"d"日"
		{4, false, "2003-05"},   // the text 2003.05: a month
	}
	for _, c := range cases {
		cell := cells[c.row-1][1]
		if cell.Number != c.number {
			t.Errorf("row %d Number = %v, want %v", c.row, cell.Number, c.number)
		}
		d, err := cell.AsDate()
		if err != nil || d.String() != c.want {
			t.Errorf("row %d AsDate() = %v, %v, want %s", c.row, d, err, c.want)
		}
	}
	if d := cells[3][1]; !d.Date.IsZero() {
		t.Errorf("text cell 2003.05 has Date %v, want none", d.Date)
	}
}

func TestDatesCSV(t *testing.T) {
	cells, err := ReadCells(caseFile("dates.csv"))
	if err != nil {
		t.Fatalf("ReadCells: %v", err)
	}
	want := []string{"2022-06-30", "2022-06-30", "2022-06", "2022-06-30", "2022-06-30", "2022-06-30"}
	if len(cells) != len(want)+1 {
		t.Fatalf("read %d rows, want %d", len(cells), len(want)+1)
	}
	for i, w := range want {
		cell := cells[i+1][0]
		d, err := cell.AsDate()
		if err != nil || d.String() != w {
			t.Errorf("%q: AsDate() = %v, %v, want %s", cell.Text, d, err, w)
		}
		if w == "2022-06-30" && d.Chinese() != "2022年6月30日" {
			t.Errorf("%q shows as %q, want 2022年6月30日", cell.Text, d.Chinese())
		}
	}
}

func TestDate1904Workbook(t *testing.T) {
	// 2003-05-14 is serial 37755 in the 1900 system and 36293 in 1904.
	date1904 := true
	path := writeXLSX(t, []string{"Sheet1"}, map[string][][]xlsxCell{
		"Sheet1": {{"日期", "月份", "序号"}, {36293, 36293, 36293}},
	}, &excelize.WorkbookPropsOptions{Date1904: &date1904}, func(f *excelize.File, sheet string, row, col int) int {
		if row == 1 {
			return 0
		}
		var s *excelize.Style
		switch col {
		case 1:
			s = &excelize.Style{NumFmt: 14}
		case 2:
			code := `yyyy"年"m"月"`
			s = &excelize.Style{CustomNumFmt: &code}
		default:
			return 0
		}
		id, err := f.NewStyle(s)
		if err != nil {
			t.Fatal(err)
		}
		return id
	})

	cells, err := ReadCells(path)
	if err != nil {
		t.Fatalf("ReadCells: %v", err)
	}
	row := cells[1]
	if got := row[0].Date; got != (validate.Date{Year: 2003, Month: 5, Day: 14}) {
		t.Errorf("date cell = %v, want 2003-05-14", got)
	}
	if got := row[1].Date; got != (validate.Date{Year: 2003, Month: 5}) {
		t.Errorf("month cell = %v, want the month 2003-05", got)
	}
	if got := row[2]; !got.Number || !got.Date.IsZero() || got.Text != "36293" {
		t.Errorf("number cell = %+v, want the number 36293 without a date", got)
	}
}

// readSheet returns the formatted rows of a sheet of a workbook.
func readSheet(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("reading sheet %s: %v", sheet, err)
	}
	return rows
}
