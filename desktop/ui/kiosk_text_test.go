package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/access"
	"mobilefactory/shared/i18n"
)

func TestKioskMissingListNoGap(t *testing.T) {
	st, person := signedIn(t, access.Clerk)
	h := newHarness(t, st, Options{})
	_, k := openKioskFor(t, h, person.ID)
	answerAll(t, k, k.items[19].ID, k.items[20].ID)

	test.Tap(k.submit)
	h.queue.flush()
	want := "还有2项未作答：第20题、第21题。"
	if got := k.message.Text; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	if strings.ContainsAny(k.message.Text, "\u2009\u200b ") {
		t.Errorf("message %q has a space after a separator", k.message.Text)
	}
}

func TestKioskTextNotGreyed(t *testing.T) {
	st, person := signedIn(t, access.Clerk)
	h := newHarness(t, st, Options{})
	_, k := openKioskFor(t, h, person.ID)
	test.Tap(k.begin)
	if got := k.answered.Importance; got != widget.MediumImportance {
		t.Errorf("已作答 counter importance = %v, want medium (normal text colour)", got)
	}

	competency := k.pages[len(k.pages)-1].content
	hint := k.competencies[0].Hint(i18n.Locale())
	found := false
	for _, label := range labelWidgetsIn(competency) {
		if label.Importance == widget.LowImportance {
			t.Errorf("competency page label %q is low importance (grey)", label.Text)
		}
		found = found || label.Text == hint
	}
	if !found {
		t.Errorf("the competency page shows no label %q", hint)
	}
}
