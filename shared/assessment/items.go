package assessment

import (
	"strconv"

	"mobilefactory/shared/i18n"
)

// Item is one statement of the interest questionnaire. Its text is the
// translation key "assessment.item.<ID>" in assets/i18n/*/assessment.json.
type Item struct {
	ID        string // a letter for the dimension and a two-digit number, such as "r03"
	Dimension Dimension
	// Reverse marks a statement that disagrees with its dimension, so its
	// answer counts as 6 minus the answer.
	Reverse bool
}

// Text returns the statement in the locale (i18n.Chinese or i18n.English).
func (it Item) Text(locale string) string { return i18n.In(locale, "assessment.item."+it.ID) }

// Competency is one skill of the self-rating. Its name is the translation key
// "assessment.competency.<ID>" and its one-line description
// "assessment.competency.<ID>.hint".
type Competency struct {
	ID string
}

// Name returns the competency's name in the locale.
func (c Competency) Name(locale string) string {
	return i18n.In(locale, "assessment.competency."+c.ID)
}

// Hint returns what the competency covers, in the locale.
func (c Competency) Hint(locale string) string {
	return i18n.In(locale, "assessment.competency."+c.ID+".hint")
}

// itemsByDimension lists the items of each dimension in RIASEC order. Three
// of the eight items of each dimension are reverse-scored. They are phrased
// as a dislike or as a preference for other work, never with a negation,
// because disagreeing with a negated statement is a double negative that
// respondents misread.
var itemsByDimension = [NumDimensions][]Item{
	Realistic: {
		{"r01", Realistic, false}, {"r02", Realistic, false}, {"r03", Realistic, true},
		{"r04", Realistic, false}, {"r05", Realistic, false}, {"r06", Realistic, true},
		{"r07", Realistic, false}, {"r08", Realistic, true},
	},
	Investigative: {
		{"i01", Investigative, false}, {"i02", Investigative, false}, {"i03", Investigative, true},
		{"i04", Investigative, false}, {"i05", Investigative, false}, {"i06", Investigative, true},
		{"i07", Investigative, false}, {"i08", Investigative, true},
	},
	Artistic: {
		{"a01", Artistic, false}, {"a02", Artistic, false}, {"a03", Artistic, true},
		{"a04", Artistic, false}, {"a05", Artistic, false}, {"a06", Artistic, true},
		{"a07", Artistic, false}, {"a08", Artistic, true},
	},
	Social: {
		{"s01", Social, false}, {"s02", Social, false}, {"s03", Social, true},
		{"s04", Social, false}, {"s05", Social, false}, {"s06", Social, true},
		{"s07", Social, false}, {"s08", Social, true},
	},
	Enterprising: {
		{"e01", Enterprising, false}, {"e02", Enterprising, false}, {"e03", Enterprising, true},
		{"e04", Enterprising, false}, {"e05", Enterprising, false}, {"e06", Enterprising, true},
		{"e07", Enterprising, false}, {"e08", Enterprising, true},
	},
	Conventional: {
		{"c01", Conventional, false}, {"c02", Conventional, false}, {"c03", Conventional, true},
		{"c04", Conventional, false}, {"c05", Conventional, false}, {"c06", Conventional, true},
		{"c07", Conventional, false}, {"c08", Conventional, true},
	},
}

// competencies lists the self-rating in the order the form shows it.
var competencies = []Competency{
	{"hands_on"},
	{"numeracy"},
	{"communication"},
	{"teamwork"},
	{"learning"},
	{"computer"},
	{"problem_solving"},
}

var (
	// items is the questionnaire in the order it is shown: one item of each
	// dimension in turn, so neighbouring statements do not give the
	// dimension away.
	items = interleave(itemsByDimension)
	// itemNumber maps an item ID to its 1-based position in items.
	itemNumber = numberItems(items)
	// competencyIndex maps a competency ID to its position in competencies.
	competencyIndex = indexCompetencies(competencies)
)

func interleave(byDimension [NumDimensions][]Item) []Item {
	var out []Item
	for i := 0; ; i++ {
		added := false
		for _, list := range byDimension {
			if i < len(list) {
				out = append(out, list[i])
				added = true
			}
		}
		if !added {
			return out
		}
	}
}

func numberItems(list []Item) map[string]int {
	m := make(map[string]int, len(list))
	for i, it := range list {
		m[it.ID] = i + 1
	}
	return m
}

func indexCompetencies(list []Competency) map[string]int {
	m := make(map[string]int, len(list))
	for i, c := range list {
		m[c.ID] = i
	}
	return m
}

// Items returns the questionnaire in the order the form shows it. The caller
// may modify the returned slice.
func Items() []Item { return append([]Item(nil), items...) }

// ItemsOf returns the items of one dimension, in ID order.
func ItemsOf(d Dimension) []Item { return append([]Item(nil), itemsByDimension[d]...) }

// ItemNumber returns the item's 1-based position in Items, or 0 for an
// unknown ID.
func ItemNumber(id string) int { return itemNumber[id] }

// Competencies returns the self-rating's competencies in the order the form
// shows them.
func Competencies() []Competency { return append([]Competency(nil), competencies...) }

// AgreementLabel returns the label of a point of the 5-point agreement scale
// (1 非常不同意 … 5 非常同意) in the locale.
func AgreementLabel(locale string, point int) string {
	return i18n.In(locale, "assessment.agreement."+strconv.Itoa(point))
}

// RatingLabel returns the label of a point of the competency rating scale
// (1 很弱 … 5 很强) in the locale.
func RatingLabel(locale string, point int) string {
	return i18n.In(locale, "assessment.rating."+strconv.Itoa(point))
}
