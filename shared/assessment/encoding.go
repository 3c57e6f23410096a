package assessment

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// encodingVersion is the first field of an encoded profile. Raise it when the
// fields change, and keep ParseProfile reading the older versions that
// stored records hold.
const encodingVersion = "v=1"

// ErrInvalidProfile is returned by ParseProfile, wrapped with the field that
// is wrong.
var ErrInvalidProfile = errors.New("invalid assessment profile")

// Encode returns the profile as one line for a record field:
// "v=1;R=75.0;I=62.5;A=50.0;S=25.0;E=37.5;C=87.5;hands_on=4;…", with the
// dimensions in RIASEC order and the competencies in form order. The same
// profile always gives the same text. The code is left out because Code
// derives it from the scores.
func (p Profile) Encode() string {
	fields := make([]string, 0, 1+NumDimensions+len(competencies))
	fields = append(fields, encodingVersion)
	for _, d := range Dimensions {
		fields = append(fields, d.Letter()+"="+strconv.FormatFloat(p.Scores[d], 'f', 1, 64))
	}
	for _, c := range competencies {
		fields = append(fields, c.ID+"="+strconv.Itoa(p.Competencies[c.ID]))
	}
	return strings.Join(fields, ";")
}

// ParseProfile parses the text Encode returns. It accepts the fields after
// the version in any order but requires every dimension and competency
// exactly once, scores 0.0–100.0 written with one decimal and ratings 1–5.
func ParseProfile(text string) (Profile, error) {
	fields := strings.Split(text, ";")
	if fields[0] != encodingVersion {
		return Profile{}, fmt.Errorf("%w: first field %q is not the version %q", ErrInvalidProfile, fields[0], encodingVersion)
	}

	p := Profile{Competencies: make(map[string]int, len(competencies))}
	var seenDimensions [NumDimensions]bool
	for _, field := range fields[1:] {
		key, value, ok := strings.Cut(field, "=")
		if !ok {
			return Profile{}, fmt.Errorf("%w: field %q has no '='", ErrInvalidProfile, field)
		}

		if d := strings.Index(dimensionLetters, key); len(key) == 1 && d >= 0 {
			if seenDimensions[d] {
				return Profile{}, fmt.Errorf("%w: dimension %s appears twice", ErrInvalidProfile, key)
			}
			seenDimensions[d] = true
			score, err := parseScore(value)
			if err != nil {
				return Profile{}, fmt.Errorf("%w: dimension %s: %v", ErrInvalidProfile, key, err)
			}
			p.Scores[d] = score
			continue
		}

		if _, ok := competencyIndex[key]; !ok {
			return Profile{}, fmt.Errorf("%w: unknown field %q", ErrInvalidProfile, key)
		}
		if _, seen := p.Competencies[key]; seen {
			return Profile{}, fmt.Errorf("%w: competency %s appears twice", ErrInvalidProfile, key)
		}
		rating, err := strconv.Atoi(value)
		if err != nil || len(value) != 1 || rating < MinAnswer || rating > MaxAnswer {
			return Profile{}, fmt.Errorf("%w: competency %s: rating %q is not a whole number 1–5", ErrInvalidProfile, key, value)
		}
		p.Competencies[key] = rating
	}

	for _, d := range Dimensions {
		if !seenDimensions[d] {
			return Profile{}, fmt.Errorf("%w: dimension %s is missing", ErrInvalidProfile, d.Letter())
		}
	}
	for _, c := range competencies {
		if _, ok := p.Competencies[c.ID]; !ok {
			return Profile{}, fmt.Errorf("%w: competency %s is missing", ErrInvalidProfile, c.ID)
		}
	}
	return p, nil
}

// parseScore parses a score as Encode writes it, such as "62.5".
func parseScore(value string) (float64, error) {
	score, err := strconv.ParseFloat(value, 64)
	if err != nil || strconv.FormatFloat(score, 'f', 1, 64) != value {
		return 0, fmt.Errorf("score %q is not a number with one decimal", value)
	}
	// The negated test also rejects NaN, and Signbit rejects "-0.0".
	if !(score >= 0 && score <= 100) || math.Signbit(score) {
		return 0, fmt.Errorf("score %s is outside 0.0–100.0", value)
	}
	return score, nil
}
