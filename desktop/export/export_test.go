package export

import (
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"mobilefactory/desktop/importer"
	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/access"
	"mobilefactory/shared/demo"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/sheet"
)

const testCollege = "4136012941" // 江西财经职业学院

// openTemp opens a store in a temporary folder, enrolled for testCollege
// with role, and checks the file's integrity when the test ends.
func openTemp(t *testing.T, role access.Role) *store.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "client.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("store.Open(%s): %v", path, err)
	}
	_, key, _ := ed25519.GenerateKey(nil)
	if err := st.SetIdentity(store.Identity{Device: st.Device(), College: testCollege, Role: string(role), PrivateKey: key}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Check(); err != nil {
			t.Errorf("store integrity: %v", err)
		}
		st.Close()
	})
	return st
}

// handMade are persons whose values test the edges of the round trip: a
// student number with a leading zero, a name with a middle dot, consent
// withdrawn and never asked, and an address the import does not carry.
var handMade = []record.Person{
	{Name: "阿依古丽·买买提", Gender: record.GenderFemale, IDNumber: "360102199903152023", Phone: "13907971111",
		StudentNo: "0012024001", Major: "510203", GradYear: 2024, HomeRegion: "360121", Status: record.StatusEmployed,
		WorkRegion: "360102", Employer: "南昌甲公司", Address: "江西省南昌市红谷滩区丰和中大道1188号",
		Consent: record.ConsentWithdrawn},
	{Name: "刘芳", IDNumber: "360102199801013049", GradYear: 2025, Status: record.StatusSeeking},
}

// seedPeople saves the hand-made persons and n demo persons in st and
// returns them as stored.
func seedPeople(t *testing.T, st *store.Store, n int) []record.Person {
	t.Helper()
	persons := append([]record.Person(nil), handMade...)
	for _, p := range demo.Generate(demo.Options{People: n, Seed: 7}).Persons {
		p.ID, p.College = "", ""
		persons = append(persons, p)
	}
	saved, err := st.SavePersons(persons)
	if err != nil {
		t.Fatalf("SavePersons: %v", err)
	}
	return saved
}

// importedFields are the person fields an import carries.
var importedFields = []string{
	record.FieldName, record.FieldGender, record.FieldIDNumber, record.FieldPhone, record.FieldStudentNo,
	record.FieldMajor, record.FieldGradYear, record.FieldHomeRegion, record.FieldStatus,
	record.FieldWorkRegion, record.FieldEmployer, record.FieldAddress, record.FieldConsent,
}

// Exporting the person list unmasked and importing the file into an
// empty store of the same college gives the same people, field by field.
func TestPeopleRoundTrip(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	src := openTemp(t, access.Clerk)
	saved := seedPeople(t, src, 300)
	path := filepath.Join(t.TempDir(), "人才名单.xlsx")
	n, err := WritePeople(src, src.Persons(), path, Unmasked)
	if err != nil {
		t.Fatalf("WritePeople: %v", err)
	}
	if n != len(saved) {
		t.Fatalf("WritePeople wrote %d rows, want %d", n, len(saved))
	}

	dst := openTemp(t, access.Clerk)
	res, err := importer.ImportFile(dst, path, importer.Options{})
	if err != nil {
		t.Fatalf("ImportFile: %v", err)
	}
	for _, e := range res.Errors {
		t.Errorf("import error: %s", e.Message)
	}
	if res.Imported != len(saved) {
		t.Errorf("imported %d persons, want %d", res.Imported, len(saved))
	}
	if len(res.Ignored) != 0 {
		t.Errorf("ignored columns = %q, want none", res.Ignored)
	}

	for _, want := range saved {
		got, ok := dst.PersonByIDNumber(want.IDNumber)
		if !ok {
			t.Errorf("person %s (%s) missing after the round trip", want.Name, display.MaskID(want.IDNumber))
			continue
		}
		gotFields, wantFields := got.Fields(), want.Fields()
		for _, field := range importedFields {
			if gotFields[field] != wantFields[field] {
				t.Errorf("person %s field %s = %q after the round trip, want %q", want.Name, field, gotFields[field], wantFields[field])
			}
		}
	}
}

// cellValues returns every cell of the first sheet of an xlsx file.
func cellValues(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestPeopleMaskedHoldsNoPersonalNumbers(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	st := openTemp(t, access.Clerk)
	saved := seedPeople(t, st, 50)
	path := filepath.Join(t.TempDir(), "masked.xlsx")
	if _, err := WritePeople(st, st.Persons(), path, Masked); err != nil {
		t.Fatalf("WritePeople: %v", err)
	}
	rows := cellValues(t, path)
	all := ""
	for _, row := range rows {
		all += strings.Join(row, "\t") + "\n"
	}
	for _, p := range saved {
		if strings.Contains(all, p.IDNumber) {
			t.Errorf("masked export contains the ID number of %s", p.Name)
		}
		if p.Phone != "" && strings.Contains(all, p.Phone) {
			t.Errorf("masked export contains the phone of %s", p.Name)
		}
	}
	if strings.Contains(all, "丰和中大道1188号") {
		t.Error("masked export contains the street address")
	}
	// The first person's row in the list's order, as the screen masks it.
	header := rows[0]
	first := rowOf(t, rows, "阿依古丽·买买提")
	checks := map[string]string{"身份证号": "3601**********2023", "手机号码": "139****1111", "地址": "江西省南昌市红谷滩区***"}
	for column, want := range checks {
		if got := first[indexOf(header, column)]; got != want {
			t.Errorf("masked %s = %q, want %q", column, got, want)
		}
	}
	if events := accessEvents(t, st); len(events) != 0 {
		t.Errorf("masked export recorded %d access events, want 0", len(events))
	}
}

func TestPeopleHeaderAndValues(t *testing.T) {
	i18n.SetLocale(i18n.English) // the people table is Chinese in every locale
	defer i18n.SetLocale(i18n.Chinese)
	table := People(handMade, Unmasked)
	var headers []string
	for _, c := range table.Columns {
		headers = append(headers, c.Header)
	}
	want := "姓名|学号|身份证号|同意入库|性别|手机号码|专业|毕业年份|生源地|就业状态|工作地区|工作单位|地址|技能|是否愿意回江西"
	if got := strings.Join(headers, "|"); got != want {
		t.Errorf("headers = %s, want %s", got, want)
	}
	wantRow := "阿依古丽·买买提|0012024001|360102199903152023|否|女|13907971111|软件技术|2024|江西省南昌市南昌县|已就业|江西省南昌市东湖区|南昌甲公司|江西省南昌市红谷滩区丰和中大道1188号||"
	if got := strings.Join(table.Rows[0], "|"); got != wantRow {
		t.Errorf("row 1 = %s\nwant    %s", got, wantRow)
	}
	for _, c := range table.Columns {
		isNumber := c.Header == "身份证号" || c.Header == "手机号码" || c.Header == "学号"
		if c.Text != isNumber {
			t.Errorf("column %s Text = %v, want %v", c.Header, c.Text, isNumber)
		}
	}
}

func TestPeopleLeavesOutErased(t *testing.T) {
	persons := []record.Person{{Name: "张三", IDNumber: "36012120020101099X"}, {Erased: "2026-01-05"}}
	if got := len(People(persons, Masked).Rows); got != 1 {
		t.Errorf("People of one live and one erased person has %d rows, want 1", got)
	}
}

// accessEvents returns the actions of the access events in st's outbox.
func accessEvents(t *testing.T, st *store.Store) []string {
	t.Helper()
	changes, err := st.Outbox(0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, c := range changes {
		if c.Kind == record.KindAccess && c.Field == record.FieldAction {
			actions = append(actions, c.Value)
		}
	}
	return actions
}

func TestUnmaskedExportAudited(t *testing.T) {
	st := openTemp(t, access.Reviewer)
	saved := seedPeople(t, st, 10)
	if _, err := WritePeople(st, st.Persons(), filepath.Join(t.TempDir(), "full.xlsx"), Unmasked); err != nil {
		t.Fatalf("WritePeople: %v", err)
	}
	events := accessEvents(t, st)
	if len(events) != len(saved) {
		t.Fatalf("unmasked export recorded %d access events, want %d", len(events), len(saved))
	}
	for _, action := range events {
		if action != record.AccessExport {
			t.Errorf("access event action = %q, want %q", action, record.AccessExport)
		}
	}
}

func TestExistingFileNotAudited(t *testing.T) {
	st := openTemp(t, access.Clerk)
	seedPeople(t, st, 3)
	path := filepath.Join(t.TempDir(), "taken.xlsx")
	if err := os.WriteFile(path, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := WritePeople(st, st.Persons(), path, Unmasked)
	if !errors.Is(err, sheet.ErrExists) {
		t.Fatalf("WritePeople over a file: %v, want sheet.ErrExists", err)
	}
	if events := accessEvents(t, st); len(events) != 0 {
		t.Errorf("refused export recorded %d access events, want 0", len(events))
	}
}

func TestCheckRole(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	cases := []struct {
		role access.Role
		view Masking
		ok   bool
	}{
		{access.Clerk, Unmasked, true},
		{access.Reviewer, Unmasked, true},
		{access.Central, Unmasked, true},
		{access.Fair, Unmasked, false},
		{"", Unmasked, false},
		{access.Fair, Masked, true},
	}
	for _, c := range cases {
		err := CheckRole(c.role, c.view)
		if (err == nil) != c.ok {
			t.Errorf("CheckRole(%q, %v) = %v, want ok %v", c.role, c.view, err, c.ok)
		}
	}
	if err := CheckRole(access.Fair, Unmasked); err == nil || !strings.Contains(err.Error(), "招聘会工作人员") {
		t.Errorf("CheckRole(fair, unmasked) = %v, want it to name the role 招聘会工作人员", err)
	}
}

func TestFreePathAddsNumber(t *testing.T) {
	dir := t.TempDir()
	name := FileName("export.list.people", time.Date(2026, 12, 5, 9, 0, 0, 0, time.Local))
	if name != "人才名单-20261205.xlsx" {
		t.Fatalf("FileName = %q, want 人才名单-20261205.xlsx", name)
	}
	for i, want := range []string{"人才名单-20261205.xlsx", "人才名单-20261205-2.xlsx", "人才名单-20261205-3.xlsx"} {
		path, err := FreePath(dir, name)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(path) != want {
			t.Errorf("FreePath call %d = %s, want %s", i+1, filepath.Base(path), want)
		}
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func rowOf(t *testing.T, rows [][]string, name string) []string {
	t.Helper()
	for _, row := range rows {
		if len(row) > 0 && row[0] == name {
			return row
		}
	}
	t.Fatalf("no row for %s", name)
	return nil
}

func indexOf(header []string, column string) int {
	for i, h := range header {
		if h == column {
			return i
		}
	}
	return -1
}

// The ID number, phone and student number cells of an exported list are
// text cells with the text format, so Excel shows all 18 digits.
func TestPeopleNumberCellsAreText(t *testing.T) {
	st := openTemp(t, access.Clerk)
	seedPeople(t, st, 5)
	path := filepath.Join(t.TempDir(), "people.xlsx")
	if _, err := WritePeople(st, st.Persons(), path, Unmasked); err != nil {
		t.Fatalf("WritePeople: %v", err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheetName := f.GetSheetName(0)
	// Columns B, C and F are 学号, 身份证号 and 手机号码.
	for _, cell := range []string{"B2", "C2", "F2", "B3", "C3", "F3"} {
		typ, err := f.GetCellType(sheetName, cell)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeInlineString {
			t.Errorf("cell %s type = %v, want an inline string", cell, typ)
		}
		styleID, err := f.GetCellStyle(sheetName, cell)
		if err != nil {
			t.Fatal(err)
		}
		style, err := f.GetStyle(styleID)
		if err != nil {
			t.Fatal(err)
		}
		if style.NumFmt != sheet.TextFormat {
			t.Errorf("cell %s number format = %d, want %d", cell, style.NumFmt, sheet.TextFormat)
		}
	}
	header, err := f.GetCellValue(sheetName, "C1")
	if err != nil {
		t.Fatal(err)
	}
	if header != "身份证号" {
		t.Errorf("C1 = %q, want 身份证号", header)
	}
}
