package record

import "strconv"

// Gender codes of GB/T 2261.1.
const (
	GenderMale   = "1"
	GenderFemale = "2"
)

// Employment status codes a person record carries.
const (
	StatusEmployed = "employed" // 已就业
	StatusSeeking  = "seeking"  // 待就业
	StatusStudy    = "study"    // 升学
	StatusOther    = "other"    // 其他
)

// Statuses lists the employment status codes in display order.
var Statuses = []string{StatusEmployed, StatusSeeking, StatusStudy, StatusOther}

// Person is a talent record (人才): one graduate or student of a college.
// College is the record's scope. Values are in their stored, normalised form.
type Person struct {
	ID         string // ULID
	College    string // college code, the record's scope
	Name       string
	Gender     string // GenderMale or GenderFemale
	IDNumber   string // GB 11643 resident ID number, 18 characters
	Phone      string // 11-digit mobile number
	StudentNo  string
	Major      string // major code of the higher-vocational catalogue
	GradYear   int
	HomeRegion string // GB/T 2260 region code of the place of origin
	Status     string // one of Statuses
	WorkRegion string // GB/T 2260 region code of the place of work
	Employer   string
	Address    string
	Skills     string // skills the person states (焊接、CAD制图), see SplitList
	WillReturn string // WillReturnYes, WillReturnNo or empty when not asked
	// Consent to be kept in the pool and recommended: ConsentGiven,
	// ConsentWithdrawn or empty, with when, how and by which account.
	Consent       string
	ConsentAt     string
	ConsentMethod string
	ConsentBy     string
	// Erased is set when the personal fields were erased on request.
	Erased string
}

// Consented reports whether the person may be matched and exported.
func (p Person) Consented() bool { return p.Consent == ConsentGiven && p.Erased == "" }

// Fields returns the person's values keyed by field name.
func (p Person) Fields() map[string]string {
	f := map[string]string{
		FieldName:          p.Name,
		FieldGender:        p.Gender,
		FieldIDNumber:      p.IDNumber,
		FieldPhone:         p.Phone,
		FieldStudentNo:     p.StudentNo,
		FieldMajor:         p.Major,
		FieldHomeRegion:    p.HomeRegion,
		FieldStatus:        p.Status,
		FieldWorkRegion:    p.WorkRegion,
		FieldEmployer:      p.Employer,
		FieldAddress:       p.Address,
		FieldSkills:        p.Skills,
		FieldWillReturn:    p.WillReturn,
		FieldConsent:       p.Consent,
		FieldConsentAt:     p.ConsentAt,
		FieldConsentMethod: p.ConsentMethod,
		FieldConsentBy:     p.ConsentBy,
	}
	f[FieldGradYear] = ""
	if p.GradYear != 0 {
		f[FieldGradYear] = strconv.Itoa(p.GradYear)
	}
	return f
}

// PersonFrom builds a person from stored field values.
func PersonFrom(id, college string, f map[string]string) Person {
	year, _ := strconv.Atoi(f[FieldGradYear])
	return Person{
		ID: id, College: college,
		Name: f[FieldName], Gender: f[FieldGender], IDNumber: f[FieldIDNumber],
		Phone: f[FieldPhone], StudentNo: f[FieldStudentNo], Major: f[FieldMajor],
		GradYear: year, HomeRegion: f[FieldHomeRegion], Status: f[FieldStatus],
		WorkRegion: f[FieldWorkRegion], Employer: f[FieldEmployer],
		Address: f[FieldAddress], Skills: f[FieldSkills], WillReturn: f[FieldWillReturn],
		Consent: f[FieldConsent], ConsentAt: f[FieldConsentAt],
		ConsentMethod: f[FieldConsentMethod], ConsentBy: f[FieldConsentBy], Erased: f[FieldErased],
	}
}

// Training is one person's record in a training programme (培训记录): their
// enrolment in a class, or in a programme without a class, with their
// per-module results. Hours, Score and Completed are computed from the
// results with Complete when the programme is known. Records from before
// programmes had modules carry them as entered.
type Training struct {
	ID        string
	College   string
	Person    string // ULID of the person
	Programme string // ULID of the programme, BasicProgramme, or a name in old records
	Class     string // ULID of the class, if any
	Results   Results
	Hours     int
	Score     string // the average score, or as entered in old records
	Completed bool
	Date      string // ISO 8601 date or month of completion
	Review    Review
	// Supersedes is the ULID of the version this one corrects, if any.
	Supersedes string
}

// Fields returns the training record's values keyed by field name.
func (t Training) Fields() map[string]string {
	results := ""
	if len(t.Results) > 0 {
		results = t.Results.Encode()
	}
	return t.Review.put(map[string]string{
		FieldPerson:     t.Person,
		FieldProgramme:  t.Programme,
		FieldClass:      t.Class,
		FieldResults:    results,
		FieldHours:      itoaOrEmpty(t.Hours),
		FieldScore:      t.Score,
		FieldCompleted:  boolString(t.Completed),
		FieldDate:       t.Date,
		FieldSupersedes: t.Supersedes,
	})
}

// TrainingFrom builds a training record from stored field values. Results
// that do not parse are left out.
func TrainingFrom(id, college string, f map[string]string) Training {
	hours, _ := strconv.Atoi(f[FieldHours])
	results, _ := ParseResults(f[FieldResults])
	return Training{
		ID: id, College: college, Person: f[FieldPerson], Programme: f[FieldProgramme],
		Class: f[FieldClass], Results: results,
		Hours: hours, Score: f[FieldScore], Completed: f[FieldCompleted] == "1",
		Date: f[FieldDate], Review: ReviewFrom(f), Supersedes: f[FieldSupersedes],
	}
}

// Internship is one person's internship (实习), or a job-experience session
// (岗位体验) when Kind is InternExperience.
type Internship struct {
	ID         string
	College    string
	Person     string // ULID of the person
	Kind       string // InternWork or InternExperience; empty reads as InternWork
	Employer   string
	Position   string
	WorkRegion string // GB/T 2260 region code
	Start      string // ISO 8601 date or month
	End        string // ISO 8601 date or month; empty while it lasts
	Supervisor string
	Rating     int    // the supervisor's rating: 0 unrated, else 1 (poor) to 5 (excellent)
	Evaluation string // the supervisor's evaluation
	Review     Review
	// Supersedes is the ULID of the version this one corrects, if any.
	Supersedes string
}

// Fields returns the internship's values keyed by field name.
func (in Internship) Fields() map[string]string {
	return in.Review.put(map[string]string{
		FieldPerson:     in.Person,
		FieldInternKind: in.Kind,
		FieldEmployer:   in.Employer,
		FieldPosition:   in.Position,
		FieldWorkRegion: in.WorkRegion,
		FieldStart:      in.Start,
		FieldEnd:        in.End,
		FieldSupervisor: in.Supervisor,
		FieldRating:     itoaOrEmpty(in.Rating),
		FieldEvaluation: in.Evaluation,
		FieldSupersedes: in.Supersedes,
	})
}

// InternshipFrom builds an internship from stored field values.
func InternshipFrom(id, college string, f map[string]string) Internship {
	rating, _ := strconv.Atoi(f[FieldRating])
	return Internship{
		ID: id, College: college, Person: f[FieldPerson], Kind: f[FieldInternKind],
		Employer: f[FieldEmployer], Position: f[FieldPosition], WorkRegion: f[FieldWorkRegion],
		Start: f[FieldStart], End: f[FieldEnd], Supervisor: f[FieldSupervisor], Rating: rating,
		Evaluation: f[FieldEvaluation], Review: ReviewFrom(f), Supersedes: f[FieldSupersedes],
	}
}

func itoaOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func boolString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Conflict is a conflict item (冲突) for a reviewer: the value the merge rule
// kept, the value it set aside, who wrote each and when.
type Conflict struct {
	ID           string
	College      string
	RecordKind   Kind
	Record       string // ULID of the record in conflict
	Field        string
	Reason       string // ConflictSameField or ConflictDeleted
	Winner       string
	WinnerDevice string
	WinnerStamp  uint64 // hlc.Stamp
	Loser        string
	LoserDevice  string
	LoserStamp   uint64 // hlc.Stamp
	Status       string // ConflictOpen or ConflictResolved
	Resolution   string
}

// Fields returns the conflict item's values keyed by field name.
func (c Conflict) Fields() map[string]string {
	return map[string]string{
		FieldRecordKind: c.RecordKind.String(), FieldRecord: c.Record, FieldField: c.Field,
		FieldReason: c.Reason, FieldWinner: c.Winner, FieldWinnerDevice: c.WinnerDevice,
		FieldWinnerStamp: strconv.FormatUint(c.WinnerStamp, 10), FieldLoser: c.Loser,
		FieldLoserDevice: c.LoserDevice, FieldLoserStamp: strconv.FormatUint(c.LoserStamp, 10),
		FieldConflictStatus: c.Status, FieldResolution: c.Resolution,
	}
}

// ConflictFrom builds a conflict item from stored field values.
func ConflictFrom(id, college string, f map[string]string) Conflict {
	kind, _ := KindFromString(f[FieldRecordKind])
	winnerStamp, _ := strconv.ParseUint(f[FieldWinnerStamp], 10, 64)
	loserStamp, _ := strconv.ParseUint(f[FieldLoserStamp], 10, 64)
	return Conflict{
		ID: id, College: college, RecordKind: kind, Record: f[FieldRecord], Field: f[FieldField],
		Reason: f[FieldReason], Winner: f[FieldWinner], WinnerDevice: f[FieldWinnerDevice],
		WinnerStamp: winnerStamp, Loser: f[FieldLoser], LoserDevice: f[FieldLoserDevice],
		LoserStamp: loserStamp, Status: f[FieldConflictStatus], Resolution: f[FieldResolution],
	}
}
