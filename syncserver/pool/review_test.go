package pool

import (
	"slices"
	"testing"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// pusher pushes changes of one device, numbering them after its last push.
// Pushers of one test share a clock, so a later push has later stamps.
type pusher struct {
	t     *testing.T
	p     *Pool
	d     Device
	seq   uint64
	clock *int64 // milliseconds after 1_780_000_000_000
	// later moves the device's stamps this many milliseconds on, so its
	// writes order after those of a device that pushes after it.
	later int64
	last  []changeset.Change // the changes of the last push
}

func newPusher(t *testing.T, p *Pool, role string, clock *int64) *pusher {
	return &pusher{t: t, p: p, d: enrolAs(t, p, college, role), clock: clock}
}

// push sends one change per field, in the order given as field, value
// pairs, to one record, and returns the refusals.
func (u *pusher) push(kind record.Kind, id ulid.ULID, pairs ...string) []protocol.Refusal {
	u.t.Helper()
	var changes []changeset.Change
	for i := 0; i < len(pairs); i += 2 {
		u.seq++
		*u.clock++
		c := edit(u.d, kind, id, college, pairs[i], pairs[i+1], u.seq)
		c.Stamp = hlc.Make(1_780_000_000_000+*u.clock+u.later, 0)
		changes = append(changes, c)
	}
	u.last = changes
	res, err := u.p.ApplyPush(u.d.ID, changes[0].Seq, u.seq, changes)
	if err != nil {
		u.t.Fatalf("ApplyPush: %v", err)
	}
	if res.Acked != u.seq {
		u.t.Fatalf("acked %d, want %d", res.Acked, u.seq)
	}
	return res.Refused
}

// reasons returns the field and reason of each refusal.
func reasons(refused []protocol.Refusal) map[string]protocol.Code {
	out := map[string]protocol.Code{}
	for _, r := range refused {
		out[r.Field] = r.Reason
	}
	return out
}

func poolValues(t *testing.T, p *Pool, kind record.Kind, id ulid.ULID) map[string]string {
	t.Helper()
	var values map[string]string
	err := p.Each(kind, func(st *changeset.State) error {
		if st.ID == id {
			values = st.Values()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return values
}

// submitTraining pushes a new training record of person, submitted for
// review, and fails the test on any refusal.
func submitTraining(t *testing.T, u *pusher, person, supersedes string) ulid.ULID {
	t.Helper()
	id := ulid.Make()
	pairs := []string{record.FieldPerson, person, record.FieldProgramme, "数控车工岗位定制班",
		record.FieldCompleted, "1", record.FieldReview, record.ReviewPending,
		record.FieldSubmittedAt, "2026-05-04T10:30:00Z"}
	if supersedes != "" {
		pairs = append(pairs, record.FieldSupersedes, supersedes)
	}
	if refused := u.push(record.KindTraining, id, pairs...); len(refused) != 0 {
		t.Fatalf("submitting a training refused %+v", refused)
	}
	return id
}

// The server walks a training record through review: a clerk submits it
// and may not approve it, a reviewer approves it, and the approved record
// changes only in a new version.
func TestPushChecksReviewMoves(t *testing.T) {
	p := openTemp(t, nil)
	var clock int64
	clerk := newPusher(t, p, "clerk", &clock)
	reviewer := newPusher(t, p, "reviewer", &clock)
	person := ulid.Make().String()
	id := submitTraining(t, clerk, person, "")

	got := reasons(clerk.push(record.KindTraining, id, record.FieldReview, record.ReviewApproved,
		record.FieldReviewBy, "王老师"))
	if got[record.FieldReview] != protocol.CodeRole {
		t.Errorf("clerk approving: refused %v, want review for role", got)
	}
	if got[record.FieldReviewBy] != protocol.CodeRole {
		t.Errorf("clerk writing the approver: refused %v, want review_by for role", got)
	}

	if refused := reviewer.push(record.KindTraining, id, record.FieldReview, record.ReviewApproved,
		record.FieldReviewBy, "李审核", record.FieldReviewAt, "2026-05-05"); len(refused) != 0 {
		t.Fatalf("reviewer approving a pending record: refused %+v", refused)
	}
	values := poolValues(t, p, record.KindTraining, id)
	if values[record.FieldReview] != record.ReviewApproved || values[record.FieldReviewBy] != "李审核" {
		t.Errorf("pool training after approval = %v, want approved by 李审核", values)
	}

	got = reasons(clerk.push(record.KindTraining, id, record.FieldProgramme, "电工岗位定制班"))
	if got[record.FieldProgramme] != protocol.CodeReview {
		t.Errorf("clerk editing an approved record in place: refused %v, want programme for review", got)
	}
	got = reasons(clerk.push(record.KindTraining, id, record.FieldReview, record.ReviewDraft))
	if got[record.FieldReview] != protocol.CodeReview {
		t.Errorf("clerk taking back an approved record: refused %v, want review for review", got)
	}
	if values := poolValues(t, p, record.KindTraining, id); values[record.FieldProgramme] != "数控车工岗位定制班" ||
		values[record.FieldReview] != record.ReviewApproved {
		t.Errorf("pool training after refused edits = %v, want it unchanged", values)
	}

	// A correction is a new version, pending again.
	next := submitTraining(t, clerk, person, id.String())
	if values := poolValues(t, p, record.KindTraining, next); values[record.FieldReview] != record.ReviewPending {
		t.Errorf("new version review = %q, want pending", values[record.FieldReview])
	}
	// The reviewer may still return the approved old version.
	if refused := reviewer.push(record.KindTraining, id, record.FieldReview, record.ReviewReturned,
		record.FieldReviewReason, "学时有误"); len(refused) != 0 {
		t.Errorf("reviewer returning an approved record: refused %+v", refused)
	}
}

// No role writes a new record as approved in one change, and the decision
// fields follow the state: an approver on a draft is refused.
func TestPushRefusesApprovedDraft(t *testing.T) {
	p := openTemp(t, nil)
	var clock int64
	reviewer := newPusher(t, p, "reviewer", &clock)
	central := newPusher(t, p, "central", &clock)
	person := ulid.Make().String()

	for _, u := range []*pusher{reviewer, central} {
		id := ulid.Make()
		got := reasons(u.push(record.KindAward, id, record.FieldPerson, person, record.FieldTitle, "全国职业院校技能大赛",
			record.FieldReview, record.ReviewApproved, record.FieldReviewBy, "李审核", record.FieldReviewAt, "2026-05-05"))
		if len(got) != 3 || got[record.FieldReview] != protocol.CodeReview ||
			got[record.FieldReviewBy] != protocol.CodeReview || got[record.FieldReviewAt] != protocol.CodeReview {
			t.Errorf("%s writing a new award as approved: refused %v, want review, review_by and review_at for review", u.d.Role, got)
		}
		values := poolValues(t, p, record.KindAward, id)
		if values[record.FieldReview] != "" || values[record.FieldReviewBy] != "" || values[record.FieldTitle] != "全国职业院校技能大赛" {
			t.Errorf("pool award = %v, want a draft with its title and no approver", values)
		}
	}

	// Submitted and approved in one push, in that order, passes: the
	// second change is checked against the state the first left.
	id := ulid.Make()
	if refused := reviewer.push(record.KindCertificate, id, record.FieldPerson, person, record.FieldTitle, "数控车工",
		record.FieldReview, record.ReviewPending, record.FieldReview, record.ReviewApproved,
		record.FieldReviewBy, "李审核"); len(refused) != 0 {
		t.Errorf("reviewer submitting and approving in one push: refused %+v", refused)
	}
	if got := poolValues(t, p, record.KindCertificate, id)[record.FieldReview]; got != record.ReviewApproved {
		t.Errorf("certificate review = %q, want approved", got)
	}
}

// A new version must supersede a record of its own kind and scope.
func TestPushChecksSupersedes(t *testing.T) {
	p := openTemp(t, nil)
	var clock int64
	clerk := newPusher(t, p, "clerk", &clock)
	person := ulid.Make().String()
	training := submitTraining(t, clerk, person, "")
	award := ulid.Make()
	clerk.push(record.KindAward, award, record.FieldPerson, person, record.FieldTitle, "优秀学生")

	other := enrolAs(t, p, otherCollege, "clerk")
	foreign := ulid.Make()
	if res, err := p.ApplyPush(other.ID, 1, 1, []changeset.Change{
		edit(other, record.KindTraining, foreign, otherCollege, record.FieldPerson, person, 1)}); err != nil || len(res.Refused) != 0 {
		t.Fatalf("other college's training: %+v, %v", res, err)
	}

	self := ulid.Make()
	cases := []struct {
		name, supersedes string
		id               ulid.ULID
		want             protocol.Code
	}{
		{"same kind", training.String(), ulid.Make(), ""},
		{"other kind", award.String(), ulid.Make(), protocol.CodeInvalid},
		{"unknown record", ulid.Make().String(), ulid.Make(), protocol.CodeInvalid},
		{"other scope", foreign.String(), ulid.Make(), protocol.CodeInvalid},
		{"itself", self.String(), self, protocol.CodeInvalid},
	}
	for _, tc := range cases {
		got := reasons(clerk.push(record.KindTraining, tc.id, record.FieldPerson, person,
			record.FieldSupersedes, tc.supersedes))
		if got[record.FieldSupersedes] != tc.want {
			t.Errorf("%s: supersedes refused %q, want %q", tc.name, got[record.FieldSupersedes], tc.want)
		}
	}
}

// A refused review move is written back: the pool logs its own value of
// the field with a newer stamp, so the device that made the refused move
// pulls the pool's state.
func TestRefusedReviewMoveWrittenBack(t *testing.T) {
	p := openTemp(t, nil)
	var clock int64
	clerk := newPusher(t, p, "clerk", &clock)
	reviewer := newPusher(t, p, "reviewer", &clock)
	id := submitTraining(t, clerk, ulid.Make().String(), "")
	if refused := clerk.push(record.KindTraining, id, record.FieldReview, record.ReviewDraft); len(refused) != 0 {
		t.Fatalf("clerk taking back: refused %+v", refused)
	}

	// The reviewer approved later, offline, so its stamps win the merge.
	reviewer.later = 1000
	got := reasons(reviewer.push(record.KindTraining, id, record.FieldReview, record.ReviewApproved,
		record.FieldReviewBy, "李审核"))
	if got[record.FieldReview] != protocol.CodeReview || got[record.FieldReviewBy] != protocol.CodeReview {
		t.Fatalf("late approval: refused %v, want review and review_by for review", got)
	}
	refused := reviewer.last

	page, err := p.Pull(college, 0, 1000, reviewer.d.ID)
	if err != nil {
		t.Fatal(err)
	}
	written := map[string]changeset.Change{}
	for _, c := range page.Changes {
		if c.Device == serverDevice && c.ID == id {
			written[c.Field] = c
		}
	}
	if c, ok := written[record.FieldReview]; !ok || c.Value != record.ReviewDraft || c.Stamp <= refused[0].Stamp {
		t.Errorf("written-back review = %+v (present %v), want draft stamped after %v", c, ok, refused[0].Stamp)
	}
	if c, ok := written[record.FieldReviewBy]; !ok || c.Value != "" || c.Stamp <= refused[1].Stamp {
		t.Errorf("written-back review_by = %+v (present %v), want empty stamped after %v", c, ok, refused[1].Stamp)
	}

	// The reviewer's device, merging what it pulls into its refused
	// values, ends with the pool's state.
	local := changeset.NewState(record.KindTraining, id, college)
	for _, c := range refused {
		local.Apply(c)
	}
	for _, c := range page.Changes {
		if c.ID == id {
			local.Apply(c)
		}
	}
	values := poolValues(t, p, record.KindTraining, id)
	if local.Values()[record.FieldReview] != values[record.FieldReview] || local.Values()[record.FieldReviewBy] != "" {
		t.Errorf("reviewer's record after the pull = %v, pool holds %v", local.Values(), values)
	}
	if values[record.FieldReview] != record.ReviewDraft {
		t.Errorf("pool review = %q, want draft", values[record.FieldReview])
	}
}

// Statistics count a history record only when approved and not superseded.
func TestStatsCountApprovedOnly(t *testing.T) {
	p := openTemp(t, nil)
	var clock int64
	clerk := newPusher(t, p, "clerk", &clock)
	reviewer := newPusher(t, p, "reviewer", &clock)
	person := ulid.Make().String()
	approve := func(id ulid.ULID) {
		t.Helper()
		if refused := reviewer.push(record.KindTraining, id, record.FieldReview, record.ReviewApproved); len(refused) != 0 {
			t.Fatalf("approving: refused %+v", refused)
		}
	}
	trainings := func() int {
		t.Helper()
		s, err := p.Stats()
		if err != nil {
			t.Fatal(err)
		}
		if s.ByCollege[college][record.KindTraining] != s.Total[record.KindTraining] {
			t.Errorf("college count %d differs from total %d", s.ByCollege[college][record.KindTraining], s.Total[record.KindTraining])
		}
		return s.Total[record.KindTraining]
	}

	first := submitTraining(t, clerk, person, "")
	if n := trainings(); n != 0 {
		t.Errorf("trainings counted with one pending = %d, want 0", n)
	}
	approve(first)
	if n := trainings(); n != 1 {
		t.Errorf("trainings counted with one approved = %d, want 1", n)
	}
	second := submitTraining(t, clerk, person, first.String())
	if n := trainings(); n != 0 {
		t.Errorf("trainings counted with the approved one superseded by a pending one = %d, want 0", n)
	}
	approve(second)
	var counted []ulid.ULID
	if err := p.EachCounted(record.KindTraining, func(st *changeset.State) error {
		counted = append(counted, st.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(counted) != 1 || counted[0] != second {
		t.Errorf("counted trainings = %v, want only the new version %s", counted, second)
	}
	if n := trainings(); n != 1 {
		t.Errorf("trainings counted with the new version approved = %d, want 1", n)
	}
}

// An approval of a certificate, which carries no person field itself, is
// found in the audit log by the certificate's person, and so is a refused
// one.
func TestReviewAuditNamesPerson(t *testing.T) {
	p := openTemp(t, nil)
	var clock int64
	clerk := newPusher(t, p, "clerk", &clock)
	reviewer := newPusher(t, p, "reviewer", &clock)
	person, id := ulid.Make().String(), ulid.Make()
	clerk.push(record.KindCertificate, id, record.FieldPerson, person, record.FieldTitle, "电工",
		record.FieldReview, record.ReviewPending)
	reviewer.push(record.KindCertificate, id, record.FieldReview, record.ReviewApproved)
	clerk.push(record.KindCertificate, id, record.FieldTitle, "高级电工")

	entries := auditEntriesOf(t, p, AuditFilter{Person: person})
	var approval, refusal bool
	for _, e := range entries {
		if e.Record != id.String() {
			continue
		}
		if e.Action == ActionWrite && e.Device == reviewer.d.ID && slices.Contains(e.Fields, record.FieldReview) {
			approval = true
		}
		if e.Action == ActionRefuse && e.Reason == string(protocol.CodeReview) {
			refusal = true
		}
	}
	if !approval || !refusal {
		t.Errorf("audit of person %s: approval listed %v, refused edit listed %v, want both in %+v", person, approval, refusal, entries)
	}
}
