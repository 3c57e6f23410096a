package main

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/match"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// reviewFixture is a pool with one consenting person whose history the
// test writes as trusted changes.
type reviewFixture struct {
	t      *testing.T
	p      *pool.Pool
	stamp  hlc.Stamp
	person ulid.ULID
}

const reviewScope = "4136012941"

func newReviewFixture(t *testing.T) *reviewFixture {
	t.Helper()
	p, err := pool.Open(filepath.Join(t.TempDir(), "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	f := &reviewFixture{t: t, p: p, stamp: hlc.Make(1_780_000_000_000, 0), person: ulid.Make()}
	f.write(record.KindPerson, f.person, record.Person{Name: "张三", Major: "460305", GradYear: 2025,
		HomeRegion: "360424", Status: record.StatusSeeking, Consent: record.ConsentGiven}.Fields())
	return f
}

// write stores fields of one record, each stamped after the last write.
func (f *reviewFixture) write(kind record.Kind, id ulid.ULID, fields map[string]string) {
	f.t.Helper()
	var changes []changeset.Change
	for _, field := range record.FieldsOf(kind) {
		v, ok := fields[field]
		if !ok || v == "" && kind == record.KindPerson {
			continue
		}
		f.stamp++
		changes = append(changes, changeset.Change{Kind: kind, ID: id, Scope: reviewScope, Field: field,
			Value: v, Stamp: f.stamp, Device: "test"})
	}
	if _, err := f.p.ApplyTrusted(changes); err != nil {
		f.t.Fatal(err)
	}
}

// reasons returns the keys of the person's match reasons for a robot job.
func (f *reviewFixture) reasons() []string {
	f.t.Helper()
	cands, err := candidates(f.p)
	if err != nil {
		f.t.Fatal(err)
	}
	results := match.Rank(cands, match.Query{Majors: []string{"460305"}, Region: "360424"})
	if len(results) != 1 {
		f.t.Fatalf("match returned %d results, want the one person", len(results))
	}
	var keys []string
	for _, r := range results[0].Reasons {
		keys = append(keys, r.Key)
	}
	return keys
}

// counts returns the training and internship counts of stats.
func (f *reviewFixture) counts() (trainings, internships int) {
	f.t.Helper()
	s, err := f.p.Stats()
	if err != nil {
		f.t.Fatal(err)
	}
	return s.Total[record.KindTraining], s.Total[record.KindInternship]
}

// Matching and statistics count a training or internship only once a
// reviewer approved it, and stop counting it while its correction waits
// for review.
func TestMatchAndStatsCountApprovedOnly(t *testing.T) {
	f := newReviewFixture(t)
	programme := ulid.Make()
	f.write(record.KindProgramme, programme, record.Programme{Title: "工业机器人运维", Employer: "东莞市某某电子有限公司",
		Modules: []record.Module{{Key: "运维", Name: "运维", Hours: 96, PassMark: 60}}}.Fields())
	training, internship := ulid.Make(), ulid.Make()
	f.write(record.KindTraining, training, record.Training{Person: f.person.String(), Programme: programme.String(),
		Hours: 96, Completed: true, Review: record.Review{State: record.ReviewPending}}.Fields())
	f.write(record.KindInternship, internship, record.Internship{Person: f.person.String(), Employer: "九江市某某智能装备有限公司",
		Position: "设备维护技术员", Rating: 5, Review: record.Review{State: record.ReviewPending}}.Fields())

	keys := f.reasons()
	if slices.Contains(keys, match.KeyTraining) || slices.Contains(keys, match.KeyInternshipExcellent) {
		t.Errorf("reasons with pending records = %v, want no training or internship", keys)
	}
	if tr, in := f.counts(); tr != 0 || in != 0 {
		t.Errorf("stats with pending records = %d trainings, %d internships, want 0 and 0", tr, in)
	}

	approved := map[string]string{record.FieldReview: record.ReviewApproved, record.FieldReviewBy: "李审核"}
	f.write(record.KindTraining, training, approved)
	f.write(record.KindInternship, internship, approved)
	keys = f.reasons()
	if !slices.Contains(keys, match.KeyTraining) {
		t.Errorf("reasons with the training approved = %v, want %s", keys, match.KeyTraining)
	}
	if !slices.Contains(keys, match.KeyInternshipExcellent) {
		t.Errorf("reasons with the internship approved = %v, want %s", keys, match.KeyInternshipExcellent)
	}
	if tr, in := f.counts(); tr != 1 || in != 1 {
		t.Errorf("stats with approved records = %d trainings, %d internships, want 1 and 1", tr, in)
	}

	// A correction of the approved internship waits for review: neither
	// version counts.
	f.write(record.KindInternship, ulid.Make(), record.Internship{Person: f.person.String(), Employer: "九江市某某智能装备有限公司",
		Position: "设备维护技术员", Rating: 4, Supersedes: internship.String(),
		Review: record.Review{State: record.ReviewPending}}.Fields())
	keys = f.reasons()
	if slices.Contains(keys, match.KeyInternshipExcellent) || slices.Contains(keys, match.KeyInternshipGood) {
		t.Errorf("reasons with the internship's correction pending = %v, want no internship", keys)
	}
	if _, in := f.counts(); in != 0 {
		t.Errorf("stats with the internship's correction pending = %d internships, want 0", in)
	}
}
