package ui

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/access"
	"mobilefactory/shared/assessment"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
)

// kioskLevels is a fixed answer set: the agreement of each dimension's
// statements. A reverse-scored statement gets 6 minus the level, so every
// item of a dimension counts as the level and the dimension scores
// (level-1)×25: R 100, C 75, I 50, A and E 25, S 0. The code is RCI.
var kioskLevels = [assessment.NumDimensions]int{
	assessment.Realistic:     5,
	assessment.Investigative: 3,
	assessment.Artistic:      2,
	assessment.Social:        1,
	assessment.Enterprising:  2,
	assessment.Conventional:  4,
}

const kioskRating = 4 // every competency's self-rating in the fixed set

// kioskAnswer returns the fixed answer to an item.
func kioskAnswer(it assessment.Item) int {
	level := kioskLevels[it.Dimension]
	if it.Reverse {
		return 6 - level
	}
	return level
}

// kioskAnswers returns the fixed answer set as Score takes it.
func kioskAnswers() assessment.Answers {
	a := assessment.Answers{Items: map[string]int{}, Competencies: map[string]int{}}
	for _, it := range assessment.Items() {
		a.Items[it.ID] = kioskAnswer(it)
	}
	for _, c := range assessment.Competencies() {
		a.Competencies[c.ID] = kioskRating
	}
	return a
}

// assessSectionOf returns the assessment section of the person page.
func assessSectionOf(t *testing.T, p *personPage) *assessSection {
	t.Helper()
	for _, s := range p.sections {
		if a, ok := s.(*assessSection); ok {
			return a
		}
	}
	t.Fatal("the person page has no assessment section")
	return nil
}

// openKioskFor shows the person and taps 开始测评.
func openKioskFor(t *testing.T, h *harness, personID string) (*assessSection, *kiosk) {
	t.Helper()
	h.w.main.persons.selectID(personID)
	h.queue.flush()
	section := assessSectionOf(t, h.w.main.page)
	test.Tap(section.start)
	if section.kiosk == nil {
		t.Fatal("开始测评 opened no kiosk")
	}
	return section, section.kiosk
}

// answerAll taps through the kiosk from the intro, choosing the fixed
// answer of every item except those in skip, and stops on the competency
// page with every competency rated.
func answerAll(t *testing.T, k *kiosk, skip ...string) {
	t.Helper()
	test.Tap(k.begin)
	for page := 1; page < len(k.pages)-1; page++ {
		if k.current != page {
			t.Fatalf("on page %d, want %d", k.current, page)
		}
		for _, it := range k.items[(page-1)*itemsPerPage : min(page*itemsPerPage, len(k.items))] {
			if slices.Contains(skip, it.ID) {
				continue
			}
			test.Tap(k.itemRows[it.ID].buttons[kioskAnswer(it)-1])
		}
		test.Tap(k.next)
	}
	for _, c := range k.competencies {
		test.Tap(k.ratingRows[c.ID].buttons[kioskRating-1])
	}
}

// shownTexts returns the text of every visible label, button and entry
// inside o, walking containers and widget renderers.
func shownTexts(o fyne.CanvasObject) []string {
	if !o.Visible() {
		return nil
	}
	switch v := o.(type) {
	case *widget.Label:
		return []string{v.Text}
	case *widget.Button:
		return []string{v.Text}
	case *widget.Entry:
		return []string{v.Text}
	case *fyne.Container:
		var out []string
		for _, child := range v.Objects {
			out = append(out, shownTexts(child)...)
		}
		return out
	case fyne.Widget:
		var out []string
		for _, child := range test.WidgetRenderer(v).Objects() {
			out = append(out, shownTexts(child)...)
		}
		return out
	}
	return nil
}

func TestKioskFlowStoresPendingAssessment(t *testing.T) {
	st, person := signedIn(t, access.Clerk)
	other := savePerson(t, st, record.Person{Name: "王芳"})
	h := newHarness(t, st, Options{})
	clerkScreen := h.win.Content()
	clerkTitle := h.win.Title()
	section, k := openKioskFor(t, h, person.ID)

	// The kiosk fills the window and shows the student's name and nothing
	// of the clerk's screen.
	if !h.win.FullScreen() {
		t.Error("the kiosk window is not full-screen")
	}
	if got := h.win.Title(); got != "职业方向测评" {
		t.Errorf("window title = %q, want 职业方向测评", got)
	}
	texts := strings.Join(shownTexts(h.win.Content()), "\n")
	if !strings.Contains(texts, "李志明同学，你好！") {
		t.Errorf("the intro does not greet the student by name; it shows:\n%s", texts)
	}
	hidden := []string{other.Name, person.IDNumber, display.MaskID(person.IDNumber),
		person.Phone, display.MaskPhone(person.Phone), i18n.T("ui.person.save")}
	for _, hidden := range hidden {
		if strings.Contains(texts, hidden) {
			t.Errorf("the kiosk shows %q from the clerk's screen", hidden)
		}
	}

	answerAll(t, k)
	if got, want := k.answered.Text, "已作答 55 / 55"; got != want {
		t.Errorf("answered count = %q, want %q", got, want)
	}
	test.Tap(k.submit)
	h.queue.flush()

	want, err := assessment.Score(kioskAnswers())
	if err != nil {
		t.Fatalf("Score(fixed answers): %v", err)
	}
	if k.result == nil {
		t.Fatalf("no result page after submitting; message %q", k.message.Text)
	}
	if got := k.result.code.Text; got != "兴趣代码：RCI" {
		t.Errorf("result code = %q, want 兴趣代码：RCI", got)
	}
	if got, wantSummary := k.result.summary.Text, "兴趣类型：实际型、常规型、研究型"; got != wantSummary {
		t.Errorf("result summary = %q, want %q", got, wantSummary)
	}
	if _, ok := k.result.chart.(*canvas.Image); !ok {
		t.Errorf("result chart is %T, want an image", k.result.chart)
	}

	history, err := st.HistoryOf(person.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(history.Assessments) != 1 {
		t.Fatalf("stored assessments = %d, want 1", len(history.Assessments))
	}
	stored := history.Assessments[0]
	if stored.Review.Current() != record.ReviewPending {
		t.Errorf("stored review state = %q, want pending", stored.Review.Current())
	}
	if got := stored.Date; got != time.Now().Format(time.DateOnly) {
		t.Errorf("stored date = %q, want today", got)
	}
	profile, err := assessment.ParseProfile(stored.Profile)
	if err != nil {
		t.Fatalf("stored profile %q: %v", stored.Profile, err)
	}
	if !reflect.DeepEqual(profile, want) {
		t.Errorf("stored profile = %+v, want %+v", profile, want)
	}

	// 完成 brings the clerk's screen back, with the new assessment listed.
	test.Tap(k.result.done)
	h.queue.flush()
	if h.win.Content() != clerkScreen {
		t.Error("完成 did not bring the clerk's screen back")
	}
	if h.win.FullScreen() {
		t.Error("the window stayed full-screen after the kiosk closed")
	}
	if got := h.win.Title(); got != clerkTitle {
		t.Errorf("window title after the kiosk = %q, want %q", got, clerkTitle)
	}
	wantRow := display.Date(stored.Date) + " · 兴趣代码 RCI"
	if got := section.texts(); len(got) != 1 || got[0] != wantRow {
		t.Errorf("assessment rows = %q, want [%s]", got, wantRow)
	}
	if section.chart.image() == nil {
		t.Error("the section shows no radar chart for the new assessment")
	}
}

func TestKioskSubmitIncompleteStays(t *testing.T) {
	st, person := signedIn(t, access.Clerk)
	h := newHarness(t, st, Options{})
	_, k := openKioskFor(t, h, person.ID)
	missing := k.items[19] // question 20, on the fourth item page
	answerAll(t, k, missing.ID)

	test.Tap(k.submit)
	h.queue.flush()
	if k.result != nil {
		t.Fatal("the kiosk showed a result with an unanswered item")
	}
	if got, want := k.message.Text, "还有1项未作答：第20题。"; got != want || !k.message.Visible() {
		t.Errorf("message = %q (shown %v), want %q", got, k.message.Visible(), want)
	}
	if k.current != 4 {
		t.Errorf("kiosk on page %d after the submit, want 4 with question 20", k.current)
	}
	if got := k.questions[missing.ID].Importance; got != widget.DangerImportance {
		t.Errorf("question 20 has importance %v, want danger", got)
	}
	if history, _ := st.HistoryOf(person.ID); len(history.Assessments) != 0 {
		t.Fatalf("an incomplete assessment was stored: %+v", history.Assessments)
	}

	// Answering it clears the message, and the submit goes through.
	test.Tap(k.itemRows[missing.ID].buttons[kioskAnswer(missing)-1])
	if k.message.Visible() {
		t.Errorf("message %q still shown after answering question 20", k.message.Text)
	}
	k.show(len(k.pages) - 1)
	test.Tap(k.submit)
	h.queue.flush()
	if k.result == nil {
		t.Fatalf("no result after answering everything; message %q", k.message.Text)
	}
	if history, _ := st.HistoryOf(person.ID); len(history.Assessments) != 1 {
		t.Errorf("stored assessments = %d, want 1", len(history.Assessments))
	}
}

func TestKioskExitAsksAndStoresNothing(t *testing.T) {
	st, person := signedIn(t, access.Clerk)
	h := newHarness(t, st, Options{})
	clerkScreen := h.win.Content()
	_, k := openKioskFor(t, h, person.ID)
	test.Tap(k.begin)
	first := k.items[0]
	test.Tap(k.itemRows[first.ID].buttons[0])

	// Cancelling the confirmation keeps the kiosk and the answer.
	test.Tap(k.exit)
	if k.exitDialog == nil {
		t.Fatal("退出测评 asked for no confirmation")
	}
	tapDialogButton(t, h, widget.MediumImportance)
	if h.win.Content() == clerkScreen {
		t.Fatal("cancelling the exit left the kiosk")
	}
	if got := k.itemRows[first.ID].chosen(); got != 1 {
		t.Errorf("answer to question 1 after cancelling = %d, want 1", got)
	}

	test.Tap(k.exit)
	tapDialogButton(t, h, widget.HighImportance)
	h.queue.flush()
	if h.win.Content() != clerkScreen {
		t.Error("confirming the exit did not bring the clerk's screen back")
	}
	if history, _ := st.HistoryOf(person.ID); len(history.Assessments) != 0 {
		t.Errorf("leaving stored %d assessments, want 0", len(history.Assessments))
	}
}

func TestKioskProgressText(t *testing.T) {
	st, person := signedIn(t, access.Clerk)
	h := newHarness(t, st, Options{})
	_, k := openKioskFor(t, h, person.ID)
	test.Tap(k.begin)
	if got, want := k.progress.Text, "第 1–6 题，共 48 题"; got != want {
		t.Errorf("progress on the first page = %q, want %q", got, want)
	}
	k.show(len(k.pages) - 2)
	if got, want := k.progress.Text, "第 43–48 题，共 48 题"; got != want {
		t.Errorf("progress on the last item page = %q, want %q", got, want)
	}
	if k.submit.Visible() {
		t.Error("提交 shows before the competency page")
	}
	test.Tap(k.next)
	if !k.submit.Visible() || k.next.Visible() {
		t.Errorf("on the competency page: submit shown %v, next shown %v; want true, false",
			k.submit.Visible(), k.next.Visible())
	}
}
