package validate

import (
	"testing"

	"pgregory.net/rapid"
)

// creditCodeTests are the credit codes TestCreditCode checks, also run by
// producedErrors.
var creditCodeTests = []struct {
	in, want, wantKey string
}{
	{"91350100M000100Y43", "91350100M000100Y43", ""},
	{"91440300708461136T", "91440300708461136T", ""},
	{"9111000071093123XX", "9111000071093123XX", ""}, // the organisation code's check is X
	{" 91350100m000100y43\t", "91350100M000100Y43", ""},
	{"９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43", ""},
	{"91350100-M000100Y4-3", "91350100M000100Y43", ""},
	{"", "", "validate.credit_code.required"},
	{"91350100M000100Y4", "", "validate.credit_code.length"},
	{"91350100M000100I43", "", "validate.credit_code.characters"}, // I is not used
	{"913501A0M000100Y43", "", "validate.credit_code.region"},
	{"91350100M000100Y53", "", "validate.credit_code.org_check"},
	{"91350100M000100Y44", "", "validate.credit_code.check"},
}

func TestCreditCode(t *testing.T) {
	for _, c := range creditCodeTests {
		got, err := CreditCode(c.in)
		key := ""
		if err != nil {
			key = err.(*Error).Key
		}
		if got != c.want || key != c.wantKey {
			t.Errorf("CreditCode(%q) = %q, %q; want %q, %q", c.in, got, key, c.want, c.wantKey)
		}
	}
}

// The wrong check character's message gives the right one.
func TestCreditCodeCheckMessageArgs(t *testing.T) {
	_, err := CreditCode("91350100M000100Y44")
	e, ok := err.(*Error)
	if !ok || len(e.Args) != 2 || e.Args[1] != "3" {
		t.Errorf("error = %#v, want the expected check character 3 as the second argument", err)
	}
}

// Any 17 characters with a valid organisation code check, completed with
// CreditCheckChar, make a valid code; changing the last character makes an
// invalid one.
func TestCreditCheckCharProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		char := rapid.SampledFrom([]byte(creditCodeChars))
		head := rapid.SliceOfN(char, 2, 2).Draw(t, "head")
		region := rapid.StringMatching(`[0-9]{6}`).Draw(t, "region")
		org := string(rapid.SliceOfN(char, 8, 8).Draw(t, "org"))
		first17 := string(head) + region + org + string(orgCheckChar(org))
		code := first17 + string(CreditCheckChar(first17))
		if got, err := CreditCode(code); err != nil || got != code {
			t.Fatalf("CreditCode(%q) = %q, %v; want it valid", code, got, err)
		}
		other := char.Filter(func(c byte) bool { return c != code[17] }).Draw(t, "other")
		if _, err := CreditCode(first17 + string(other)); err == nil {
			t.Fatalf("CreditCode(%q) accepted a wrong check character", first17+string(other))
		}
	})
}
