package ui

import (
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

// testClock is a store clock the test moves by hand.
type testClock struct{ nanos atomic.Int64 }

func newTestClock(start time.Time) *testClock {
	c := &testClock{}
	c.nanos.Store(start.UnixNano())
	return c
}

func (c *testClock) now() time.Time          { return time.Unix(0, c.nanos.Load()) }
func (c *testClock) advance(d time.Duration) { c.nanos.Add(int64(d)) }

// openClockedStore opens an enrolled store with the role whose clock is c.
func openClockedStore(t *testing.T, role access.Role, c *testClock) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "client.db"), store.Options{Argon2: cheapArgon2, Now: c.now})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	enrolStore(t, st)
	ident, _ := st.Identity()
	ident.Role = string(role)
	if err := st.SetIdentity(ident); err != nil {
		t.Fatalf("SetIdentity(role %s): %v", role, err)
	}
	t.Cleanup(func() {
		if err := st.Check(); err != nil {
			t.Errorf("store integrity: %v", err)
		}
		st.Close()
	})
	return st
}

// saveHistory stores a history record, submitted unless draft.
func saveHistory(t *testing.T, st *store.Store, kind record.Kind, fields map[string]string, draft bool) string {
	t.Helper()
	if draft {
		fields[record.FieldReview] = record.ReviewDraft
	}
	id, err := st.SaveHistory(kind, "", fields)
	if err != nil {
		t.Fatalf("SaveHistory(%s): %v", kind, err)
	}
	return id
}

// reviewQueueOf returns the window's review queue, or nil without a review tab.
func reviewQueueOf(h *harness) *reviewQueue {
	for _, item := range h.w.main.tabs.Items {
		if screen, ok := item.Content.(*reviewScreen); ok {
			return screen.queue
		}
	}
	return nil
}

// queueTexts returns the text of every row the queue list shows, made by
// the list's own item callbacks.
func queueTexts(q *reviewQueue) []string {
	var out []string
	for i := 0; i < q.list.Length(); i++ {
		item := q.list.CreateItem()
		q.list.UpdateItem(i, item)
		_, _, label := queueItemParts(item)
		out = append(out, label.Text)
	}
	return out
}

// checkQueueRow ticks row i of the queue as a user would.
func checkQueueRow(q *reviewQueue, i int) {
	item := q.list.CreateItem()
	q.list.UpdateItem(i, item)
	check, _, _ := queueItemParts(item)
	test.Tap(check)
}

// reviewFixture is a reviewer's window over a queue of four submitted
// records and one draft, submitted an hour apart.
type reviewFixture struct {
	h            *harness
	q            *reviewQueue
	liID, wangID string
	class        record.Class
	award        string // 王芳's award, submitted first
	certificate  string // 李志明's certificate, submitted second
	training     string // 李志明's training in the class, submitted third
	counselling  string // 李志明's counselling, submitted last
}

func newReviewFixture(t *testing.T, role access.Role) *reviewFixture {
	t.Helper()
	clock := newTestClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
	st := openClockedStore(t, role, clock)
	f := &reviewFixture{}
	f.liID = savePerson(t, st, record.Person{Name: "李志明", IDNumber: "36012120020101099X"}).ID
	f.wangID = savePerson(t, st, record.Person{Name: "王芳"}).ID
	class, err := st.SaveClass(record.Class{Title: "2026 数控定制班", Programme: record.BasicProgramme,
		Start: "2026-03-01", End: "2026-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	f.class = class

	f.award = saveHistory(t, st, record.KindAward, map[string]string{record.FieldPerson: f.wangID,
		record.FieldTitle: "全省职业院校技能大赛一等奖", record.FieldLevel: "provincial", record.FieldDate: "2025-11-20"}, false)
	clock.advance(time.Hour)
	f.certificate = saveHistory(t, st, record.KindCertificate, map[string]string{record.FieldPerson: f.liID,
		record.FieldTitle: "电工", record.FieldSkillLevel: "4", record.FieldDate: "2025-12-01"}, false)
	clock.advance(time.Hour)
	f.training = saveHistory(t, st, record.KindTraining, map[string]string{record.FieldPerson: f.liID,
		record.FieldProgramme: record.BasicProgramme, record.FieldClass: class.ID, record.FieldHours: "104",
		record.FieldScore: "85", record.FieldCompleted: "1", record.FieldDate: "2026-06-30"}, false)
	clock.advance(time.Hour)
	f.counselling = saveHistory(t, st, record.KindCounselling, map[string]string{record.FieldPerson: f.liID,
		record.FieldTopic: "面试准备", record.FieldCounsellor: "王老师", record.FieldDate: "2026-03-01"}, false)
	saveHistory(t, st, record.KindAward, map[string]string{record.FieldPerson: f.liID,
		record.FieldTitle: "校级优秀学生", record.FieldLevel: "college", record.FieldDate: "2025-06-01"}, true)

	f.h = newHarness(t, st, Options{})
	f.h.queue.flush()
	f.q = reviewQueueOf(f.h)
	return f
}

func TestReviewQueueListsOldestFirst(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	if f.q == nil {
		t.Fatal("a reviewer's window has no review tab")
	}
	want := []string{
		"获奖 · 王芳 · 全省职业院校技能大赛一等奖 · 省级 · 2025年11月20日 · 提交于 2026年3月2日 09:00",
		"职业技能等级证书 · 李志明 · 电工 · 中级 · 2025年12月1日 · 提交于 2026年3月2日 10:00",
		"培训 · 李志明 · 基础模块 · 104 学时 · 成绩 85 · 已结业 · 班级 2026 数控定制班 · 提交于 2026年3月2日 11:00",
		"就业问题辅导 · 李志明 · 面试准备 · 辅导人 王老师 · 2026年3月1日 · 提交于 2026年3月2日 12:00",
	}
	got := queueTexts(f.q)
	if len(got) != len(want) {
		t.Fatalf("queue rows = %q, want %d rows", got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("queue row %d = %q, want %q", i, got[i], want[i])
		}
	}
	if got := f.q.count.Text; got != "列出 4 条，共 4 条待审核" {
		t.Errorf("count = %q, want 列出 4 条，共 4 条待审核", got)
	}
}

func TestReviewQueueFiltersByKindAndClass(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)

	f.q.kind.SetSelected("获奖")
	if got := queueTexts(f.q); len(got) != 1 || !strings.HasPrefix(got[0], "获奖 · 王芳 · ") {
		t.Errorf("rows filtered to 获奖 = %q, want 王芳's award only", got)
	}

	f.q.kind.SetSelectedIndex(0)
	f.q.class.SetSelected("2026 数控定制班")
	if got := queueTexts(f.q); len(got) != 1 || !strings.HasPrefix(got[0], "培训 · 李志明 · 基础模块") {
		t.Errorf("rows filtered to the class = %q, want 李志明's training only", got)
	}
	if got := f.q.count.Text; got != "列出 1 条，共 4 条待审核" {
		t.Errorf("count with the class filter = %q, want 列出 1 条，共 4 条待审核", got)
	}
}

func TestReviewQueueApproveShowsOnPersonPage(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	checkQueueRow(f.q, 1) // 李志明's certificate
	test.Tap(f.q.approve)
	f.h.eventually("queue reloads after approving", func() bool { return f.q.list.Length() == 3 })

	for _, text := range queueTexts(f.q) {
		if strings.Contains(text, "电工") {
			t.Errorf("the approved certificate is still listed: %q", text)
		}
	}
	h, err := f.h.store.HistoryOf(f.liID)
	if err != nil || len(h.Certificates) != 1 {
		t.Fatalf("HistoryOf = %+v, %v", h.Certificates, err)
	}
	if got := h.Certificates[0].Review.State; got != record.ReviewApproved {
		t.Errorf("stored state = %q, want approved", got)
	}

	f.h.w.main.persons.selectID(f.liID)
	section := sectionOf[*certificateSection](t, f.h)
	if got := section.tags(); len(got) != 1 || got[0] != "已通过" {
		t.Errorf("certificate tags on the person page = %q, want [已通过]", got)
	}
}

func TestReviewQueueReturnNeedsReason(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	checkQueueRow(f.q, 0) // 王芳's award
	test.Tap(f.q.reject)
	d := f.q.returning
	if d == nil {
		t.Fatal("退回 opened no dialog")
	}
	test.Tap(d.confirm)
	f.h.queue.flush()
	if got := d.message.Text; !d.message.Visible() || got != "请填写退回原因，录入员会根据它修改记录。" {
		t.Errorf("message without a reason = %q (shown %v)", got, d.message.Visible())
	}
	h, _ := f.h.store.HistoryOf(f.wangID)
	if got := h.Awards[0].Review.State; got != record.ReviewPending {
		t.Fatalf("state after 退回 without a reason = %q, want pending", got)
	}

	test.Type(d.reason, "获奖日期与证书不符")
	test.Tap(d.confirm)
	f.h.eventually("queue reloads after returning", func() bool { return f.q.list.Length() == 3 })
	h, _ = f.h.store.HistoryOf(f.wangID)
	if got := h.Awards[0].Review; got.State != record.ReviewReturned || got.Reason != "获奖日期与证书不符" {
		t.Errorf("review after returning = %+v, want returned with the reason", got)
	}

	f.h.w.main.persons.selectID(f.wangID)
	section := sectionOf[*awardSection](t, f.h)
	if got := section.tags(); len(got) != 1 || got[0] != "已退回：获奖日期与证书不符" {
		t.Errorf("award tags on the person page = %q, want [已退回：获奖日期与证书不符]", got)
	}
}

func TestReviewQueueBulkApproveAsksOnce(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	saveHistory(t, f.h.store, record.KindCertificate, map[string]string{record.FieldPerson: f.wangID,
		record.FieldTitle: "育婴员", record.FieldSkillLevel: "5", record.FieldDate: "2025-12-08"}, false)
	f.h.eventually("queue lists the new certificate", func() bool { return len(f.q.items) == 5 })
	f.q.kind.SetSelected("职业技能等级证书")
	if got := f.q.list.Length(); got != 2 {
		t.Fatalf("rows filtered to certificates = %d, want 2", got)
	}

	test.Tap(f.q.all)
	if f.q.confirm == nil {
		t.Fatal("全部通过 opened no confirmation")
	}
	overlays := f.h.win.Canvas().Overlays().List()
	if len(overlays) != 1 {
		t.Fatalf("%d dialogs open, want one confirmation", len(overlays))
	}
	if got := strings.Join(labelsIn(overlays[0]), "\n"); !strings.Contains(got, "将当前列出的 2 条记录全部审核通过") {
		t.Errorf("confirmation text = %q, want it to name 2 records", got)
	}
	tapDialogButton(t, f.h, widget.HighImportance)
	f.h.eventually("queue reloads after bulk approve", func() bool { return len(f.q.items) == 3 })

	if got := f.q.list.Length(); got != 0 {
		t.Errorf("certificate rows after bulk approve = %d, want 0", got)
	}
	f.q.kind.SetSelectedIndex(0)
	for _, text := range queueTexts(f.q) {
		if strings.HasPrefix(text, "职业技能等级证书") {
			t.Errorf("a certificate is still waiting: %q", text)
		}
	}
	for _, person := range []string{f.liID, f.wangID} {
		h, _ := f.h.store.HistoryOf(person)
		if got := len(h.Approved().Certificates); got != 1 {
			t.Errorf("approved certificates of %s = %d, want 1", person, got)
		}
		if got := len(h.Approved().Awards) + len(h.Approved().Trainings) + len(h.Approved().Counsellings); got != 0 {
			t.Errorf("other approved records of %s = %d, want 0 (not shown, so not approved)", person, got)
		}
	}
}

func TestReviewQueueDetailShowsFields(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	item := f.q.list.CreateItem()
	f.q.list.UpdateItem(2, item) // 李志明's training
	_, open, _ := queueItemParts(item)
	test.Tap(open)
	if f.q.fields == nil {
		t.Fatal("查看 opened no dialog")
	}
	got := strings.Join(labelTexts(f.q.fields), "|")
	for _, want := range []string{"所属人才|李志明", "班级|2026 数控定制班", "培训项目|基础模块", "日期|2026年6月30日"} {
		if !strings.Contains(got, want) {
			t.Errorf("detail %q lacks %q", got, want)
		}
	}
}

func TestClerkHasNoReviewTab(t *testing.T) {
	for _, tc := range []struct {
		role access.Role
		tab  bool
	}{{access.Clerk, false}, {access.Reviewer, true}, {access.Central, true}, {access.Fair, false}} {
		st := openStoreAs(t, string(tc.role))
		h := newHarness(t, st, Options{})
		if got := reviewQueueOf(h) != nil; got != tc.tab {
			t.Errorf("role %s has a review tab: %v, want %v", tc.role, got, tc.tab)
		}
	}
}

// labelsIn returns the text of every label inside a canvas object, walking
// widget renderers, as a dialog overlay holds them.
func labelsIn(o fyne.CanvasObject) []string {
	switch v := o.(type) {
	case *widget.Label:
		return []string{v.Text}
	case *fyne.Container:
		var out []string
		for _, child := range v.Objects {
			out = append(out, labelsIn(child)...)
		}
		return out
	case fyne.Widget:
		var out []string
		for _, child := range test.WidgetRenderer(v).Objects() {
			out = append(out, labelsIn(child)...)
		}
		return out
	}
	return nil
}

// sectionOf returns the person page's section of type T.
func sectionOf[T pageSection](t *testing.T, h *harness) T {
	t.Helper()
	for _, s := range h.w.main.page.sections {
		if found, ok := s.(T); ok {
			return found
		}
	}
	var zero T
	t.Fatalf("the person page has no section of type %T", zero)
	return zero
}
