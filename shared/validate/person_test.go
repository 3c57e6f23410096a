package validate

import (
	"slices"
	"strings"
	"testing"

	"mobilefactory/shared/codes"
	"mobilefactory/shared/record"
)

// columnFields maps the column headers of the graduate files to fields.
var columnFields = map[string]string{
	"姓名":   record.FieldName,
	"身份证号": record.FieldIDNumber,
	"性别":   record.FieldGender,
	"专业":   record.FieldMajor,
	"毕业年份": record.FieldGradYear,
	"手机号码": record.FieldPhone,
	"生源地":  record.FieldHomeRegion,
	"就业状态": record.FieldStatus,
}

// TestPersonMessyValues imports testdata/cases/graduates-messy-values.csv:
// every row normalises to the values the cases README gives. Three rows
// give a gender that contradicts the ID number's 17th digit, and only
// their gender fails.
func TestPersonMessyValues(t *testing.T) {
	tables := codes.MustLoad()
	header, rows := readCasesFile(t, "graduates-messy-values.csv")
	want := []record.Person{
		{Name: "李娜", IDNumber: "36012120020101099X", Phone: "13807912345",
			Major: "460305", GradYear: 2024, HomeRegion: "360100", Status: record.StatusEmployed},
		{Name: "张伟", IDNumber: "360102200305140124", Phone: "13907971111",
			Major: "500211", GradYear: 2025, HomeRegion: "360700", Status: record.StatusSeeking},
		{Name: "周杰", Gender: record.GenderMale, IDNumber: "360781200303280551", Phone: "15070000055",
			Major: "510203", GradYear: 2024, HomeRegion: "360700", Status: record.StatusEmployed},
		{Name: "阿依古丽·买买提", IDNumber: "360102200210101018", Phone: "13607910101",
			Major: "530302", GradYear: 2025, HomeRegion: "360100", Status: record.StatusSeeking},
		{Name: "买买提·艾力", Gender: record.GenderMale, IDNumber: "360102200206061033", Phone: "13607910103",
			Major: "530302", GradYear: 2025, HomeRegion: "360100", Status: record.StatusSeeking},
	}
	genderErrors := map[int][]string{
		2: {"gender validate.gender.id_mismatch_male"},   // 17th digit 9, typed 女
		3: {"gender validate.gender.id_mismatch_female"}, // 17th digit 2, typed 男
		5: {"gender validate.gender.id_mismatch_male"},   // 17th digit 1, typed 女
	}
	if len(rows) != len(want) {
		t.Fatalf("graduates-messy-values.csv has %d rows, want %d", len(rows), len(want))
	}

	var people []record.Person
	for i, row := range rows {
		raw := map[string]string{}
		for col, header := range header {
			if field, ok := columnFields[header]; ok {
				raw[field] = row[col]
			}
		}
		got, errs := Person(raw, tables)
		var keys []string
		for _, fe := range errs {
			keys = append(keys, fe.Field+" "+fe.Err.Key)
		}
		if wantKeys := genderErrors[i+2]; !slices.Equal(keys, wantKeys) {
			t.Errorf("row %d: Person(%v) errors %v, want %v", i+2, raw, keys, wantKeys)
		}
		if got != want[i] {
			t.Errorf("row %d: Person(%v)\n got %+v\nwant %+v", i+2, raw, got, want[i])
		}
		people = append(people, got)
	}

	// A search for either middle-dot form finds both people of 买买提.
	for _, query := range []string{"买买提·", "买买提•", "买买提"} {
		var found []string
		for _, p := range people {
			if strings.Contains(NameKey(p.Name), NameKey(query)) {
				found = append(found, p.Name)
			}
		}
		if !slices.Equal(found, []string{"阿依古丽·买买提", "买买提·艾力"}) {
			t.Errorf("search %q found %v, want both 买买提 names", query, found)
		}
	}
}

func TestPersonFieldForms(t *testing.T) {
	tables := codes.MustLoad()
	base := map[string]string{
		record.FieldName:     "张伟",
		record.FieldIDNumber: "360102200305140124",
	}
	tests := []struct {
		field, in string
		want      string // the stored value, as Person.Fields returns it
	}{
		{record.FieldGender, "1", record.GenderMale},
		{record.FieldGender, "男", record.GenderMale},
		{record.FieldGender, "M", record.GenderMale},
		{record.FieldGender, "Male", record.GenderMale},
		{record.FieldGender, "２", record.GenderFemale},
		{record.FieldGender, "女", record.GenderFemale},
		{record.FieldGender, "f", record.GenderFemale},
		{record.FieldGender, "FEMALE", record.GenderFemale},
		{record.FieldGender, "", ""},
		{record.FieldGradYear, "2024届", "2024"},
		{record.FieldGradYear, "2024年", "2024"},
		{record.FieldGradYear, " ２０２４ ", "2024"},
		{record.FieldGradYear, "", ""},
		{record.FieldMajor, "510203", "510203"},
		{record.FieldMajor, "软件技术", "510203"},
		{record.FieldMajor, " 软件技术 ", "510203"},
		{record.FieldMajor, "520101k", "520101K"},
		{record.FieldHomeRegion, "360400", "360400"},
		{record.FieldHomeRegion, "九江市", "360400"},
		{record.FieldHomeRegion, "江西省九江市", "360400"},
		{record.FieldHomeRegion, "九江", "360400"},
		{record.FieldHomeRegion, "修水县", "360424"},
		{record.FieldHomeRegion, "江西省南昌市西湖区", "360103"},
		{record.FieldWorkRegion, "广东省深圳市", "440300"},
		{record.FieldWorkRegion, "深圳", "440300"},
		{record.FieldStatus, "已就业", record.StatusEmployed},
		{record.FieldStatus, "待就业", record.StatusSeeking},
		{record.FieldStatus, "升学", record.StatusStudy},
		{record.FieldStatus, "其他", record.StatusOther},
		{record.FieldStatus, "Employed", record.StatusEmployed},
		{record.FieldStatus, "study", record.StatusStudy},
		{record.FieldStudentNo, " 20240101 ", "20240101"},
		{record.FieldStudentNo, "２０２４ａ０１", "2024a01"},
		{record.FieldEmployer, " 九江船舶有限公司 ", "九江船舶有限公司"},
		{record.FieldPhone, "", ""},
	}
	for _, tt := range tests {
		raw := map[string]string{}
		for k, v := range base {
			raw[k] = v
		}
		raw[tt.field] = tt.in
		if tt.field == record.FieldGender && tt.want == record.GenderMale {
			// The base ID number's 17th digit is even, which means female.
			raw[record.FieldIDNumber] = "360781200303280551"
		}
		p, errs := Person(raw, tables)
		if len(errs) > 0 {
			t.Errorf("Person(%s=%q) errors %v, want none", tt.field, tt.in, errs)
			continue
		}
		if got := p.Fields()[tt.field]; got != tt.want {
			t.Errorf("Person(%s=%q) stored %s = %q, want %q", tt.field, tt.in, tt.field, got, tt.want)
		}
	}
}

func TestPersonFieldErrors(t *testing.T) {
	tables := codes.MustLoad()
	tests := []struct {
		field, in string
		wantKey   string
	}{
		{record.FieldName, "", "validate.name.required"},
		{record.FieldName, "张\uFFFD", "validate.name.replacement_char"},
		{record.FieldIDNumber, "", "validate.id_number.required"},
		{record.FieldIDNumber, "3.60102E+17", "validate.id_number.scientific"},
		{record.FieldGender, "未知", "validate.gender.invalid"},
		// The 17th digit of the base ID number, 2, is even: female.
		{record.FieldGender, "男", "validate.gender.id_mismatch_female"},
		{record.FieldGender, "Ｍ", "validate.gender.id_mismatch_female"},
		{record.FieldPhone, "12345678901", "validate.phone.prefix"},
		{record.FieldStudentNo, strings.Repeat("1", MaxStudentNoRunes+1), "validate.student_no.too_long"},
		{record.FieldMajor, "不存在的专业", "validate.major.unknown"},
		{record.FieldMajor, "999999", "validate.major.unknown"},
		{record.FieldGradYear, "24届", "validate.grad_year.invalid"},
		{record.FieldGradYear, "1999", "validate.grad_year.range"},
		{record.FieldGradYear, "2101届", "validate.grad_year.range"},
		{record.FieldHomeRegion, "369999", "validate.home_region.unknown"},
		{record.FieldHomeRegion, "火星市", "validate.home_region.unknown"},
		{record.FieldHomeRegion, "西湖区", "validate.home_region.ambiguous"},
		{record.FieldWorkRegion, "朝阳区", "validate.work_region.ambiguous"},
		{record.FieldStatus, "失业", "validate.status.invalid"},
		{record.FieldWillReturn, "看情况", "validate.will_return.invalid"},
		{record.FieldSkills, strings.Repeat("焊", MaxSkillsRunes+1), "validate.skills.too_long"},
		{record.FieldEmployer, strings.Repeat("企", MaxEmployerRunes+1), "validate.employer.too_long"},
		{record.FieldEmployer, "公司\x01", "validate.employer.control_char"},
	}
	for _, tt := range tests {
		raw := map[string]string{
			record.FieldName:     "张伟",
			record.FieldIDNumber: "360102200305140124",
		}
		raw[tt.field] = tt.in
		p, errs := Person(raw, tables)
		if len(errs) != 1 || errs[0].Field != tt.field || errs[0].Err.Key != tt.wantKey {
			t.Errorf("Person(%s=%q) errors = %v, want one %s error %s", tt.field, tt.in, errs, tt.field, tt.wantKey)
			continue
		}
		if got := p.Fields()[tt.field]; got != "" {
			t.Errorf("Person(%s=%q) kept %q in the failed field, want it empty", tt.field, tt.in, got)
		}
	}
}

func TestPersonAllErrorsAtOnce(t *testing.T) {
	raw := map[string]string{
		record.FieldName:       "",
		record.FieldIDNumber:   "110105200001011060",
		record.FieldPhone:      "1380000123",
		record.FieldMajor:      "不存在的专业",
		record.FieldGradYear:   "明年",
		record.FieldHomeRegion: "西湖区",
		record.FieldStatus:     "失业",
	}
	_, errs := Person(raw, nil)
	var got []string
	for _, fe := range errs {
		got = append(got, fe.Field)
	}
	want := []string{
		record.FieldName, record.FieldIDNumber, record.FieldPhone, record.FieldMajor,
		record.FieldGradYear, record.FieldHomeRegion, record.FieldStatus,
	}
	if !slices.Equal(got, want) {
		t.Errorf("Person(7 bad fields) failed fields = %v, want %v", got, want)
	}
}

func TestPersonAmbiguousRegionNamesCandidates(t *testing.T) {
	_, errs := Person(map[string]string{
		record.FieldName:       "张伟",
		record.FieldIDNumber:   "360102200305140124",
		record.FieldHomeRegion: "西湖区",
	}, nil)
	if len(errs) != 1 {
		t.Fatalf("Person(home_region=西湖区) errors = %v, want one", errs)
	}
	msg := errs[0].Err.Message("zh-Hans")
	for _, part := range []string{"西湖区", "浙江省杭州市西湖区", "江西省南昌市西湖区"} {
		if !strings.Contains(msg, part) {
			t.Errorf("message %q does not name %s", msg, part)
		}
	}
}

func TestPersonLeavesIDAndCollege(t *testing.T) {
	p, _ := Person(map[string]string{
		record.FieldName:     "张伟",
		record.FieldIDNumber: "360102200305140124",
		"college":            "4136012941",
	}, nil)
	if p.ID != "" || p.College != "" {
		t.Errorf("Person set ID %q and College %q, want both empty", p.ID, p.College)
	}
}

func FuzzPerson(f *testing.F) {
	f.Add("张伟", "360102200305140124", "男", "138 0000 1234", "软件技术", "2024届", "九江", "已就业")
	f.Add("买买提•艾力", "36012120020101099x", "f", "", "510203", "2025", "西湖区", "")
	tables := codes.MustLoad()
	f.Fuzz(func(t *testing.T, name, id, gender, phone, major, year, region, status string) {
		p, errs := Person(map[string]string{
			record.FieldName: name, record.FieldIDNumber: id, record.FieldGender: gender,
			record.FieldPhone: phone, record.FieldMajor: major, record.FieldGradYear: year,
			record.FieldHomeRegion: region, record.FieldStatus: status,
		}, tables)
		for _, fe := range errs {
			if fe.Err == nil || fe.Err.Key == "" {
				t.Fatalf("Person returned field error %+v without a key", fe)
			}
		}
		// A valid person validates again to itself.
		if len(errs) == 0 {
			again, errs := Person(p.Fields(), tables)
			if len(errs) > 0 || again != p {
				t.Errorf("Person(%+v.Fields()) = %+v, %v; want the same person", p, again, errs)
			}
		}
	})
}

// Skills are kept as a 、-joined list whatever separators were typed, and
// the answers to whether a person would return become codes.
func TestPersonSkillsAndReturn(t *testing.T) {
	tests := []struct{ skills, willReturn, wantSkills, wantReturn string }{
		{"焊接, CAD制图；电工", "是", "焊接、CAD制图、电工", record.WillReturnYes},
		{" 数控编程 ", "不愿意", "数控编程", record.WillReturnNo},
		{"", "Ｙ", "", record.WillReturnYes},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		p, errs := Person(map[string]string{record.FieldName: "张伟", record.FieldIDNumber: "360102200305140124",
			record.FieldSkills: tt.skills, record.FieldWillReturn: tt.willReturn}, nil)
		if len(errs) != 0 {
			t.Errorf("Person(%q, %q) errors %v", tt.skills, tt.willReturn, errs)
			continue
		}
		if p.Skills != tt.wantSkills || p.WillReturn != tt.wantReturn {
			t.Errorf("Person(%q, %q) = %q, %q; want %q, %q", tt.skills, tt.willReturn, p.Skills, p.WillReturn, tt.wantSkills, tt.wantReturn)
		}
	}
}
