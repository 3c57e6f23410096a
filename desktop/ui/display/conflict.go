package display

import (
	"strconv"
	"strings"

	"mobilefactory/shared/codes"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/mask"
	"mobilefactory/shared/record"
)

// deviceSuffixRunes is how many trailing characters of a device id the
// review screen shows. Device ids are ULIDs, whose last characters are
// random, so six of them tell a college's few devices apart.
const deviceSuffixRunes = 6

// ShortDevice returns how the review screen names a device: 本机 for this
// device's own id (self), else the last six characters of the id.
func ShortDevice(id, self string) string {
	if id == self {
		return i18n.T("ui.conflict.this_device")
	}
	return i18n.T("ui.conflict.device", idSuffix(id))
}

// idSuffix returns the last six characters of a ULID.
func idSuffix(id string) string {
	runes := []rune(id)
	if len(runes) > deviceSuffixRunes {
		runes = runes[len(runes)-deviceSuffixRunes:]
	}
	return string(runes)
}

// MaskPhone hides the middle of a phone number; see mask.Phone.
func MaskPhone(phone string) string { return mask.Phone(phone) }

// FieldName returns the display name of a record field, such as 单位 for
// employer.
func FieldName(field string) string { return i18n.T("field." + field) }

// FieldValue returns a stored field value as a screen shows it: codes as
// their names, dates in the locale's form and, unless reveal is set, the ID
// number, phone and address masked. An empty value is returned empty.
func FieldValue(tables *codes.Tables, field, value string, reveal bool) string {
	if value == "" {
		return ""
	}
	switch field {
	case record.FieldIDNumber:
		if !reveal {
			return MaskID(value)
		}
	case record.FieldPhone:
		if !reveal {
			return MaskPhone(value)
		}
	case record.FieldAddress:
		if !reveal {
			return MaskAddress(value)
		}
	case record.FieldGender:
		return i18n.T("gender." + value)
	case record.FieldConsent:
		return i18n.T("consent." + value)
	case record.FieldConsentMethod:
		return i18n.T("consent.method." + value)
	case record.FieldStatus:
		return i18n.T("status." + value)
	case record.FieldMajor:
		return MajorLabel(tables, value)
	case record.FieldHomeRegion, record.FieldWorkRegion:
		return RegionLabel(tables, value)
	case record.FieldDate, record.FieldStart, record.FieldEnd:
		return Date(value)
	case record.FieldCompleted:
		if value == "1" {
			return i18n.T("ui.training.row.completed")
		}
		return i18n.T("ui.training.row.not_completed")
	case record.FieldRating:
		if n, err := strconv.Atoi(value); err == nil {
			return i18n.T("ui.internship.row.rating", n, MaxRating)
		}
	}
	return value
}

// ConflictRecord is the person's name and the detail of the record a
// conflict item names, as this device's store has them.
type ConflictRecord struct {
	Found  bool   // false when the store has no such record
	Person string // the person's name; for a training or internship, its person's
	Detail string // the training programme or the internship's employer
}

// ConflictSide is one of the two values of a conflict item as the review
// screen shows it.
type ConflictSide struct {
	Label  string // 现用值 or 被替换的值
	Value  string // the value as shown, masked for roles that may not see it
	Author string // the device that wrote it and when, such as "设备 7K3QZP · 2026年12月4日 10:32"
}

// ConflictView is the text of one conflict item on the review screen.
type ConflictView struct {
	Heading string // whose record, which field and why, such as "李娜 · 单位 · 两人同时修改了同一项"
	Winner  ConflictSide
	Loser   ConflictSide
}

// Conflict returns the text of a conflict item. self is this device's id,
// so its own writes are called 本机. reveal shows the ID number and phone
// unmasked, for the roles that review conflicts.
func Conflict(c record.Conflict, rec ConflictRecord, self string, reveal bool, tables *codes.Tables) ConflictView {
	heading := []string{conflictSubject(c, rec), FieldName(c.Field), i18n.T("conflict.reason." + c.Reason)}
	winner := ConflictSide{
		Label:  i18n.T("field.winner"),
		Value:  FieldValue(tables, c.Field, c.Winner, reveal),
		Author: conflictAuthor(c.WinnerDevice, c.WinnerStamp, self),
	}
	if winner.Value == "" {
		if c.Reason == record.ConflictDeleted {
			winner.Value = i18n.T("ui.conflict.value.deleted")
		} else {
			winner.Value = i18n.T("ui.conflict.value.empty")
		}
	}
	loser := ConflictSide{
		Label:  i18n.T("field.loser"),
		Value:  FieldValue(tables, c.Field, c.Loser, reveal),
		Author: conflictAuthor(c.LoserDevice, c.LoserStamp, self),
	}
	if loser.Value == "" {
		loser.Value = i18n.T("ui.conflict.value.empty")
	}
	return ConflictView{Heading: strings.Join(heading, " · "), Winner: winner, Loser: loser}
}

// conflictSubject names the record of a conflict item: the person, or the
// person's training or internship.
func conflictSubject(c record.Conflict, rec ConflictRecord) string {
	if !rec.Found {
		return i18n.T("ui.conflict.subject.missing", idSuffix(c.Record))
	}
	person := rec.Person
	if person == "" {
		person = i18n.T("ui.conflict.subject.unnamed")
	}
	switch c.RecordKind {
	case record.KindTraining:
		return i18n.T("ui.conflict.subject.training", person, rec.Detail)
	case record.KindInternship:
		return i18n.T("ui.conflict.subject.internship", person, rec.Detail)
	}
	return person
}

func conflictAuthor(device string, stamp uint64, self string) string {
	author := ShortDevice(device, self)
	if stamp == 0 {
		return author
	}
	return author + " · " + DateTime(hlc.Stamp(stamp).Time())
}
