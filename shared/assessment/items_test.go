package assessment

import (
	"strings"
	"testing"
	"unicode"

	"mobilefactory/shared/i18n"
)

func TestItemsPerDimension(t *testing.T) {
	for _, d := range Dimensions {
		list := ItemsOf(d)
		if len(list) < 8 {
			t.Errorf("%s has %d items, want at least 8", d, len(list))
		}
		reversed := 0
		for _, it := range list {
			if it.Dimension != d {
				t.Errorf("%s is listed under %s but has dimension %s", it.ID, d, it.Dimension)
			}
			if want := strings.ToLower(d.Letter()); !strings.HasPrefix(it.ID, want) {
				t.Errorf("%s is a %s item, want its ID to start with %q", it.ID, d, want)
			}
			if it.Reverse {
				reversed++
			}
		}
		// Reversed items offset a habit of agreeing with every statement,
		// and they must stay the minority so the dimension reads as itself.
		if reversed == 0 || 2*reversed >= len(list) {
			t.Errorf("%s has %d reversed items of %d, want at least one and fewer than half", d, reversed, len(list))
		}
	}
}

func TestItemsOrder(t *testing.T) {
	all := Items()
	if len(all) != 48 {
		t.Errorf("Items() has %d items, want 48", len(all))
	}
	var first []string
	for _, it := range all[:NumDimensions] {
		first = append(first, it.ID)
	}
	if got, want := strings.Join(first, " "), "r01 i01 a01 s01 e01 c01"; got != want {
		t.Errorf("first items = %s, want %s", got, want)
	}

	seen := map[string]bool{}
	for i, it := range all {
		if seen[it.ID] {
			t.Errorf("item %s appears twice", it.ID)
		}
		seen[it.ID] = true
		if got := ItemNumber(it.ID); got != i+1 {
			t.Errorf("ItemNumber(%s) = %d, want %d", it.ID, got, i+1)
		}
	}
	if got := ItemNumber("x01"); got != 0 {
		t.Errorf("ItemNumber(x01) = %d, want 0", got)
	}
}

func TestItemsTranslated(t *testing.T) {
	for _, it := range Items() {
		key := "assessment.item." + it.ID
		for _, locale := range i18n.Locales {
			if text := it.Text(locale); text == key || text == "" {
				t.Errorf("%s has no %s text", key, locale)
			}
		}
		zh := it.Text(i18n.Chinese)
		if !strings.ContainsFunc(zh, isHan) || !strings.HasSuffix(zh, "。") {
			t.Errorf("%s = %q, want a Chinese sentence ending in 。", key, zh)
		}
		if strings.ContainsFunc(it.Text(i18n.English), isHan) {
			t.Errorf("%s in en contains Chinese: %q", key, it.Text(i18n.English))
		}
	}
}

// TestNoOrphanItemTexts keeps assessment.json from holding the text of an
// item that the questionnaire no longer contains.
func TestNoOrphanItemTexts(t *testing.T) {
	for _, locale := range i18n.Locales {
		for _, key := range i18n.Keys(locale) {
			id, ok := strings.CutPrefix(key, "assessment.item.")
			if ok && ItemNumber(id) == 0 {
				t.Errorf("%s has %s, which is not an item", locale, key)
			}
		}
	}
}

func TestCompetenciesTranslated(t *testing.T) {
	list := Competencies()
	if len(list) < 6 || len(list) > 8 {
		t.Errorf("%d competencies, want 6–8", len(list))
	}
	for _, c := range list {
		if ItemNumber(c.ID) != 0 {
			t.Errorf("competency %s has the ID of an item", c.ID)
		}
		for _, locale := range i18n.Locales {
			if name := c.Name(locale); strings.HasPrefix(name, "assessment.") {
				t.Errorf("competency %s has no %s name", c.ID, locale)
			}
			if hint := c.Hint(locale); strings.HasPrefix(hint, "assessment.") {
				t.Errorf("competency %s has no %s hint", c.ID, locale)
			}
		}
	}
}

func TestScaleLabelsAndNames(t *testing.T) {
	for _, locale := range i18n.Locales {
		for point := MinAnswer; point <= MaxAnswer; point++ {
			if label := AgreementLabel(locale, point); strings.HasPrefix(label, "assessment.") {
				t.Errorf("agreement point %d has no %s label", point, locale)
			}
			if label := RatingLabel(locale, point); strings.HasPrefix(label, "assessment.") {
				t.Errorf("rating point %d has no %s label", point, locale)
			}
		}
		for _, d := range Dimensions {
			if name := d.Name(locale); strings.HasPrefix(name, "assessment.") {
				t.Errorf("dimension %s has no %s name", d, locale)
			}
		}
	}
	if got := AgreementLabel(i18n.Chinese, 1) + "/" + AgreementLabel(i18n.Chinese, 5); got != "非常不同意/非常同意" {
		t.Errorf("agreement scale ends = %s, want 非常不同意/非常同意", got)
	}
	if got := Realistic.Name(i18n.Chinese); got != "实际型" {
		t.Errorf("Realistic.Name(zh) = %s, want 实际型", got)
	}
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
