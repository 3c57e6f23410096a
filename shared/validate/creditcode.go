package validate

import (
	"strings"
	"unicode/utf8"
)

// CreditCodeLength is the length of a unified social credit code
// (统一社会信用代码, GB 32100-2015), which every employer registered in
// China since 2015 has.
const CreditCodeLength = 18

// creditCodeChars are the characters of a credit code in the order of their
// values 0 to 30: digits and the capitals without I, O, S, V and Z.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights are the weights of the first 17 characters in the
// check character: 3 to the power of the position, modulo 31.
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgCodeWeights are the weights of the first 8 characters of the
// organisation code (GB 11714) that characters 9 to 17 of a credit code
// carry.
var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// CreditCode checks a unified social credit code and returns it in its
// stored form: 18 ASCII characters, letters upper-case. It accepts
// full-width characters, lower case, spaces and hyphens, and checks the
// characters, the region digits, the check character of the embedded
// organisation code and the code's own check character.
//
// Error keys: validate.credit_code.required, .length, .characters,
// .region, .org_check and .check.
func CreditCode(s string) (string, error) {
	code := strings.ToUpper(strings.ReplaceAll(removeSpace(narrow(s)), "-", ""))
	if code == "" {
		return "", newError("validate.credit_code.required")
	}
	if n := utf8.RuneCountInString(code); n != CreditCodeLength {
		return "", newError("validate.credit_code.length", code, n)
	}
	for _, r := range code {
		if !strings.ContainsRune(creditCodeChars, r) {
			return "", newError("validate.credit_code.characters", code, string(r))
		}
	}
	if !isDigits(code[2:8]) {
		return "", newError("validate.credit_code.region", code, code[2:8])
	}
	if want := orgCheckChar(code[8:16]); code[16] != want {
		return "", newError("validate.credit_code.org_check", code, string(want))
	}
	if want := CreditCheckChar(code[:17]); code[17] != want {
		return "", newError("validate.credit_code.check", code, string(want))
	}
	return code, nil
}

// CreditCheckChar returns the check character of the first 17 characters
// of a credit code. It panics if first17 is not 17 characters of
// creditCodeChars.
func CreditCheckChar(first17 string) byte {
	if len(first17) != 17 {
		panic("validate.CreditCheckChar: want 17 characters")
	}
	sum := 0
	for i, w := range creditCodeWeights {
		v := strings.IndexByte(creditCodeChars, first17[i])
		if v < 0 {
			panic("validate.CreditCheckChar: character outside the code's set")
		}
		sum += v * w
	}
	return creditCodeChars[(31-sum%31)%31]
}

// orgCheckChar returns the check character of the first 8 characters of
// an organisation code: 11 minus the weighted sum modulo 11, with 10
// written X and 11 written 0. A letter counts 10 for A to 35 for Z.
func orgCheckChar(first8 string) byte {
	sum := 0
	for i, w := range orgCodeWeights {
		c := first8[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * w
	}
	switch r := 11 - sum%11; r {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + r)
	}
}
