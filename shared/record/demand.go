package record

import (
	"strconv"
	"strings"
	"time"
)

// Values of FieldWillReturn.
const (
	WillReturnYes = "yes" // 愿意回江西就业
	WillReturnNo  = "no"  // 不愿意
)

// Values of FieldDemandStatus. An empty status means DemandOpen.
const (
	DemandOpen   = "open"   // 招聘中
	DemandClosed = "closed" // 已结束
)

// Values of FieldDecision.
const (
	DecisionMerge = "merge" // the records are one person: one pool entry
	DecisionApart = "apart" // different people: never list them again
)

// ListSeparator separates the items of a stored list field (skills).
const ListSeparator = "、"

// SplitList splits a stored list field into its trimmed, non-empty items.
// It accepts the separators people type as well: 、，,；; and spaces.
func SplitList(s string) []string {
	items := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '、', '，', ',', '；', ';', ' ', '\u3000', '\t', '\n':
			return true
		}
		return false
	})
	if len(items) == 0 {
		return nil
	}
	return items
}

// JoinList joins list items into the stored form of a list field.
func JoinList(items []string) string { return strings.Join(items, ListSeparator) }

// Employer is an employer of the provincial directory (用人单位).
type Employer struct {
	ID           string
	Scope        string // ProvinceScope
	Name         string
	CreditCode   string // unified social credit code, 18 characters
	Region       string // GB/T 2260 code of its seat
	Industry     string // GB/T 4754-2017 code, any level
	Nature       string // employer nature code (单位性质)
	Contact      string
	ContactPhone string
}

// Fields returns the employer's values keyed by field name.
func (e Employer) Fields() map[string]string {
	return map[string]string{
		FieldTitle: e.Name, FieldCreditCode: e.CreditCode, FieldRegion: e.Region,
		FieldIndustry: e.Industry, FieldNature: e.Nature, FieldContact: e.Contact,
		FieldContactPhone: e.ContactPhone,
	}
}

// EmployerFrom builds an employer from stored field values.
func EmployerFrom(id, scope string, f map[string]string) Employer {
	return Employer{ID: id, Scope: scope, Name: f[FieldTitle], CreditCode: f[FieldCreditCode],
		Region: f[FieldRegion], Industry: f[FieldIndustry], Nature: f[FieldNature],
		Contact: f[FieldContact], ContactPhone: f[FieldContactPhone]}
}

// DemandCertificate is a certificate a job demand asks for: a title as
// certificates carry it, and the lowest skill level accepted (one of
// SkillLevels, empty for any level).
type DemandCertificate struct {
	Title      string
	SkillLevel string
}

// Demand is a job demand (岗位需求): what an employer wants, for how many
// people, where and when.
type Demand struct {
	ID           string
	Scope        string // ProvinceScope
	Employer     string // ULID of the employer
	Title        string // the job's name, such as 数控车床操作工
	Occupation   string // code of the national occupation classification, such as 6-18-01-01
	Majors       []string
	Certificates []DemandCertificate
	Skills       []string
	Region       string // GB/T 2260 code of the place of work
	Headcount    int
	SalaryMin    int // yuan a month, 0 when not given
	SalaryMax    int
	Start        string // ISO 8601 date the work starts, or empty
	End          string // ISO 8601 date it ends, or empty
	Months       []int  // a recurring season's months 1–12, or empty
	Programme    string // ULID of the job-tailored programme that trains for it, or empty
	Status       string // DemandOpen or DemandClosed
}

// Open reports whether the demand's status is open. It ignores End, so
// editing forms can show the stored status; matching and lists use OpenOn.
func (d Demand) Open() bool { return d.Status != DemandClosed }

// OpenOn reports whether the demand still recruits on day, an ISO 8601
// date (2026-12-05): its status is open and End is empty or not before
// day. An End of a month only (2026-12) lasts to the month's end. A demand
// with a recurring season (Months) and no End stays open.
func (d Demand) OpenOn(day string) bool {
	if !d.Open() {
		return false
	}
	end := strings.TrimSpace(d.End)
	if end == "" {
		return true
	}
	if len(end) < len(day) {
		day = day[:len(end)]
	}
	return end >= day
}

// chinaTime is China Standard Time, UTC+8 all year, the zone of the dates
// people enter.
var chinaTime = time.FixedZone("CST", 8*60*60)

// Today returns today's date in China Standard Time in the ISO 8601 form
// that OpenOn takes, whatever zone the machine runs in.
func Today() string { return time.Now().In(chinaTime).Format(time.DateOnly) }

// Fields returns the demand's values keyed by field name.
func (d Demand) Fields() map[string]string {
	months := make([]string, len(d.Months))
	for i, m := range d.Months {
		months[i] = strconv.Itoa(m)
	}
	return map[string]string{
		FieldEmployer: d.Employer, FieldTitle: d.Title, FieldOccupation: d.Occupation,
		FieldMajors: strings.Join(d.Majors, ","), FieldCertificates: EncodeDemandCertificates(d.Certificates),
		FieldSkills: JoinList(d.Skills), FieldRegion: d.Region,
		FieldHeadcount: itoaOrEmpty(d.Headcount), FieldSalaryMin: itoaOrEmpty(d.SalaryMin),
		FieldSalaryMax: itoaOrEmpty(d.SalaryMax), FieldStart: d.Start, FieldEnd: d.End,
		FieldMonths: strings.Join(months, ","), FieldProgramme: d.Programme, FieldDemandStatus: d.Status,
	}
}

// DemandFrom builds a demand from stored field values. Values that do not
// parse are left zero; validation reports them when they are entered.
func DemandFrom(id, scope string, f map[string]string) Demand {
	d := Demand{ID: id, Scope: scope, Employer: f[FieldEmployer], Title: f[FieldTitle],
		Occupation: f[FieldOccupation], Certificates: DecodeDemandCertificates(f[FieldCertificates]),
		Skills: SplitList(f[FieldSkills]), Region: f[FieldRegion], Start: f[FieldStart], End: f[FieldEnd],
		Programme: f[FieldProgramme], Status: f[FieldDemandStatus]}
	for _, m := range strings.Split(f[FieldMajors], ",") {
		if m = strings.TrimSpace(m); m != "" {
			d.Majors = append(d.Majors, m)
		}
	}
	d.Headcount, _ = strconv.Atoi(f[FieldHeadcount])
	d.SalaryMin, _ = strconv.Atoi(f[FieldSalaryMin])
	d.SalaryMax, _ = strconv.Atoi(f[FieldSalaryMax])
	for _, m := range strings.Split(f[FieldMonths], ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(m)); err == nil && n >= 1 && n <= 12 {
			d.Months = append(d.Months, n)
		}
	}
	return d
}

// CertificateSeparator separates the title:level items of the stored form
// of FieldCertificates. It is not a newline, because stored free text may
// hold no control characters.
const CertificateSeparator = "；"

// EncodeDemandCertificates gives the stored form of FieldCertificates:
// title:level items separated by CertificateSeparator, the level empty for
// any.
func EncodeDemandCertificates(certs []DemandCertificate) string {
	items := make([]string, len(certs))
	for i, c := range certs {
		items[i] = c.Title + ":" + c.SkillLevel
	}
	return strings.Join(items, CertificateSeparator)
}

// DecodeDemandCertificates reads the stored form of FieldCertificates. It
// also splits at newlines and ASCII semicolons, as people type lists.
func DecodeDemandCertificates(s string) []DemandCertificate {
	var certs []DemandCertificate
	items := strings.FieldsFunc(s, func(r rune) bool { return r == '；' || r == ';' || r == '\n' })
	for _, line := range items {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		title, level, _ := strings.Cut(line, ":")
		certs = append(certs, DemandCertificate{Title: strings.TrimSpace(title), SkillLevel: strings.TrimSpace(level)})
	}
	return certs
}

// Merge is a decision about person records that are likely one person.
type Merge struct {
	ID        string
	Scope     string   // ProvinceScope
	Persons   []string // person ULIDs, sorted
	Decision  string   // DecisionMerge or DecisionApart
	DecidedBy string   // the account that decided
}

// Fields returns the decision's values keyed by field name.
func (m Merge) Fields() map[string]string {
	return map[string]string{FieldPersons: strings.Join(m.Persons, ","),
		FieldDecision: m.Decision, FieldDecidedBy: m.DecidedBy}
}

// MergeFrom builds a merge decision from stored field values.
func MergeFrom(id, scope string, f map[string]string) Merge {
	m := Merge{ID: id, Scope: scope, Decision: f[FieldDecision], DecidedBy: f[FieldDecidedBy]}
	if f[FieldPersons] != "" {
		m.Persons = strings.Split(f[FieldPersons], ",")
	}
	return m
}
