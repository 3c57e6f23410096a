package validate

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/codes"
	"mobilefactory/shared/record"
)

// ErrStoredValue is returned by Stored for a value that is not in the form
// the desktop client stores.
var ErrStoredValue = errors.New("invalid stored value")

// Stored checks that value is a field value in stored form, as the desktop
// client writes it after validation: the server uses it to reject changes
// that did not come through the client's checks. An empty value is always
// valid, because it clears the field.
func Stored(kind record.Kind, field, value string, tables *codes.Tables) error {
	if value == "" {
		return nil
	}
	if tables == nil {
		tables = codes.MustLoad()
	}
	ok := true
	switch field {
	case record.FieldName:
		name, err := Name(value)
		ok = err == nil && name == value
	case record.FieldIDNumber:
		id, err := IDNumber(value)
		ok = err == nil && id == value
	case record.FieldPhone:
		phone, err := Mobile(value)
		ok = err == nil && phone == value
	case record.FieldGender:
		ok = value == record.GenderMale || value == record.GenderFemale
	case record.FieldGradYear:
		year, err := strconv.Atoi(value)
		ok = err == nil && year >= MinGradYear && year <= MaxGradYear && strconv.Itoa(year) == value
	case record.FieldMajor:
		_, ok = tables.Majors.ByCode(value)
	case record.FieldHomeRegion, record.FieldWorkRegion:
		_, ok = tables.Regions.ByCode(value)
	case record.FieldStatus:
		ok = slices.Contains(record.Statuses, value)
	case record.FieldStudentNo:
		ok = checkText("student_no", value, MaxStudentNoRunes) == nil
	case record.FieldEmployer, record.FieldPosition, record.FieldProgramme, record.FieldTitle,
		record.FieldIssuer, record.FieldSupervisor, record.FieldCounsellor, record.FieldCertNo,
		record.FieldTopic, record.FieldDemand, record.FieldReviewBy:
		ok = checkText("employer", value, MaxEmployerRunes) == nil
	case record.FieldPerson, record.FieldRecord, record.FieldSupersedes, record.FieldClass:
		_, err := ulid.ParseStrict(value)
		ok = err == nil
	case record.FieldReview:
		ok = slices.Contains(record.ReviewStates, value)
	case record.FieldInternKind:
		ok = slices.Contains(record.InternKinds, value)
	case record.FieldLevel:
		ok = slices.Contains(record.AwardLevels, value)
	case record.FieldSkillLevel:
		ok = slices.Contains(record.SkillLevels, value)
	case record.FieldModules:
		_, err := record.ParseModules(value)
		ok = err == nil
	case record.FieldResults:
		_, err := record.ParseResults(value)
		ok = err == nil
	case record.FieldSubmittedAt:
		_, err := time.Parse(time.RFC3339, value)
		ok = err == nil
	case record.FieldDate, record.FieldStart, record.FieldEnd, record.FieldReviewAt:
		d, err := ParseDate(value)
		ok = err == nil && d.String() == value
	case record.FieldHours:
		n, err := strconv.Atoi(value)
		ok = err == nil && n >= 0 && n <= 10000
	case record.FieldRating:
		n, err := strconv.Atoi(value)
		ok = err == nil && n >= 0 && n <= 5
	case record.FieldCompleted, record.FieldDeleted:
		ok = value == "0" || value == "1"
	case record.FieldRecordKind:
		_, ok = record.KindFromString(value)
	case record.FieldConflictStatus:
		ok = value == record.ConflictOpen || value == record.ConflictResolved
	case record.FieldReason:
		ok = value == record.ConflictSameField || value == record.ConflictDeleted
	default:
		// Scores, conflict values and stamps are free text, bounded by the
		// change-set value limit; still no control characters.
		ok = utf8.ValidString(value) && checkText("employer", value, 4096) == nil
	}
	if !ok {
		// The value is not named: it may be an ID number, and errors get logged.
		return fmt.Errorf("%w: %s.%s", ErrStoredValue, kind, field)
	}
	return nil
}
