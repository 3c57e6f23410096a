// Package assessment scores the career-direction assessment (职业方向测评):
// an interest questionnaire over six dimensions (realistic, investigative,
// artistic, social, enterprising, conventional) and a competency self-rating.
//
// Every questionnaire item is a statement answered on a 5-point agreement
// scale (1 非常不同意 … 5 非常同意). A reverse-scored item counts as 6 minus
// the answer. A dimension's score is the mean of its items mapped linearly
// from 1..5 to 0..100 and rounded half up to one decimal, so 3 on every item
// scores 50.0. Competencies are rated 1 (很弱) … 5 (很强) and kept as given.
//
// The package has no Fyne import: the desktop client and the sync server can
// both use it.
package assessment

import (
	"slices"

	"mobilefactory/shared/i18n"
)

// Dimension is one of the six interest dimensions, in RIASEC order.
type Dimension int

// The dimensions. Their order is the tie-break order of Profile.Code.
const (
	Realistic Dimension = iota
	Investigative
	Artistic
	Social
	Enterprising
	Conventional

	NumDimensions = 6
)

// Dimensions lists the dimensions in RIASEC order.
var Dimensions = [NumDimensions]Dimension{Realistic, Investigative, Artistic, Social, Enterprising, Conventional}

var dimensionNames = [NumDimensions]string{"realistic", "investigative", "artistic", "social", "enterprising", "conventional"}

const dimensionLetters = "RIASEC"

// String returns the dimension's English name in lower case, such as
// "realistic", which is also its translation key suffix.
func (d Dimension) String() string { return dimensionNames[d] }

// Letter returns the dimension's letter in the interest code, such as "R".
func (d Dimension) Letter() string { return dimensionLetters[d : d+1] }

// Name returns the dimension's name in the locale, such as 实际型.
func (d Dimension) Name(locale string) string {
	return i18n.In(locale, "assessment.dimension."+d.String())
}

// Scale bounds of both the agreement scale and the competency rating.
const (
	MinAnswer = 1
	MaxAnswer = 5
)

// CodeLength is the number of letters in an interest code.
const CodeLength = 3

// Answers is a filled-in assessment.
type Answers struct {
	Items        map[string]int // item ID → agreement 1–5
	Competencies map[string]int // competency ID → rating 1–5
}

// Profile is a scored assessment.
type Profile struct {
	// Scores holds each dimension's score, indexed by Dimension. A score is
	// 0–100 with one decimal.
	Scores [NumDimensions]float64
	// Competencies maps every competency ID to its rating 1–5.
	Competencies map[string]int
}

// Code returns the letters of the CodeLength highest-scoring dimensions,
// highest first, such as "RIC". Equal scores keep RIASEC order, so a profile
// of equal scores has the code "RIA".
func (p Profile) Code() string {
	order := Dimensions
	// SortStableFunc keeps equal scores in RIASEC order, the order of
	// Dimensions. Equal scores are equal floats because every score is a
	// whole number of tenths divided by ten.
	slices.SortStableFunc(order[:], func(a, b Dimension) int {
		switch {
		case p.Scores[a] > p.Scores[b]:
			return -1
		case p.Scores[a] < p.Scores[b]:
			return 1
		}
		return 0
	})

	code := make([]byte, 0, CodeLength)
	for _, d := range order[:CodeLength] {
		code = append(code, dimensionLetters[d])
	}
	return string(code)
}

// Score validates the answers and scores them.
//
// It runs three checks in turn and returns the error of the first that fails:
//   - An answer to an ID that is not an item or competency gives an
//     *AnswerError wrapping ErrUnknownItem, for the smallest such ID.
//   - An answer outside 1–5 gives an *AnswerError wrapping ErrOutOfRange,
//     for the first such item in questionnaire order or else the first such
//     competency in form order.
//   - An item or competency without an answer gives an *IncompleteError,
//     which matches ErrIncomplete and lists every one that is missing.
func Score(a Answers) (Profile, error) {
	if err := checkAnswers(a); err != nil {
		return Profile{}, err
	}

	var p Profile
	for _, d := range Dimensions {
		sum := 0
		for _, it := range itemsByDimension[d] {
			sum += itemValue(it, a.Items[it.ID])
		}
		p.Scores[d] = scaleMean(sum, len(itemsByDimension[d]))
	}

	p.Competencies = make(map[string]int, len(competencies))
	for _, c := range competencies {
		p.Competencies[c.ID] = a.Competencies[c.ID]
	}
	return p, nil
}

// itemValue returns the answer as it counts towards the item's dimension.
func itemValue(it Item, answer int) int {
	if it.Reverse {
		return MinAnswer + MaxAnswer - answer
	}
	return answer
}

// scaleMean maps the mean of n values 1–5 whose sum is sum to 0–100, rounded
// half up to one decimal. It works in integer tenths so that a mean such as
// 2.875 (46.875) rounds the same way on every platform.
func scaleMean(sum, n int) float64 {
	// score = (sum/n - 1) / 4 * 100, so tenths = (sum - n) * 1000 / (4n).
	numerator := (sum - n*MinAnswer) * 1000
	denominator := n * (MaxAnswer - MinAnswer)
	tenths := (2*numerator + denominator) / (2 * denominator)
	return float64(tenths) / 10
}
