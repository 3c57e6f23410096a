package syncclient

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// startReviewServer starts the real server on a free loopback port from
// 19100 to 19199.
func startReviewServer(t *testing.T) *testServer {
	t.Helper()
	addr := ""
	for port := 19100; port < 19200 && addr == ""; port++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			addr = ln.Addr().String()
			ln.Close()
		}
	}
	if addr == "" {
		t.Fatal("no free loopback port from 19100 to 19199")
	}
	s := &testServer{t: t, dir: t.TempDir(), addr: addr}
	s.start()
	t.Cleanup(s.stop)
	return s
}

// reviewDevice opens a store signed in as account, enrolled for the test
// college with role.
func (s *testServer) reviewDevice(role, account string) *store.Store {
	s.t.Helper()
	st, err := store.Open(filepath.Join(s.t.TempDir(), account+".db"),
		store.Options{Argon2: store.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() {
		if err := st.Check(); err != nil {
			s.t.Errorf("%s store integrity: %v", account, err)
		}
		st.Close()
	})
	if err := st.AddAccount(account, "correct-horse-1", true); err != nil {
		s.t.Fatal(err)
	}
	code, err := s.createCode(college, role, time.Hour)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := Enrol(context.Background(), st, s.url(), code); err != nil {
		s.t.Fatalf("Enrol(%s as %s): %v", account, role, err)
	}
	return st
}

// reviewState is what the test compares across replicas: the review
// fields of one record.
type reviewState struct {
	Review, By, At string
}

func reviewOf(values map[string]string) reviewState {
	return reviewState{values[record.FieldReview], values[record.FieldReviewBy], values[record.FieldReviewAt]}
}

func deviceTraining(t *testing.T, st *store.Store, id string) map[string]string {
	t.Helper()
	s, err := st.State(record.KindTraining, id)
	if err != nil {
		t.Fatalf("device %s lacks training %s: %v", st.Device(), id, err)
	}
	return s.Values()
}

func poolTraining(t *testing.T, srv *testServer, id string) map[string]string {
	t.Helper()
	var values map[string]string
	err := srv.pool.Each(record.KindTraining, func(st *changeset.State) error {
		if st.ID.String() == id {
			values = st.Values()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if values == nil {
		t.Fatalf("pool lacks training %s", id)
	}
	return values
}

// countedTrainings returns the ids of the pool's trainings that count in
// matching and statistics.
func countedTrainings(t *testing.T, srv *testServer) []string {
	t.Helper()
	var ids []string
	err := srv.pool.EachCounted(record.KindTraining, func(st *changeset.State) error {
		ids = append(ids, st.ID.String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// submitTraining has the clerk record a training of a new person and sync
// it, and the reviewer pull it. It returns the person and the training.
func submitTraining(t *testing.T, clerk, reviewer *store.Store) (string, record.Training) {
	t.Helper()
	person, err := clerk.SavePerson(record.Person{Name: "李志明", Major: "460305", GradYear: 2025})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := clerk.SaveTraining(record.Training{Person: person.ID, Programme: record.BasicProgramme,
		Hours: 96, Score: "85", Completed: true, Date: "2026-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, clerk)
	syncOnce(t, reviewer)
	if got := deviceTraining(t, reviewer, tr.ID)[record.FieldReview]; got != record.ReviewPending {
		t.Fatalf("reviewer's training review = %q, want pending", got)
	}
	return person.ID, tr
}

// A clerk submits a training, a reviewer approves it, and the clerk's
// device shows it approved, by whom and when.
func TestReviewApprovalReachesClerk(t *testing.T) {
	srv := startReviewServer(t)
	clerk := srv.reviewDevice("clerk", "clerk1")
	reviewer := srv.reviewDevice("reviewer", "reviewer1")
	person, tr := submitTraining(t, clerk, reviewer)
	if got := countedTrainings(t, srv); len(got) != 0 {
		t.Errorf("counted trainings while pending = %v, want none", got)
	}

	if err := reviewer.SetReview([]store.ReviewRef{{Kind: record.KindTraining, ID: tr.ID}}, record.ReviewApproved, ""); err != nil {
		t.Fatalf("reviewer approving: %v", err)
	}
	syncOnce(t, reviewer)
	syncOnce(t, clerk)

	want := reviewState{record.ReviewApproved, "reviewer1", time.Now().Format(time.DateOnly)}
	if got := reviewOf(deviceTraining(t, clerk, tr.ID)); got != want {
		t.Errorf("clerk's training review = %+v, want %+v", got, want)
	}
	if got := reviewOf(poolTraining(t, srv, tr.ID)); got != want {
		t.Errorf("pool training review = %+v, want %+v", got, want)
	}
	h, err := clerk.HistoryOf(person)
	if err != nil {
		t.Fatal(err)
	}
	if approved := h.Approved(); len(approved.Trainings) != 1 || approved.Trainings[0].ID != tr.ID {
		t.Errorf("clerk's approved trainings = %+v, want %s", approved.Trainings, tr.ID)
	}
	if got := countedTrainings(t, srv); len(got) != 1 || got[0] != tr.ID {
		t.Errorf("counted trainings after approval = %v, want %s", got, tr.ID)
	}
	for name, st := range map[string]*store.Store{"clerk": clerk, "reviewer": reviewer} {
		if refused, err := st.Refused(); err != nil || len(refused) != 0 {
			t.Errorf("%s refused list = %+v, %v; want empty", name, refused, err)
		}
	}
}

// Both devices hold the pending training. Offline, the reviewer
// approves it while the clerk corrects it, which makes a new version.
// Whichever syncs first, every replica ends with the old version approved
// but superseded and the clerk's new version pending, so the person's
// history shows one training, pending, with the clerk's values, and no
// approved training counts.
func TestReviewApprovalRacesCorrection(t *testing.T) {
	for _, reviewerFirst := range []bool{true, false} {
		name := "clerk syncs first"
		if reviewerFirst {
			name = "reviewer syncs first"
		}
		t.Run(name, func(t *testing.T) {
			srv := startReviewServer(t)
			clerk := srv.reviewDevice("clerk", "clerk1")
			reviewer := srv.reviewDevice("reviewer", "reviewer1")
			person, tr := submitTraining(t, clerk, reviewer)

			if err := reviewer.SetReview([]store.ReviewRef{{Kind: record.KindTraining, ID: tr.ID}}, record.ReviewApproved, ""); err != nil {
				t.Fatalf("reviewer approving: %v", err)
			}
			correction := tr
			correction.Hours, correction.Score = 104, "91"
			next, err := clerk.SaveTraining(correction)
			if err != nil {
				t.Fatalf("clerk correcting: %v", err)
			}
			if reviewerFirst {
				syncOnce(t, reviewer)
				syncOnce(t, clerk)
				syncOnce(t, reviewer)
			} else {
				syncOnce(t, clerk)
				syncOnce(t, reviewer)
				syncOnce(t, clerk)
			}

			for name, values := range map[string]map[string]string{
				"pool": poolTraining(t, srv, tr.ID), "clerk": deviceTraining(t, clerk, tr.ID),
				"reviewer": deviceTraining(t, reviewer, tr.ID)} {
				if got := values[record.FieldReview]; got != record.ReviewApproved {
					t.Errorf("%s: old version review = %q, want approved", name, got)
				}
			}
			for name, values := range map[string]map[string]string{
				"pool": poolTraining(t, srv, next.ID), "clerk": deviceTraining(t, clerk, next.ID),
				"reviewer": deviceTraining(t, reviewer, next.ID)} {
				if values[record.FieldReview] != record.ReviewPending || values[record.FieldSupersedes] != tr.ID ||
					values[record.FieldHours] != "104" {
					t.Errorf("%s: new version = %v, want pending, superseding %s, 104 hours", name, values, tr.ID)
				}
			}
			for name, st := range map[string]*store.Store{"clerk": clerk, "reviewer": reviewer} {
				h, err := st.HistoryOf(person)
				if err != nil {
					t.Fatal(err)
				}
				if len(h.Trainings) != 1 || h.Trainings[0].ID != next.ID || h.Trainings[0].Review.State != record.ReviewPending ||
					h.Trainings[0].Hours != 104 || h.Trainings[0].Score != "91" {
					t.Errorf("%s: history trainings = %+v, want only the pending new version %s", name, h.Trainings, next.ID)
				}
				if approved := h.Approved(); len(approved.Trainings) != 0 {
					t.Errorf("%s: approved trainings = %+v, want none", name, approved.Trainings)
				}
				if refused, err := st.Refused(); err != nil || len(refused) != 0 {
					t.Errorf("%s: refused list = %+v, %v; want empty", name, refused, err)
				}
			}
			if got := countedTrainings(t, srv); len(got) != 0 {
				t.Errorf("counted trainings = %v, want none", got)
			}
		})
	}
}

// Both devices hold the pending training. Offline, the clerk takes it
// back to draft and the reviewer approves it. The one that reaches the
// server second is refused for the review state and lists the refusal,
// and after both sync again the pool and both devices hold the state the
// first one left. The refused device made its move later, so its local
// value carries the newer stamp and only the server's written-back value
// brings it back in line.
func TestReviewTakeBackRacesApproval(t *testing.T) {
	cases := []struct {
		name           string
		reviewerFirst  bool
		wantReview     string
		refusedAccount string
	}{
		{"reviewer first", true, record.ReviewApproved, "clerk1"},
		{"clerk first", false, record.ReviewDraft, "reviewer1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := startReviewServer(t)
			clerk := srv.reviewDevice("clerk", "clerk1")
			reviewer := srv.reviewDevice("reviewer", "reviewer1")
			_, tr := submitTraining(t, clerk, reviewer)
			ref := []store.ReviewRef{{Kind: record.KindTraining, ID: tr.ID}}
			approve := func() {
				if err := reviewer.SetReview(ref, record.ReviewApproved, ""); err != nil {
					t.Fatalf("reviewer approving: %v", err)
				}
			}
			takeBack := func() {
				if err := clerk.SetReview(ref, record.ReviewDraft, ""); err != nil {
					t.Fatalf("clerk taking back: %v", err)
				}
			}
			first, second := reviewer, clerk
			if c.reviewerFirst {
				approve()
				time.Sleep(5 * time.Millisecond) // the refused move carries the newer stamp
				takeBack()
			} else {
				takeBack()
				time.Sleep(5 * time.Millisecond)
				approve()
				first, second = clerk, reviewer
			}
			syncOnce(t, first)
			syncOnce(t, second)
			syncOnce(t, first)

			refused, err := second.Refused()
			if err != nil {
				t.Fatal(err)
			}
			var review *store.RefusedChange
			for i := range refused {
				if refused[i].Field == record.FieldReview {
					review = &refused[i]
				}
				if refused[i].Reason != protocol.CodeReview || refused[i].Record != tr.ID {
					t.Errorf("refusal %+v, want training %s refused for review", refused[i], tr.ID)
				}
			}
			if review == nil {
				t.Errorf("%s's refused list = %+v, want the review change", c.refusedAccount, refused)
			}
			if other, err := first.Refused(); err != nil || len(other) != 0 {
				t.Errorf("first device's refused list = %+v, %v; want empty", other, err)
			}

			pool := reviewOf(poolTraining(t, srv, tr.ID))
			if pool.Review != c.wantReview {
				t.Errorf("pool review = %q, want %q", pool.Review, c.wantReview)
			}
			if c.wantReview == record.ReviewDraft && (pool.By != "" || pool.At != "") {
				t.Errorf("pool training taken back = %+v, want no approver", pool)
			}
			for name, st := range map[string]*store.Store{"clerk": clerk, "reviewer": reviewer} {
				if got := reviewOf(deviceTraining(t, st, tr.ID)); got != pool {
					t.Errorf("%s's training review = %+v, pool holds %+v", name, got, pool)
				}
			}
		})
	}
}

// A clerk device that writes review=approved past its store's check is
// refused for its role, lists the refusal, and ends with the pool's
// pending state.
func TestClerkApprovalRefusedForRole(t *testing.T) {
	srv := startReviewServer(t)
	clerk := srv.reviewDevice("clerk", "clerk1")
	reviewer := srv.reviewDevice("reviewer", "reviewer1")
	_, tr := submitTraining(t, clerk, reviewer)

	if _, err := clerk.SaveBatch(record.KindTraining, []string{tr.ID},
		[]map[string]string{{record.FieldReview: record.ReviewApproved}}); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, clerk)

	refused, err := clerk.Refused()
	if err != nil {
		t.Fatal(err)
	}
	if len(refused) != 1 || refused[0].Reason != protocol.CodeRole || refused[0].Field != record.FieldReview ||
		refused[0].Record != tr.ID {
		t.Errorf("clerk's refused list = %+v, want training %s review refused for role", refused, tr.ID)
	}
	if got := poolTraining(t, srv, tr.ID)[record.FieldReview]; got != record.ReviewPending {
		t.Errorf("pool review = %q, want pending", got)
	}
	if got := deviceTraining(t, clerk, tr.ID)[record.FieldReview]; got != record.ReviewPending {
		t.Errorf("clerk's review after the sync = %q, want the pool's pending", got)
	}
	if n := clerk.Pending(); n != 0 {
		t.Errorf("clerk's outbox after the refused push = %d, want 0", n)
	}
	if got := countedTrainings(t, srv); len(got) != 0 {
		t.Errorf("counted trainings = %v, want none", got)
	}
}
