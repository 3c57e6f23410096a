package matchsvc

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// deleteRecord writes the deletion mark of a record.
func (w *world) deleteRecord(kind record.Kind, id ulid.ULID, scope string) {
	w.t.Helper()
	w.stamp++
	c := changeset.Change{Kind: kind, ID: id, Scope: scope, Field: record.FieldDeleted,
		Value: "1", Stamp: w.stamp, Device: "test"}
	if _, err := w.p.ApplyTrusted([]changeset.Change{c}); err != nil {
		w.t.Fatal(err)
	}
}

func TestJobOnClosedDemandNotes(t *testing.T) {
	w := newWorld(t)
	res := w.match(protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.closed.String()})
	want := i18n.In(i18n.Chinese, "server.match.demand_closed_note", w.closed.String())
	if len(res.Notes) != 1 || res.Notes[0] != want {
		t.Errorf("notes = %q, want %q", res.Notes, want)
	}
	if !strings.Contains(want, "已结束招聘") {
		t.Errorf("closed note %q does not say the demand is closed", want)
	}
	if open := w.match(protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.local.String()}); len(open.Notes) != 0 {
		t.Errorf("notes of an open demand = %q, want none", open.Notes)
	}
}

func TestAssignRejectsClosedDemand(t *testing.T) {
	w := newWorld(t)
	_, err := w.service().Match(context.Background(), protocol.MatchRequest{Use: protocol.MatchAssign, Fair: fair,
		Demands: []string{w.closed.String()}})
	var merr *Error
	if !errors.As(err, &merr) || merr.Key != "server.match.demand_closed" || !errors.Is(err, protocol.ErrInvalid) {
		t.Fatalf("assign of a closed demand error = %v, want server.match.demand_closed", err)
	}
	res := w.match(protocol.MatchRequest{Use: protocol.MatchAssign, Fair: fair})
	for _, r := range res.Rows {
		if r.Demand == w.closed.String() {
			t.Errorf("assign without --demand assigned the closed demand: %+v", r)
		}
	}
}

func TestDeletedEmployerDemandsLeftOut(t *testing.T) {
	w := newWorld(t)
	w.deleteRecord(record.KindEmployer, w.winterEmployer, record.ProvinceScope)
	res := w.match(protocol.MatchRequest{Use: protocol.MatchPerson, Person: w.seeker.String()})
	for _, r := range res.Rows {
		if r.Demand == w.local.String() || r.Demand == w.winter.String() {
			t.Errorf("person got a demand of the deleted employer: %+v", r)
		}
	}
	assigned := w.match(protocol.MatchRequest{Use: protocol.MatchAssign, Fair: fair})
	for _, r := range assigned.Rows {
		if r.Demand == w.local.String() {
			t.Errorf("assign used a demand of the deleted employer: %+v", r)
		}
	}
	job := w.match(protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.local.String()})
	if len(job.Notes) != 1 || !strings.Contains(job.Notes[0], "已从单位名录删除") {
		t.Errorf("job notes = %q, want the deleted-employer note", job.Notes)
	}
}

func TestPersonWithoutConsentExplained(t *testing.T) {
	w := newWorld(t)
	id := ulid.Make()
	w.write(record.KindPerson, id, college, record.Person{Name: "赵六", Major: "460103", GradYear: 2025,
		Status: record.StatusSeeking}.Fields())
	res := w.match(protocol.MatchRequest{Use: protocol.MatchPerson, Person: id.String()})
	want := i18n.In(i18n.Chinese, "server.match.person_no_consent")
	if len(res.Rows) != 0 || len(res.Notes) != 1 || res.Notes[0] != want {
		t.Errorf("rows %d, notes %q; want none and %q", len(res.Rows), res.Notes, want)
	}

	study := ulid.Make()
	w.write(record.KindPerson, study, college, record.Person{Name: "钱七", Major: "460103", GradYear: 2025,
		Status: record.StatusStudy, Consent: record.ConsentGiven}.Fields())
	res = w.match(protocol.MatchRequest{Use: protocol.MatchPerson, Person: study.String()})
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "升学") {
		t.Errorf("notes of a person in further study = %q, want the 升学 reason", res.Notes)
	}
}

func TestTransferWithoutSeasonExplained(t *testing.T) {
	w := newWorld(t)
	employer := ulid.Make()
	w.write(record.KindEmployer, employer, record.ProvinceScope, record.Employer{Name: "南昌市全年用工厂",
		Region: "360102"}.Fields())
	w.write(record.KindDemand, ulid.Make(), record.ProvinceScope, record.Demand{Employer: employer.String(),
		Title: "装配工", Majors: []string{"460103"}, Region: "360102", Headcount: 1, Status: record.DemandOpen}.Fields())
	res := w.match(protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: employer.String()})
	want := i18n.In(i18n.Chinese, "server.match.transfer_no_season", "南昌市全年用工厂")
	if len(res.Rows) != 0 || len(res.Notes) != 1 || res.Notes[0] != want {
		t.Errorf("rows %d, notes %q; want none and %q", len(res.Rows), res.Notes, want)
	}
}

func TestAssignCountsAllPairs(t *testing.T) {
	w := newWorld(t)
	visitor := ulid.Make()
	w.write(record.KindPerson, visitor, "fair:"+fair, record.Person{Name: "孙八", Major: "460103", GradYear: 2025,
		Status: record.StatusSeeking, Consent: record.ConsentGiven}.Fields())
	all := w.match(protocol.MatchRequest{Use: protocol.MatchAssign, Fair: strings.ToLower(fair)})
	if len(all.Rows) != 2 || all.Assigned != 2 {
		t.Fatalf("assign of the lower-case code: %d rows, assigned %d; want 2 and 2", len(all.Rows), all.Assigned)
	}
	one := w.match(protocol.MatchRequest{Use: protocol.MatchAssign, Fair: fair, Limit: 1})
	if len(one.Rows) != 1 || one.Assigned != 2 || one.Total != all.Total {
		t.Errorf("assign -n 1: %d rows, assigned %d, total %v; want 1, 2 and %v", len(one.Rows), one.Assigned, one.Total, all.Total)
	}
	if one.Pool != 2 || one.Indexed != 4 {
		t.Errorf("assign pool %d, indexed %d; want 2 visitors and 4 indexed people", one.Pool, one.Indexed)
	}
}

func TestMistakenIDsNamed(t *testing.T) {
	w := newWorld(t)
	s := w.service()
	cases := []struct {
		req protocol.MatchRequest
		key string
	}{
		{protocol.MatchRequest{Use: protocol.MatchPerson, Person: w.local.String()}, "server.match.person_is_demand"},
		{protocol.MatchRequest{Use: protocol.MatchPerson, Person: "01ABC"}, "server.match.bad_id"},
		{protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.seeker.String()}, "server.match.demand_is_person"},
		{protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.factory.String()}, "server.match.demand_is_employer"},
		{protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: w.summer.String()}, "server.match.employer_is_demand"},
		{protocol.MatchRequest{Use: protocol.MatchAssign, Fair: "bad code!"}, "server.match.bad_fair"},
	}
	for _, c := range cases {
		_, err := s.Match(context.Background(), c.req)
		var merr *Error
		if !errors.As(err, &merr) || merr.Key != c.key {
			t.Errorf("%+v: error %v, want key %s", c.req, err, c.key)
		}
	}

	w.deleteRecord(record.KindPerson, w.other, college)
	_, err := w.service().Match(context.Background(), protocol.MatchRequest{Use: protocol.MatchPerson, Person: w.other.String()})
	var merr *Error
	if !errors.As(err, &merr) || merr.Key != "server.match.person_deleted" {
		t.Errorf("deleted person error = %v, want server.match.person_deleted", err)
	}
}

// addEnded writes a demand of the local employer whose status is open
// but whose End date has passed.
func (w *world) addEnded() ulid.ULID {
	id := ulid.Make()
	w.write(record.KindDemand, id, record.ProvinceScope, record.Demand{Employer: w.winterEmployer.String(),
		Title: "数控车床操作工（去年）", Majors: []string{"460103"}, Region: "360424", Headcount: 1,
		Start: "2020-03-01", End: "2020-06-30", Status: record.DemandOpen}.Fields())
	return id
}

func TestEndedDemandNotRecommended(t *testing.T) {
	w := newWorld(t)
	ended := w.addEnded()
	res := w.match(protocol.MatchRequest{Use: protocol.MatchPerson, Person: w.seeker.String()})
	for _, r := range res.Rows {
		if r.Demand == ended.String() {
			t.Errorf("person got the ended demand: %+v", r)
		}
	}
	// The open demands are local and winter; summer is open too.
	if res.Pool != 3 {
		t.Errorf("person pool = %d, want 3 open demands", res.Pool)
	}
	assigned := w.match(protocol.MatchRequest{Use: protocol.MatchAssign, Fair: fair})
	for _, r := range assigned.Rows {
		if r.Demand == ended.String() {
			t.Errorf("assign used the ended demand: %+v", r)
		}
	}
}

func TestJobOnEndedDemandNotes(t *testing.T) {
	w := newWorld(t)
	ended := w.addEnded()
	res := w.match(protocol.MatchRequest{Use: protocol.MatchJob, Demand: ended.String()})
	want := i18n.In(i18n.Chinese, "server.match.demand_ended_note", ended.String(), "2020-06-30")
	if len(res.Notes) != 1 || res.Notes[0] != want {
		t.Errorf("notes = %q, want %q", res.Notes, want)
	}
	if !strings.Contains(want, "已于 2020-06-30 结束招聘") {
		t.Errorf("ended note %q does not give the end date", want)
	}

	_, err := w.service().Match(context.Background(), protocol.MatchRequest{Use: protocol.MatchAssign, Fair: fair,
		Demands: []string{ended.String()}})
	var merr *Error
	if !errors.As(err, &merr) || merr.Key != "server.match.demand_ended" || !errors.Is(err, protocol.ErrInvalid) {
		t.Fatalf("assign of an ended demand error = %v, want server.match.demand_ended", err)
	}
}
