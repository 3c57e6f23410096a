package main

import (
	"testing"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/match"
	"mobilefactory/shared/record"
)

// reasonTexts returns the Chinese text and points of the person's reasons
// with key, for a robot job.
func (f *reviewFixture) reasonTexts(key string) (texts []string, points []float64) {
	f.t.Helper()
	cands, err := candidates(f.p)
	if err != nil {
		f.t.Fatal(err)
	}
	results := match.Rank(cands, match.Query{Majors: []string{"460305"}, Region: "360424"})
	if len(results) != 1 {
		f.t.Fatalf("match returned %d results, want the one person", len(results))
	}
	for _, r := range results[0].Reasons {
		if r.Key == key {
			texts = append(texts, r.Text(i18n.Chinese))
			points = append(points, r.Points)
		}
	}
	return texts, points
}

// A certificate counts in matching once a reviewer approved it, with its
// title and skill level in the reason.
func TestMatchCountsApprovedCertificateOnly(t *testing.T) {
	f := newReviewFixture(t)
	cert := ulid.Make()
	f.write(record.KindCertificate, cert, record.Certificate{Person: f.person.String(), Title: "工业机器人系统运维员",
		SkillLevel: "4", Issuer: "江西省职业技能鉴定指导中心", Review: record.Review{State: record.ReviewPending}}.Fields())

	if texts, _ := f.reasonTexts(match.KeyCertificate); len(texts) != 0 {
		t.Errorf("reasons with the certificate pending = %q, want none", texts)
	}

	f.write(record.KindCertificate, cert, map[string]string{record.FieldReview: record.ReviewApproved, record.FieldReviewBy: "李审核"})
	texts, points := f.reasonTexts(match.KeyCertificate)
	if len(texts) != 1 {
		t.Fatalf("reasons with the certificate approved = %q, want one", texts)
	}
	if want := "持有职业技能等级证书：工业机器人系统运维员（中级）"; texts[0] != want {
		t.Errorf("certificate reason = %q, want %q", texts[0], want)
	}
	if points[0] != 6 {
		t.Errorf("certificate points = %v, want 6", points[0])
	}

	// A returned certificate stops counting.
	f.write(record.KindCertificate, cert, map[string]string{record.FieldReview: record.ReviewReturned,
		record.FieldReviewReason: "证书编号有误"})
	if texts, _ := f.reasonTexts(match.KeyCertificate); len(texts) != 0 {
		t.Errorf("reasons with the certificate returned = %q, want none", texts)
	}
}

// An approved job-experience session from the pool is reasoned as a
// session, not as an internship.
func TestMatchExperienceFromPool(t *testing.T) {
	f := newReviewFixture(t)
	f.write(record.KindInternship, ulid.Make(), record.Internship{Person: f.person.String(), Kind: record.InternExperience,
		Employer: "九江市某某智能装备有限公司", Position: "设备维护技术员", Rating: 4,
		Review: record.Review{State: record.ReviewApproved}}.Fields())

	if texts, _ := f.reasonTexts(match.KeyInternshipGood); len(texts) != 0 {
		t.Errorf("internship reasons = %q, want none for a session", texts)
	}
	texts, points := f.reasonTexts(match.KeyExperienceGood)
	if len(texts) != 1 || texts[0] != "岗位体验评价良好：九江市某某智能装备有限公司 设备维护技术员" {
		t.Errorf("session reasons = %q, want the one session", texts)
	}
	if len(points) == 1 && points[0] != match.PointsExperienceGood {
		t.Errorf("session points = %v, want %v", points[0], match.PointsExperienceGood)
	}
}
