package record

import (
	"reflect"
	"testing"
	"time"
)

func TestDemandRoundTrip(t *testing.T) {
	d := Demand{ID: "D", Scope: ProvinceScope, Employer: "E", Title: "数控车床操作工",
		Occupation: "6-18-01-01", Majors: []string{"460103", "4601"},
		Certificates: []DemandCertificate{{Title: "数控车工", SkillLevel: "4"}, {Title: "电工"}},
		Skills:       []string{"数控编程", "CAD制图"}, Region: "441900", Headcount: 12,
		SalaryMin: 5000, SalaryMax: 8000, Months: []int{3, 4, 5}, Programme: "P", Status: DemandOpen}
	got := DemandFrom("D", ProvinceScope, d.Fields())
	if !reflect.DeepEqual(got, d) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, d)
	}
}

func TestSplitList(t *testing.T) {
	got := SplitList(" 焊接、CAD制图，电工; 钳工 ")
	want := []string{"焊接", "CAD制图", "电工", "钳工"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SplitList = %q, want %q", got, want)
	}
	if SplitList("  ") != nil {
		t.Fatal("SplitList of blanks is not nil")
	}
}

func TestPersonSkillsRoundTrip(t *testing.T) {
	p := Person{ID: "P", College: "C", Skills: "焊接、电工", WillReturn: WillReturnYes}
	got := PersonFrom("P", "C", p.Fields())
	if got.Skills != p.Skills || got.WillReturn != WillReturnYes {
		t.Fatalf("got skills %q return %q", got.Skills, got.WillReturn)
	}
}

func TestMergeRoundTrip(t *testing.T) {
	m := Merge{ID: "M", Scope: ProvinceScope, Persons: []string{"A", "B"}, Decision: DecisionMerge, DecidedBy: "zhang"}
	if got := MergeFrom("M", ProvinceScope, m.Fields()); !reflect.DeepEqual(got, m) {
		t.Fatalf("got %+v", got)
	}
}

func TestDemandOpenOn(t *testing.T) {
	const day = "2026-12-05"
	cases := []struct {
		name string
		d    Demand
		want bool
	}{
		{"no end", Demand{}, true},
		{"closed status", Demand{Status: DemandClosed, End: "2027-06-30"}, false},
		{"ended yesterday", Demand{End: "2026-12-04"}, false},
		{"ends today", Demand{End: "2026-12-05"}, true},
		{"ends later", Demand{Start: "2026-03-01", End: "2027-03-01"}, true},
		{"ended last month", Demand{End: "2026-11"}, false},
		{"ends this month", Demand{End: "2026-12"}, true},
		{"season only", Demand{Months: []int{3, 4, 5}}, true},
		{"season with past end", Demand{Months: []int{3, 4, 5}, End: "2025-05-31"}, false},
	}
	for _, c := range cases {
		if got := c.d.OpenOn(day); got != c.want {
			t.Errorf("%s: OpenOn(%s) of end %q status %q = %v, want %v", c.name, day, c.d.End, c.d.Status, got, c.want)
		}
	}
	if !(Demand{End: "2026-12-04"}).Open() {
		t.Error("Open() of an ended demand with open status = false, want true (status alone)")
	}
}

func TestTodayIsISODate(t *testing.T) {
	got := Today()
	if _, err := time.Parse(time.DateOnly, got); err != nil {
		t.Fatalf("Today() = %q, not an ISO date: %v", got, err)
	}
}
