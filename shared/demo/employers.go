package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// directoryEmployer is an employer of the generated directory with what
// the generator needs to give it demands and staff.
type directoryEmployer struct {
	record.Employer
	category string // the major category whose graduates it hires
	months   []int  // its peak season, or nil when it hires all year
}

// employerCategories weights the major categories of the employers in the
// directory, roughly as the graduates of each category find work.
var employerCategories = newWeighted(
	[]string{"41", "42", "43", "44", "45", "46", "47", "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59"},
	[]float64{3, 2, 4, 7, 1, 16, 3, 4, 4, 8, 14, 8, 12, 4, 3, 2, 2, 1, 2},
)

// industryDivisions are the GB/T 4754-2017 divisions (two digits) an
// employer hiring graduates of a major category works in.
var industryDivisions = map[string][]string{
	"41": {"01", "02", "03", "05"},
	"42": {"77", "74"},
	"43": {"44", "30", "32"},
	"44": {"47", "48", "50", "70"},
	"45": {"76", "46"},
	"46": {"34", "35", "36", "38"},
	"47": {"26", "27"},
	"48": {"18", "23", "30"},
	"49": {"14", "27", "52"},
	"50": {"54", "53", "56", "59", "81"},
	"51": {"39", "64", "65"},
	"52": {"84"},
	"53": {"51", "52", "72"},
	"54": {"61", "62", "72"},
	"55": {"74", "88"},
	"56": {"86", "88"},
	"57": {"83", "89"},
	"58": {"72"},
	"59": {"80", "85", "70"},
}

// seasons are the peak months of the seasonal employers of a major
// category: tea picking and harvests, the mooncake and New Year food
// trade, the online shopping festivals of November and the travel seasons.
var seasons = map[string][][]int{
	"41": {{3, 4, 5}, {9, 10, 11}},
	"49": {{8, 9}, {12, 1}},
	"50": {{10, 11, 12, 1}},
	"53": {{10, 11, 12}, {5, 6}},
	"54": {{4, 5}, {7, 8}, {10}},
	"46": {{3, 4, 5, 6}, {8, 9, 10, 11}},
}

// seasonalShare is the share of employers of a category with seasons that
// hire only in their peak season.
const seasonalShare = 0.3

// defaultNatures weights the employer nature codes of companies: mostly
// private (39), some state-owned (31) and foreign-invested (32).
var defaultNatures = newWeighted([]string{"39", "31", "32"}, []float64{78, 12, 10})

// employersPerDemands is how many job demands an employer of the
// directory has on average when Options.Employers is zero.
const employersPerDemands = 3

// minEmployers is the smallest directory Generate makes.
const minEmployers = 50

// employerRegion picks the seat of an employer: outside Jiangxi as often
// as employed graduates work there, else a Jiangxi prefecture with
// Nanchang weighted up.
func employerRegion(r *rand.Rand, t *tables) string {
	if chance(r, shareOutside/100) {
		return outsideRegion(r)
	}
	if chance(r, 0.25) {
		return nanchang
	}
	return t.jiangxiPrefectures[r.IntN(len(t.jiangxiPrefectures))]
}

// newDirectory makes the employer directory: n employers named like the
// employers people work at, so a person's Employer often names one of
// them.
func (g *generator) newDirectory(n int) {
	r := g.employerRand
	for len(g.directory) < n {
		region := employerRegion(r, g.t)
		category := employerCategories.pick(r)
		trade, kind := employerParts(r, region, category)
		name := placePrefix(g.t, region) + trade + kind
		if _, dup := g.employersByName[name]; dup {
			// A place has only employersPerPlace names per category, so a
			// large directory also takes names with a third trade
			// character, which people never work at.
			trade += string(tradeSecond[r.IntN(len(tradeSecond))])
			name = placePrefix(g.t, region) + trade + kind
			if _, dup := g.employersByName[name]; dup {
				continue
			}
		}
		var months []int
		if s := seasons[category]; len(s) > 0 && chance(r, seasonalShare) {
			months = s[r.IntN(len(s))]
		}
		g.addEmployer(r, name, kind, region, category, months)
	}
}

// addEmployer adds an employer to the directory and to the pending part.
func (g *generator) addEmployer(r *rand.Rand, name, kind, region, category string, months []int) *directoryEmployer {
	nature, regType := natureOf(r, kind)
	divisions := industryDivisions[category]
	classes := g.t.industryClasses[divisions[r.IntN(len(divisions))]]
	gender := record.GenderMale
	if chance(r, 0.5) {
		gender = record.GenderFemale
	}
	e := &directoryEmployer{
		Employer: record.Employer{
			ID: g.newEmployerID(), Scope: record.ProvinceScope, Name: name,
			CreditCode: g.creditCode(r, regType, region), Region: region,
			Industry: classes[r.IntN(len(classes))], Nature: nature,
			Contact: personName(r, gender), ContactPhone: phoneNumber(r, g.contactPhones),
		},
		category: category,
		months:   months,
	}
	g.directory = append(g.directory, e)
	g.employersByName[name] = e
	g.byCategory[category] = append(g.byCategory[category], e)
	if months != nil {
		g.seasonalByCategory[category] = append(g.seasonalByCategory[category], e)
	}
	g.part.Employers = append(g.part.Employers, e.Employer)
	return e
}

// natureOf returns the employer nature code of an employer of the given
// business and the two characters that open its credit code: the
// registration authority and the kind of organisation (GB 32100).
func natureOf(r *rand.Rand, kind string) (nature, regType string) {
	switch {
	case kind == "医院":
		return "23", "12" // a public hospital, registered as an institution
	case kind == "幼儿园":
		return "22", "52" // a private kindergarten, a social service organisation
	case strings.HasSuffix(kind, "服务中心"):
		return "99", "52"
	default:
		return defaultNatures.pick(r), "91" // a company
	}
}

// creditCode returns an unused unified social credit code: the two type
// characters, the region, an organisation code with its check character
// and the code's own check character, which validate.CreditCode accepts.
func (g *generator) creditCode(r *rand.Rand, regType, region string) string {
	for {
		org := fmt.Sprintf("%08d", r.IntN(100_000_000))
		first17 := regType + region + org + string(orgCheck(org))
		if g.creditCodes[first17] {
			continue
		}
		g.creditCodes[first17] = true
		return first17 + string(validate.CreditCheckChar(first17))
	}
}

// orgCheck returns the check character of an organisation code of eight
// digits (GB 11714): 11 minus the weighted sum modulo 11, 10 written X
// and 11 written 0.
func orgCheck(digits string) byte {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(digits[i]-'0') * w
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// programmeEmployer returns the directory employer a job-tailored
// programme trains for, adding it to the directory when it is missing.
// The employer's own fields come from a stream of the name, so they do not
// depend on what was generated before.
func (g *generator) programmeEmployer(name, kind, region, category string) *directoryEmployer {
	if e, ok := g.employersByName[name]; ok {
		return e
	}
	r := rand.New(rand.NewPCG(uint64(g.seed), fnvString(name)))
	return g.addEmployer(r, name, kind, region, category, nil)
}

// placeAtSeasonalEmployer moves an employed person to a seasonal employer
// of the directory that hires their major category, for about
// seasonalStaffShare of them, so the employment-transfer use has people
// an employer releases off-season.
func (g *generator) placeAtSeasonalEmployer(p *record.Person, m major) {
	list := g.seasonalByCategory[m.category]
	if p.Status != record.StatusEmployed || len(list) == 0 || !chance(g.extras, seasonalStaffShare) {
		return
	}
	e := list[g.extras.IntN(len(list))]
	p.Employer, p.WorkRegion = e.Name, e.Region
}

// seasonalStaffShare is the share of employed graduates of a category with
// seasonal employers who work at one of them.
const seasonalStaffShare = 0.08
