package display

import (
	"strings"
	"testing"

	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/validate"
)

// testToday is the date the form tests take as today.
var testToday = validate.Date{Year: 2026, Month: 12, Day: 5}

func TestParseAwardUnknownLevel(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	_, errs := ParseAward(testPerson, map[string]string{
		record.FieldTitle: "一等奖", record.FieldLevel: "world", record.FieldDate: "2025-01-02",
	}, testToday)
	if got := errorKeys(errs); len(got) != 1 || got[record.FieldLevel] != "ui.history.not_an_option" {
		t.Fatalf("errors = %v, want ui.history.not_an_option for the level only", got)
	}
	if got, want := i18n.T(errs[0].Err.Key, errs[0].Err.Args...), "级别“world”不是可选的值，请从列表中选择"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

func TestParseCertificateNarrowsNumber(t *testing.T) {
	got, errs := ParseCertificate(testPerson, map[string]string{
		record.FieldTitle: " 电工 ", record.FieldSkillLevel: "1", record.FieldCertNo: "Ｓ００１",
		record.FieldDate: "2025/12/1",
	}, testToday)
	if len(errs) > 0 {
		t.Fatalf("ParseCertificate(valid) errors: %v", errs)
	}
	want := record.Certificate{Person: testPerson, Title: "电工", SkillLevel: "1", CertNo: "S001", Date: "2025-12-01"}
	if got != want {
		t.Errorf("ParseCertificate = %+v, want %+v", got, want)
	}
}

func TestParseCounsellingRequiredFields(t *testing.T) {
	_, errs := ParseCounselling(testPerson, map[string]string{record.FieldNotes: strings.Repeat("记", MaxNotesRunes+1)}, testToday)
	want := map[string]string{
		record.FieldTopic:      "ui.history.required",
		record.FieldCounsellor: "ui.history.required",
		record.FieldNotes:      "ui.history.too_long",
		record.FieldDate:       "validate.date.required",
	}
	got := errorKeys(errs)
	for field, key := range want {
		if got[field] != key {
			t.Errorf("error of %s = %q, want %q", field, got[field], key)
		}
	}
}

func TestParseInternshipDetails(t *testing.T) {
	tables := codes.MustLoad()
	in, errs := ParseInternship(testPerson, map[string]string{
		record.FieldInternKind: record.InternExperience, record.FieldEmployer: "江西铜业集团",
		record.FieldStart: "2024-03-01", record.FieldSupervisor: " 刘师傅 ", record.FieldEvaluation: "好",
	}, tables, testToday)
	if len(errs) > 0 {
		t.Fatalf("ParseInternship(valid) errors: %v", errs)
	}
	if in.Kind != record.InternExperience || in.Supervisor != "刘师傅" || in.Evaluation != "好" {
		t.Errorf("ParseInternship = %+v", in)
	}

	_, errs = ParseInternship(testPerson, map[string]string{
		record.FieldInternKind: "holiday", record.FieldEmployer: "江西铜业集团", record.FieldStart: "2024-03-01",
	}, tables, testToday)
	if got := errorKeys(errs); got[record.FieldInternKind] != "ui.history.not_an_option" {
		t.Errorf("errors for kind holiday = %v, want ui.history.not_an_option", got)
	}
}

func TestReviewTag(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	for _, tc := range []struct {
		review record.Review
		want   string
	}{
		{record.Review{}, "草稿"},
		{record.Review{State: record.ReviewPending}, "待审核"},
		{record.Review{State: record.ReviewApproved, Reason: "old"}, "已通过"},
		{record.Review{State: record.ReviewReturned, Reason: "日期有误"}, "已退回：日期有误"},
	} {
		if got := ReviewTag(tc.review); got != tc.want {
			t.Errorf("ReviewTag(%+v) = %q, want %q", tc.review, got, tc.want)
		}
	}
}

func TestAssessmentRowBadProfile(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	if got, want := AssessmentRow(record.Assessment{Profile: "garbage", Date: "2024-03-01"}), "职业方向测评 · 2024年3月1日"; got != want {
		t.Errorf("AssessmentRow(bad profile) = %q, want %q", got, want)
	}
}

func TestHistoryDatesNotAfterToday(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	_, errs := ParseAward(testPerson, map[string]string{
		record.FieldTitle: "一等奖", record.FieldLevel: "provincial", record.FieldDate: "2027-05-01",
	}, testToday)
	if len(errs) != 1 || errs[0].Field != record.FieldDate {
		t.Fatalf("award dated 2027-05-01: errors %v, want one on the date", errs)
	}
	if got, want := i18n.T(errs[0].Err.Key, errs[0].Err.Args...),
		"日期“2027年5月1日”晚于今天（2026年12月5日），请填写已经发生的日期"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}

	_, errs = ParseAward(testPerson, map[string]string{
		record.FieldTitle: "一等奖", record.FieldLevel: "provincial", record.FieldDate: "2026-12-05",
	}, testToday)
	if len(errs) != 0 {
		t.Errorf("award dated today: errors %v, want none", errs)
	}

	_, errs = ParseCertificate(testPerson, map[string]string{
		record.FieldTitle: "电工", record.FieldSkillLevel: "4", record.FieldDate: "2026-12-06",
	}, testToday)
	if got := errorKeys(errs); len(got) != 1 || got[record.FieldDate] != "ui.history.date_future" {
		t.Errorf("certificate dated tomorrow: errors %v, want ui.history.date_future on the date", got)
	}

	_, errs = ParseCounselling(testPerson, map[string]string{
		record.FieldTopic: "面试准备", record.FieldCounsellor: "王老师", record.FieldDate: "2027-01-10",
	}, testToday)
	if got := errorKeys(errs); len(got) != 1 || got[record.FieldDate] != "ui.history.date_future" {
		t.Errorf("counselling dated 2027-01-10: errors %v, want ui.history.date_future on the date", got)
	}
}

func TestInternshipStartNotAfterToday(t *testing.T) {
	tables := codes.MustLoad()
	_, errs := ParseInternship(testPerson, map[string]string{
		record.FieldEmployer: "江西铜业集团", record.FieldStart: "2027-03-01",
	}, tables, testToday)
	if got := errorKeys(errs); len(got) != 1 || got[record.FieldStart] != "ui.history.date_future" {
		t.Errorf("start 2027-03-01: errors %v, want ui.history.date_future on the start", got)
	}

	in, errs := ParseInternship(testPerson, map[string]string{
		record.FieldEmployer: "江西铜业集团", record.FieldStart: "2026-09-01", record.FieldEnd: "2027-06-30",
	}, tables, testToday)
	if len(errs) != 0 {
		t.Fatalf("running internship ending 2027-06-30: errors %v, want none", errs)
	}
	if in.End != "2027-06-30" {
		t.Errorf("end = %q, want 2027-06-30", in.End)
	}
}
