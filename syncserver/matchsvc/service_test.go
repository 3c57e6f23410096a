package matchsvc

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

const (
	college = "4136012941"
	fair    = "GZ2026A"
)

// world is a small hand-built pool: a seeking CNC graduate (seeker) who
// also registered at the fair under the same ID number, a graduate of an
// unrelated major, and a CNC graduate working for a Dongguan factory
// outside its season who is willing to return (returner). The factory
// recruits in summer; a Ganzhou employer recruits in winter.
type world struct {
	t                         *testing.T
	p                         *pool.Pool
	stamp                     hlc.Stamp
	seeker, fairSeeker, other ulid.ULID
	returner                  ulid.ULID
	factory, winterEmployer   ulid.ULID
	local, summer, winter     ulid.ULID
	closed                    ulid.ULID
}

func newWorld(t *testing.T) *world {
	t.Helper()
	p, err := pool.Open(filepath.Join(t.TempDir(), "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	w := &world{t: t, p: p, stamp: hlc.Make(1_780_000_000_000, 0)}
	for _, id := range []*ulid.ULID{&w.seeker, &w.fairSeeker, &w.other, &w.returner, &w.factory,
		&w.winterEmployer, &w.local, &w.summer, &w.winter, &w.closed} {
		*id = ulid.Make()
	}
	idNumber := withCheckDigit("36042420030815121")
	w.write(record.KindPerson, w.seeker, college, record.Person{Name: "张三", IDNumber: idNumber, Major: "460103",
		GradYear: 2025, HomeRegion: "360424", Status: record.StatusSeeking, Consent: record.ConsentGiven}.Fields())
	w.write(record.KindPerson, w.fairSeeker, "fair:"+fair, record.Person{Name: "张三", IDNumber: idNumber,
		Phone: "13800000000", Consent: record.ConsentGiven}.Fields())
	w.write(record.KindPerson, w.other, college, record.Person{Name: "李四", Major: "530302", GradYear: 2025,
		HomeRegion: "360424", Status: record.StatusSeeking, Consent: record.ConsentGiven}.Fields())
	w.write(record.KindPerson, w.returner, college, record.Person{Name: "王五", Major: "460103", GradYear: 2022,
		HomeRegion: "360702", Status: record.StatusEmployed, WorkRegion: "441900", Employer: "东莞市精工机械有限公司",
		WillReturn: record.WillReturnYes, Consent: record.ConsentGiven}.Fields())

	w.write(record.KindEmployer, w.factory, record.ProvinceScope, record.Employer{Name: "东莞市精工机械有限公司",
		Region: "441900"}.Fields())
	w.write(record.KindEmployer, w.winterEmployer, record.ProvinceScope, record.Employer{Name: "赣州市某某机床有限公司",
		Region: "360702"}.Fields())
	w.write(record.KindDemand, w.local, record.ProvinceScope, record.Demand{Employer: w.winterEmployer.String(),
		Title: "数控车床操作工", Majors: []string{"460103"}, Region: "360424", Headcount: 1,
		Status: record.DemandOpen}.Fields())
	w.write(record.KindDemand, w.summer, record.ProvinceScope, record.Demand{Employer: w.factory.String(),
		Title: "数控铣工", Majors: []string{"460103"}, Region: "441900", Headcount: 5, Months: []int{6, 7, 8},
		Status: record.DemandOpen}.Fields())
	w.write(record.KindDemand, w.winter, record.ProvinceScope, record.Demand{Employer: w.winterEmployer.String(),
		Title: "数控机床装调维修工", Majors: []string{"460103"}, Region: "360702", Headcount: 2, Months: []int{12, 1, 2},
		Status: record.DemandOpen}.Fields())
	w.write(record.KindDemand, w.closed, record.ProvinceScope, record.Demand{Employer: w.winterEmployer.String(),
		Title: "数控车床操作工（已招满）", Majors: []string{"460103"}, Region: "360424", Headcount: 1,
		Status: record.DemandClosed}.Fields())
	return w
}

// withCheckDigit appends the GB 11643 check digit to 17 digits.
func withCheckDigit(first17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(first17[i]-'0') * w
	}
	return first17 + string("10X98765432"[sum%11])
}

func (w *world) write(kind record.Kind, id ulid.ULID, scope string, fields map[string]string) {
	w.t.Helper()
	var changes []changeset.Change
	for _, field := range record.FieldsOf(kind) {
		v, ok := fields[field]
		if !ok || v == "" {
			continue
		}
		w.stamp++
		changes = append(changes, changeset.Change{Kind: kind, ID: id, Scope: scope, Field: field,
			Value: v, Stamp: w.stamp, Device: "test"})
	}
	if _, err := w.p.ApplyTrusted(changes); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) service() *Service {
	w.t.Helper()
	s := New(w.p, Options{})
	if err := s.Load(); err != nil {
		w.t.Fatal(err)
	}
	return s
}

func (w *world) match(req protocol.MatchRequest) protocol.MatchResult {
	w.t.Helper()
	res, err := w.service().Match(context.Background(), req)
	if err != nil {
		w.t.Fatalf("%s: %v", req.Use, err)
	}
	return res
}

func TestJobRanksSeekerFirst(t *testing.T) {
	w := newWorld(t)
	res := w.match(protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.local.String()})
	if len(res.Rows) == 0 {
		t.Fatal("job use returned no rows")
	}
	top := res.Rows[0]
	if top.Person != w.seeker.String() {
		t.Errorf("top person = %s (%s), want the seeker %s", top.Person, top.Name, w.seeker)
	}
	if top.Title != "数控车床操作工" || top.Employer != "赣州市某某机床有限公司" {
		t.Errorf("top row job = %s at %s, want 数控车床操作工 at 赣州市某某机床有限公司", top.Title, top.Employer)
	}
	if len(top.Reasons) == 0 || !strings.HasPrefix(top.Reasons[0].Text, "专业对口") {
		t.Errorf("top reasons = %v, want 专业对口 first", top.Reasons)
	}
	if res.Indexed != 3 {
		t.Errorf("pool = %d, want 3 entries (the fair registration joins the seeker)", res.Indexed)
	}
}

// The seeker's college record and fair registration share an ID number,
// so they are one pool entry and one row.
func TestJobListsMergedEntryOnce(t *testing.T) {
	w := newWorld(t)
	res := w.match(protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.local.String()})
	seen := map[string]int{}
	for _, r := range res.Rows {
		seen[r.Name]++
		if r.Person == w.fairSeeker.String() {
			t.Errorf("row names the fair record %s, want the entry's oldest record", r.Person)
		}
	}
	if seen["张三"] != 1 {
		t.Errorf("张三 appears %d times, want once", seen["张三"])
	}
}

func TestPersonGetsLocalDemandFirst(t *testing.T) {
	w := newWorld(t)
	// The fair record names the same entry as the college record.
	res := w.match(protocol.MatchRequest{Use: protocol.MatchPerson, Person: strings.ToLower(w.fairSeeker.String())})
	if len(res.Rows) == 0 {
		t.Fatal("person use returned no rows")
	}
	if res.Rows[0].Demand != w.local.String() {
		t.Errorf("best demand = %s (%s), want the local demand %s", res.Rows[0].Demand, res.Rows[0].Title, w.local)
	}
	for _, r := range res.Rows {
		if r.Demand == w.closed.String() {
			t.Error("person use lists a closed demand")
		}
	}
	// Pool counts the open demands considered: local, summer and winter.
	if res.Pool != 3 {
		t.Errorf("pool = %d, want the 3 open demands", res.Pool)
	}
}

func TestTransferPlacesReturnerInWinter(t *testing.T) {
	w := newWorld(t)
	res := w.match(protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: w.factory.String()})
	if len(res.Rows) == 0 {
		t.Fatal("transfer use returned no rows")
	}
	// The local demand recruits all year: it fits the worker but is no
	// seasonal work, so only the winter demand is proposed.
	for _, r := range res.Rows {
		if r.Person != w.returner.String() {
			t.Errorf("transfer row names %s (%s), want only the factory's worker %s", r.Person, r.Name, w.returner)
		}
		if r.Demand != w.winter.String() {
			t.Errorf("transfer row proposes demand %s (%s), want only the winter demand %s", r.Demand, r.Title, w.winter)
		}
	}
}

func TestAssignFairVisitor(t *testing.T) {
	w := newWorld(t)
	res := w.match(protocol.MatchRequest{Use: protocol.MatchAssign, Fair: fair,
		Demands: []string{w.local.String(), w.winter.String()}})
	if res.Pool != 1 {
		t.Errorf("visitors = %d, want 1 (the seeker's entry)", res.Pool)
	}
	if len(res.Rows) != 1 {
		t.Fatalf("assign rows = %d, want 1", len(res.Rows))
	}
	if r := res.Rows[0]; r.Person != w.seeker.String() || r.Demand != w.local.String() {
		t.Errorf("assigned %s to %s, want %s to the local demand", r.Name, r.Title, w.seeker)
	}
	if res.Total != res.Rows[0].Score || res.Total <= 0 {
		t.Errorf("total = %v, want the one row's score %v", res.Total, res.Rows[0].Score)
	}
}

func TestRegionsCountsReturner(t *testing.T) {
	w := newWorld(t)
	res := w.match(protocol.MatchRequest{Use: protocol.MatchRegions})
	if len(res.Regions) != 1 {
		t.Fatalf("regions = %v, want one prefecture", res.Regions)
	}
	if r := res.Regions[0]; r.Region != "441900" || r.People != 1 {
		t.Errorf("region row = %+v, want 441900 with 1 person", r)
	}
}

func TestUnknownSubjectsNamed(t *testing.T) {
	w := newWorld(t)
	s := w.service()
	missing := ulid.Make().String()
	cases := []struct {
		req  protocol.MatchRequest
		want string
	}{
		{protocol.MatchRequest{Use: protocol.MatchJob, Demand: missing}, "岗位需求“" + missing + "”不在匹配索引中"},
		{protocol.MatchRequest{Use: protocol.MatchPerson, Person: missing}, "人员“" + missing + "”不在匹配索引中"},
		{protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: missing}, "用人单位“" + missing + "”不在单位名录中"},
		{protocol.MatchRequest{Use: protocol.MatchAssign, Fair: "NOFAIR"}, "招聘会“NOFAIR”没有已登记的来访人员"},
		{protocol.MatchRequest{Use: protocol.MatchAssign, Fair: fair, Demands: []string{missing}}, "岗位需求“" + missing + "”"},
	}
	for _, c := range cases {
		_, err := s.Match(context.Background(), c.req)
		var merr *Error
		if !errors.As(err, &merr) {
			t.Errorf("%s: error = %v, want *Error", c.req.Use, err)
			continue
		}
		if !errors.Is(err, protocol.ErrNotFound) {
			t.Errorf("%s: error %v does not wrap ErrNotFound", c.req.Use, err)
		}
		if msg := merr.Message("zh-Hans"); !strings.Contains(msg, c.want) {
			t.Errorf("%s: message = %q, want it to contain %q", c.req.Use, msg, c.want)
		}
	}
	_, err := s.Match(context.Background(), protocol.MatchRequest{Use: "best"})
	if !errors.Is(err, protocol.ErrInvalid) {
		t.Errorf("unknown use: error = %v, want ErrInvalid", err)
	}
}

// A rebuild after a change shows the change; the old index answered
// until then.
func TestLoadAfterChangeSeesNewDemand(t *testing.T) {
	w := newWorld(t)
	s := w.service()
	added := ulid.Make()
	w.write(record.KindDemand, added, record.ProvinceScope, record.Demand{Employer: w.winterEmployer.String(),
		Title: "数控编程员", Majors: []string{"460103"}, Region: "360424", Headcount: 1, Status: record.DemandOpen}.Fields())
	req := protocol.MatchRequest{Use: protocol.MatchJob, Demand: added.String()}
	if _, err := s.Match(context.Background(), req); !errors.Is(err, protocol.ErrNotFound) {
		t.Fatalf("before the rebuild: error = %v, want ErrNotFound", err)
	}
	if err := s.Load(); err != nil {
		t.Fatal(err)
	}
	res, err := s.Match(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) == 0 || res.Rows[0].Person != w.seeker.String() {
		t.Errorf("after the rebuild: rows = %v, want the seeker first", res.Rows)
	}
}
