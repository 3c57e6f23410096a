package i18n

import "testing"

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
