package assessment

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"mobilefactory/shared/i18n"

	"pgregory.net/rapid"
)

// answersFrom builds answers where raw[d][k] is the answer to the k-th item
// of dimension d in ID order (raw[Realistic][2] answers r03), and every
// competency is rated rating.
func answersFrom(raw [NumDimensions][]int, rating int) Answers {
	a := Answers{Items: map[string]int{}, Competencies: map[string]int{}}
	for _, d := range Dimensions {
		for k, it := range ItemsOf(d) {
			a.Items[it.ID] = raw[d][k]
		}
	}
	for _, c := range Competencies() {
		a.Competencies[c.ID] = rating
	}
	return a
}

// uniformAnswers sets every item to value and every competency to rating.
func uniformAnswers(value, rating int) Answers {
	var raw [NumDimensions][]int
	for _, d := range Dimensions {
		for range ItemsOf(d) {
			raw[d] = append(raw[d], value)
		}
	}
	return answersFrom(raw, rating)
}

func mustScore(t *testing.T, a Answers) Profile {
	t.Helper()
	p, err := Score(a)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	return p
}

func TestScoreAllThrees(t *testing.T) {
	p := mustScore(t, uniformAnswers(3, 3))
	for _, d := range Dimensions {
		if p.Scores[d] != 50.0 {
			t.Errorf("score of %s = %v, want 50.0", d, p.Scores[d])
		}
	}
	if got := p.Code(); got != "RIA" {
		t.Errorf("Code() = %q, want RIA because equal scores keep RIASEC order", got)
	}
}

func TestScoreCompetenciesAsGiven(t *testing.T) {
	a := uniformAnswers(3, 3)
	for i, c := range Competencies() {
		a.Competencies[c.ID] = i%5 + 1
	}
	p := mustScore(t, a)
	for i, c := range Competencies() {
		if got, want := p.Competencies[c.ID], i%5+1; got != want {
			t.Errorf("competency %s = %d, want %d", c.ID, got, want)
		}
	}
	if len(p.Competencies) != len(Competencies()) {
		t.Errorf("profile has %d competencies, want %d", len(p.Competencies), len(Competencies()))
	}
}

// TestScoreRealisticConventional scores a student who prefers hands-on and
// orderly work. Items 3, 6 and 8 of each dimension are reverse-scored, and a
// dimension of 8 items scores 3.125 × (sum − 8) after reversal.
func TestScoreRealisticConventional(t *testing.T) {
	raw := [NumDimensions][]int{
		// Reversed 1s count as 5: sum 40, score 100.0.
		Realistic: {5, 5, 1, 5, 5, 1, 5, 1},
		// Sum 24, score 50.0.
		Investigative: {3, 3, 3, 3, 3, 3, 3, 3},
		// Reversed 4s count as 2: sum 16, score 25.0.
		Artistic: {2, 2, 4, 2, 2, 4, 2, 4},
		// 3+2+3+3+2+2+3+3 = 21, score 40.625, rounded to 40.6.
		Social: {3, 2, 3, 3, 2, 4, 3, 3},
		// 2+3+2+2+3+2+2+2 = 18, score 31.25, rounded half up to 31.3.
		Enterprising: {2, 3, 4, 2, 3, 4, 2, 4},
		// 5+4+4+5+4+5+5+4 = 36, score 87.5.
		Conventional: {5, 4, 2, 5, 4, 1, 5, 2},
	}
	p := mustScore(t, answersFrom(raw, 4))

	want := [NumDimensions]float64{100.0, 50.0, 25.0, 40.6, 31.3, 87.5}
	if p.Scores != want {
		t.Errorf("Scores = %v, want %v", p.Scores, want)
	}
	if got := p.Code(); got != "RCI" {
		t.Errorf("Code() = %q, want RCI", got)
	}
	if got, want := Summary(p, i18n.Chinese), "兴趣类型：实际型、常规型、研究型"; got != want {
		t.Errorf("Summary(zh) = %q, want %q", got, want)
	}
	if got, want := Summary(p, i18n.English), "Interest types: realistic, conventional, investigative"; got != want {
		t.Errorf("Summary(en) = %q, want %q", got, want)
	}
}

// TestScoreUniformAnswersReverse checks the reversal through the whole
// questionnaire: with 3 reversed items of 8, answering 5 everywhere counts
// as five 5s and three 1s.
func TestScoreUniformAnswersReverse(t *testing.T) {
	for _, tt := range []struct {
		answer int
		want   float64
	}{
		{5, 62.5}, // sum 28
		{1, 37.5}, // sum 20
	} {
		p := mustScore(t, uniformAnswers(tt.answer, 3))
		for _, d := range Dimensions {
			if p.Scores[d] != tt.want {
				t.Errorf("all answers %d: score of %s = %v, want %v", tt.answer, d, p.Scores[d], tt.want)
			}
		}
	}
}

// TestScoreEachItemDirection raises one item at a time from 3 to 5. The sum
// of its dimension becomes 26 (56.25, shown 56.3) for a normal item and
// 22 (43.75, shown 43.8) for a reversed one. Other dimensions stay at 50.0.
func TestScoreEachItemDirection(t *testing.T) {
	for _, it := range Items() {
		a := uniformAnswers(3, 3)
		a.Items[it.ID] = 5
		p := mustScore(t, a)

		want := 56.3
		if it.Reverse {
			want = 43.8
		}
		if got := p.Scores[it.Dimension]; got != want {
			t.Errorf("%s (reverse %v) answered 5: score of %s = %v, want %v", it.ID, it.Reverse, it.Dimension, got, want)
		}
		for _, d := range Dimensions {
			if d != it.Dimension && p.Scores[d] != 50.0 {
				t.Errorf("%s answered 5: score of %s = %v, want 50.0", it.ID, d, p.Scores[d])
			}
		}
	}
}

func TestScoreReversedItems(t *testing.T) {
	var reversed []string
	for _, d := range Dimensions {
		for _, it := range ItemsOf(d) {
			if it.Reverse {
				reversed = append(reversed, it.ID)
			}
		}
	}
	want := []string{
		"r03", "r06", "r08", "i03", "i06", "i08", "a03", "a06", "a08",
		"s03", "s06", "s08", "e03", "e06", "e08", "c03", "c06", "c08",
	}
	if !slices.Equal(reversed, want) {
		t.Errorf("reversed items = %v, want %v", reversed, want)
	}
}

func TestCodeTieBreak(t *testing.T) {
	for _, tt := range []struct {
		scores [NumDimensions]float64
		want   string
	}{
		{[NumDimensions]float64{50, 50, 50, 50, 50, 50}, "RIA"},
		{[NumDimensions]float64{0, 0, 0, 0, 0, 0}, "RIA"},
		{[NumDimensions]float64{10, 20, 30, 40, 50, 60}, "CES"},
		{[NumDimensions]float64{50, 75, 50, 50, 50, 75}, "ICR"},
		{[NumDimensions]float64{20, 20, 20, 80, 80, 80}, "SEC"},
		{[NumDimensions]float64{62.5, 40, 62.5, 62.5, 10, 62.5}, "RAS"},
		{[NumDimensions]float64{43.8, 43.8, 90.6, 12.5, 43.8, 43.7}, "ARI"},
	} {
		p := Profile{Scores: tt.scores}
		if got := p.Code(); got != tt.want {
			t.Errorf("Profile{Scores: %v}.Code() = %q, want %q", tt.scores, got, tt.want)
		}
	}
}

func TestCodeTieFromAnswers(t *testing.T) {
	// Social, enterprising and conventional tie at 75.0 (sum 32 each) and
	// the rest score 50.0, so the code keeps their RIASEC order.
	raw := [NumDimensions][]int{
		Realistic:     {3, 3, 3, 3, 3, 3, 3, 3},
		Investigative: {3, 3, 3, 3, 3, 3, 3, 3},
		Artistic:      {3, 3, 3, 3, 3, 3, 3, 3},
		Social:        {4, 4, 2, 4, 4, 2, 4, 2},
		Enterprising:  {5, 3, 2, 5, 3, 2, 4, 2},
		Conventional:  {4, 4, 1, 3, 5, 3, 4, 2},
	}
	p := mustScore(t, answersFrom(raw, 3))
	for _, d := range []Dimension{Social, Enterprising, Conventional} {
		if p.Scores[d] != 75.0 {
			t.Errorf("score of %s = %v, want 75.0", d, p.Scores[d])
		}
	}
	if got := p.Code(); got != "SEC" {
		t.Errorf("Code() = %q, want SEC", got)
	}
}

func TestScoreMissingItem(t *testing.T) {
	a := uniformAnswers(3, 3)
	delete(a.Items, "r05")

	_, err := Score(a)
	if !errors.Is(err, ErrIncomplete) {
		t.Fatalf("Score without r05: error %v, want ErrIncomplete", err)
	}
	var incomplete *IncompleteError
	if !errors.As(err, &incomplete) {
		t.Fatalf("Score without r05: error %T, want *IncompleteError", err)
	}
	if !slices.Equal(incomplete.Missing, []string{"r05"}) {
		t.Errorf("Missing = %v, want [r05]", incomplete.Missing)
	}
	if got, want := err.Error(), "assessment: 1 of 55 answers missing: r05"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	// r05 is the first item of the fifth round of six dimensions.
	if got, want := incomplete.Message(i18n.Chinese), "还有1项未作答：第25题。"; got != want {
		t.Errorf("Message(zh) = %q, want %q", got, want)
	}
}

func TestScorePartlyAnswered(t *testing.T) {
	a := uniformAnswers(3, 3)
	var removed []string
	for i, it := range Items() {
		if i%2 == 1 {
			delete(a.Items, it.ID)
			removed = append(removed, it.ID)
		}
	}
	delete(a.Competencies, "teamwork")

	_, err := Score(a)
	var incomplete *IncompleteError
	if !errors.As(err, &incomplete) {
		t.Fatalf("Score of half the items: error %v, want *IncompleteError", err)
	}
	want := append(removed, "teamwork")
	if !slices.Equal(incomplete.Missing, want) {
		t.Errorf("Missing = %v, want %v", incomplete.Missing, want)
	}
	if !strings.HasPrefix(err.Error(), "assessment: 25 of 55 answers missing: i01, s01, c01, ") {
		t.Errorf("Error() = %q, want it to start with the count and the first items", err.Error())
	}
	if msg := incomplete.Message(i18n.Chinese); !strings.HasPrefix(msg, "还有25项未作答：第2题、第4题、") || !strings.HasSuffix(msg, "第48题、团队合作。") {
		t.Errorf("Message(zh) = %q, want the count, question numbers and 团队合作", msg)
	}
}

func TestScoreNothingAnswered(t *testing.T) {
	_, err := Score(Answers{})
	var incomplete *IncompleteError
	if !errors.As(err, &incomplete) {
		t.Fatalf("Score(Answers{}): error %v, want *IncompleteError", err)
	}
	if got, want := len(incomplete.Missing), len(Items())+len(Competencies()); got != want {
		t.Errorf("%d missing, want %d", got, want)
	}
}

func TestScoreOutOfRange(t *testing.T) {
	for _, tt := range []struct {
		item, competency string
		value            int
		wantMessage      string
	}{
		{item: "i02", value: 0, wantMessage: "第8题的回答0无效，请选1到5之间的一项。"},
		{item: "i02", value: 6, wantMessage: "第8题的回答6无效，请选1到5之间的一项。"},
		{item: "c08", value: -1, wantMessage: "第48题的回答-1无效，请选1到5之间的一项。"},
		{competency: "computer", value: 9, wantMessage: "计算机应用的回答9无效，请选1到5之间的一项。"},
	} {
		a := uniformAnswers(3, 3)
		id := tt.item
		if id != "" {
			a.Items[id] = tt.value
		} else {
			id = tt.competency
			a.Competencies[id] = tt.value
		}

		_, err := Score(a)
		var answerErr *AnswerError
		if !errors.As(err, &answerErr) || !errors.Is(err, ErrOutOfRange) {
			t.Errorf("%s = %d: error %v, want *AnswerError wrapping ErrOutOfRange", id, tt.value, err)
			continue
		}
		if answerErr.ID != id || answerErr.Value != tt.value {
			t.Errorf("%s = %d: error names %s = %d", id, tt.value, answerErr.ID, answerErr.Value)
		}
		if !strings.Contains(err.Error(), id) {
			t.Errorf("%s = %d: Error() = %q does not name the item", id, tt.value, err.Error())
		}
		if got := answerErr.Message(i18n.Chinese); got != tt.wantMessage {
			t.Errorf("%s = %d: Message(zh) = %q, want %q", id, tt.value, got, tt.wantMessage)
		}
	}
}

func TestScoreOutOfRangeFirstInOrder(t *testing.T) {
	// r02 is question 7 and i01 question 2, so i01 is reported. Missing
	// answers are reported only once every given answer is in range.
	a := Answers{Items: map[string]int{"r02": 0, "i01": 7}}
	_, err := Score(a)
	if got, want := err.Error(), "assessment: answer 7 to item i01 (question 2): answer out of range 1–5"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestScoreUnknownItem(t *testing.T) {
	a := uniformAnswers(3, 3)
	a.Items["x99"] = 3
	a.Items["teamwork"] = 4 // a competency given as an item

	_, err := Score(a)
	var answerErr *AnswerError
	if !errors.As(err, &answerErr) || !errors.Is(err, ErrUnknownItem) {
		t.Fatalf("Score with x99: error %v, want *AnswerError wrapping ErrUnknownItem", err)
	}
	if answerErr.ID != "teamwork" {
		t.Errorf("error names %q, want teamwork, the first unknown ID in sorted order", answerErr.ID)
	}
	if got, want := err.Error(), `assessment: answer to "teamwork": unknown item`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestScoreUnknownCompetency(t *testing.T) {
	a := uniformAnswers(3, 3)
	a.Competencies["r01"] = 3 // an item given as a competency

	_, err := Score(a)
	if !errors.Is(err, ErrUnknownItem) {
		t.Fatalf("Score with competency r01: error %v, want ErrUnknownItem", err)
	}
}

// TestScoreProperties checks, for random complete answers, that every score
// is a whole number of tenths in 0–100 and that the code starts with a
// highest-scoring dimension.
func TestScoreProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p, err := Score(drawAnswers(t))
		if err != nil {
			t.Fatalf("Score: %v", err)
		}
		for _, d := range Dimensions {
			s := p.Scores[d]
			if s < 0 || s > 100 || math.Round(s*10)/10 != s {
				t.Fatalf("score of %s = %v, want 0–100 in tenths", d, s)
			}
		}
		top := Dimension(strings.IndexByte(dimensionLetters, p.Code()[0]))
		if p.Scores[top] != slices.Max(p.Scores[:]) {
			t.Fatalf("Code() = %s but scores are %v", p.Code(), p.Scores)
		}
	})
}

// drawAnswers draws a complete questionnaire with answers 1–5.
func drawAnswers(t *rapid.T) Answers {
	a := Answers{Items: map[string]int{}, Competencies: map[string]int{}}
	for _, it := range Items() {
		a.Items[it.ID] = rapid.IntRange(MinAnswer, MaxAnswer).Draw(t, it.ID)
	}
	for _, c := range Competencies() {
		a.Competencies[c.ID] = rapid.IntRange(MinAnswer, MaxAnswer).Draw(t, c.ID)
	}
	return a
}

func TestErrorMessagesEnglish(t *testing.T) {
	for _, tt := range []struct {
		err  interface{ Message(string) string }
		want string
	}{
		{&AnswerError{ID: "i02", Value: 6, Err: ErrOutOfRange}, "The answer 6 to question 8 is invalid. Choose one of 1 to 5."},
		{&AnswerError{ID: "x99", Value: 3, Err: ErrUnknownItem}, `The assessment has no item "x99".`},
		{&IncompleteError{Missing: []string{"r05", "teamwork"}}, "2 answers are missing: question 25, Teamwork."},
	} {
		if got := tt.err.Message(i18n.English); got != tt.want {
			t.Errorf("Message(en) = %q, want %q", got, tt.want)
		}
	}
	unknown := &AnswerError{ID: "x99", Value: 3, Err: ErrUnknownItem}
	if got, want := unknown.Message(i18n.Chinese), "测评中没有“x99”这一项。"; got != want {
		t.Errorf("Message(zh) = %q, want %q", got, want)
	}
}
