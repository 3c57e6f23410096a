package display

import (
	"testing"

	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

const testPerson = "01J00000000000000000000000"

// errorKeys returns the error key of each failed field.
func errorKeys(errs []validate.FieldError) map[string]string {
	keys := map[string]string{}
	for _, fe := range errs {
		keys[fe.Field] = fe.Err.Key
	}
	return keys
}

func TestParseInternship(t *testing.T) {
	tables := codes.MustLoad()
	got, errs := ParseInternship(testPerson, map[string]string{
		record.FieldEmployer:   "江西铜业集团",
		record.FieldPosition:   "设备维护员",
		record.FieldWorkRegion: "360121 江西省南昌市南昌县",
		record.FieldStart:      "2024/3/1",
		record.FieldEnd:        "2024.06.30",
		record.FieldRating:     "4",
	}, tables, testToday)
	if len(errs) > 0 {
		t.Fatalf("ParseInternship(valid) errors: %v", errs)
	}
	want := record.Internship{Person: testPerson, Employer: "江西铜业集团", Position: "设备维护员",
		WorkRegion: "360121", Start: "2024-03-01", End: "2024-06-30", Rating: 4}
	if got != want {
		t.Errorf("ParseInternship(valid) = %+v, want %+v", got, want)
	}

	_, errs = ParseInternship(testPerson, map[string]string{
		record.FieldEmployer: "江西铜业集团",
		record.FieldStart:    "2024-06-30",
		record.FieldEnd:      "2024-03-01",
		record.FieldRating:   "6",
	}, tables, testToday)
	keys := errorKeys(errs)
	if keys[record.FieldEnd] != "ui.internship.end.before_start" {
		t.Errorf("end before start: error key %q, want ui.internship.end.before_start", keys[record.FieldEnd])
	}
	if keys[record.FieldRating] != "ui.internship.rating.invalid" {
		t.Errorf("rating 6: error key %q, want ui.internship.rating.invalid", keys[record.FieldRating])
	}

	_, errs = ParseInternship(testPerson, map[string]string{record.FieldStart: "2024-06-30",
		record.FieldWorkRegion: "火星"}, tables, testToday)
	keys = errorKeys(errs)
	if keys[record.FieldEmployer] != "ui.internship.employer.required" {
		t.Errorf("no employer: error key %q, want ui.internship.employer.required", keys[record.FieldEmployer])
	}
	if keys[record.FieldWorkRegion] != "validate.work_region.unknown" {
		t.Errorf("unknown region: error key %q, want validate.work_region.unknown", keys[record.FieldWorkRegion])
	}
}

func TestRecordRows(t *testing.T) {
	chinese(t)
	training := record.Training{Programme: "办公软件应用", Hours: 32, Score: "92", Completed: true, Date: "2024-05-10"}
	if got, want := TrainingRow(training), "办公软件应用 · 32 学时 · 成绩 92 · 已结业 · 2024年5月10日"; got != want {
		t.Errorf("TrainingRow = %q, want %q", got, want)
	}
	internship := record.Internship{Employer: "江西铜业集团", Position: "设备维护员",
		Start: "2024-03-01", End: "2024-06-30", Rating: 4}
	if got, want := InternshipRow(internship), "江西铜业集团 · 设备维护员 · 2024年3月1日 至 2024年6月30日 · 评价 4/5"; got != want {
		t.Errorf("InternshipRow = %q, want %q", got, want)
	}
	internship.End, internship.Rating = "", 0
	if got, want := InternshipRow(internship), "江西铜业集团 · 设备维护员 · 2024年3月1日 起"; got != want {
		t.Errorf("InternshipRow(ongoing) = %q, want %q", got, want)
	}
	i18n.SetLocale(i18n.English)
	if got, want := TrainingRow(training), "办公软件应用 · 32 hours · score 92 · completed · 2024-05-10"; got != want {
		t.Errorf("TrainingRow in English = %q, want %q", got, want)
	}
}
