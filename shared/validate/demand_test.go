package validate

import (
	"reflect"
	"strings"
	"testing"

	"mobilefactory/shared/record"
)

const testEmployerID = "01J0000000000000000000000E"

// validDemand returns the form of a valid job demand, with each field as a
// clerk might type it.
func validDemand() map[string]string {
	return map[string]string{
		record.FieldEmployer:     testEmployerID,
		record.FieldTitle:        "数控车床操作工",
		record.FieldOccupation:   "6-18-01-01",
		record.FieldMajors:       "460103、4601，46",
		record.FieldCertificates: "数控车工：中级\n电工",
		record.FieldSkills:       "数控编程，识图",
		record.FieldRegion:       "360111",
		record.FieldHeadcount:    "20人",
		record.FieldSalaryMin:    "4,500",
		record.FieldSalaryMax:    "6500元",
		record.FieldStart:        "2026年3月1日",
		record.FieldEnd:          "2026-06-30",
		record.FieldMonths:       "3月-6月",
		record.FieldDemandStatus: "招聘中",
	}
}

func TestDemandValid(t *testing.T) {
	got, errs := Demand(validDemand(), nil)
	if len(errs) != 0 {
		t.Fatalf("Demand(valid) errors: %v", errs)
	}
	want := record.Demand{Scope: record.ProvinceScope, Employer: testEmployerID, Title: "数控车床操作工",
		Occupation: "6-18-01-01", Majors: []string{"460103", "4601", "46"},
		Certificates: []record.DemandCertificate{{Title: "数控车工", SkillLevel: "4"}, {Title: "电工"}},
		Skills:       []string{"数控编程", "识图"}, Region: "360111", Headcount: 20, SalaryMin: 4500, SalaryMax: 6500,
		Start: "2026-03-01", End: "2026-06-30", Months: []int{3, 4, 5, 6}, Status: record.DemandOpen}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Demand(valid)\n got %+v\nwant %+v", got, want)
	}
}

// demandTests change one field of validDemand and give the error it must
// produce, with the message's arguments.
var demandTests = []struct {
	field, value string
	wantKey      string
	wantArgs     []any
}{
	{record.FieldEmployer, " ", "validate.demand.employer_required", nil},
	{record.FieldTitle, "", "validate.demand.title_required", nil},
	{record.FieldTitle, strings.Repeat("工", 101), "validate.demand.title_too_long", []any{strings.Repeat("工", 101), 101, 100}},
	{record.FieldTitle, "车工\x01", "validate.demand.title_characters", []any{"车工\x01"}},
	{record.FieldOccupation, "6-18-01-99", "validate.demand.occupation_unknown", []any{"6-18-01-99"}},
	{record.FieldMajors, "510203、火星专业", "validate.demand.major_unknown", []any{"火星专业"}},
	{record.FieldMajors, "999", "validate.demand.major_unknown", []any{"999"}},
	{record.FieldCertificates, ":4", "validate.demand.certificate_title", []any{":4"}},
	{record.FieldCertificates, "数控车工:6", "validate.demand.certificate_level", []any{"6", "数控车工:6"}},
	{record.FieldCertificates, "电工\n数控车工:特级", "validate.demand.certificate_level", []any{"特级", "数控车工:特级"}},
	{record.FieldRegion, "火星市", "validate.region.unknown", []any{"火星市"}},
	{record.FieldHeadcount, "", "validate.demand.headcount_required", nil},
	{record.FieldHeadcount, "若干", "validate.demand.headcount_invalid", []any{"若干"}},
	{record.FieldHeadcount, "0", "validate.demand.headcount_range", []any{"0", 1, 10000}},
	{record.FieldHeadcount, "10001", "validate.demand.headcount_range", []any{"10001", 1, 10000}},
	{record.FieldSalaryMin, "-100", "validate.demand.salary_invalid", []any{"-100"}},
	{record.FieldSalaryMax, "面议", "validate.demand.salary_invalid", []any{"面议"}},
	{record.FieldSalaryMax, "4000", "validate.demand.salary_order", []any{4000, 4500}},
	{record.FieldStart, "2026-02-30", "validate.date.invalid", []any{"2026-02-30"}},
	{record.FieldEnd, "下个月", "validate.date.format", []any{"下个月"}},
	{record.FieldEnd, "2026-02-28", "validate.demand.date_order", []any{"2026-02-28", "2026-03-01"}},
	{record.FieldMonths, "13", "validate.demand.month_invalid", []any{"13"}},
	{record.FieldMonths, "春季", "validate.demand.month_invalid", []any{"春季"}},
	{record.FieldMonths, "3-", "validate.demand.month_invalid", []any{"3-"}},
	{record.FieldDemandStatus, "暂停", "validate.demand.status_invalid", []any{"暂停"}},
}

func TestDemandInvalidField(t *testing.T) {
	for _, tt := range demandTests {
		raw := validDemand()
		raw[tt.field] = tt.value
		wantField := tt.field
		got, errs := Demand(raw, nil)
		if len(errs) != 1 {
			t.Errorf("%s %q: errors %v, want one %s", tt.field, tt.value, errs, tt.wantKey)
			continue
		}
		if errs[0].Field != wantField || errs[0].Err.Key != tt.wantKey {
			t.Errorf("%s %q: error %s %s, want %s %s", tt.field, tt.value, errs[0].Field, errs[0].Err.Key, wantField, tt.wantKey)
		}
		if !reflect.DeepEqual(errs[0].Err.Args, tt.wantArgs) {
			t.Errorf("%s %q: args %#v, want %#v", tt.field, tt.value, errs[0].Err.Args, tt.wantArgs)
		}
		if v := got.Fields()[wantField]; v != "" && wantField != record.FieldDemandStatus {
			t.Errorf("%s %q: the failed field is %q in the demand, want empty", tt.field, tt.value, v)
		}
	}
}

func TestDemandOptionalFields(t *testing.T) {
	raw := map[string]string{record.FieldEmployer: testEmployerID, record.FieldTitle: "电工", record.FieldHeadcount: "1"}
	got, errs := Demand(raw, nil)
	if len(errs) != 0 {
		t.Fatalf("Demand(required fields only) errors: %v", errs)
	}
	want := record.Demand{Scope: record.ProvinceScope, Employer: testEmployerID, Title: "电工", Headcount: 1,
		Status: record.DemandOpen}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Demand(required fields only)\n got %+v\nwant %+v", got, want)
	}
}

func TestDemandCodeForms(t *testing.T) {
	tests := []struct{ field, in, want string }{
		{record.FieldOccupation, "61801", "6-18-01"},
		{record.FieldOccupation, "6180101", "6-18-01-01"},
		{record.FieldOccupation, "车工", "6-18-01-01"},
		{record.FieldMajors, "软件技术 510203 计算机类", "510203,5102"},
		{record.FieldMajors, "520101k", "520101K"},
		{record.FieldCertificates, "数控车工:高级技师\n电工：4", "数控车工:1；电工:4"},
		{record.FieldSalaryMax, "", ""},
		{record.FieldDemandStatus, "已结束", record.DemandClosed},
		{record.FieldDemandStatus, "closed", record.DemandClosed},
		{record.FieldDemandStatus, "", record.DemandOpen},
	}
	for _, tt := range tests {
		raw := validDemand()
		raw[tt.field] = tt.in
		got, errs := Demand(raw, nil)
		if len(errs) != 0 {
			t.Errorf("%s %q: errors %v", tt.field, tt.in, errs)
			continue
		}
		if v := got.Fields()[tt.field]; v != tt.want {
			t.Errorf("%s %q = %q, want %q", tt.field, tt.in, v, tt.want)
		}
	}
}

func TestMonthsForms(t *testing.T) {
	tests := map[string][]int{
		"3-6":      {3, 4, 5, 6},
		"3–6月":     {3, 4, 5, 6},
		"3月至6月":    {3, 4, 5, 6},
		"11-2":     {1, 2, 11, 12},
		"3,4,5":    {3, 4, 5},
		"5、3、4、3月": {3, 4, 5},
		"７":        {7},
		"":         nil,
	}
	for in, want := range tests {
		got, err := Months(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Months(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

// demandErrors returns the errors demandTests produce, for producedErrors.
func demandErrors() []*Error {
	var out []*Error
	for _, tt := range demandTests {
		raw := validDemand()
		raw[tt.field] = tt.value
		_, errs := Demand(raw, nil)
		for _, fe := range errs {
			out = append(out, fe.Err)
		}
	}
	return out
}
