package validate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

var idNumberTests = []struct {
	in      string
	want    string
	wantKey string
}{
	{"11010520000101106X", "11010520000101106X", ""},
	{"11010520000101106x", "11010520000101106X", ""},
	{"１１０１０５２００００１０１１０６Ｘ", "11010520000101106X", ""},
	{"１１０１０５２００００１０１１０６ｘ", "11010520000101106X", ""},
	{"110105200001011000", "110105200001011000", ""},
	{"110105200001011060", "", "validate.id_number.check_digit"}, // 0 is not X
	{"36010220030514001", "", "validate.id_number.length"},
	{"360102200302300057", "", "validate.id_number.birth_date"}, // 2003-02-30
	{"360102200402290052", "360102200402290052", ""},            // leap day
	{"36012120020101099x", "36012120020101099X", ""},
	{"360781200303280551\t", "360781200303280551", ""},
	{" 360102200210101018 ", "360102200210101018", ""},
	{"\u3000360102200210101018", "360102200210101018", ""},
	{"", "", "validate.id_number.required"},
	{" \t", "", "validate.id_number.required"},
	{"3.60102E+17", "", "validate.id_number.scientific"},
	{"3.60102200305E+17", "", "validate.id_number.scientific"},
	{"360102200305140124X", "", "validate.id_number.length"},
	{"36010220030514012Y", "", "validate.id_number.characters"},
	{"X60102200305140124", "", "validate.id_number.characters"},
	{"36010220030514012中", "", "validate.id_number.characters"},
	{"99010220030514012X", "", "validate.id_number.province"},
	{"360102190001010010", "", "validate.id_number.check_digit"}, // 1900-01-01 is a valid birth date
	{"360102189912310012", "", "validate.id_number.birth_date"},  // before 1900
	{"360102200313010012", "", "validate.id_number.birth_date"},  // month 13
	{"360102190002290012", "", "validate.id_number.birth_date"},  // 1900 was not a leap year
	{"360102200002290017", "", "validate.id_number.check_digit"},
}

func TestIDNumber(t *testing.T) {
	for _, tt := range idNumberTests {
		got, err := IDNumber(tt.in)
		if key := errorKey(t, err); got != tt.want || key != tt.wantKey {
			t.Errorf("IDNumber(%q) = %q, %q; want %q, %q", tt.in, got, key, tt.want, tt.wantKey)
		}
	}
}

// TestIDNumberCasesFile checks every row of testdata/cases/ids.csv against
// its written verdict and the stored form the cases README gives.
func TestIDNumberCasesFile(t *testing.T) {
	stored := map[string]string{
		"11010520000101106X": "11010520000101106X",
		"11010520000101106x": "11010520000101106X",
		"１１０１０５２００００１０１１０６Ｘ": "11010520000101106X",
		"110105200001011000": "110105200001011000",
		"360102200402290052": "360102200402290052",
	}
	for _, row := range readCases(t, "ids.csv") {
		in, verdict := row[0], row[1]
		got, err := IDNumber(in)
		if strings.HasPrefix(verdict, "invalid") {
			if err == nil {
				t.Errorf("IDNumber(%q) = %q, nil; want an error (%s)", in, got, verdict)
			}
			continue
		}
		want, ok := stored[in]
		if !ok {
			t.Errorf("ids.csv row %q (%s) has no expected stored form in this test", in, verdict)
			continue
		}
		if err != nil || got != want {
			t.Errorf("IDNumber(%q) = %q, %v; want %q, nil (%s)", in, got, err, want, verdict)
		}
	}
}

func TestIDNumberCheckDigitNamed(t *testing.T) {
	_, err := IDNumber("110105200001011060")
	var ve *Error
	if key := errorKey(t, err); key != "validate.id_number.check_digit" {
		t.Fatalf("IDNumber(110105200001011060) error key = %q, want check_digit", key)
	}
	ve = err.(*Error)
	if len(ve.Args) != 2 || ve.Args[1] != "X" {
		t.Errorf("check digit error args = %v, want [ID, X]", ve.Args)
	}
}

func TestIDNumberFutureBirthDate(t *testing.T) {
	saved := now
	t.Cleanup(func() { now = saved })
	now = func() time.Time { return time.Date(2003, 5, 13, 12, 0, 0, 0, time.UTC) }

	id := "36010220030514012" + string(IDCheckChar("36010220030514012"))
	if _, err := IDNumber(id); errorKey(t, err) != "validate.id_number.birth_date" {
		t.Errorf("IDNumber(%s) born after today: error %v, want birth_date", id, err)
	}
	now = func() time.Time { return time.Date(2003, 5, 15, 0, 0, 0, 0, time.UTC) }
	if got, err := IDNumber(id); err != nil || got != id {
		t.Errorf("IDNumber(%s) born yesterday = %q, %v; want it valid", id, got, err)
	}
}

// TestIDNumberErrorHidesValue checks that Error(), the text that reaches
// logs, does not contain the ID number.
func TestIDNumberErrorHidesValue(t *testing.T) {
	for _, tt := range idNumberTests {
		_, err := IDNumber(tt.in)
		if err == nil || strings.TrimSpace(tt.in) == "" {
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, strings.TrimSpace(tt.in)) || strings.Contains(msg, "360102") || strings.Contains(msg, "110105") {
			t.Errorf("IDNumber(%q) error text %q contains the ID number", tt.in, msg)
		}
	}
}

func TestIDCheckChar(t *testing.T) {
	tests := []struct {
		first17 string
		want    byte
	}{
		{"11010520000101106", 'X'},
		{"11010520000101100", '0'},
		{"36010220040229005", '2'},
	}
	for _, tt := range tests {
		if got := IDCheckChar(tt.first17); got != tt.want {
			t.Errorf("IDCheckChar(%s) = %c, want %c", tt.first17, got, tt.want)
		}
	}
}

// genIDNumber draws a valid ID number: a known province, any birth date from
// 1900 to 2020, any sequence number and the right check digit.
func genIDNumber() *rapid.Generator[string] {
	provinces := make([]string, 0, len(idProvinces))
	for p := range idProvinces {
		provinces = append(provinces, p)
	}
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	return rapid.Custom(func(t *rapid.T) string {
		province := rapid.SampledFrom(provinces).Draw(t, "province")
		area := rapid.IntRange(0, 9999).Draw(t, "area")
		birth := start.AddDate(0, 0, rapid.IntRange(0, days).Draw(t, "day"))
		seq := rapid.IntRange(0, 999).Draw(t, "sequence")
		first17 := fmt.Sprintf("%s%04d%s%03d", province, area, birth.Format("20060102"), seq)
		return first17 + string(IDCheckChar(first17))
	})
}

func TestIDNumberValidProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		id := genIDNumber().Draw(t, "id")
		got, err := IDNumber(id)
		if err != nil || got != id {
			t.Fatalf("IDNumber(%s) = %q, %v; want it valid and unchanged", id, got, err)
		}
		lower := strings.ToLower(id)
		if got, err := IDNumber(lower); err != nil || got != id {
			t.Fatalf("IDNumber(%s) = %q, %v; want %s", lower, got, err, id)
		}
	})
}

// MOD 11-2 catches every single-digit substitution, because no weight and no
// digit difference is a multiple of 11.
func TestIDNumberOneDigitChangedProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		id := genIDNumber().Draw(t, "id")
		pos := rapid.IntRange(0, 17).Draw(t, "position")
		digits := "0123456789X"
		if pos < 17 {
			digits = "0123456789"
		}
		replacement := rapid.SampledFrom(strings.Split(digits, "")).Draw(t, "replacement")
		if replacement == id[pos:pos+1] {
			t.Skip("replacement equals the original")
		}
		changed := id[:pos] + replacement + id[pos+1:]
		if got, err := IDNumber(changed); err == nil {
			t.Fatalf("IDNumber(%s) (from %s) = %q, nil; want an error", changed, id, got)
		}
	})
}

func FuzzIDNumber(f *testing.F) {
	for _, tt := range idNumberTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := IDNumber(in)
		if err != nil {
			if got != "" {
				t.Errorf("IDNumber(%q) = %q with error %v, want \"\"", in, got, err)
			}
			return
		}
		if len(got) != IDNumberLength {
			t.Errorf("IDNumber(%q) = %q, want 18 bytes", in, got)
		}
		again, err := IDNumber(got)
		if err != nil || again != got {
			t.Errorf("IDNumber(IDNumber(%q)) = %q, %v; want %q, nil", in, again, err, got)
		}
	})
}

func TestIDNumberExcelTextMarks(t *testing.T) {
	for _, in := range []string{"'360102200305140124", `="360102200305140124"`, ` '360102200305140124`} {
		got, err := IDNumber(in)
		if err != nil || got != "360102200305140124" {
			t.Errorf("IDNumber(%q) = %q, %v; want 360102200305140124", in, got, err)
		}
	}
}
