package matchsvc

import (
	"context"
	"crypto/ed25519"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// update runs Service.Update and fails the test on an error.
func update(t *testing.T, s *Service) {
	t.Helper()
	if err := s.Update(); err != nil {
		t.Fatalf("update: %v", err)
	}
}

// query runs one request on s and fails the test on an error.
func query(t *testing.T, s *Service, req protocol.MatchRequest) protocol.MatchResult {
	t.Helper()
	res, err := s.Match(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", req.Use, err)
	}
	return res
}

// rowPeople returns the person of each row.
func rowPeople(res protocol.MatchResult) []string {
	out := make([]string, len(res.Rows))
	for n, r := range res.Rows {
		out[n] = r.Person
	}
	return out
}

// checkNoRebuild fails the test unless s built its index once and
// applied updates since.
func checkNoRebuild(t *testing.T, s *Service, updates int64) {
	t.Helper()
	if n := s.builds.Load(); n != 1 {
		t.Errorf("full builds = %d, want 1", n)
	}
	if n := s.updates.Load(); n != updates {
		t.Errorf("updates = %d, want %d", n, updates)
	}
}

// cncSeeker is a seeking CNC graduate from 修水县 with consent.
func cncSeeker(name string) record.Person {
	return record.Person{Name: name, Major: "460103", GradYear: 2025, HomeRegion: "360424",
		Status: record.StatusSeeking, Consent: record.ConsentGiven}
}

// A person a college device pushes is matched after the next update.
func TestUpdateAddsPushedPerson(t *testing.T) {
	w := newWorld(t)
	s := w.service()
	code, err := w.p.CreateEnrolment(college, "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	device, err := w.p.Enrol(code, ulid.Make().String(), pub, "test")
	if err != nil {
		t.Fatal(err)
	}
	pushed := ulid.Make()
	fields := cncSeeker("赵六").Fields()
	var changes []changeset.Change
	stamp := hlc.Make(time.Now().UnixMilli(), 0)
	for _, field := range record.FieldsOf(record.KindPerson) {
		if fields[field] == "" {
			continue
		}
		changes = append(changes, changeset.Change{Kind: record.KindPerson, ID: pushed, Scope: college, Field: field,
			Value: fields[field], Stamp: stamp, Device: device.ID, Seq: uint64(len(changes) + 1)})
	}
	res, err := w.p.ApplyPush(device.ID, 1, uint64(len(changes)), changes)
	if err != nil || len(res.Refused) > 0 {
		t.Fatalf("push: %v, refused %v", err, res.Refused)
	}

	update(t, s)
	got := query(t, s, protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.local.String()})
	if !slices.Contains(rowPeople(got), pushed.String()) {
		t.Errorf("job rows = %v, want the pushed person %s", rowPeople(got), pushed)
	}
	if got.Indexed != 4 {
		t.Errorf("pool = %d, want 4 entries", got.Indexed)
	}
	checkNoRebuild(t, s, 1)
}

func TestUpdateAddsDemand(t *testing.T) {
	w := newWorld(t)
	s := w.service()
	added := ulid.Make()
	w.write(record.KindDemand, added, record.ProvinceScope, record.Demand{Employer: w.winterEmployer.String(),
		Title: "数控编程员", Majors: []string{"460103"}, Region: "360424", Headcount: 1, Status: record.DemandOpen}.Fields())

	update(t, s)
	res := query(t, s, protocol.MatchRequest{Use: protocol.MatchJob, Demand: added.String()})
	if len(res.Rows) == 0 || res.Rows[0].Person != w.seeker.String() {
		t.Errorf("rows of the new demand = %v, want the seeker first", rowPeople(res))
	}
	if len(res.Rows) > 0 && res.Rows[0].Employer != "赣州市某某机床有限公司" {
		t.Errorf("employer = %q, want 赣州市某某机床有限公司", res.Rows[0].Employer)
	}
	checkNoRebuild(t, s, 1)
}

// A certificate counts only once approved, and its approval counts
// without a rebuild.
func TestUpdateCountsApprovedCertificate(t *testing.T) {
	w := newWorld(t)
	welder := ulid.Make()
	w.write(record.KindDemand, welder, record.ProvinceScope, record.Demand{Employer: w.winterEmployer.String(),
		Title: "数控车工", Majors: []string{"460103"}, Region: "360424", Headcount: 1, Status: record.DemandOpen,
		Certificates: []record.DemandCertificate{{Title: "车工", SkillLevel: "4"}}}.Fields())
	s := w.service()
	req := protocol.MatchRequest{Use: protocol.MatchJob, Demand: welder.String()}
	before := seekerRow(t, query(t, s, req), w.seeker)

	cert := ulid.Make()
	fields := record.Certificate{Person: w.seeker.String(), Title: "车工", SkillLevel: "4", Date: "2025-06-01",
		Review: record.Review{State: record.ReviewPending}}.Fields()
	w.write(record.KindCertificate, cert, college, fields)
	update(t, s)
	pending := seekerRow(t, query(t, s, req), w.seeker)
	if pending.Score != before.Score {
		t.Errorf("score with a pending certificate = %v, want the score without it, %v", pending.Score, before.Score)
	}

	w.write(record.KindCertificate, cert, college, map[string]string{record.FieldReview: record.ReviewApproved})
	update(t, s)
	approved := seekerRow(t, query(t, s, req), w.seeker)
	if approved.Score <= before.Score {
		t.Errorf("score with the approved certificate = %v, want more than %v", approved.Score, before.Score)
	}
	if !hasReason(approved, "持有岗位要求的证书：车工") {
		t.Errorf("reasons = %v, want the required certificate", approved.Reasons)
	}
	checkNoRebuild(t, s, 2)
}

func seekerRow(t *testing.T, res protocol.MatchResult, seeker ulid.ULID) protocol.MatchRow {
	t.Helper()
	for _, r := range res.Rows {
		if r.Person == seeker.String() {
			return r
		}
	}
	t.Fatalf("rows %v lack the seeker %s", rowPeople(res), seeker)
	return protocol.MatchRow{}
}

func hasReason(r protocol.MatchRow, prefix string) bool {
	for _, reason := range r.Reasons {
		if strings.HasPrefix(reason.Text, prefix) {
			return true
		}
	}
	return false
}

func TestUpdateDropsWithdrawnConsent(t *testing.T) {
	w := newWorld(t)
	s := w.service()
	req := protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.local.String()}
	seekerRow(t, query(t, s, req), w.seeker)

	w.write(record.KindPerson, w.seeker, college, map[string]string{record.FieldConsent: record.ConsentWithdrawn})
	update(t, s)
	if got := rowPeople(query(t, s, req)); slices.Contains(got, w.seeker.String()) {
		t.Errorf("job rows = %v still list the seeker after the consent was withdrawn", got)
	}
	checkNoRebuild(t, s, 1)
}

// A merge decision joins a separate record into the seeker's entry, and
// undoing it splits them again.
func TestUpdateFollowsMerge(t *testing.T) {
	w := newWorld(t)
	other := ulid.Make()
	w.write(record.KindPerson, other, "fair:GZ2026B", cncSeeker("张三").Fields())
	s := w.service()
	req := protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.local.String()}
	if res := query(t, s, req); res.Indexed != 4 {
		t.Fatalf("pool before the merge = %d, want 4", res.Indexed)
	}

	decision, err := w.p.Decide(record.DecisionMerge, []ulid.ULID{w.seeker, other}, "test")
	if err != nil {
		t.Fatal(err)
	}
	update(t, s)
	res := query(t, s, req)
	if res.Indexed != 3 {
		t.Errorf("pool after the merge = %d, want 3", res.Indexed)
	}
	if got := rowPeople(res); slices.Contains(got, other.String()) {
		t.Errorf("job rows = %v list the merged record %s", got, other)
	}
	ix := s.current.Load()
	if ix.position(other.String()) != ix.position(w.seeker.String()) {
		t.Errorf("the merged record is at position %d, the seeker at %d; want one entry",
			ix.position(other.String()), ix.position(w.seeker.String()))
	}

	id, err := ulid.ParseStrict(decision.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.p.Undo(id, "test"); err != nil {
		t.Fatal(err)
	}
	update(t, s)
	res = query(t, s, req)
	if res.Indexed != 4 {
		t.Errorf("pool after undoing the merge = %d, want 4", res.Indexed)
	}
	if got := rowPeople(res); !slices.Contains(got, other.String()) || !slices.Contains(got, w.seeker.String()) {
		t.Errorf("job rows = %v, want both %s and the seeker", got, other)
	}
	checkNoRebuild(t, s, 2)
}

// Deleting the entry's oldest record leaves its other record as the
// entry, under the other record's ID.
func TestUpdateDeletedRecordLeavesEntry(t *testing.T) {
	w := newWorld(t)
	s := w.service()
	w.write(record.KindPerson, w.seeker, college, map[string]string{record.FieldDeleted: "1"})
	update(t, s)

	res := query(t, s, protocol.MatchRequest{Use: protocol.MatchPerson, Person: w.fairSeeker.String()})
	if res.Indexed != 3 {
		t.Errorf("pool = %d, want 3 (the fair record stays an entry)", res.Indexed)
	}
	_, err := s.Match(context.Background(), protocol.MatchRequest{Use: protocol.MatchPerson, Person: w.seeker.String()})
	if !errors.Is(err, protocol.ErrNotFound) {
		t.Errorf("person use on the deleted record: error %v, want ErrNotFound", err)
	}
	// The fair record alone has no major or status, so it fits no demand.
	job := query(t, s, protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.local.String()})
	if got := rowPeople(job); slices.Contains(got, w.seeker.String()) {
		t.Errorf("job rows = %v list the deleted record", got)
	}
	ix := s.current.Load()
	if i := ix.position(w.fairSeeker.String()); i < 0 || ix.people[i].name != "张三" {
		t.Errorf("the fair record is at position %d, want an entry named 张三", i)
	}
	checkNoRebuild(t, s, 1)
}

func TestUpdateHidesErasedPerson(t *testing.T) {
	w := newWorld(t)
	s := w.service()
	if _, err := w.p.Erase(w.returner, "test"); err != nil {
		t.Fatal(err)
	}
	update(t, s)
	res := query(t, s, protocol.MatchRequest{Use: protocol.MatchRegions})
	if len(res.Regions) != 0 {
		t.Errorf("regions after erasing the returner = %v, want none", res.Regions)
	}
	transfer := query(t, s, protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: w.factory.String()})
	if len(transfer.Rows) != 0 {
		t.Errorf("transfer rows after erasing the returner = %v, want none", transfer.Rows)
	}
	checkNoRebuild(t, s, 1)
}

// When compaction removed log entries the index has not seen, Update asks
// for a full build, and the build sees the change.
func TestUpdateAfterCompactionRebuilds(t *testing.T) {
	w := newWorld(t)
	s := w.service()
	code, err := w.p.CreateEnrolment(college, "central", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	device, err := w.p.Enrol(code, ulid.Make().String(), pub, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.p.Contact(device.ID, "test", 0, "", ""); err != nil {
		t.Fatal(err)
	}
	added := ulid.Make()
	w.write(record.KindDemand, added, record.ProvinceScope, record.Demand{Employer: w.winterEmployer.String(),
		Title: "数控编程员", Majors: []string{"460103"}, Region: "360424", Status: record.DemandOpen}.Fields())
	if err := w.p.RecordPulled(device.ID, w.p.LogHead()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.p.Compact(record.ProvinceScope); err != nil {
		t.Fatal(err)
	}

	err = s.Update()
	if !errors.Is(err, ErrRebuild) || !errors.Is(err, pool.ErrCompacted) {
		t.Fatalf("update after compaction: error %v, want ErrRebuild wrapping pool.ErrCompacted", err)
	}
	if err := s.Load(); err != nil {
		t.Fatal(err)
	}
	res := query(t, s, protocol.MatchRequest{Use: protocol.MatchJob, Demand: added.String()})
	if len(res.Rows) == 0 {
		t.Error("the demand written before the compaction has no rows after the rebuild")
	}
	if n := s.builds.Load(); n != 2 {
		t.Errorf("full builds = %d, want 2", n)
	}
	update(t, s)
	if n := s.updates.Load(); n != 0 {
		t.Errorf("updates after the rebuild = %d, want 0: the rebuild covers the log", n)
	}
}

// Run applies a change without a full build, well before the refresh
// interval of full builds ends.
func TestRunAppliesChangeIncrementally(t *testing.T) {
	w := newWorld(t)
	s := New(w.p, Options{Refresh: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	query(t, s, protocol.MatchRequest{Use: protocol.MatchRegions})

	added := ulid.Make()
	w.write(record.KindDemand, added, record.ProvinceScope, record.Demand{Employer: w.winterEmployer.String(),
		Title: "数控编程员", Majors: []string{"460103"}, Region: "360424", Status: record.DemandOpen}.Fields())
	req := protocol.MatchRequest{Use: protocol.MatchJob, Demand: added.String()}
	// The deadline only bounds a failing test: Run applies the change as
	// soon as the pool signals it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := s.Match(context.Background(), req)
		if err == nil {
			break
		}
		if !errors.Is(err, protocol.ErrNotFound) || time.Now().After(deadline) {
			t.Fatalf("job use on the new demand: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.builds.Load(); n != 1 {
		t.Errorf("full builds = %d, want 1", n)
	}
}

// Queries run while updates change the engine; -race checks the locking.
func TestQueriesDuringUpdates(t *testing.T) {
	w := newWorld(t)
	s := w.service()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	reqs := []protocol.MatchRequest{
		{Use: protocol.MatchJob, Demand: w.local.String()},
		{Use: protocol.MatchPerson, Person: w.seeker.String()},
		{Use: protocol.MatchRegions},
		{Use: protocol.MatchTransfer, Employer: w.factory.String()},
	}
	for _, req := range reqs {
		wg.Go(func() {
			for ctx.Err() == nil {
				if _, err := s.Match(ctx, req); err != nil && ctx.Err() == nil {
					errs <- err
					return
				}
			}
		})
	}
	const added = 20
	for n := range added {
		w.write(record.KindPerson, ulid.Make(), college, cncSeeker("求职者"+string(rune('甲'+n))).Fields())
		update(t, s)
	}
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("query during updates: %v", err)
	}
	if res := query(t, s, protocol.MatchRequest{Use: protocol.MatchRegions}); res.Indexed != 3+added {
		t.Errorf("pool = %d, want %d", res.Indexed, 3+added)
	}
	checkNoRebuild(t, s, added)
}

// A change to a record that matching does not read moves the index's
// cursor without touching the engine.
func TestUpdateSkipsUnreadKinds(t *testing.T) {
	w := newWorld(t)
	s := w.service()
	w.write(record.KindClass, ulid.Make(), college, map[string]string{record.FieldTitle: "数控2501班"})
	update(t, s)
	if n := s.updates.Load(); n != 0 {
		t.Errorf("updates = %d, want 0 for a class record", n)
	}
	if ix := s.current.Load(); ix.cursor != w.p.LogHead() {
		t.Errorf("cursor = %d, want the log head %d", ix.cursor, w.p.LogHead())
	}
}

// A corrected ID number splits the fair registration from the seeker's
// entry: both records become entries of their own.
func TestUpdateSplitsOnNewIDNumber(t *testing.T) {
	w := newWorld(t)
	s := w.service()
	w.write(record.KindPerson, w.fairSeeker, "fair:"+fair,
		map[string]string{record.FieldIDNumber: withCheckDigit("36042420040101121")})
	update(t, s)

	res := query(t, s, protocol.MatchRequest{Use: protocol.MatchRegions})
	if res.Indexed != 4 {
		t.Errorf("pool = %d, want 4 after the split", res.Indexed)
	}
	ix := s.current.Load()
	seeker, registration := ix.position(w.seeker.String()), ix.position(w.fairSeeker.String())
	if seeker < 0 || registration < 0 || seeker == registration {
		t.Errorf("positions: seeker %d, fair registration %d; want two entries", seeker, registration)
	}
	if got := rowPeople(query(t, s, protocol.MatchRequest{Use: protocol.MatchJob, Demand: w.local.String()})); !slices.Contains(got, w.seeker.String()) {
		t.Errorf("job rows = %v, want the seeker still matched", got)
	}
	checkNoRebuild(t, s, 1)
}

// Deleting a person's newest assessment brings back the older approved
// one, as a full build would count it.
func TestUpdateFallsBackToOlderAssessment(t *testing.T) {
	w := newWorld(t)
	approved := record.Review{State: record.ReviewApproved}
	older, newer := ulid.Make(), ulid.Make()
	w.write(record.KindAssessment, older, college, record.Assessment{Person: w.seeker.String(), Date: "2025-01-10",
		Profile: "x", Review: approved}.Fields())
	w.write(record.KindAssessment, newer, college, record.Assessment{Person: w.seeker.String(), Date: "2025-06-10",
		Profile: "y", Review: approved}.Fields())
	s := w.service()
	if refs := s.current.Load().history[w.seeker]; len(refs) != 2 {
		t.Fatalf("history list of the seeker = %v, want both assessments", refs)
	}

	w.write(record.KindAssessment, newer, college, map[string]string{record.FieldDeleted: "1"})
	update(t, s)
	refs := s.current.Load().history[w.seeker]
	if len(refs) != 2 || !slices.Contains(refs, histRef{record.KindAssessment, older}) {
		t.Errorf("history list after deleting the newer assessment = %v, want the older one kept", refs)
	}
	h, err := s.countedHistory(s.current.Load(), &entryUpdate{history: map[ulid.ULID][]histRef{}}, []ulid.ULID{w.seeker})
	if err != nil {
		t.Fatal(err)
	}
	if a := h.assessments[w.seeker.String()]; a.ID != older.String() {
		t.Errorf("counted assessment = %q, want the older %s", a.ID, older)
	}
}
