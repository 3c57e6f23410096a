package store

import (
	"crypto/ed25519"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/record"
)

// openAsRole opens a store enrolled for testCollege with role, signed in
// as account, on a clock the test moves by hand.
func openAsRole(t *testing.T, role, account string, clock *fakeClock) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "client.db"), Options{Argon2: cheapArgon2, Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Errorf("store integrity: %v", err)
		}
		s.Close()
	})
	if err := s.AddAccount(account, adminPassword, true); err != nil {
		t.Fatalf("AddAccount(%s): %v", account, err)
	}
	_, key, _ := ed25519.GenerateKey(nil)
	if err := s.SetIdentity(Identity{Device: s.Device(), College: testCollege, Role: role, PrivateKey: key}); err != nil {
		t.Fatal(err)
	}
	return s
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, time.May, 4, 10, 30, 0, 0, time.UTC)}
}

// saveAward saves an award of person through SaveHistory and returns its id.
func saveAward(t *testing.T, s *Store, id, person, title string, extra map[string]string) string {
	t.Helper()
	fields := map[string]string{record.FieldPerson: person, record.FieldTitle: title,
		record.FieldLevel: "provincial", record.FieldIssuer: "江西省教育厅", record.FieldDate: "2026-04-20"}
	for k, v := range extra {
		fields[k] = v
	}
	newID, err := s.SaveHistory(record.KindAward, id, fields)
	if err != nil {
		t.Fatalf("SaveHistory(award %q): %v", title, err)
	}
	return newID
}

func awardValues(t *testing.T, s *Store, id string) map[string]string {
	t.Helper()
	st, err := s.State(record.KindAward, id)
	if err != nil {
		t.Fatal(err)
	}
	return st.Values()
}

// A saved history record is submitted for review with the time it was
// submitted, whatever review values the caller passes along.
func TestSaveHistorySubmitsNewRecord(t *testing.T) {
	clock := newClock()
	s := openAsRole(t, "clerk", "clerk1", clock)
	person := ulid.Make().String()
	id := saveAward(t, s, "", person, "技能大赛二等奖", map[string]string{
		record.FieldReview: record.ReviewApproved, record.FieldReviewBy: "clerk1"})

	v := awardValues(t, s, id)
	if v[record.FieldReview] != record.ReviewPending {
		t.Errorf("review = %q, want pending", v[record.FieldReview])
	}
	if v[record.FieldSubmittedAt] != "2026-05-04T10:30:00Z" {
		t.Errorf("submitted_at = %q, want 2026-05-04T10:30:00Z", v[record.FieldSubmittedAt])
	}
	if v[record.FieldReviewBy] != "" {
		t.Errorf("review_by = %q, want empty: the caller's value is ignored", v[record.FieldReviewBy])
	}
	if v[record.FieldTitle] != "技能大赛二等奖" || v[record.FieldPerson] != person {
		t.Errorf("values = %v, want the award's title and person", v)
	}
}

// A record saved as a draft stays one, with no submission time.
func TestSaveHistoryKeepsDraft(t *testing.T) {
	s := openAsRole(t, "clerk", "clerk1", newClock())
	id := saveAward(t, s, "", ulid.Make().String(), "优秀学生干部", map[string]string{record.FieldReview: record.ReviewDraft})
	v := awardValues(t, s, id)
	if v[record.FieldReview] != record.ReviewDraft {
		t.Errorf("review = %q, want draft", v[record.FieldReview])
	}
	if v[record.FieldSubmittedAt] != "" {
		t.Errorf("submitted_at = %q, want empty for a draft", v[record.FieldSubmittedAt])
	}
	queue, err := s.ReviewQueue()
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 0 {
		t.Errorf("review queue = %+v, want empty with only a draft", queue)
	}
}

// Saving an approved record again makes a new version that supersedes it:
// the person's history shows the new version only, pending, and nothing
// approved is left to count.
func TestSaveHistoryNewVersionSupersedes(t *testing.T) {
	clock := newClock()
	s := openAsRole(t, "reviewer", "reviewer1", clock)
	person := ulid.Make().String()
	old := saveAward(t, s, "", person, "技能大赛二等奖", nil)
	if err := s.SetReview([]ReviewRef{{record.KindAward, old}}, record.ReviewApproved, ""); err != nil {
		t.Fatal(err)
	}
	clock.t = clock.t.Add(time.Hour)
	next := saveAward(t, s, old, person, "技能大赛一等奖", nil)

	if next == old {
		t.Fatalf("new version has the old id %s", old)
	}
	v := awardValues(t, s, next)
	if v[record.FieldSupersedes] != old {
		t.Errorf("new version supersedes %q, want %s", v[record.FieldSupersedes], old)
	}
	if v[record.FieldReview] != record.ReviewPending {
		t.Errorf("new version review = %q, want pending although the old one was approved", v[record.FieldReview])
	}
	if got := awardValues(t, s, old)[record.FieldReview]; got != record.ReviewApproved {
		t.Errorf("old version review = %q, want approved, unchanged", got)
	}

	h, err := s.HistoryOf(person)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Awards) != 1 || h.Awards[0].ID != next || h.Awards[0].Title != "技能大赛一等奖" {
		t.Errorf("history awards = %+v, want only the new version %s", h.Awards, next)
	}
	if approved := h.Approved(); len(approved.Awards) != 0 {
		t.Errorf("approved awards = %+v, want none while the new version waits", approved.Awards)
	}
}

// An approval records the signed-in account and the day; a return needs a
// reason and keeps it.
func TestSetReviewRecordsDecision(t *testing.T) {
	clock := newClock()
	s := openAsRole(t, "reviewer", "reviewer1", clock)
	person := ulid.Make().String()
	a := saveAward(t, s, "", person, "技能大赛二等奖", nil)
	b := saveAward(t, s, "", person, "三好学生", nil)

	clock.t = time.Date(2026, time.May, 6, 9, 0, 0, 0, time.UTC)
	if err := s.SetReview([]ReviewRef{{record.KindAward, a}}, record.ReviewApproved, ""); err != nil {
		t.Fatalf("approving: %v", err)
	}
	v := awardValues(t, s, a)
	if v[record.FieldReview] != record.ReviewApproved {
		t.Errorf("review = %q, want approved", v[record.FieldReview])
	}
	if v[record.FieldReviewBy] != "reviewer1" {
		t.Errorf("review_by = %q, want reviewer1", v[record.FieldReviewBy])
	}
	if v[record.FieldReviewAt] != "2026-05-06" {
		t.Errorf("review_at = %q, want 2026-05-06", v[record.FieldReviewAt])
	}

	err := s.SetReview([]ReviewRef{{record.KindAward, b}}, record.ReviewReturned, "")
	if !errors.Is(err, ErrReviewMove) {
		t.Errorf("returning without a reason: %v, want ErrReviewMove", err)
	}
	if got := awardValues(t, s, b)[record.FieldReview]; got != record.ReviewPending {
		t.Errorf("review after a refused return = %q, want pending", got)
	}
	if err := s.SetReview([]ReviewRef{{record.KindAward, b}}, record.ReviewReturned, "证书日期与名称不符"); err != nil {
		t.Fatalf("returning with a reason: %v", err)
	}
	v = awardValues(t, s, b)
	if v[record.FieldReview] != record.ReviewReturned || v[record.FieldReviewReason] != "证书日期与名称不符" {
		t.Errorf("returned award = %v, want returned with its reason", v)
	}
}

// A clerk's store refuses an approval before anything is written, and a
// batch with one record that may not move changes none of them.
func TestSetReviewClerkMayNotApprove(t *testing.T) {
	s := openAsRole(t, "clerk", "clerk1", newClock())
	person := ulid.Make().String()
	a := saveAward(t, s, "", person, "技能大赛二等奖", nil)
	before := s.Pending()

	err := s.SetReview([]ReviewRef{{record.KindAward, a}}, record.ReviewApproved, "")
	if !errors.Is(err, ErrReviewMove) {
		t.Errorf("clerk approving: %v, want ErrReviewMove", err)
	}
	if got := awardValues(t, s, a)[record.FieldReview]; got != record.ReviewPending {
		t.Errorf("review after a refused approval = %q, want pending", got)
	}
	if got := s.Pending(); got != before {
		t.Errorf("outbox after a refused approval = %d changes, want %d", got, before)
	}
}

// A batch with one record whose state forbids the move changes none of
// them.
func TestSetReviewBatchAllOrNothing(t *testing.T) {
	s := openAsRole(t, "reviewer", "reviewer1", newClock())
	person := ulid.Make().String()
	pending := saveAward(t, s, "", person, "技能大赛二等奖", nil)
	draft := saveAward(t, s, "", person, "优秀学生干部", map[string]string{record.FieldReview: record.ReviewDraft})

	err := s.SetReview([]ReviewRef{{record.KindAward, pending}, {record.KindAward, draft}}, record.ReviewApproved, "")
	if !errors.Is(err, ErrReviewMove) {
		t.Errorf("approving a pending and a draft record: %v, want ErrReviewMove", err)
	}
	if got := awardValues(t, s, pending)[record.FieldReview]; got != record.ReviewPending {
		t.Errorf("pending record after the refused batch = %q, want pending", got)
	}
	if got := awardValues(t, s, draft)[record.FieldReview]; got != record.ReviewDraft {
		t.Errorf("draft record after the refused batch = %q, want draft", got)
	}
}

// The review queue lists pending records of every kind, the oldest
// submission first, and leaves out drafts, decided records and versions
// that a newer one supersedes.
func TestReviewQueueOldestFirst(t *testing.T) {
	clock := newClock()
	s := openAsRole(t, "reviewer", "reviewer1", clock)
	person := ulid.Make().String()
	at := func(minutes int) { clock.t = time.Date(2026, time.May, 4, 8, minutes, 0, 0, time.UTC) }

	at(30)
	second := saveAward(t, s, "", person, "三好学生", nil)
	at(10)
	first, err := s.SaveHistory(record.KindCounselling, "", map[string]string{record.FieldPerson: person,
		record.FieldTopic: "简历修改", record.FieldCounsellor: "刘老师", record.FieldDate: "2026-05-04"})
	if err != nil {
		t.Fatal(err)
	}
	at(20)
	superseded := saveAward(t, s, "", person, "技能大赛二等奖", nil)
	at(50)
	third := saveAward(t, s, superseded, person, "技能大赛一等奖", nil)
	at(5)
	approved := saveAward(t, s, "", person, "优秀毕业生", nil)
	if err := s.SetReview([]ReviewRef{{record.KindAward, approved}}, record.ReviewApproved, ""); err != nil {
		t.Fatal(err)
	}
	saveAward(t, s, "", person, "优秀学生干部", map[string]string{record.FieldReview: record.ReviewDraft})

	queue, err := s.ReviewQueue()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{first, second, third}
	if len(queue) != len(want) {
		t.Fatalf("review queue has %d items %+v, want %d", len(queue), queue, len(want))
	}
	for i, id := range want {
		if queue[i].ID != id {
			t.Errorf("queue[%d] = %s %s submitted %s, want %s", i, queue[i].Kind, queue[i].ID, queue[i].SubmittedAt, id)
		}
	}
	if queue[0].Kind != record.KindCounselling || queue[0].Person != person || queue[0].College != testCollege {
		t.Errorf("queue[0] = %+v, want the counselling session of %s in %s", queue[0], person, testCollege)
	}
}

// A graduate still seeking work is listed for re-training from exactly 12
// months after 1 July of the graduation year.
func TestRetrainingAfterTwelveMonths(t *testing.T) {
	s := openTemp(t)
	seeking := samplePerson()
	seeking.IDNumber, seeking.GradYear = "", 2025
	employed := seeking
	employed.Name, employed.Status = "王芳", record.StatusEmployed
	noYear := seeking
	noYear.Name, noYear.GradYear = "赵磊", 0
	saved, err := s.SavePersons([]record.Person{seeking, employed, noYear})
	if err != nil {
		t.Fatal(err)
	}

	boundary := time.Date(2026, time.July, 1, 0, 0, 0, 0, time.Local)
	if got := s.Retraining(boundary.Add(-time.Second)); len(got) != 0 {
		t.Errorf("retraining a second before 12 months = %+v, want none", got)
	}
	got := s.Retraining(boundary)
	if len(got) != 1 || got[0].ID != saved[0].ID {
		t.Errorf("retraining at exactly 12 months = %+v, want only %s", got, saved[0].ID)
	}
	if got := s.Retraining(boundary.AddDate(1, 0, 0)); len(got) != 1 {
		t.Errorf("retraining two years after = %d persons, want 1", len(got))
	}
}

// A class's members are the latest training versions that name it.
func TestClassMembersLatestVersions(t *testing.T) {
	s := openAsRole(t, "clerk", "clerk1", newClock())
	class, err := s.SaveClass(record.Class{Title: "2026级比亚迪定制班", Programme: record.BasicProgramme,
		Start: "2026-03-01", End: "2026-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.SaveClass(record.Class{Title: "2026级数控定制班", Programme: record.BasicProgramme})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Class(class.ID); err != nil || got.Title != "2026级比亚迪定制班" {
		t.Errorf("Class(%s) = %+v, %v, want 2026级比亚迪定制班", class.ID, got, err)
	}
	train := func(id, person, classID string, hours int) record.Training {
		t.Helper()
		tr, err := s.SaveTraining(record.Training{ID: id, Person: person, Programme: record.BasicProgramme,
			Class: classID, Hours: hours})
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	a, b, c := ulid.Make().String(), ulid.Make().String(), ulid.Make().String()
	first := train("", a, class.ID, 40)
	corrected := train(first.ID, a, class.ID, 48)
	member := train("", b, class.ID, 96)
	train("", c, other.ID, 96)

	members, err := s.ClassMembers(class.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, m := range members {
		got[m.ID] = m.Hours
	}
	want := map[string]int{corrected.ID: 48, member.ID: 96}
	if len(got) != len(want) || got[corrected.ID] != 48 || got[member.ID] != 96 {
		t.Errorf("class members = %v, want %v", got, want)
	}
}

// The built-in basic programme comes first, then stored programmes by
// title; the basic one cannot be overwritten.
func TestProgrammesBasicFirst(t *testing.T) {
	s := openAsRole(t, "clerk", "clerk1", newClock())
	for _, title := range []string{"数控车工岗位打版", "电工岗位打版"} {
		if _, err := s.SaveProgramme(record.Programme{Title: title, Employer: "比亚迪",
			Modules: []record.Module{{Key: "安全", Name: "安全", Hours: 8, PassMark: 60}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SaveProgramme(record.Programme{ID: record.BasicProgramme, Title: "改名"}); err == nil {
		t.Error("SaveProgramme of the basic programme succeeded, want an error")
	}

	list, err := s.Programmes()
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, p := range list {
		titles = append(titles, p.Title)
	}
	want := []string{"training.basic", "数控车工岗位打版", "电工岗位打版"}
	if len(titles) != len(want) {
		t.Fatalf("programmes = %q, want %q", titles, want)
	}
	for i := range want {
		if titles[i] != want[i] {
			t.Errorf("programme %d = %q, want %q", i, titles[i], want[i])
		}
	}
	if list[0].ID != record.BasicProgramme || len(list[0].Modules) != 5 {
		t.Errorf("first programme = %s with %d modules, want basic with 5", list[0].ID, len(list[0].Modules))
	}
	if got, err := s.Programme(list[1].ID); err != nil || got.Title != "数控车工岗位打版" || len(got.Modules) != 1 {
		t.Errorf("Programme(%s) = %+v, %v, want 数控车工岗位打版 with one module", list[1].ID, got, err)
	}
}

// A draft correction of an approved record is submitted all the same, so
// the approved version does not leave reports without a review.
func TestSaveHistoryDraftOfApprovedSubmits(t *testing.T) {
	s := openAsRole(t, "reviewer", "reviewer1", newClock())
	person := ulid.Make().String()
	id := saveAward(t, s, "", person, "技能大赛二等奖", nil)
	if err := s.SetReview([]ReviewRef{{Kind: record.KindAward, ID: id}}, record.ReviewApproved, ""); err != nil {
		t.Fatal(err)
	}
	corrected := saveAward(t, s, id, person, "技能大赛一等奖", map[string]string{record.FieldReview: record.ReviewDraft})
	if got := awardValues(t, s, corrected)[record.FieldReview]; got != record.ReviewPending {
		t.Errorf("draft correction of an approved award is %q, want pending", got)
	}

	draft := saveAward(t, s, "", person, "校级优秀学生", map[string]string{record.FieldReview: record.ReviewDraft})
	again := saveAward(t, s, draft, person, "校级优秀学生干部", map[string]string{record.FieldReview: record.ReviewDraft})
	if got := awardValues(t, s, again)[record.FieldReview]; got != record.ReviewDraft {
		t.Errorf("draft correction of a draft is %q, want draft", got)
	}
}
