package i18n

import (
	"strings"
	"testing"
)

func TestLocalesHaveSameKeys(t *testing.T) {
	zh := map[string]bool{}
	for _, k := range Keys(Chinese) {
		zh[k] = true
	}
	en := map[string]bool{}
	for _, k := range Keys(English) {
		en[k] = true
		if !zh[k] {
			t.Errorf("key %q is in en but not in zh-Hans", k)
		}
	}
	for k := range zh {
		if !en[k] {
			t.Errorf("key %q is in zh-Hans but not in en", k)
		}
	}
	if len(zh) == 0 {
		t.Fatal("no zh-Hans translations loaded")
	}
}

func TestMissingKeyShowsKey(t *testing.T) {
	if got := In(English, "no.such.key"); got != "no.such.key" {
		t.Errorf("In(en, no.such.key) = %q, want the key itself", got)
	}
}

func TestDefaultLocaleIsChinese(t *testing.T) {
	SetLocale("fr")
	if got := Locale(); got != Chinese {
		t.Errorf("Locale() after SetLocale(fr) = %q, want %q", got, Chinese)
	}
}

func TestChineseHasNoDoubledWords(t *testing.T) {
	for _, key := range Keys(Chinese) {
		text := In(Chinese, key)
		for _, double := range []string{"。。", "请请", "，，", "：：", "。，", "，。"} {
			if strings.Contains(text, double) {
				t.Errorf("%s contains %q: %s", key, double, text)
			}
		}
		if prefix := doubledPrefix(text); prefix != "" {
			t.Errorf("%s repeats the prefix %s：: %s", key, prefix, text)
		}
	}
}

// doubledPrefix returns a label that text has twice in a row, each time
// followed by a full-width colon, as in 登记失败：登记失败：, which a message
// wrapped in its own prefix shows. It returns "" when there is none.
func doubledPrefix(text string) string {
	parts := strings.Split(text, "：")
	// The last part is not followed by a colon.
	for i := 1; i+1 < len(parts); i++ {
		label := parts[i]
		if label != "" && strings.HasSuffix(parts[i-1], label) {
			return label
		}
	}
	return ""
}

func TestDoubledPrefixFound(t *testing.T) {
	cases := map[string]string{
		"登记失败：登记失败：连不上服务器。":  "登记失败",
		"请检查：登记失败：登记失败：连不上。": "登记失败",
		"登记失败：连不上服务器。":       "",
		"地址：端口：错误":           "",
	}
	for text, want := range cases {
		if got := doubledPrefix(text); got != want {
			t.Errorf("doubledPrefix(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	cases := map[string]int{"": 0, "abc": 3, "班级": 4, "2026级A班": 9, "Ａ": 2, "李志明": 6, "3601**099X 李": 13}
	for s, want := range cases {
		if got := DisplayWidth(s); got != want {
			t.Errorf("DisplayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}
