package validate

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var nameTests = []struct {
	in      string
	want    string
	wantKey string
}{
	{"张伟", "张伟", ""},
	{"周杰 ", "周杰", ""},
	{"\t周杰\u3000", "周杰", ""},
	{"\uFEFF周杰", "周杰", ""},
	{"阿依古丽·买买提", "阿依古丽·买买提", ""}, // U+00B7
	{"买买提•艾力", "买买提·艾力", ""},     // U+2022
	{"买买提・艾力", "买买提·艾力", ""},     // U+30FB
	{"买买提．艾力", "买买提·艾力", ""},     // U+FF0E
	{"买买提‧艾力", "买买提·艾力", ""},     // U+2027
	{"买买提･艾力", "买买提·艾力", ""},     // U+FF65
	{"买买提 · 艾力", "买买提·艾力", ""},   // spaces around the dot
	{"John  Smith", "John Smith", ""},
	{"林  静", "林静", ""}, // padded to line up with three-character names
	{"熊　磊", "熊磊", ""},
	{"欧 阳 静", "欧阳静", ""},
	{"阿依古丽 买买提", "阿依古丽 买买提", ""}, // four characters or more keep the space
	{"林 Jing", "林 Jing", ""},
	{"", "", "validate.name.required"},
	{" \t\u3000", "", "validate.name.required"},
	{"张\uFFFD", "", "validate.name.replacement_char"},
	{"张\xaa\xa1", "", "validate.name.replacement_char"}, // GBK bytes read as UTF-8
	{"张\x00伟", "", "validate.name.control_char"},
	{"张\u0007伟", "", "validate.name.control_char"},
	{strings.Repeat("名", 50), strings.Repeat("名", 50), ""},
	{strings.Repeat("名", 51), "", "validate.name.too_long"},
	{`=HYPERLINK("http://x")`, "", "validate.name.formula"},
	{"@SUM(A1)", "", "validate.name.formula"},
}

func TestName(t *testing.T) {
	for _, tt := range nameTests {
		got, err := Name(tt.in)
		if key := errorKey(t, err); got != tt.want || key != tt.wantKey {
			t.Errorf("Name(%q) = %q, %q; want %q, %q", tt.in, got, key, tt.want, tt.wantKey)
		}
	}
}

func TestNameTooLongArgs(t *testing.T) {
	_, err := Name(strings.Repeat("名", 51))
	ve, ok := err.(*Error)
	if !ok || len(ve.Args) != 3 || ve.Args[1] != 51 || ve.Args[2] != MaxNameRunes {
		t.Errorf("Name(51 characters) error = %#v, want args [name, 51, 50]", err)
	}
}

func TestNameKeyMiddleDots(t *testing.T) {
	want := NameKey("阿依古丽·买买提")
	for _, in := range []string{"阿依古丽•买买提", "阿依古丽・买买提", "阿依古丽买买提", " 阿依古丽 · 买买提 "} {
		if got := NameKey(in); got != want {
			t.Errorf("NameKey(%q) = %q, want %q (same as NameKey(阿依古丽·买买提))", in, got, want)
		}
	}
	if got := NameKey("买买提•艾力"); got != NameKey("买买提·艾力") {
		t.Errorf("NameKey(买买提•艾力) = %q, want %q", got, NameKey("买买提·艾力"))
	}
	if got := NameKey("John Smith"); got != "johnsmith" {
		t.Errorf("NameKey(John Smith) = %q, want johnsmith", got)
	}
	if NameKey("张伟") == NameKey("张玮") {
		t.Error("NameKey(张伟) equals NameKey(张玮), want different keys")
	}
}

func FuzzName(f *testing.F) {
	for _, tt := range nameTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := Name(in)
		if err != nil {
			return
		}
		if !utf8.ValidString(got) || strings.ContainsRune(got, utf8.RuneError) {
			t.Errorf("Name(%q) = %q, want valid UTF-8 without U+FFFD", in, got)
		}
		if again, err := Name(got); err != nil || again != got {
			t.Errorf("Name(Name(%q)) = %q, %v; want %q, nil", in, again, err, got)
		}
		if NameKey(got) != NameKey(in) {
			t.Errorf("NameKey(%q) = %q but NameKey(%q) = %q, want equal", in, NameKey(in), got, NameKey(got))
		}
	})
}
