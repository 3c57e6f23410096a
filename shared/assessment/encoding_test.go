package assessment

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestEncode(t *testing.T) {
	p := Profile{
		Scores: [NumDimensions]float64{100, 50, 25, 40.6, 31.3, 87.5},
		Competencies: map[string]int{
			"hands_on": 5, "numeracy": 4, "communication": 2, "teamwork": 3,
			"learning": 4, "computer": 1, "problem_solving": 3,
		},
	}
	want := "v=1;R=100.0;I=50.0;A=25.0;S=40.6;E=31.3;C=87.5;" +
		"hands_on=5;numeracy=4;communication=2;teamwork=3;learning=4;computer=1;problem_solving=3"
	if got := p.Encode(); got != want {
		t.Errorf("Encode() = %q, want %q", got, want)
	}

	parsed, err := ParseProfile(want)
	if err != nil {
		t.Fatalf("ParseProfile(%q): %v", want, err)
	}
	if !reflect.DeepEqual(parsed, p) {
		t.Errorf("ParseProfile(%q) = %+v, want %+v", want, parsed, p)
	}
}

func TestParseProfileAnyFieldOrder(t *testing.T) {
	text := "v=1;problem_solving=3;C=87.5;hands_on=5;R=100.0;numeracy=4;I=50.0;communication=2;" +
		"A=25.0;teamwork=3;S=40.6;learning=4;E=31.3;computer=1"
	p, err := ParseProfile(text)
	if err != nil {
		t.Fatalf("ParseProfile: %v", err)
	}
	want := "v=1;R=100.0;I=50.0;A=25.0;S=40.6;E=31.3;C=87.5;" +
		"hands_on=5;numeracy=4;communication=2;teamwork=3;learning=4;computer=1;problem_solving=3"
	if got := p.Encode(); got != want {
		t.Errorf("Encode() after parsing = %q, want %q", got, want)
	}
}

func TestParseProfileInvalid(t *testing.T) {
	const competencies = ";hands_on=5;numeracy=4;communication=2;teamwork=3;learning=4;computer=1;problem_solving=3"
	const scores = "R=100.0;I=50.0;A=25.0;S=40.6;E=31.3;C=87.5"
	for _, tt := range []struct {
		text    string
		wantErr string
	}{
		{"", `first field ""`},
		{"v=2;" + scores + competencies, `first field "v=2"`},
		{scores + competencies, `first field "R=100.0"`},
		{"v=1;I=50.0;A=25.0;S=40.6;E=31.3;C=87.5" + competencies, "dimension R is missing"},
		{"v=1;" + scores + ";R=10.0" + competencies, "dimension R appears twice"},
		{"v=1;R=100;I=50.0;A=25.0;S=40.6;E=31.3;C=87.5" + competencies, `score "100" is not a number with one decimal`},
		{"v=1;R=75.25;I=50.0;A=25.0;S=40.6;E=31.3;C=87.5" + competencies, "not a number with one decimal"},
		{"v=1;R=075.0;I=50.0;A=25.0;S=40.6;E=31.3;C=87.5" + competencies, "not a number with one decimal"},
		{"v=1;R=NaN;I=50.0;A=25.0;S=40.6;E=31.3;C=87.5" + competencies, "score NaN is outside"},
		{"v=1;R=100.1;I=50.0;A=25.0;S=40.6;E=31.3;C=87.5" + competencies, "score 100.1 is outside 0.0–100.0"},
		{"v=1;R=-0.0;I=50.0;A=25.0;S=40.6;E=31.3;C=87.5" + competencies, "score -0.0 is outside"},
		{"v=1;R=-5.0;I=50.0;A=25.0;S=40.6;E=31.3;C=87.5" + competencies, "score -5.0 is outside"},
		{"v=1;" + scores, "competency hands_on is missing"},
		{"v=1;" + scores + competencies + ";teamwork=3", "competency teamwork appears twice"},
		{"v=1;" + scores + competencies + ";patience=3", `unknown field "patience"`},
		{"v=1;" + scores + competencies + ";RIC", `field "RIC" has no '='`},
		{"v=1;" + scores + competencies + ";", `field "" has no '='`},
		{"v=1;" + scores + ";hands_on=0;numeracy=4;communication=2;teamwork=3;learning=4;computer=1;problem_solving=3", `rating "0"`},
		{"v=1;" + scores + ";hands_on=6;numeracy=4;communication=2;teamwork=3;learning=4;computer=1;problem_solving=3", `rating "6"`},
		{"v=1;" + scores + ";hands_on=04;numeracy=4;communication=2;teamwork=3;learning=4;computer=1;problem_solving=3", `rating "04"`},
		{"v=1;" + scores + ";hands_on=+4;numeracy=4;communication=2;teamwork=3;learning=4;computer=1;problem_solving=3", `rating "+4"`},
	} {
		_, err := ParseProfile(tt.text)
		if !errors.Is(err, ErrInvalidProfile) {
			t.Errorf("ParseProfile(%q): error %v, want ErrInvalidProfile", tt.text, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseProfile(%q): error %q, want it to contain %q", tt.text, err.Error(), tt.wantErr)
		}
	}
}

// TestEncodeRoundTripScored encodes profiles scored from random answers.
func TestEncodeRoundTripScored(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p, err := Score(drawAnswers(t))
		if err != nil {
			t.Fatalf("Score: %v", err)
		}
		checkRoundTrip(t, p)
	})
}

// TestEncodeRoundTripAnyProfile encodes every kind of valid profile,
// including scores that no 8-item dimension can reach, such as 0.1.
func TestEncodeRoundTripAnyProfile(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var p Profile
		for _, d := range Dimensions {
			p.Scores[d] = float64(rapid.IntRange(0, 1000).Draw(t, d.Letter())) / 10
		}
		p.Competencies = map[string]int{}
		for _, c := range Competencies() {
			p.Competencies[c.ID] = rapid.IntRange(MinAnswer, MaxAnswer).Draw(t, c.ID)
		}
		checkRoundTrip(t, p)
	})
}

func checkRoundTrip(t *rapid.T, p Profile) {
	text := p.Encode()
	parsed, err := ParseProfile(text)
	if err != nil {
		t.Fatalf("ParseProfile(%q): %v", text, err)
	}
	if !reflect.DeepEqual(parsed, p) {
		t.Fatalf("ParseProfile(%q) = %+v, want %+v", text, parsed, p)
	}
	if again := parsed.Encode(); again != text {
		t.Fatalf("Encode() after parsing = %q, want %q", again, text)
	}
	if parsed.Code() != p.Code() {
		t.Fatalf("Code() after parsing = %q, want %q", parsed.Code(), p.Code())
	}
}
