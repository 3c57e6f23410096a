// Package record defines the record kinds the product keeps, their fields and
// the typed views the user interface and the import work with.
//
// On the wire and in both stores a record is a set of per-field registers
// (see package changeset). The typed structs here convert to and from that
// form with Fields and the From functions.
package record

import "fmt"

// Kind is the kind of a record.
type Kind uint8

// The record kinds. Values are stored and sent on the wire: never renumber.
const (
	KindPerson     Kind = 1
	KindTraining   Kind = 2
	KindInternship Kind = 3
	// KindConflict is a conflict item: two writes to one field from the
	// same starting point, or an edit of a deleted record. The server makes
	// it, and a reviewer resolves it.
	KindConflict Kind = 4
	// KindAccess is an access event: an account showed a person's personal
	// fields in full. Devices push it; the server writes it to the audit log.
	KindAccess Kind = 5
	// KindProgramme is a training programme: the basic modules, or a
	// job-tailored programme (岗位打版) for one employer's job demand.
	KindProgramme Kind = 6
	// KindClass is a class (班级), usually a custom class (定制班) that
	// enrols students into a programme.
	KindClass Kind = 7
	// KindAssessment is a career-direction assessment result (职业方向测评).
	KindAssessment Kind = 8
	// KindAward is an award (获奖).
	KindAward Kind = 9
	// KindCertificate is a vocational certificate with its skill level
	// (职业技能等级证书).
	KindCertificate Kind = 10
	// KindCounselling is a counselling session (就业问题辅导).
	KindCounselling Kind = 11
	// KindEmployer is an employer of the directory (用人单位). The central
	// office keeps it in ProvinceScope; every device pulls it.
	KindEmployer Kind = 12
	// KindDemand is a job demand (岗位需求) of an employer. The central
	// office keeps it in ProvinceScope; every device pulls it.
	KindDemand Kind = 13
	// KindMerge is a decision about person records that are likely the same
	// person: merge them into one pool entry, or keep them apart. Undoing a
	// decision deletes it.
	KindMerge Kind = 14
)

// ProvinceScope is the scope of the records every device pulls: the
// employer directory, job demands and merge decisions. Only the central
// office writes them.
const ProvinceScope = "province"

// Kinds lists every kind this version reads and writes, in numeric order.
var Kinds = []Kind{KindPerson, KindTraining, KindInternship, KindConflict, KindAccess,
	KindProgramme, KindClass, KindAssessment, KindAward, KindCertificate, KindCounselling,
	KindEmployer, KindDemand, KindMerge}

// HistoryKinds are the kinds of a person's history: events a clerk records
// about one person and a reviewer approves. Each carries FieldPerson, the
// review fields and FieldSupersedes, in this display order.
var HistoryKinds = []Kind{KindTraining, KindAssessment, KindInternship, KindAward,
	KindCertificate, KindCounselling}

// Valid reports whether k is a kind this version reads and writes.
func (k Kind) Valid() bool { return k >= KindPerson && k <= KindMerge }

// Reviewed reports whether records of kind k go through review.
func (k Kind) Reviewed() bool {
	for _, h := range HistoryKinds {
		if h == k {
			return true
		}
	}
	return false
}

func (k Kind) String() string {
	switch k {
	case KindPerson:
		return "person"
	case KindTraining:
		return "training"
	case KindInternship:
		return "internship"
	case KindConflict:
		return "conflict"
	case KindAccess:
		return "access"
	case KindProgramme:
		return "programme"
	case KindClass:
		return "class"
	case KindAssessment:
		return "assessment"
	case KindAward:
		return "award"
	case KindCertificate:
		return "certificate"
	case KindCounselling:
		return "counselling"
	case KindEmployer:
		return "employer"
	case KindDemand:
		return "demand"
	case KindMerge:
		return "merge"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// KindFromString returns the kind named by String.
func KindFromString(s string) (Kind, bool) {
	for _, k := range Kinds {
		if k.String() == s {
			return k, true
		}
	}
	return 0, false
}

// Fields each kind may carry. A change naming another field is rejected.
var kindFields = map[Kind][]string{
	KindPerson: {
		FieldName, FieldGender, FieldIDNumber, FieldPhone, FieldStudentNo,
		FieldMajor, FieldGradYear, FieldHomeRegion, FieldStatus,
		FieldWorkRegion, FieldEmployer, FieldAddress, FieldSkills, FieldWillReturn,
		FieldConsent, FieldConsentAt, FieldConsentMethod, FieldConsentBy,
		FieldErased, FieldDeleted,
	},
	KindTraining: history(
		FieldProgramme, FieldClass, FieldResults, FieldHours, FieldScore, FieldCompleted, FieldDate,
	),
	KindInternship: history(
		FieldInternKind, FieldEmployer, FieldPosition, FieldWorkRegion,
		FieldStart, FieldEnd, FieldSupervisor, FieldRating, FieldEvaluation,
	),
	KindConflict: {
		FieldRecordKind, FieldRecord, FieldField, FieldReason,
		FieldWinner, FieldWinnerDevice, FieldWinnerStamp,
		FieldLoser, FieldLoserDevice, FieldLoserStamp,
		FieldConflictStatus, FieldResolution,
	},
	KindAccess: {FieldPerson, FieldFields, FieldAction},
	KindProgramme: {
		FieldTitle, FieldEmployer, FieldPosition, FieldDemand, FieldModules, FieldDeleted,
	},
	KindClass:       {FieldTitle, FieldProgramme, FieldStart, FieldEnd, FieldDeleted},
	KindAssessment:  history(FieldProfile, FieldDate),
	KindAward:       history(FieldTitle, FieldLevel, FieldIssuer, FieldDate),
	KindCertificate: history(FieldTitle, FieldSkillLevel, FieldIssuer, FieldCertNo, FieldDate),
	KindCounselling: history(FieldTopic, FieldCounsellor, FieldNotes, FieldDate),
	KindEmployer: {
		FieldTitle, FieldCreditCode, FieldRegion, FieldIndustry, FieldNature,
		FieldContact, FieldContactPhone, FieldDeleted,
	},
	KindDemand: {
		FieldEmployer, FieldTitle, FieldOccupation, FieldMajors, FieldCertificates,
		FieldSkills, FieldRegion, FieldHeadcount, FieldSalaryMin, FieldSalaryMax,
		FieldStart, FieldEnd, FieldMonths, FieldProgramme, FieldDemandStatus, FieldDeleted,
	},
	KindMerge: {FieldPersons, FieldDecision, FieldDecidedBy, FieldDeleted},
}

// history returns the fields of a history kind: FieldPerson, the kind's own
// fields, then the review fields, FieldSupersedes and FieldDeleted.
func history(own ...string) []string {
	fields := append([]string{FieldPerson}, own...)
	fields = append(fields, ReviewFields...)
	return append(fields, FieldSupersedes, FieldDeleted)
}

// PersonalFields are the person fields that are personal information under
// the Personal Information Protection Law: encrypted at rest, masked on
// screen unless the role may see them, never logged, and destroyed on
// erasure.
var PersonalFields = []string{FieldName, FieldIDNumber, FieldPhone, FieldAddress}

// IsPersonal reports whether field of a record of kind k is personal.
func IsPersonal(k Kind, field string) bool {
	if k != KindPerson {
		return false
	}
	for _, f := range PersonalFields {
		if f == field {
			return true
		}
	}
	return false
}

// FieldsOf returns the field names a kind carries.
func FieldsOf(k Kind) []string { return kindFields[k] }

// HasField reports whether records of kind k carry the field.
func HasField(k Kind, field string) bool {
	for _, f := range kindFields[k] {
		if f == field {
			return true
		}
	}
	return false
}

// Field names. They are stored and sent on the wire: never rename.
const (
	FieldName       = "name"
	FieldGender     = "gender"
	FieldIDNumber   = "id_number"
	FieldPhone      = "phone"
	FieldStudentNo  = "student_no"
	FieldMajor      = "major"
	FieldGradYear   = "grad_year"
	FieldHomeRegion = "home_region"
	FieldStatus     = "status"
	FieldWorkRegion = "work_region"
	FieldEmployer   = "employer"
	FieldAddress    = "address" // home or contact address, free text
	// Consent to be kept in the pool and recommended to employers. Without
	// FieldConsent == ConsentGiven a person is kept out of matching and
	// exports.
	FieldConsent       = "consent"        // ConsentGiven or ConsentWithdrawn; empty when never asked
	FieldConsentAt     = "consent_at"     // ISO 8601 date the consent was given or withdrawn
	FieldConsentMethod = "consent_method" // one of ConsentMethods
	FieldConsentBy     = "consent_by"     // the account that recorded it
	// FieldErased is the ISO 8601 time a person's personal fields were
	// erased on request. Once set, the personal fields stay empty everywhere.
	FieldErased = "erased"
	// Fields of an access event.
	FieldFields    = "fields" // the fields shown, comma-separated
	FieldAction    = "action" // AccessReveal or AccessExport
	FieldPerson    = "person"
	FieldProgramme = "programme"
	FieldHours     = "hours"
	FieldScore     = "score"
	FieldCompleted = "completed"
	FieldDate      = "date"
	FieldPosition  = "position"
	FieldStart     = "start"
	FieldEnd       = "end"
	FieldRating    = "rating"
	// FieldSupersedes is the ULID of the version an event record corrects.
	// Training and internship records are events: a correction is a new
	// version, so two corrections never race on a field.
	FieldSupersedes = "supersedes"
	// Fields of training programmes, classes and a person's history.
	FieldClass      = "class"       // ULID of the class a training record belongs to
	FieldResults    = "results"     // per-module attendance and score, see Results
	FieldTitle      = "title"       // name of a programme, class, award or certificate
	FieldDemand     = "demand"      // the job demand a programme is tailored to
	FieldModules    = "modules"     // a programme's modules, see Modules
	FieldInternKind = "intern_kind" // InternWork or InternExperience
	FieldSupervisor = "supervisor"  // the supervisor at the employer
	FieldEvaluation = "evaluation"  // the supervisor's evaluation, free text
	FieldProfile    = "profile"     // an assessment profile, as assessment.Profile.Encode
	FieldLevel      = "level"       // an award's level, one of AwardLevels
	FieldIssuer     = "issuer"      // who issued an award or certificate
	FieldSkillLevel = "skill_level" // a certificate's skill level, one of SkillLevels
	FieldCertNo     = "cert_no"     // a certificate's number
	FieldTopic      = "topic"       // the subject of a counselling session
	FieldCounsellor = "counsellor"  // who counselled
	FieldNotes      = "notes"       // the counsellor's notes

	FieldSkills       = "skills"        // skills, separated by 、 in the stored form
	FieldWillReturn   = "will_return"   // a person's wish to work in Jiangxi: WillReturnYes, WillReturnNo or empty
	FieldCreditCode   = "credit_code"   // an employer's unified social credit code (GB 32100)
	FieldRegion       = "region"        // GB/T 2260 code of an employer's seat or a demand's place of work
	FieldIndustry     = "industry"      // GB/T 4754-2017 code
	FieldNature       = "nature"        // employer nature code (单位性质)
	FieldContact      = "contact"       // an employer's contact person
	FieldContactPhone = "contact_phone" // the contact's phone
	FieldOccupation   = "occupation"    // code of the national occupation classification (2022)
	FieldMajors       = "majors"        // major, class (4 digits) or category (2 digits) codes, comma-separated
	FieldCertificates = "certificates"  // required certificates, see DemandCertificate
	FieldHeadcount    = "headcount"     // people wanted
	FieldSalaryMin    = "salary_min"    // yuan a month
	FieldSalaryMax    = "salary_max"    // yuan a month
	FieldMonths       = "months"        // the months of a recurring season, comma-separated 1–12
	FieldDemandStatus = "demand_status" // DemandOpen or DemandClosed
	FieldPersons      = "persons"       // person ULIDs of a merge decision, sorted, comma-separated
	FieldDecision     = "decision"      // DecisionMerge or DecisionApart
	FieldDecidedBy    = "decided_by"    // the account that decided
	// Review fields of a history record; see Review.
	FieldReview       = "review"        // one of ReviewStates; empty means ReviewDraft
	FieldReviewReason = "review_reason" // the reviewer's reason for returning the record
	FieldReviewBy     = "review_by"     // the account that approved or returned it
	FieldReviewAt     = "review_at"     // ISO 8601 date of that decision
	FieldSubmittedAt  = "submitted_at"  // RFC 3339 time it was last submitted for review
	// Fields of a conflict item.
	FieldRecordKind     = "record_kind" // kind of the record in conflict, as Kind.String
	FieldRecord         = "record"      // ULID of the record in conflict
	FieldField          = "field"       // the field both writes changed
	FieldReason         = "reason"      // ConflictSameField or ConflictDeleted
	FieldWinner         = "winner"      // the value the merge rule kept
	FieldWinnerDevice   = "winner_device"
	FieldWinnerStamp    = "winner_stamp" // decimal hlc.Stamp
	FieldLoser          = "loser"        // the value the merge rule set aside
	FieldLoserDevice    = "loser_device"
	FieldLoserStamp     = "loser_stamp"
	FieldConflictStatus = "conflict_status" // ConflictOpen or ConflictResolved
	FieldResolution     = "resolution"      // the value the reviewer chose
	// FieldDeleted is "1" on a deleted record.
	// NOTE: a plain last-writer-wins flag for now; tombstones that turn a
	// later edit into a conflict are not built yet.
	FieldDeleted = "deleted"
)

// Consent values and the ways it is given.
const (
	ConsentGiven     = "given"
	ConsentWithdrawn = "withdrawn"
)

// ConsentMethods lists how consent is recorded, in display order: a signed
// paper form, said in person, or given online.
var ConsentMethods = []string{"written", "oral", "online"}

// Actions of an access event.
const (
	// AccessReveal: a screen showed personal fields in full.
	AccessReveal = "reveal"
	// AccessExport: a recommendation report or the person list with
	// personal fields in full was exported to a file. The event does not
	// record which of the two.
	AccessExport = "export"
)

// Conflict reasons and states.
const (
	ConflictSameField = "same_field" // two writes to one field from the same starting point
	ConflictDeleted   = "deleted"    // an edit that reached the server after the record was deleted
	ConflictOpen      = "open"
	ConflictResolved  = "resolved"
)
