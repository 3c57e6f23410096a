package validate

import (
	"math"
	"testing"
	"time"

	"pgregory.net/rapid"
)

var parseDateTests = []struct {
	in      string
	want    Date
	wantKey string
}{
	{"2022-06-30", Date{2022, 6, 30}, ""},
	{"2022/6/30", Date{2022, 6, 30}, ""},
	{"2022.06.30", Date{2022, 6, 30}, ""},
	{"2022.06", Date{2022, 6, 0}, ""},
	{"2022年6月30日", Date{2022, 6, 30}, ""},
	{"2022年6月30号", Date{2022, 6, 30}, ""},
	{"2022年6月", Date{2022, 6, 0}, ""},
	{"2022 年 6 月 30 日", Date{2022, 6, 30}, ""},
	{"20220630", Date{2022, 6, 30}, ""},
	{"202206", Date{2022, 6, 0}, ""},
	{"44742", Date{2022, 6, 30}, ""},
	{"44742.5", Date{2022, 6, 30}, ""},
	{"2022-6", Date{2022, 6, 0}, ""},
	{"２０２２－０６－３０", Date{2022, 6, 30}, ""},
	{"２０２２年６月３０日", Date{2022, 6, 30}, ""},
	{" 2022-06-30\t", Date{2022, 6, 30}, ""},
	{"2022-06-30 00:00:00", Date{2022, 6, 30}, ""},
	{"2022-06-30T08:30", Date{2022, 6, 30}, ""},
	{"2004-02-29", Date{2004, 2, 29}, ""},
	{"2000-02-29", Date{2000, 2, 29}, ""},
	{"2003-02-30", Date{}, "validate.date.invalid"},
	{"2003-02-29", Date{}, "validate.date.invalid"},
	{"1900-02-29", Date{}, "validate.date.invalid"},
	{"2022-13", Date{}, "validate.date.invalid"},
	{"2022-00-10", Date{}, "validate.date.invalid"},
	{"2022-04-31", Date{}, "validate.date.invalid"},
	{"2022年13月", Date{}, "validate.date.invalid"},
	{"20220631", Date{}, "validate.date.invalid"},
	{"1899-12-31", Date{}, "validate.date.year_range"},
	{"2101-01-01", Date{}, "validate.date.year_range"},
	{"2022-06/30", Date{}, "validate.date.format"},
	{"2022", Date{}, "validate.date.format"}, // a bare year, not serial 2022
	{"30/06/2022", Date{}, "validate.date.format"},
	{"June 30, 2022", Date{}, "validate.date.format"},
	{"abc", Date{}, "validate.date.format"},
	{"", Date{}, "validate.date.required"},
}

func TestParseDate(t *testing.T) {
	for _, tt := range parseDateTests {
		got, err := ParseDate(tt.in)
		if key := errorKey(t, err); got != tt.want || key != tt.wantKey {
			t.Errorf("ParseDate(%q) = %v, %q; want %v, %q", tt.in, got, key, tt.want, tt.wantKey)
		}
	}
}

// TestParseDateCasesFile checks testdata/cases/dates.csv: one date written
// six ways, all 2022-06-30 except 2022.06, which is the month 2022-06.
func TestParseDateCasesFile(t *testing.T) {
	rows := readCases(t, "dates.csv")
	if len(rows) != 6 {
		t.Fatalf("dates.csv has %d rows, want 6", len(rows))
	}
	for _, row := range rows {
		want, wantChinese := "2022-06-30", "2022年6月30日"
		if row[0] == "2022.06" {
			want, wantChinese = "2022-06", "2022年6月"
		}
		got, err := ParseDate(row[0])
		if err != nil || got.String() != want || got.Chinese() != wantChinese {
			t.Errorf("ParseDate(%q) = %q (%q), %v; want %q (%q), nil", row[0], got, got.Chinese(), err, want, wantChinese)
		}
	}
}

func TestDateStrings(t *testing.T) {
	tests := []struct {
		d            Date
		iso, chinese string
	}{
		{Date{2022, 6, 30}, "2022-06-30", "2022年6月30日"},
		{Date{2022, 6, 0}, "2022-06", "2022年6月"},
		{Date{2026, 12, 4}, "2026-12-04", "2026年12月4日"},
		{Date{}, "", ""},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.iso {
			t.Errorf("%#v.String() = %q, want %q", tt.d, got, tt.iso)
		}
		if got := tt.d.Chinese(); got != tt.chinese {
			t.Errorf("%#v.Chinese() = %q, want %q", tt.d, got, tt.chinese)
		}
	}
	if !(Date{}).IsZero() || (Date{2022, 6, 0}).IsZero() {
		t.Error("IsZero: want true only for Date{}")
	}
	if !(Date{2022, 6, 0}).IsMonth() || (Date{2022, 6, 30}).IsMonth() || (Date{}).IsMonth() {
		t.Error("IsMonth: want true only for a date with a year and month but no day")
	}
}

var excelSerialTests = []struct {
	serial   float64
	date1904 bool
	want     Date
	wantKey  string
}{
	{44742, false, Date{2022, 6, 30}, ""},
	{44742.999, false, Date{2022, 6, 30}, ""},
	{37755, false, Date{2003, 5, 14}, ""},
	{1, false, Date{1900, 1, 1}, ""},
	{59, false, Date{1900, 2, 28}, ""},
	{60, false, Date{}, "validate.date.serial"}, // Excel's 1900-02-29, which never existed
	{61, false, Date{1900, 3, 1}, ""},
	{2958465, false, Date{9999, 12, 31}, ""},
	{2958466, false, Date{}, "validate.date.serial"},
	{0, false, Date{}, "validate.date.serial"},
	{-1, false, Date{}, "validate.date.serial"},
	{0, true, Date{1904, 1, 1}, ""},
	{43280, true, Date{2022, 6, 30}, ""},
	{36293, true, Date{2003, 5, 14}, ""},
	{2957003, true, Date{9999, 12, 31}, ""},
	{-1, true, Date{}, "validate.date.serial"},
	{math.NaN(), false, Date{}, "validate.date.serial"},
	{math.Inf(1), true, Date{}, "validate.date.serial"},
}

func TestDateFromExcelSerial(t *testing.T) {
	for _, tt := range excelSerialTests {
		got, err := DateFromExcelSerial(tt.serial, tt.date1904)
		if key := errorKey(t, err); got != tt.want || key != tt.wantKey {
			t.Errorf("DateFromExcelSerial(%v, %v) = %v, %q; want %v, %q", tt.serial, tt.date1904, got, key, tt.want, tt.wantKey)
		}
	}
}

// The two date systems are 1462 days apart for every date after 1900-02-28.
func TestExcelDateSystemsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		serial := rapid.IntRange(1462, 2957003).Draw(t, "serial1904")
		a, err1 := DateFromExcelSerial(float64(serial), true)
		b, err2 := DateFromExcelSerial(float64(serial+1462), false)
		if err1 != nil || err2 != nil || a != b {
			t.Fatalf("serial %d (1904) = %v, %v; serial %d (1900) = %v, %v; want the same date", serial, a, err1, serial+1462, b, err2)
		}
	})
}

func TestParseDateRoundTripProperty(t *testing.T) {
	start := time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC)
	rapid.Check(t, func(t *rapid.T) {
		day := start.AddDate(0, 0, rapid.IntRange(0, 73000).Draw(t, "day"))
		d := Date{day.Year(), int(day.Month()), day.Day()}
		if rapid.Bool().Draw(t, "month only") {
			d.Day = 0
		}
		for _, text := range []string{d.String(), d.Chinese()} {
			got, err := ParseDate(text)
			if err != nil || got != d {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v, nil", text, got, err, d)
			}
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, tt := range parseDateTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseDate(in)
		if err != nil {
			return
		}
		if !d.Valid() || d.Year < MinYear || d.Year > MaxYear {
			t.Fatalf("ParseDate(%q) = %#v, want a valid date from %d to %d", in, d, MinYear, MaxYear)
		}
		again, err := ParseDate(d.String())
		if err != nil || again != d {
			t.Errorf("ParseDate(%q) = %v, %v; want %v (from %q)", d.String(), again, err, d, in)
		}
	})
}

func FuzzDateFromExcelSerial(f *testing.F) {
	for _, tt := range excelSerialTests {
		f.Add(tt.serial, tt.date1904)
	}
	f.Fuzz(func(t *testing.T, serial float64, date1904 bool) {
		d, err := DateFromExcelSerial(serial, date1904)
		if err == nil && !d.Valid() {
			t.Errorf("DateFromExcelSerial(%v, %v) = %#v, want a valid date", serial, date1904, d)
		}
	})
}

func TestDateAfter(t *testing.T) {
	today := DateOf(time.Date(2026, time.December, 5, 23, 30, 0, 0, time.Local))
	if want := (Date{2026, 12, 5}); today != want {
		t.Fatalf("DateOf = %v, want %v", today, want)
	}
	for _, tc := range []struct {
		d    Date
		want bool
	}{
		{Date{2027, 5, 1}, true},
		{Date{2026, 12, 6}, true},
		{Date{2026, 12, 5}, false},
		{Date{2026, 11, 30}, false},
		{Date{2026, 12, 0}, false}, // the month of today
		{Date{2027, 1, 0}, true},
	} {
		if got := tc.d.After(today); got != tc.want {
			t.Errorf("%v.After(%v) = %v, want %v", tc.d, today, got, tc.want)
		}
	}
}
