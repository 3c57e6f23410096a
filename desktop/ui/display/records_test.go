package display

import (
	"reflect"
	"strings"
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

func TestParseTrainingValid(t *testing.T) {
	got, errs := ParseTraining(testPerson, map[string]string{
		record.FieldProgramme: " 办公软件应用 ",
		record.FieldHours:     "32",
		record.FieldScore:     "92",
		record.FieldCompleted: "1",
		record.FieldDate:      "2024年5月10日",
	})
	if len(errs) > 0 {
		t.Fatalf("ParseTraining(valid) errors: %v", errs)
	}
	want := record.Training{Person: testPerson, Programme: "办公软件应用", Hours: 32, Score: "92",
		Completed: true, Date: "2024-05-10"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseTraining(valid) = %+v, want %+v", got, want)
	}
}

func TestParseTrainingInvalid(t *testing.T) {
	cases := []struct {
		name  string
		raw   map[string]string
		field string
		key   string
	}{
		{"no programme", map[string]string{record.FieldDate: "2024-05-10"},
			record.FieldProgramme, "ui.training.programme.required"},
		{"hours not a number", map[string]string{record.FieldProgramme: "焊工", record.FieldHours: "三十", record.FieldDate: "2024-05-10"},
			record.FieldHours, "ui.training.hours.invalid"},
		{"hours zero", map[string]string{record.FieldProgramme: "焊工", record.FieldHours: "0", record.FieldDate: "2024-05-10"},
			record.FieldHours, "ui.training.hours.invalid"},
		{"no date", map[string]string{record.FieldProgramme: "焊工"},
			record.FieldDate, "validate.date.required"},
		{"impossible date", map[string]string{record.FieldProgramme: "焊工", record.FieldDate: "2024-02-30"},
			record.FieldDate, "validate.date.invalid"},
		{"long score", map[string]string{record.FieldProgramme: "焊工", record.FieldDate: "2024-05", record.FieldScore: strings.Repeat("优", 21)},
			record.FieldScore, "ui.training.score.too_long"},
	}
	for _, c := range cases {
		_, errs := ParseTraining(testPerson, c.raw)
		if got := errorKeys(errs)[c.field]; got != c.key {
			t.Errorf("ParseTraining(%s): error for %s = %q, want %q (all: %v)", c.name, c.field, got, c.key, errs)
		}
	}
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

// FuzzParseTraining checks that no form input makes the parser panic and
// that whatever it accepts is stored in ISO form.
func FuzzParseTraining(f *testing.F) {
	f.Add("办公软件应用", "32", "92", "2024年5月10日")
	f.Add("", "-1", "", "44742")
	f.Fuzz(func(t *testing.T, programme, hours, score, date string) {
		got, errs := ParseTraining(testPerson, map[string]string{
			record.FieldProgramme: programme, record.FieldHours: hours,
			record.FieldScore: score, record.FieldDate: date,
		})
		if len(errs) > 0 {
			return
		}
		if _, err := validate.ParseDate(got.Date); err != nil || len(got.Date) < 7 {
			t.Errorf("accepted date %q stored as %q", date, got.Date)
		}
	})
}

func TestParseTrainingFullWidthHours(t *testing.T) {
	tr, errs := ParseTraining("01JF0000000000000000000000", map[string]string{
		record.FieldProgramme: "办公软件应用", record.FieldHours: "４０", record.FieldDate: "2024年5月10日",
	})
	if len(errs) != 0 {
		t.Fatalf("ParseTraining(hours ４０) errors: %v", errs)
	}
	if tr.Hours != 40 {
		t.Errorf("hours = %d, want 40", tr.Hours)
	}
}
