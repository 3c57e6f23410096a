package record

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Internship kinds: a work placement (实习) or a short job-experience
// session (岗位体验).
const (
	InternWork       = "work"
	InternExperience = "experience"
)

// InternKinds lists the internship kinds in display order.
var InternKinds = []string{InternWork, InternExperience}

// Award levels, highest first.
var AwardLevels = []string{"national", "provincial", "city", "college"}

// SkillLevels are the national vocational skill levels (职业技能等级), by
// their grade numbers: 5 初级 (entry), 4 中级, 3 高级, 2 技师, 1 高级技师.
var SkillLevels = []string{"5", "4", "3", "2", "1"}

// Programme is a training programme (培训项目): the basic modules, or a
// job-tailored programme (岗位打版) for an employer's job demand.
type Programme struct {
	ID       string
	College  string
	Title    string
	Employer string
	Position string
	// Demand names the job demand the programme serves, until job demands
	// are records of their own.
	Demand  string
	Modules []Module
}

// Module is one module of a programme: its hours and the score that passes
// it. Key identifies the module in Results; it is the name for modules a
// user makes.
type Module struct {
	Key      string
	Name     string
	Hours    int
	PassMark int
}

// BasicProgramme is the id of the built-in programme of the five basic
// modules every student takes. It is not a stored record.
const BasicProgramme = "basic"

// Basic returns the built-in programme of the five basic modules: office
// software, professional ethics, law, craftsmanship and career guidance.
// Names are i18n keys "training.module.KEY"; the caller translates them.
func Basic() Programme {
	return Programme{ID: BasicProgramme, Title: "training.basic", Modules: []Module{
		{Key: "office", Name: "training.module.office", Hours: 32, PassMark: 60},
		{Key: "ethics", Name: "training.module.ethics", Hours: 16, PassMark: 60},
		{Key: "law", Name: "training.module.law", Hours: 16, PassMark: 60},
		{Key: "craft", Name: "training.module.craft", Hours: 16, PassMark: 60},
		{Key: "career", Name: "training.module.career", Hours: 24, PassMark: 60},
	}}
}

// EncodeModules writes modules as the stored FieldModules value: one
// "name:hours:passmark" per module, joined by ";". Names must not contain
// ":", ";" or "=", which the stored results use too; the programme form
// (display.ParseProgramme) rejects them.
func EncodeModules(ms []Module) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%s:%d:%d", m.Name, m.Hours, m.PassMark)
	}
	return strings.Join(parts, ";")
}

// ParseModules reads a stored FieldModules value.
func ParseModules(s string) ([]Module, error) {
	if s == "" {
		return nil, nil
	}
	var out []Module
	for _, part := range strings.Split(s, ";") {
		f := strings.Split(part, ":")
		if len(f) != 3 || f[0] == "" || strings.Contains(f[0], "=") {
			return nil, fmt.Errorf("module %q: want name:hours:passmark", part)
		}
		hours, err1 := strconv.Atoi(f[1])
		pass, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil || hours <= 0 || pass < 0 || pass > 100 {
			return nil, fmt.Errorf("module %q: hours and pass mark must be numbers", part)
		}
		out = append(out, Module{Key: f[0], Name: f[0], Hours: hours, PassMark: pass})
	}
	return out, nil
}

// Fields returns the programme's values keyed by field name.
func (p Programme) Fields() map[string]string {
	return map[string]string{FieldTitle: p.Title, FieldEmployer: p.Employer,
		FieldPosition: p.Position, FieldDemand: p.Demand, FieldModules: EncodeModules(p.Modules)}
}

// ProgrammeFrom builds a programme from stored field values. Modules that
// do not parse are left out.
func ProgrammeFrom(id, college string, f map[string]string) Programme {
	modules, _ := ParseModules(f[FieldModules])
	return Programme{ID: id, College: college, Title: f[FieldTitle], Employer: f[FieldEmployer],
		Position: f[FieldPosition], Demand: f[FieldDemand], Modules: modules}
}

// Class is a class (班级) that enrols students into a programme; a custom
// class (定制班) enrols them into a job-tailored one. Its members are the
// training records that name it.
type Class struct {
	ID        string
	College   string
	Title     string
	Programme string // ULID of the programme, or BasicProgramme
	Start     string // ISO 8601 date
	End       string // ISO 8601 date
}

// Fields returns the class's values keyed by field name.
func (c Class) Fields() map[string]string {
	return map[string]string{FieldTitle: c.Title, FieldProgramme: c.Programme,
		FieldStart: c.Start, FieldEnd: c.End}
}

// ClassFrom builds a class from stored field values.
func ClassFrom(id, college string, f map[string]string) Class {
	return Class{ID: id, College: college, Title: f[FieldTitle], Programme: f[FieldProgramme],
		Start: f[FieldStart], End: f[FieldEnd]}
}

// Result is one module's attendance in hours and its score, 0–100; -1
// when no score was entered.
type Result struct {
	Attended int
	Score    int
}

// Results maps a module key to its result.
type Results map[string]Result

// Encode writes the results as the stored FieldResults value,
// "key=attended/score" joined by ";" in key order, with an empty score
// when none was entered.
func (r Results) Encode() string {
	keys := make([]string, 0, len(r))
	for k := range r {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		score := ""
		if r[k].Score >= 0 {
			score = strconv.Itoa(r[k].Score)
		}
		parts[i] = fmt.Sprintf("%s=%d/%s", k, r[k].Attended, score)
	}
	return strings.Join(parts, ";")
}

// ParseResults reads a stored FieldResults value.
func ParseResults(s string) (Results, error) {
	if s == "" {
		return nil, nil
	}
	out := Results{}
	for _, part := range strings.Split(s, ";") {
		key, rest, ok := strings.Cut(part, "=")
		attended, score, ok2 := strings.Cut(rest, "/")
		if !ok || !ok2 || key == "" {
			return nil, fmt.Errorf("result %q: want key=attended/score", part)
		}
		a, err := strconv.Atoi(attended)
		if err != nil || a < 0 {
			return nil, fmt.Errorf("result %q: attendance must be a number of hours", part)
		}
		sc := -1
		if score != "" {
			if sc, err = strconv.Atoi(score); err != nil || sc < 0 || sc > 100 {
				return nil, fmt.Errorf("result %q: score must be 0 to 100", part)
			}
		}
		out[key] = Result{Attended: a, Score: sc}
	}
	return out, nil
}

// MinAttendance is the share of a module's hours a student must attend,
// in percent, for the module to count as passed.
const MinAttendance = 80

// Passed reports whether the result passes module m: at least
// MinAttendance percent of its hours attended and a score at or above its
// pass mark.
func (r Result) Passed(m Module) bool {
	return r.Attended*100 >= m.Hours*MinAttendance && r.Score >= m.PassMark
}

// Completion is the outcome of a programme's results. It is computed,
// never typed.
type Completion struct {
	Passed    int  // modules passed
	Modules   int  // modules in the programme
	Hours     int  // hours attended over all modules
	Average   int  // mean score of the modules with a score, rounded; -1 when none
	Completed bool // every module passed
}

// Complete computes the completion of results in programme p.
func Complete(p Programme, r Results) Completion {
	c := Completion{Modules: len(p.Modules), Average: -1}
	sum, scored := 0, 0
	for _, m := range p.Modules {
		res, ok := r[m.Key]
		if !ok {
			continue
		}
		c.Hours += res.Attended
		if res.Score >= 0 {
			sum += res.Score
			scored++
		}
		if res.Passed(m) {
			c.Passed++
		}
	}
	if scored > 0 {
		c.Average = (sum + scored/2) / scored
	}
	c.Completed = c.Modules > 0 && c.Passed == c.Modules
	return c
}

// Assessment is a career-direction assessment result (职业方向测评结果).
type Assessment struct {
	ID         string
	College    string
	Person     string
	Profile    string // assessment.Profile.Encode
	Date       string // ISO 8601 date taken
	Review     Review
	Supersedes string
}

// Fields returns the assessment's values keyed by field name.
func (a Assessment) Fields() map[string]string {
	return a.Review.put(map[string]string{FieldPerson: a.Person, FieldProfile: a.Profile,
		FieldDate: a.Date, FieldSupersedes: a.Supersedes})
}

// AssessmentFrom builds an assessment from stored field values.
func AssessmentFrom(id, college string, f map[string]string) Assessment {
	return Assessment{ID: id, College: college, Person: f[FieldPerson], Profile: f[FieldProfile],
		Date: f[FieldDate], Review: ReviewFrom(f), Supersedes: f[FieldSupersedes]}
}

// Award is an award a person received (获奖).
type Award struct {
	ID         string
	College    string
	Person     string
	Title      string
	Level      string // one of AwardLevels
	Issuer     string
	Date       string
	Review     Review
	Supersedes string
}

// Fields returns the award's values keyed by field name.
func (a Award) Fields() map[string]string {
	return a.Review.put(map[string]string{FieldPerson: a.Person, FieldTitle: a.Title,
		FieldLevel: a.Level, FieldIssuer: a.Issuer, FieldDate: a.Date, FieldSupersedes: a.Supersedes})
}

// AwardFrom builds an award from stored field values.
func AwardFrom(id, college string, f map[string]string) Award {
	return Award{ID: id, College: college, Person: f[FieldPerson], Title: f[FieldTitle],
		Level: f[FieldLevel], Issuer: f[FieldIssuer], Date: f[FieldDate], Review: ReviewFrom(f),
		Supersedes: f[FieldSupersedes]}
}

// Certificate is a vocational certificate with its skill level.
type Certificate struct {
	ID         string
	College    string
	Person     string
	Title      string
	SkillLevel string // one of SkillLevels
	Issuer     string
	CertNo     string
	Date       string
	Review     Review
	Supersedes string
}

// Fields returns the certificate's values keyed by field name.
func (c Certificate) Fields() map[string]string {
	return c.Review.put(map[string]string{FieldPerson: c.Person, FieldTitle: c.Title,
		FieldSkillLevel: c.SkillLevel, FieldIssuer: c.Issuer, FieldCertNo: c.CertNo,
		FieldDate: c.Date, FieldSupersedes: c.Supersedes})
}

// CertificateFrom builds a certificate from stored field values.
func CertificateFrom(id, college string, f map[string]string) Certificate {
	return Certificate{ID: id, College: college, Person: f[FieldPerson], Title: f[FieldTitle],
		SkillLevel: f[FieldSkillLevel], Issuer: f[FieldIssuer], CertNo: f[FieldCertNo],
		Date: f[FieldDate], Review: ReviewFrom(f), Supersedes: f[FieldSupersedes]}
}

// Counselling is a counselling session on finding work (就业问题辅导).
type Counselling struct {
	ID         string
	College    string
	Person     string
	Topic      string
	Counsellor string
	Notes      string
	Date       string
	Review     Review
	Supersedes string
}

// Fields returns the session's values keyed by field name.
func (c Counselling) Fields() map[string]string {
	return c.Review.put(map[string]string{FieldPerson: c.Person, FieldTopic: c.Topic,
		FieldCounsellor: c.Counsellor, FieldNotes: c.Notes, FieldDate: c.Date,
		FieldSupersedes: c.Supersedes})
}

// CounsellingFrom builds a counselling session from stored field values.
func CounsellingFrom(id, college string, f map[string]string) Counselling {
	return Counselling{ID: id, College: college, Person: f[FieldPerson], Topic: f[FieldTopic],
		Counsellor: f[FieldCounsellor], Notes: f[FieldNotes], Date: f[FieldDate],
		Review: ReviewFrom(f), Supersedes: f[FieldSupersedes]}
}
