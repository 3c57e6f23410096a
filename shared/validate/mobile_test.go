package validate

import (
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

var mobileTests = []struct {
	in      string
	want    string
	wantKey string
}{
	{"19500001234", "19500001234", ""},
	{"16600001234", "16600001234", ""},
	{"+86 199 0000 1234", "19900001234", ""},
	{"0086-13800001234", "13800001234", ""},
	{"+86 138-0791-2345", "13807912345", ""},
	{"139 0797 1111", "13907971111", ""},
	{"8613800001234", "13800001234", ""},
	{"+8613800001234", "13800001234", ""},
	{"１３８００００１２３４", "13800001234", ""},
	{"\t13800001234 ", "13800001234", ""},
	{"12345678901", "", "validate.phone.prefix"},
	{"10000000000", "", "validate.phone.prefix"},
	{"23800001234", "", "validate.phone.prefix"},
	{"1380000123", "", "validate.phone.length"},
	{"138000012345", "", "validate.phone.length"},
	{"+86 1380000123", "", "validate.phone.length"},
	{"0791-88888888", "", "validate.phone.length"}, // a landline, 12 digits
	{"0791-8888888", "", "validate.phone.prefix"},  // a landline, 11 digits
	{"138O0001234", "", "validate.phone.characters"},
	{"(0791)88888888", "", "validate.phone.characters"},
	{"", "", "validate.phone.required"},
	{"  ", "", "validate.phone.required"},
}

func TestMobile(t *testing.T) {
	for _, tt := range mobileTests {
		got, err := Mobile(tt.in)
		if key := errorKey(t, err); got != tt.want || key != tt.wantKey {
			t.Errorf("Mobile(%q) = %q, %q; want %q, %q", tt.in, got, key, tt.want, tt.wantKey)
		}
	}
}

// TestMobileCasesFile checks every row of testdata/cases/phones.csv: a valid
// verdict names the stored 11 digits after "valid: ".
func TestMobileCasesFile(t *testing.T) {
	for _, row := range readCases(t, "phones.csv") {
		in, verdict := row[0], row[1]
		got, err := Mobile(in)
		if want, ok := strings.CutPrefix(verdict, "valid: "); ok {
			if err != nil || got != want {
				t.Errorf("Mobile(%q) = %q, %v; want %q, nil", in, got, err, want)
			}
			continue
		}
		if err == nil {
			t.Errorf("Mobile(%q) = %q, nil; want an error (%s)", in, got, verdict)
		}
	}
}

func TestMobileErrorHidesValue(t *testing.T) {
	for _, tt := range mobileTests {
		_, err := Mobile(tt.in)
		if err != nil && strings.Contains(err.Error(), "0000") {
			t.Errorf("Mobile(%q) error text %q contains the number", tt.in, err.Error())
		}
	}
}

func TestMobileFormatsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		number := fmt.Sprintf("1%d%09d", rapid.IntRange(3, 9).Draw(t, "second"), rapid.IntRange(0, 999999999).Draw(t, "rest"))
		prefix := rapid.SampledFrom([]string{"", "+86", "+86 ", "0086", "0086-", "86"}).Draw(t, "prefix")
		sep := rapid.SampledFrom([]string{"", " ", "-"}).Draw(t, "separator")
		typed := prefix + number[:3] + sep + number[3:7] + sep + number[7:]
		if got, err := Mobile(typed); err != nil || got != number {
			t.Fatalf("Mobile(%q) = %q, %v; want %q, nil", typed, got, err, number)
		}
	})
}

func FuzzMobile(f *testing.F) {
	for _, tt := range mobileTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := Mobile(in)
		if err != nil {
			return
		}
		if len(got) != 11 || !isDigits(got) || got[0] != '1' || got[1] < '3' {
			t.Errorf("Mobile(%q) = %q, want 11 digits starting 13–19", in, got)
		}
		if again, err := Mobile(got); err != nil || again != got {
			t.Errorf("Mobile(Mobile(%q)) = %q, %v; want %q, nil", in, again, err, got)
		}
	})
}
