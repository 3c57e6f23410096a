package validate

import (
	"errors"
	"testing"

	"mobilefactory/shared/record"
)

func TestStored(t *testing.T) {
	cases := []struct {
		kind  record.Kind
		field string
		value string
		ok    bool
	}{
		{record.KindPerson, record.FieldIDNumber, "36012120020101099X", true},
		{record.KindPerson, record.FieldIDNumber, "36012120020101099x", false}, // not the stored form
		{record.KindPerson, record.FieldIDNumber, "not-an-id", false},
		{record.KindPerson, record.FieldPhone, "13807912345", true},
		{record.KindPerson, record.FieldPhone, "abc", false},
		{record.KindPerson, record.FieldGradYear, "2024", true},
		{record.KindPerson, record.FieldGradYear, "-5", false},
		{record.KindPerson, record.FieldMajor, "510203", true},
		{record.KindPerson, record.FieldMajor, "999999", false},
		{record.KindPerson, record.FieldName, `=HYPERLINK("x")`, false},
		{record.KindPerson, record.FieldName, "阿依古丽·买买提", true},
		{record.KindPerson, record.FieldHomeRegion, "360400", true},
		{record.KindPerson, record.FieldHomeRegion, "999999", false},
		{record.KindPerson, record.FieldStatus, "employed", true},
		{record.KindPerson, record.FieldStatus, "已就业", false},
		{record.KindPerson, record.FieldGender, "3", false},
		{record.KindPerson, record.FieldPhone, "", true},
		{record.KindTraining, record.FieldDate, "2024-06", true},
		{record.KindTraining, record.FieldDate, "2024/6/30", false},
		{record.KindTraining, record.FieldPerson, "01JF0000000000000000000000", true},
		{record.KindInternship, record.FieldRating, "6", false},
		{record.KindConflict, record.FieldConflictStatus, "resolved", true},
		{record.KindConflict, record.FieldWinner, "任何值", true},
		{record.KindConflict, record.FieldWinner, "a\x00b", false},
	}
	for _, tc := range cases {
		err := Stored(tc.kind, tc.field, tc.value, nil)
		if (err == nil) != tc.ok {
			t.Errorf("Stored(%s, %s, %q) = %v, want ok %v", tc.kind, tc.field, tc.value, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrStoredValue) {
			t.Errorf("Stored(%s, %s, %q) error %v is not ErrStoredValue", tc.kind, tc.field, tc.value, err)
		}
	}
}
