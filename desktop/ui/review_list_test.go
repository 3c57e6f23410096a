package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/assessment"
	"mobilefactory/shared/record"
)

func TestReviewQueueAssessmentNamesKindOnce(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	profile, err := assessment.Score(kioskAnswers())
	if err != nil {
		t.Fatal(err)
	}
	saveHistory(t, f.h.store, record.KindAssessment, map[string]string{record.FieldPerson: f.liID,
		record.FieldProfile: profile.Encode(), record.FieldDate: "2026-03-01"}, false)
	f.h.eventually("queue lists the assessment", func() bool { return len(f.q.items) == 5 })

	f.q.kind.SetSelected("职业方向测评")
	got := queueTexts(f.q)
	want := "职业方向测评 · 李志明 · 兴趣代码 " + profile.Code() + " · 2026年3月1日 · 提交于 2026年3月2日 12:00"
	if len(got) != 1 || got[0] != want {
		t.Errorf("assessment rows = %q, want [%q]", got, want)
	}
	if n := strings.Count(got[0], "职业方向测评"); n != 1 {
		t.Errorf("row names the kind %d times, want once", n)
	}
}

func TestReviewKindSelectFitsLongestKind(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	f.q.kind.SetSelected("职业技能等级证书")
	box := f.q.kind
	text := fyne.MeasureText("职业技能等级证书", theme.TextSize(), fyne.TextStyle{}).Width
	if got := box.Size().Width; got < text+theme.IconInlineSize()+2*theme.InnerPadding() {
		t.Errorf("type select width = %v, want room for 职业技能等级证书 (%v) and the drop-down icon", got, text)
	}
}

func TestReviewQueueRowsWrap(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	saveHistory(t, f.h.store, record.KindCertificate, map[string]string{record.FieldPerson: f.wangID,
		record.FieldTitle: "物流服务师", record.FieldSkillLevel: "4", record.FieldIssuer: "江西省职业技能鉴定指导中心",
		record.FieldCertNo: "S000036202207978410000000000000", record.FieldDate: "2025-12-08"}, false)
	f.h.eventually("queue lists the new certificate", func() bool { return len(f.q.items) == 5 })
	f.h.w.main.tabs.Select(f.q.tab)
	f.h.win.Resize(fyne.NewSize(480, 720))
	f.h.queue.flush()

	if len(f.q.heights) != 5 {
		t.Fatalf("row heights set = %d, want 5 (one per row)", len(f.q.heights))
	}
	short, long := f.q.heights[0], f.q.heights[4] // 王芳's award, the new certificate
	if long <= short {
		t.Errorf("height of the long certificate row = %v, want more than the one-line award row (%v)", long, short)
	}

	item := f.q.list.CreateItem()
	f.q.list.UpdateItem(4, item)
	_, _, label := queueItemParts(item)
	if label.Wrapping != fyne.TextWrapWord || label.Truncation != fyne.TextTruncateOff {
		t.Errorf("row label wrapping %v, truncation %v; want word wrap and no truncation", label.Wrapping, label.Truncation)
	}
	if !strings.HasSuffix(label.Text, "提交于 2026年3月2日 12:00") {
		t.Errorf("row text = %q, want it to end with the submission time", label.Text)
	}
}

// openQueueDetail taps 查看 on row i of the queue.
func openQueueDetail(t *testing.T, q *reviewQueue, i int) {
	t.Helper()
	item := q.list.CreateItem()
	q.list.UpdateItem(i, item)
	_, open, _ := queueItemParts(item)
	test.Tap(open)
	if q.detail == nil {
		t.Fatal("查看 opened no dialog")
	}
}

func TestReviewDetailApproves(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	openQueueDetail(t, f.q, 0) // 王芳's award
	if f.q.detailApprove == nil || f.q.detailReturn == nil {
		t.Fatal("the detail dialog has no 通过 or 退回 button")
	}
	if got := f.q.detailApprove.Text + "/" + f.q.detailReturn.Text; got != "通过/退回" {
		t.Errorf("detail buttons = %q, want 通过/退回", got)
	}

	test.Tap(f.q.detailApprove)
	f.h.eventually("queue reloads after approving", func() bool { return len(f.q.items) == 3 })
	h, _ := f.h.store.HistoryOf(f.wangID)
	if got := h.Awards[0].Review.State; got != record.ReviewApproved {
		t.Errorf("award state after 通过 in the detail = %q, want approved", got)
	}
	if n := len(f.h.win.Canvas().Overlays().List()); n != 0 {
		t.Errorf("%d dialogs stay open after 通过 in the detail, want none", n)
	}
}

func TestReviewDetailReturns(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	openQueueDetail(t, f.q, 1) // 李志明's certificate
	test.Tap(f.q.detailReturn)
	d := f.q.returning
	if d == nil {
		t.Fatal("退回 in the detail opened no return dialog")
	}
	test.Type(d.reason, "证书编号缺失")
	test.Tap(d.confirm)
	f.h.eventually("queue reloads after returning", func() bool { return len(f.q.items) == 3 })
	h, _ := f.h.store.HistoryOf(f.liID)
	if got := h.Certificates[0].Review; got.State != record.ReviewReturned || got.Reason != "证书编号缺失" {
		t.Errorf("certificate review after 退回 in the detail = %+v, want returned with 证书编号缺失", got)
	}
}

func TestBulkApproveMessageBreaksAnywhere(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	test.Tap(f.q.all)
	overlay := f.h.win.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("全部通过 opened no confirmation")
	}
	var message *widget.Label
	for _, l := range labelWidgetsIn(overlay) {
		if strings.HasPrefix(l.Text, "将当前列出的 4 条记录") {
			message = l
		}
	}
	if message == nil {
		t.Fatalf("confirmation labels = %q, want one naming 4 records", labelsIn(overlay))
	}
	if message.Wrapping != fyne.TextWrapBreak {
		t.Errorf("message wrapping = %v, want TextWrapBreak so the count stays with 条记录", message.Wrapping)
	}
	if got := f.q.confirm.MinSize().Width; got > dialogWidth {
		t.Errorf("confirmation min width = %v, want at most %d", got, dialogWidth)
	}
}

// labelWidgetsIn returns every label inside a canvas object.
func labelWidgetsIn(o fyne.CanvasObject) []*widget.Label {
	switch v := o.(type) {
	case *widget.Label:
		return []*widget.Label{v}
	case *fyne.Container:
		var out []*widget.Label
		for _, child := range v.Objects {
			out = append(out, labelWidgetsIn(child)...)
		}
		return out
	case fyne.Widget:
		var out []*widget.Label
		for _, child := range test.WidgetRenderer(v).Objects() {
			out = append(out, labelWidgetsIn(child)...)
		}
		return out
	}
	return nil
}

func TestReturnedEditShowsReason(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	if err := f.h.store.SetReview([]store.ReviewRef{{Kind: record.KindAward, ID: f.award}},
		record.ReviewReturned, "获奖日期与证书不符"); err != nil {
		t.Fatal(err)
	}
	f.h.w.main.persons.selectID(f.wangID)
	section := sectionOf[*awardSection](t, f.h)
	hist, _ := f.h.store.HistoryOf(f.wangID)
	section.showDialog(hist.Awards[0])
	d := section.last
	if !d.notice.Visible() {
		t.Fatal("the edit dialog of a returned award shows no return reason")
	}
	if want := "审核退回原因：获奖日期与证书不符。请按原因修改后重新提交。"; d.notice.Text != want {
		t.Errorf("notice = %q, want %q", d.notice.Text, want)
	}

	section.showDialog(record.Award{})
	if section.last.notice.Visible() {
		t.Errorf("the dialog of a new award shows a notice %q", section.last.notice.Text)
	}
}
