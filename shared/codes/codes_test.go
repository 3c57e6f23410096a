package codes

import (
	"slices"
	"testing"
)

func tables(t *testing.T) *Tables {
	t.Helper()
	tab, err := Load()
	if err != nil {
		t.Fatalf("Load() error: %v", err)
	}
	return tab
}

func countLevel(tab *Table, level string) int {
	n := 0
	for _, e := range tab.All() {
		if e.Level == level {
			n++
		}
	}
	return n
}

func TestTableCounts(t *testing.T) {
	tab := tables(t)
	tests := []struct {
		table *Table
		name  string
		level string
		want  int
	}{
		{tab.Regions, "regions", "", 3351},
		{tab.Regions, "regions", LevelProvince, 34},
		{tab.Regions, "regions", LevelPrefecture, 342},
		{tab.Regions, "regions", LevelCounty, 2975},
		{tab.Industries, "industries", "section", 20},
		{tab.Industries, "industries", "division", 97},
		{tab.Industries, "industries", "group", 473},
		{tab.Industries, "industries", "class", 1381},
		{tab.Occupations, "occupations", "major", 8},
		{tab.Occupations, "occupations", "middle", 79},
		{tab.Majors, "majors", "", 771},
		{tab.MajorClasses, "major classes", "", 97},
		{tab.MajorCategories, "major categories", "", 19},
		{tab.EmployerNature, "employer nature", "", 14},
	}
	for _, tt := range tests {
		got := tt.table.Len()
		if tt.level != "" {
			got = countLevel(tt.table, tt.level)
		}
		if got != tt.want {
			t.Errorf("%s level %q: count = %d, want %d", tt.name, tt.level, got, tt.want)
		}
	}
}

func TestRegionByCode(t *testing.T) {
	tab := tables(t)
	got, ok := tab.Regions.ByCode("360400")
	want := Entry{Code: "360400", Name: "九江市", Level: LevelPrefecture, Parent: "360000"}
	if !ok || got != want {
		t.Errorf("Regions.ByCode(360400) = %+v, %v; want %+v, true", got, ok, want)
	}
	if _, ok := tab.Regions.ByCode("369999"); ok {
		t.Error("Regions.ByCode(369999) found an entry, want none")
	}
}

func TestRegionByNameSeveral(t *testing.T) {
	tab := tables(t)
	got := tab.Regions.ByName("市辖区")
	if len(got) != 4 {
		t.Fatalf("Regions.ByName(市辖区) returned %d entries, want 4", len(got))
	}
	if got[0].Code != "110100" {
		t.Errorf("Regions.ByName(市辖区)[0].Code = %s, want 110100 (file order)", got[0].Code)
	}
}

func TestRegionChildren(t *testing.T) {
	tab := tables(t)
	var names []string
	for _, e := range tab.Regions.Children("360000") {
		names = append(names, e.Name)
	}
	want := []string{"南昌市", "景德镇市", "萍乡市", "九江市", "新余市", "鹰潭市",
		"赣州市", "吉安市", "宜春市", "抚州市", "上饶市"}
	if !slices.Equal(names, want) {
		t.Errorf("Regions.Children(360000) = %v, want %v", names, want)
	}
}

func TestRegionName(t *testing.T) {
	tab := tables(t)
	tests := []struct{ code, want string }{
		{"360000", "江西省"},
		{"360400", "江西省九江市"},
		{"360424", "江西省九江市修水县"},
		{"110101", "北京市东城区"}, // skips 市辖区
		{"429004", "湖北省仙桃市"}, // skips 省直辖县级行政区划
		{"999999", ""},
	}
	for _, tt := range tests {
		if got := tab.RegionName(tt.code); got != tt.want {
			t.Errorf("RegionName(%s) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestProvince(t *testing.T) {
	tab := tables(t)
	tests := []struct{ code, want string }{
		{"360424", "360000"},
		{"360400", "360000"},
		{"360000", "360000"},
		{"110101", "110000"},
	}
	for _, tt := range tests {
		got, ok := tab.Province(tt.code)
		if !ok || got.Code != tt.want {
			t.Errorf("Province(%s) = %+v, %v; want code %s", tt.code, got, ok, tt.want)
		}
	}
	if got, ok := tab.Province("000000"); ok {
		t.Errorf("Province(000000) = %+v, want not found", got)
	}
}

func TestLookupRegion(t *testing.T) {
	tab := tables(t)
	tests := []struct {
		name string
		want []string // codes
	}{
		{"九江市", []string{"360400"}},
		{" 九江市 ", []string{"360400"}},
		{"九江", []string{"360400"}},
		{"南昌", []string{"360100"}}, // 南昌市 beats 南昌县
		{"南昌县", []string{"360121"}},
		{"江西省九江市", []string{"360400"}},
		{"江西九江", []string{"360400"}},
		{"江西省九江市修水县", []string{"360424"}},
		{"九江修水", []string{"360424"}},
		{"江西", []string{"360000"}},
		{"北京市东城区", []string{"110101"}},
		{"西湖区", []string{"330106", "360103"}}, // file order
		{"江西省南昌市西湖区", []string{"360103"}},
		{"南昌西湖区", []string{"360103"}},
		{"不存在市", nil},
		{"", nil},
		{"市辖区", []string{"110100", "120100", "310100", "500100"}},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range tab.LookupRegion(tt.name) {
			got = append(got, e.Code)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("LookupRegion(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMajor(t *testing.T) {
	tab := tables(t)
	major, ok := tab.Majors.ByCode("510203")
	if !ok || major.Name != "软件技术" || major.Parent != "5102" {
		t.Errorf("Majors.ByCode(510203) = %+v, %v; want 软件技术 with parent 5102", major, ok)
	}
	class, ok := tab.MajorClass("510203")
	if !ok || class != (Entry{Code: "5102", Name: "计算机类", Level: "class", Parent: "51"}) {
		t.Errorf("MajorClass(510203) = %+v, %v; want 5102 计算机类 under 51", class, ok)
	}
	category, ok := tab.MajorCategory("510203")
	if !ok || category != (Entry{Code: "51", Name: "电子与信息大类", Level: "category"}) {
		t.Errorf("MajorCategory(510203) = %+v, %v; want 51 电子与信息大类", category, ok)
	}
	if _, ok := tab.MajorClass("999999"); ok {
		t.Error("MajorClass(999999) found a class, want none")
	}
}

func TestMajorCodeCase(t *testing.T) {
	tab := tables(t)
	got, ok := tab.Majors.ByCode("520101k")
	if !ok || got.Name != "临床医学" {
		t.Errorf("Majors.ByCode(520101k) = %+v, %v; want 临床医学", got, ok)
	}
}

func TestIndustry(t *testing.T) {
	tab := tables(t)
	got, ok := tab.Industries.ByCode("a")
	if !ok || got.Name != "农、林、牧、渔业" || got.Level != "section" {
		t.Errorf("Industries.ByCode(a) = %+v, %v; want section 农、林、牧、渔业", got, ok)
	}
	if n := len(tab.Industries.Children("A")); n != 5 {
		t.Errorf("Industries.Children(A) has %d divisions, want 5 (01–05)", n)
	}
}

func TestEmployerNatureNewerName(t *testing.T) {
	tab := tables(t)
	got, ok := tab.EmployerNature.ByCode("33")
	if !ok || got.Name != "个体工商户" {
		t.Errorf("EmployerNature.ByCode(33) = %+v, %v; want 个体工商户", got, ok)
	}
}

func TestSearch(t *testing.T) {
	tab := tables(t)
	tests := []struct {
		query string
		limit int
		want  []string // codes
	}{
		{"软件技术", 0, []string{"510203", "510303"}}, // exact name first, then 通信软件技术
		{"5102", 3, []string{"510201", "510202", "510203"}},
		{"", 5, nil},
		{"不存在的专业", 5, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range tab.Majors.Search(tt.query, tt.limit) {
			got = append(got, e.Code)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Majors.Search(%q, %d) = %v, want %v", tt.query, tt.limit, got, tt.want)
		}
	}
}

func TestSearchOrder(t *testing.T) {
	tab := tables(t)
	// 数据中心运行与管理 starts with the query, so it comes before
	// 生态环境大数据技术, which only contains it but is earlier in the file.
	got := tab.Majors.Search("数据", 0)
	if len(got) < 2 || got[0].Name != "数据中心运行与管理" || got[1].Name != "生态环境大数据技术" {
		t.Errorf("Majors.Search(数据) = %+v, want 数据中心运行与管理 then 生态环境大数据技术", got)
	}
	exact := tab.Regions.Search("360400", 0)
	if len(exact) != 1 || exact[0].Name != "九江市" {
		t.Errorf("Regions.Search(360400) = %+v, want only 九江市", exact)
	}
}

func TestJiangxiColleges(t *testing.T) {
	tab := tables(t)
	all := tab.JiangxiColleges()
	if len(all) != 73 {
		t.Errorf("len(JiangxiColleges()) = %d, want 73", len(all))
	}
	byType := map[string]int{}
	for _, c := range all {
		byType[c.Type]++
	}
	if byType[CollegeVocational] != 68 {
		t.Errorf("高职专科 colleges = %d, want 68", byType[CollegeVocational])
	}
	if byType[CollegeVocationalUniversity] != 5 {
		t.Errorf("职业本科 colleges = %d, want 5", byType[CollegeVocationalUniversity])
	}
}

func TestCollege(t *testing.T) {
	tab := tables(t)
	got, ok := tab.College("4136012941")
	want := College{Code: "4136012941", Name: "江西财经职业学院", City: "九江市", CityCode: "360400", Type: CollegeVocational}
	if !ok || got != want {
		t.Errorf("College(4136012941) = %+v, %v; want %+v", got, ok, want)
	}
	if _, ok := tab.College("0000000000"); ok {
		t.Error("College(0000000000) found a college, want none")
	}
}

func TestCollegeByName(t *testing.T) {
	tab := tables(t)
	tests := []struct {
		name     string
		wantCode string
		wantOK   bool
	}{
		{"江西职业技术大学", "4136011785", true},
		{"九江职业技术学院", "4136011785", true}, // former name
		{" 江西工业职业技术学院 ", "4136010839", true},
		{"江西不存在职业学院", "", false},
	}
	for _, tt := range tests {
		got, ok := tab.CollegeByName(tt.name)
		if ok != tt.wantOK || got.Code != tt.wantCode {
			t.Errorf("CollegeByName(%q) = %s, %v; want %s, %v", tt.name, got.Code, ok, tt.wantCode, tt.wantOK)
		}
	}
}

func TestLoadReturnsSameTables(t *testing.T) {
	a := tables(t)
	b := MustLoad()
	if a != b {
		t.Error("Load and MustLoad returned different tables, want one parsed copy")
	}
}

func TestAllIsCopy(t *testing.T) {
	tab := tables(t)
	all := tab.Regions.All()
	all[0].Name = "changed"
	if got, _ := tab.Regions.ByCode(all[0].Code); got.Name == "changed" {
		t.Error("changing the slice All returned changed the table")
	}
}
