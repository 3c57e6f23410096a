package protocol

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func testEnrolCode() EnrolCode {
	fp := make([]byte, EnrolFingerprintSize)
	for i := range fp {
		fp[i] = byte(i * 7)
	}
	return EnrolCode{Secret: NewEnrolSecret(), Fingerprint: fp, College: "4136012941", Role: "reviewer"}
}

func TestEnrolCodeRoundTrip(t *testing.T) {
	want := testEnrolCode()
	text := want.String()
	if !strings.HasPrefix(text, "MF1-") {
		t.Fatalf("code %q does not start with MF1-", text)
	}
	// People copy codes with other case, spaces and line breaks, and read
	// 0 as O.
	typed := strings.ToLower(strings.ReplaceAll(text, "-", " ")) + "\n"
	typed = strings.ReplaceAll(typed, "0", "o")
	for _, in := range []string{text, typed} {
		got, err := ParseEnrolCode(in)
		if err != nil {
			t.Fatalf("ParseEnrolCode(%q): %v", in, err)
		}
		if !bytes.Equal(got.Secret, want.Secret) || !bytes.Equal(got.Fingerprint, want.Fingerprint) ||
			got.College != want.College || got.Role != want.Role {
			t.Errorf("ParseEnrolCode(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestEnrolCodeMistyped(t *testing.T) {
	text := testEnrolCode().String()
	// Change one character in the middle to another of the alphabet.
	i := len(text) / 2
	for text[i] == '-' {
		i++
	}
	swapped := byte('A')
	if text[i] == 'A' {
		swapped = 'B'
	}
	cases := map[string]string{
		"one character":    text[:i] + string(swapped) + text[i+1:],
		"character lost":   text[:i] + text[i+1:],
		"wrong prefix":     "MF2" + text[3:],
		"old format":       "ABCD-EFGH",
		"empty":            "",
		"outside alphabet": text[:i] + "U" + text[i+1:],
	}
	for name, in := range cases {
		if _, err := ParseEnrolCode(in); !errors.Is(err, ErrEnrolCodeMistyped) {
			t.Errorf("%s: ParseEnrolCode(%q) error = %v, want ErrEnrolCodeMistyped", name, in, err)
		}
	}
}

func FuzzParseEnrolCode(f *testing.F) {
	f.Add(testEnrolCode().String())
	f.Add("MF1-")
	f.Add("MF1-00000")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := ParseEnrolCode(text)
		if err != nil {
			return
		}
		again, err := ParseEnrolCode(c.String())
		if err != nil {
			t.Fatalf("re-parsing %q: %v", c.String(), err)
		}
		if !bytes.Equal(again.Secret, c.Secret) || again.College != c.College || again.Role != c.Role {
			t.Fatalf("round trip changed %+v to %+v", c, again)
		}
	})
}
