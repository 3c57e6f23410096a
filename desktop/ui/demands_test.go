package ui

import (
	"fmt"
	"reflect"
	"testing"

	"fyne.io/fyne/v2/test"

	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

// A central office clerk adds a job demand for an employer of the
// directory. The list row then names the employer, occupation, region,
// headcount, salary and season.
func TestDemandAdd(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	employer := seedEmployer(t, st, hongdu)
	h := newHarness(t, st, Options{})
	v, _ := directoryTab[*demandsView](t, h)
	h.queue.flush()

	test.Tap(v.pane.add)
	d := v.dialog
	if d == nil {
		t.Fatal("新增岗位需求 opened no dialog")
	}
	test.Type(d.employer, "91350100")
	if got, want := d.offered, []string{"江西洪都数控机械有限公司（91350100M000100Y43）"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("employer options after typing a credit code prefix %q, want %q", got, want)
	}
	d.employer.SetText(d.offered[0])
	test.Type(d.title, "数控车床操作工")
	d.occupation.SetText("车工")
	d.majors.picker.SetText("460103 数控技术")
	test.Tap(d.majors.add)
	d.majors.picker.SetText("4601")
	test.Tap(d.majors.add)
	d.certificates.SetText("数控车工:中级")
	d.region.SetText("360111 江西省南昌市青山湖区")
	test.Type(d.headcount, "20")
	test.Type(d.salaryMin, "6500")
	test.Type(d.salaryMax, "4500")
	test.Type(d.months, "3-6")
	test.Tap(d.save)
	h.queue.flush()

	if got, want := d.form.errorText(record.FieldSalaryMax), "最高月薪 4500 元低于最低月薪 6500 元，请核对"; got != want {
		t.Errorf("salary message %q, want %q", got, want)
	}
	d.salaryMin.SetText("4500")
	d.salaryMax.SetText("6500")
	test.Tap(d.save)
	h.queue.flush()

	demands, err := st.Demands()
	if err != nil || len(demands) != 1 {
		t.Fatalf("Demands() = %+v, %v; want one", demands, err)
	}
	want := record.Demand{ID: demands[0].ID, Scope: record.ProvinceScope, Employer: employer.ID,
		Title: "数控车床操作工", Occupation: "6-18-01-01", Majors: []string{"460103", "4601"},
		Certificates: []record.DemandCertificate{{Title: "数控车工", SkillLevel: "4"}},
		Region:       "360111", Headcount: 20, SalaryMin: 4500, SalaryMax: 6500, Months: []int{3, 4, 5, 6},
		Status: record.DemandOpen}
	if !reflect.DeepEqual(demands[0], want) {
		t.Errorf("stored demand\n got %+v\nwant %+v", demands[0], want)
	}

	if len(v.shown) != 1 {
		t.Fatalf("the list shows %d demands, want 1", len(v.shown))
	}
	row := v.pane.list.CreateItem()
	v.pane.list.UpdateItem(0, row)
	title, status, detail := demandRowParts(row)
	if title.Text != "数控车床操作工" || status.Text != "招聘中" {
		t.Errorf("row title %q status %q, want 数控车床操作工 招聘中", title.Text, status.Text)
	}
	if want := "江西洪都数控机械有限公司  车工  江西省南昌市青山湖区  20人  4500–6500元/月  3–6月"; detail.Text != want {
		t.Errorf("row detail %q, want %q", detail.Text, want)
	}
}

// A clerk's device shows both lists, read-only: no add, edit or delete.
func TestDirectoryClerkReadOnly(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	employer := seedEmployer(t, st, hongdu)
	if _, err := st.SaveDemand(record.Demand{Employer: employer.ID, Title: "电工", Headcount: 3,
		Status: record.DemandClosed}); err != nil {
		t.Fatal(err)
	}
	ident, _ := st.Identity()
	ident.Role = string(access.Clerk)
	if err := st.SetIdentity(ident); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, st, Options{})
	employers, _ := directoryTab[*employersView](t, h)
	demands, _ := directoryTab[*demandsView](t, h)
	h.queue.flush()

	for name, pane := range map[string]*directoryPane{"用人单位": employers.pane, "岗位需求": demands.pane} {
		if pane.add != nil || pane.edit != nil || pane.remove != nil {
			t.Errorf("%s on a clerk's device has add %v, edit %v, delete %v; want none", name, pane.add, pane.edit, pane.remove)
		}
		if pane.export == nil {
			t.Errorf("%s on a clerk's device has no export", name)
		}
	}
	if len(employers.shown) != 1 || employers.shown[0].employer.Name != hongdu.Name {
		t.Errorf("employers listed %+v, want %s", employers.shown, hongdu.Name)
	}
	if len(demands.shown) != 1 || demands.shown[0].status() != "已结束" {
		t.Errorf("demands listed %+v, want 电工 已结束", demands.shown)
	}
}

func TestMonthRuns(t *testing.T) {
	tests := []struct {
		months []int
		want   string
	}{
		{[]int{3, 4, 5, 6}, "3–6"},
		{[]int{3, 4, 5, 6, 9}, "3–6、9"},
		{[]int{1, 2, 11, 12}, "11–2"},
		{[]int{7}, "7"},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, "1–12"},
	}
	for _, tt := range tests {
		if got := monthRuns(tt.months); got != tt.want {
			t.Errorf("monthRuns(%v) = %q, want %q", tt.months, got, tt.want)
		}
	}
}

// TestDemandListImage compares the 岗位需求 tab with three demands to a
// reference image in testdata. Delete the image to make a new one.
func TestDemandListImage(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	hongduSaved := seedEmployer(t, st, hongdu)
	jiujiang := seedEmployer(t, st, record.Employer{Name: "九江石化设备有限公司", CreditCode: "91440300708461136T", Region: "360400"})
	for _, d := range []record.Demand{
		{Employer: hongduSaved.ID, Title: "数控车床操作工", Occupation: "6-18-01-01", Region: "360111",
			Headcount: 20, SalaryMin: 4500, SalaryMax: 6500, Months: []int{3, 4, 5, 6}},
		{Employer: jiujiang.ID, Title: "设备维修电工", Occupation: "6-31-01-03", Region: "360402",
			Headcount: 5, SalaryMin: 5000, Start: "2026-07-01", End: "2026-12-31"},
		{Employer: hongduSaved.ID, Title: "质检员", Region: "360111", Headcount: 2, Status: record.DemandClosed},
	} {
		if _, err := st.SaveDemand(d); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, st, Options{})
	_, item := directoryTab[*demandsView](t, h)
	h.w.main.tabs.Select(item)
	h.queue.flush()

	test.AssertImageMatches(t, "demand_list.png", h.win.Canvas().Capture())
}

// The employer picker of the demand form lists employers in pinyin order,
// narrows them by name or credit code as the user types, rejects a name
// of no employer, and shows a stored demand's certificate levels by name.
func TestDemandEmployerPicker(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	// In character code order 中 < 九 < 安 < 赣; in pinyin order the
	// picker must list 安 (an), 赣 (gan), 九 (jiu), 中 (zhong).
	zhongtie := seedEmployer(t, st, record.Employer{Name: "中铁建工集团江西分公司", CreditCode: "91360000158260412K", Region: "360100"})
	seedEmployer(t, st, record.Employer{Name: "九江石化设备有限公司", CreditCode: "91440300708461136T", Region: "360400"})
	seedEmployer(t, st, record.Employer{Name: "安义铝材厂", CreditCode: "91360123MA38XXXX1A", Region: "360123"})
	seedEmployer(t, st, record.Employer{Name: "赣州稀土材料厂", CreditCode: "9111000071093123XX", Region: "360700"})
	demand, err := st.SaveDemand(record.Demand{Employer: zhongtie.ID, Title: "焊工", Headcount: 4,
		Certificates: []record.DemandCertificate{{Title: "焊工", SkillLevel: "4"}, {Title: "电工"}}})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, st, Options{})
	v, _ := directoryTab[*demandsView](t, h)
	h.queue.flush()

	test.Tap(v.pane.add)
	d := v.dialog
	want := []string{"安义铝材厂（91360123MA38XXXX1A）", "赣州稀土材料厂（9111000071093123XX）",
		"九江石化设备有限公司（91440300708461136T）", "中铁建工集团江西分公司（91360000158260412K）"}
	if !reflect.DeepEqual(d.offered, want) {
		t.Errorf("employer options before typing\n got %q\nwant %q", d.offered, want)
	}
	test.Type(d.employer, "材")
	if want := []string{"安义铝材厂（91360123MA38XXXX1A）", "赣州稀土材料厂（9111000071093123XX）"}; !reflect.DeepEqual(d.offered, want) {
		t.Errorf("employer options for 材 %q, want %q", d.offered, want)
	}
	d.employer.SetText("南昌不存在公司")
	test.Type(d.title, "焊工")
	test.Type(d.headcount, "2")
	test.Tap(d.save)
	h.queue.flush()
	if got, want := d.form.errorText(record.FieldEmployer), "“南昌不存在公司”不是唯一的一家用人单位，请输入单位名称或统一社会信用代码，再从下拉列表中选择"; got != want {
		t.Errorf("employer message %q, want %q", got, want)
	}
	// A credit code typed in lower case names its employer too.
	d.employer.SetText("91360000158260412k")
	test.Tap(d.save)
	h.queue.flush()
	demands, err := st.Demands()
	if err != nil || len(demands) != 2 || demands[0].Employer != zhongtie.ID {
		t.Fatalf("Demands() = %+v, %v; want the new demand of %s first", demands, err, zhongtie.ID)
	}

	edit := h.w.showDemandDialog(demand, v.employers, nil, func() {})
	if got, want := edit.certificates.Text, "焊工:中级\n电工"; got != want {
		t.Errorf("certificates of a stored demand %q, want %q", got, want)
	}
	if got, want := edit.certificates.PlaceHolder, "每行一个证书，如 数控车工:中级，不限等级时只写证书名称"; got != want {
		t.Errorf("certificates placeholder %q, want %q", got, want)
	}
	if got, want := edit.employer.Text, "中铁建工集团江西分公司（91360000158260412K）"; got != want {
		t.Errorf("employer of a stored demand %q, want %q", got, want)
	}
	if got := employerOptions(edit.employers, edit.employer.Text, maxPickerOptions); !reflect.DeepEqual(got, []string{edit.employer.Text}) {
		t.Errorf("employer options for the chosen label %q, want only that label", got)
	}
}

// After a search narrows the 岗位需求 list, it shows its first row, not
// the offset the longer list was scrolled to.
func TestDemandSearchScrollsToTop(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	employer := seedEmployer(t, st, hongdu)
	for i := range 60 {
		if _, err := st.SaveDemand(record.Demand{Employer: employer.ID, Title: fmt.Sprintf("岗位%02d", i), Headcount: 1}); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, st, Options{})
	v, item := directoryTab[*demandsView](t, h)
	h.w.main.tabs.Select(item)
	h.queue.flush()
	v.pane.list.ScrollToBottom()
	if v.pane.list.GetScrollOffset() == 0 {
		t.Fatal("the list of 60 demands did not scroll")
	}
	test.Type(v.pane.search, "岗位0")
	if len(v.shown) != 10 {
		t.Fatalf("the search shows %d demands, want 10", len(v.shown))
	}
	if got := v.pane.list.GetScrollOffset(); got != 0 {
		t.Errorf("after the search the list is scrolled to %v, want 0", got)
	}
}

// After a search narrows the 用人单位 list, it shows its first row too.
func TestEmployerSearchScrollsToTop(t *testing.T) {
	st := openStoreAs(t, string(access.Central))
	for i := range 60 {
		seedEmployer(t, st, record.Employer{Name: fmt.Sprintf("南昌制造%02d有限公司", i), Region: "360111"})
	}
	h := newHarness(t, st, Options{})
	v, item := directoryTab[*employersView](t, h)
	h.w.main.tabs.Select(item)
	h.queue.flush()
	v.pane.list.ScrollToBottom()
	if v.pane.list.GetScrollOffset() == 0 {
		t.Fatal("the list of 60 employers did not scroll")
	}
	test.Type(v.pane.search, "制造0")
	if len(v.shown) != 10 {
		t.Fatalf("the search shows %d employers, want 10", len(v.shown))
	}
	if got := v.pane.list.GetScrollOffset(); got != 0 {
		t.Errorf("after the search the list is scrolled to %v, want 0", got)
	}
}

// BenchmarkEmployerChoices builds the employer picker's options for as
// many employers as the provincial pool had when the picker was written
// (3,377). The 岗位需求 tab builds them off the UI goroutine at each reload.
func BenchmarkEmployerChoices(b *testing.B) {
	places := []rune("南昌九江赣州吉安宜春抚州上饶萍乡新余鹰潭景德镇")
	trades := []string{"数控机械", "石化设备", "稀土材料", "电子科技", "建工集团", "食品加工", "纺织服装"}
	employers := make([]record.Employer, 3377)
	for i := range employers {
		name := fmt.Sprintf("%c%c%s%d有限公司", places[i%len(places)], places[(i/7)%len(places)], trades[i%len(trades)], i)
		employers[i] = record.Employer{ID: fmt.Sprint(i), Name: name, CreditCode: fmt.Sprintf("91360100MA%08dX", i)}
	}
	b.ReportAllocs()
	for b.Loop() {
		if got := employerChoices(employers); len(got) != len(employers) {
			b.Fatalf("%d choices, want %d", len(got), len(employers))
		}
	}
}
