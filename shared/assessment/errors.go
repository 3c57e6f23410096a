package assessment

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"mobilefactory/shared/i18n"
)

// Errors of Score. Each is wrapped in an *AnswerError or *IncompleteError
// that names the items concerned.
var (
	// ErrUnknownItem is returned when an answer names an ID that is neither
	// an item nor a competency of the questionnaire.
	ErrUnknownItem = errors.New("unknown item")
	// ErrOutOfRange is returned when an answer is outside 1–5.
	ErrOutOfRange = errors.New("answer out of range 1–5")
	// ErrIncomplete is returned when an item or competency has no answer.
	ErrIncomplete = errors.New("questionnaire incomplete")
)

// AnswerError is an answer Score rejects: an unknown ID or a value out of
// range.
type AnswerError struct {
	ID    string // item or competency ID as given
	Value int
	Err   error // ErrUnknownItem or ErrOutOfRange
}

func (e *AnswerError) Error() string {
	if e.Err == ErrUnknownItem {
		return fmt.Sprintf("assessment: answer to %q: %v", e.ID, e.Err)
	}
	return fmt.Sprintf("assessment: answer %d to %s: %v", e.Value, describe(e.ID), e.Err)
}

func (e *AnswerError) Unwrap() error { return e.Err }

// Message returns the text for the user in the locale.
func (e *AnswerError) Message(locale string) string {
	if e.Err == ErrUnknownItem {
		return i18n.In(locale, "assessment.error.unknown", e.ID)
	}
	return i18n.In(locale, "assessment.error.out_of_range", label(locale, e.ID), e.Value)
}

// IncompleteError lists what has no answer.
type IncompleteError struct {
	// Missing holds the IDs without an answer: items in questionnaire order,
	// then competencies in form order.
	Missing []string
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("assessment: %d of %d answers missing: %s",
		len(e.Missing), len(items)+len(competencies), strings.Join(e.Missing, ", "))
}

// Is makes errors.Is(err, ErrIncomplete) true.
func (e *IncompleteError) Is(target error) bool { return target == ErrIncomplete }

// Message returns the text for the user in the locale, naming items by their
// question number and competencies by name.
func (e *IncompleteError) Message(locale string) string {
	labels := make([]string, len(e.Missing))
	for i, id := range e.Missing {
		labels[i] = label(locale, id)
	}
	return i18n.In(locale, "assessment.error.incomplete",
		len(e.Missing), strings.Join(labels, i18n.In(locale, "assessment.list_separator")))
}

// describe names an ID for a developer: "item r03 (question 13)",
// "competency teamwork" or the quoted ID when it is unknown.
func describe(id string) string {
	if n := itemNumber[id]; n > 0 {
		return fmt.Sprintf("item %s (question %d)", id, n)
	}
	if _, ok := competencyIndex[id]; ok {
		return "competency " + id
	}
	return strconv.Quote(id)
}

// label names an ID for the user: 第13题 for an item, the competency's name
// for a competency.
func label(locale, id string) string {
	if n := itemNumber[id]; n > 0 {
		return i18n.In(locale, "assessment.question", n)
	}
	if i, ok := competencyIndex[id]; ok {
		return competencies[i].Name(locale)
	}
	return id
}

// checkAnswers runs the checks Score documents.
func checkAnswers(a Answers) error {
	if unknown := firstUnknown(a); unknown != nil {
		return unknown
	}

	for _, it := range items {
		if v, ok := a.Items[it.ID]; ok && (v < MinAnswer || v > MaxAnswer) {
			return &AnswerError{ID: it.ID, Value: v, Err: ErrOutOfRange}
		}
	}
	for _, c := range competencies {
		if v, ok := a.Competencies[c.ID]; ok && (v < MinAnswer || v > MaxAnswer) {
			return &AnswerError{ID: c.ID, Value: v, Err: ErrOutOfRange}
		}
	}

	var missing []string
	for _, it := range items {
		if _, ok := a.Items[it.ID]; !ok {
			missing = append(missing, it.ID)
		}
	}
	for _, c := range competencies {
		if _, ok := a.Competencies[c.ID]; !ok {
			missing = append(missing, c.ID)
		}
	}
	if len(missing) > 0 {
		return &IncompleteError{Missing: missing}
	}
	return nil
}

// firstUnknown returns the error for the answer with the smallest ID that
// is not an item (in Items) or not a competency (in Competencies), or nil.
func firstUnknown(a Answers) *AnswerError {
	var unknown []*AnswerError
	for id, v := range a.Items {
		if itemNumber[id] == 0 {
			unknown = append(unknown, &AnswerError{ID: id, Value: v, Err: ErrUnknownItem})
		}
	}
	for id, v := range a.Competencies {
		if _, ok := competencyIndex[id]; !ok {
			unknown = append(unknown, &AnswerError{ID: id, Value: v, Err: ErrUnknownItem})
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return slices.MinFunc(unknown, func(x, y *AnswerError) int {
		return cmp.Or(strings.Compare(x.ID, y.ID), x.Value-y.Value)
	})
}
