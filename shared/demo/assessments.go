package demo

import (
	"math/rand/v2"
	"strconv"

	"mobilefactory/shared/assessment"
	"mobilefactory/shared/record"
)

// interestBias raises the mean answer of interest dimensions, in RIASEC
// order, for the majors of a category, so that technical majors score
// realistic and investigative high, health majors social, finance majors
// conventional and enterprising, and art majors artistic.
var interestBias = map[string][assessment.NumDimensions]float64{
	"41": {1.4, 1.0, 0, 0.2, 0, 0.5},
	"42": {1.3, 1.1, 0, 0.2, 0, 0.6},
	"43": {1.5, 1.0, 0, 0, 0, 0.5},
	"44": {1.5, 0.8, 0.3, 0, 0.2, 0.5},
	"45": {1.4, 0.9, 0, 0, 0, 0.6},
	"46": {1.6, 1.0, 0, 0, 0, 0.5},
	"47": {1.2, 1.2, 0, 0, 0, 0.6},
	"48": {0.9, 0.2, 1.2, 0, 0.2, 0.4},
	"49": {0.8, 1.1, 0, 0.3, 0, 0.7},
	"50": {1.0, 0.3, 0, 0.8, 0.2, 0.6},
	"51": {0.9, 1.4, 0.2, 0, 0, 0.8},
	"52": {0.3, 1.0, 0, 1.5, 0, 0.4},
	"53": {0, 0.3, 0, 0.4, 1.1, 1.4},
	"54": {0.2, 0, 0.4, 1.3, 1.0, 0.2},
	"55": {0.2, 0.3, 1.6, 0, 0.6, 0},
	"56": {0, 0.3, 1.6, 0.2, 0.6, 0},
	"57": {0, 0, 0.9, 1.5, 0.2, 0.2},
	"58": {0.9, 0.2, 0, 0.9, 0.2, 0.8},
	"59": {0, 0, 0.2, 1.4, 0.8, 0.5},
}

// competencyBias raises self-ratings of competencies for technical and
// computing majors.
var competencyBias = map[string]map[string]float64{
	"46": {"hands_on": 0.8, "problem_solving": 0.4},
	"43": {"hands_on": 0.7, "problem_solving": 0.4},
	"44": {"hands_on": 0.5, "numeracy": 0.4},
	"51": {"computer": 0.9, "problem_solving": 0.4, "learning": 0.3},
	"53": {"numeracy": 0.8, "computer": 0.4, "communication": 0.3},
	"52": {"communication": 0.6, "teamwork": 0.5},
	"54": {"communication": 0.8, "teamwork": 0.4},
	"57": {"communication": 0.7, "teamwork": 0.4},
}

// assessmentAnswers is a questionnaire form filled in again for each
// assessment, with the items and competencies to fill.
type assessmentAnswers struct {
	answers      assessment.Answers
	items        []assessment.Item
	competencies []assessment.Competency
}

func newAssessmentAnswers() assessmentAnswers {
	items, comps := assessment.Items(), assessment.Competencies()
	return assessmentAnswers{
		answers: assessment.Answers{
			Items:        make(map[string]int, len(items)),
			Competencies: make(map[string]int, len(comps)),
		},
		items:        items,
		competencies: comps,
	}
}

// profileVariants is the number of distinct assessment profiles generated
// for the people of one major category.
// NOTE: people of a category share these profiles, so in a large data set
// many have the same one. Scoring a new questionnaire for each person took
// a third of the generation time.
const profileVariants = 128

// profileKey names one generated profile: a major category and a variant.
type profileKey struct {
	category string
	variant  int
}

// assessment makes a career-direction assessment taken in the first year,
// with one of the profiles of the person's major category.
func (g *generator) assessment(p record.Person, m major) record.Assessment {
	r := g.history
	day := dayBetween(r, studyStart(p.GradYear).AddDate(0, 1, 0), studyStart(p.GradYear).AddDate(1, 0, 0))
	key := profileKey{m.category, r.IntN(profileVariants)}
	profile, ok := g.profilePool[key]
	if !ok {
		profile = g.answers.score(categoryAnswers(g.seed, key)).Encode()
		g.profilePool[key] = profile
	}
	return record.Assessment{
		ID: g.newHistoryID(), College: p.College, Person: p.ID,
		Profile: profile, Date: g.dayString(day), Review: g.review(record.KindAssessment, day),
	}
}

// categoryAnswers returns how a student of the key's major category answers
// the items and rates the competencies: around means that the category
// raises, from a stream of the seed and the key, so a profile does not
// depend on which person first needs it.
func categoryAnswers(seed int64, key profileKey) (func(assessment.Item) float64, func(assessment.Competency) float64) {
	category, _ := strconv.Atoi(key.category)
	r := rand.New(rand.NewPCG(uint64(seed), uint64(category)<<32|uint64(key.variant)))
	bias := interestBias[key.category]
	var means [assessment.NumDimensions]float64
	for d := range means {
		means[d] = 2.3 + bias[d] + 1.2*(r.Float64()-0.5)
	}
	item := func(it assessment.Item) float64 {
		return means[it.Dimension] + 2*(r.Float64()-0.5)
	}
	competency := func(c assessment.Competency) float64 {
		return 3.1 + competencyBias[key.category][c.ID] + 2.4*(r.Float64()-0.5)
	}
	return item, competency
}

// score fills in the form with the agreement item returns for each item,
// rounded and kept within 1–5 (a reverse-scored item gets the opposite
// answer), and the rating competency returns for each competency, and
// scores it.
func (a assessmentAnswers) score(item func(assessment.Item) float64, competency func(assessment.Competency) float64) assessment.Profile {
	for _, it := range a.items {
		v := toScale(item(it))
		if it.Reverse {
			v = assessment.MinAnswer + assessment.MaxAnswer - v
		}
		a.answers.Items[it.ID] = v
	}
	for _, c := range a.competencies {
		a.answers.Competencies[c.ID] = toScale(competency(c))
	}
	profile, err := assessment.Score(a.answers)
	if err != nil {
		panic("bug: scoring generated assessment answers failed: " + err.Error())
	}
	return profile
}

// toScale rounds x to the nearest answer of the 1–5 scale.
func toScale(x float64) int {
	return min(max(int(x+0.5), assessment.MinAnswer), assessment.MaxAnswer)
}
