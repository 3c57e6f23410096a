package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"mobilefactory/shared/record"
)

func TestSavePersonStoresNormalisedValues(t *testing.T) {
	st := openStore(t, true)
	other := savePerson(t, st, record.Person{Name: "王芳", IDNumber: validID(t, "36040319990512002"), StudentNo: "JXCJ2024002"})
	h := newHarness(t, st, Options{})
	page := h.w.main.page

	test.Type(page.name, "李志明")
	page.gender.SetSelectedIndex(0)
	test.Type(page.idNumber, "36012120020101099x")
	test.Type(page.phone, "+86 138-0791-2345")
	test.Type(page.studentNo, "JXCJ2024001")
	test.Type(page.major, "软件技术") // a catalogue name typed without choosing from the list
	test.Type(page.gradYear, "2024届")
	page.homeRegion.SetText("360121 江西省南昌市南昌县") // as chosen from the drop-down
	page.status.SetSelectedIndex(1)
	test.Tap(page.save)
	h.queue.flush()

	if got := st.Count(); got != 2 {
		t.Fatalf("Count() after saving = %d, want 2", got)
	}
	saved, err := st.Person(page.id)
	if err != nil {
		t.Fatalf("Person(page id %q): %v", page.id, err)
	}
	want := record.Person{ID: page.id, College: testCollege, Name: "李志明", Gender: record.GenderMale,
		IDNumber: "36012120020101099X", Phone: "13807912345", StudentNo: "JXCJ2024001", Major: "510203",
		GradYear: 2024, HomeRegion: "360121", Status: record.StatusSeeking}
	if saved != want {
		t.Errorf("stored person = %+v, want %+v", saved, want)
	}
	// A saved person shows masked, read-only personal values.
	if got := page.idNumber.Text; got != "3601**********099X" {
		t.Errorf("ID entry after save = %q, want the masked 3601**********099X", got)
	}
	if !page.idNumber.Disabled() {
		t.Errorf("ID entry after save is editable, want read-only until revealed")
	}
	if got := page.major.Text; got != "510203 软件技术" {
		t.Errorf("major entry after save = %q, want 510203 软件技术", got)
	}

	persons := h.w.main.persons
	if persons.selected < 0 || persons.results[persons.selected].ID != page.id {
		t.Errorf("list selection after save = row %d, want the saved person's row", persons.selected)
	}
	if got, want := persons.count.Text, "共 2 人"; got != want {
		t.Errorf("count = %q, want %q", got, want)
	}

	test.Type(persons.search, "lzm")
	if got := persons.list.Length(); got != 1 {
		t.Fatalf("rows for search lzm = %d, want 1", got)
	}
	if got, want := rowText(persons, 0), "李志明  JXCJ2024001  3601**********099X"; got != want {
		t.Errorf("row 0 for search lzm = %q, want %q", got, want)
	}
	if got, want := persons.count.Text, "找到 1 人（共 2 人）"; got != want {
		t.Errorf("count for search lzm = %q, want %q", got, want)
	}

	persons.search.SetText("")
	test.Type(persons.search, other.IDNumber[14:])
	if got := persons.list.Length(); got != 1 || persons.results[0].ID != other.ID {
		t.Errorf("search by the last 4 ID digits of 王芳 found %d rows, want 王芳 alone", got)
	}
}

func TestInvalidIDShowsMessageAndSavesNothing(t *testing.T) {
	st := openStore(t, true)
	h := newHarness(t, st, Options{})
	page := h.w.main.page

	test.Type(page.name, "张三")
	test.Type(page.idNumber, "110105200001011060")
	test.Tap(page.save)
	h.queue.flush()

	want := "身份证号“110105200001011060”的校验位不正确，应为 X，请核对后重新输入"
	if got := page.form.errorText(record.FieldIDNumber); got != want {
		t.Errorf("message under the ID number = %q, want %q", got, want)
	}
	if got := page.form.errorText(record.FieldName); got != "" {
		t.Errorf("message under the valid name = %q, want none", got)
	}
	if got := st.Count(); got != 0 {
		t.Errorf("Count() after an invalid save = %d, want 0", got)
	}
	if got := st.Pending(); got != 0 {
		t.Errorf("Pending() after an invalid save = %d, want 0", got)
	}

	// Correcting the check character saves and clears the message.
	page.idNumber.SetText("11010520000101106X")
	test.Tap(page.save)
	h.queue.flush()
	if got := page.form.errorText(record.FieldIDNumber); got != "" {
		t.Errorf("message under the corrected ID number = %q, want none", got)
	}
	if got := st.Count(); got != 1 {
		t.Errorf("Count() after the corrected save = %d, want 1", got)
	}
}

func TestInvalidFieldsEachShowMessage(t *testing.T) {
	st := openStore(t, true)
	h := newHarness(t, st, Options{})
	page := h.w.main.page

	test.Type(page.phone, "12345")
	test.Type(page.gradYear, "1999")
	test.Type(page.major, "不存在的专业")
	test.Tap(page.save)
	h.queue.flush()

	cases := []struct{ field, want string }{
		{record.FieldName, "请填写姓名"},
		{record.FieldIDNumber, "请填写身份证号"},
		{record.FieldPhone, "手机号码“12345”有 5 位数字，应为 11 位，请核对后重新输入"},
		{record.FieldGradYear, "毕业年份“1999”不在 2000 至 2100 之间，请核对"},
		{record.FieldMajor, "专业“不存在的专业”不在专业目录中，请填写目录中的专业名称或 6 位专业代码，如“软件技术”或 510203"},
	}
	for _, c := range cases {
		if got := page.form.errorText(c.field); got != c.want {
			t.Errorf("message under %s = %q, want %q", c.field, got, c.want)
		}
	}
	if got := st.Count(); got != 0 {
		t.Errorf("Count() = %d, want 0", got)
	}
}

// Skills and the wish to return are on the form, so a clerk's save keeps
// what an import or the demo stored and can change them.
func TestPersonFormKeepsSkillsAndReturn(t *testing.T) {
	st := openStore(t, true)
	stored := savePerson(t, st, record.Person{Name: "李志明", IDNumber: validID(t, "36012120020101099"),
		Skills: "焊接、电工", WillReturn: record.WillReturnYes})
	h := newHarness(t, st, Options{})
	page := h.w.main.page
	page.load(stored)
	if page.skills.Text != "焊接、电工" || page.willReturn.Selected != "愿意" {
		t.Fatalf("form shows skills %q, return %q; want 焊接、电工 and 愿意", page.skills.Text, page.willReturn.Selected)
	}

	page.skills.SetText("焊接，电工；CAD制图")
	page.willReturn.SetSelectedIndex(1)
	test.Tap(page.save)
	h.queue.flush()
	saved, err := st.Person(stored.ID)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Skills != "焊接、电工、CAD制图" || saved.WillReturn != record.WillReturnNo {
		t.Errorf("stored skills %q, return %q; want 焊接、电工、CAD制图 and %s", saved.Skills, saved.WillReturn, record.WillReturnNo)
	}
}
