package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

func TestReturnReasonMessageClearsOnEdit(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	checkQueueRow(f.q, 0)
	test.Tap(f.q.reject)
	d := f.q.returning
	if d == nil {
		t.Fatal("退回 opened no dialog")
	}
	test.Tap(d.confirm)
	if !d.message.Visible() {
		t.Fatal("退回 without a reason shows no message")
	}

	test.Type(d.reason, "日")
	if d.message.Visible() {
		t.Errorf("message %q still shows after a reason was typed", d.message.Text)
	}

	d.reason.SetText("")
	test.Tap(d.confirm)
	if !d.message.Visible() {
		t.Error("退回 after clearing the reason shows no message")
	}
}

func TestReviewApproveShowsCount(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	if f.q.notice.Visible() {
		t.Errorf("notice %q shows before any approval", f.q.notice.Text)
	}
	checkQueueRow(f.q, 0)
	checkQueueRow(f.q, 1)
	test.Tap(f.q.approve)
	f.h.eventually("queue reloads after approving", func() bool { return len(f.q.items) == 2 })

	if got := f.q.notice.Text; got != "已通过 2 条记录" {
		t.Errorf("notice = %q, want 已通过 2 条记录", got)
	}
	if !f.q.notice.Visible() {
		t.Error("notice is hidden after approving")
	}
	if f.q.empty.Visible() {
		t.Error("empty-queue text shows while 2 records wait")
	}
}

func TestReviewApproveAllShowsEmptyText(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	test.Tap(f.q.all)
	tapDialogButton(t, f.h, widget.HighImportance)
	f.h.eventually("queue empties after 全部通过", func() bool { return len(f.q.items) == 0 })

	if got := f.q.notice.Text; got != "已通过 4 条记录" {
		t.Errorf("notice = %q, want 已通过 4 条记录", got)
	}
	if got := f.q.empty.Text; got != "没有待审核的记录" {
		t.Errorf("empty text = %q, want 没有待审核的记录", got)
	}
	if !f.q.empty.Visible() {
		t.Error("empty text is hidden under an empty queue")
	}
}

func TestReviewFilterShowsEmptyText(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	f.q.kind.SetSelected("职业方向测评")
	if got := f.q.empty.Text; got != "没有符合筛选条件的待审核记录" {
		t.Errorf("empty text = %q, want 没有符合筛选条件的待审核记录", got)
	}
	if !f.q.empty.Visible() {
		t.Error("empty text is hidden while the filter shows nothing")
	}

	f.q.kind.SetSelectedIndex(0)
	if f.q.empty.Visible() {
		t.Error("empty text still shows with all 4 records listed")
	}
}

func TestReviewDetailReturnShowsCount(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	f.q.showDetail(f.q.shown[0])
	test.Tap(f.q.detailReturn)
	test.Type(f.q.returning.reason, "日期有误")
	test.Tap(f.q.returning.confirm)
	f.h.eventually("queue reloads after returning", func() bool { return len(f.q.items) == 3 })

	if got := f.q.notice.Text; got != "已退回 1 条记录" {
		t.Errorf("notice = %q, want 已退回 1 条记录", got)
	}
}

func TestReviewClassFilterFitsTitle(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	const title = "2021级荣昌区数控技术应用定制班"
	if _, err := f.h.store.SaveClass(record.Class{Title: title, Programme: record.BasicProgramme,
		Start: "2021-09-01", End: "2022-01-20"}); err != nil {
		t.Fatal(err)
	}
	f.h.eventually("class filter lists the new class", func() bool { return len(f.q.class.Options) == 3 })

	text := fyne.MeasureText(title, theme.TextSize(), fyne.TextStyle{})
	want := text.Width + theme.IconInlineSize() + 4*theme.InnerPadding()
	if got := f.q.classBox.MinSize().Width; got < want {
		t.Errorf("class filter width = %v, want at least %v to show %s whole", got, want, title)
	}
	if got := f.q.classBox.MinSize().Width; got > maxSelectWidth {
		t.Errorf("class filter width = %v, want at most %v", got, maxSelectWidth)
	}
}

func TestReviewCorrectionMarked(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	_, err := f.h.store.SaveHistory(record.KindCertificate, f.certificate, map[string]string{
		record.FieldPerson: f.liID, record.FieldTitle: "电工", record.FieldSkillLevel: "3",
		record.FieldDate: "2025-12-01"})
	if err != nil {
		t.Fatal(err)
	}
	f.h.eventually("queue lists the correction", func() bool {
		for _, text := range queueTexts(f.q) {
			if strings.Contains(text, "高级") {
				return true
			}
		}
		return false
	})

	var row queueRow
	for _, r := range f.q.shown {
		if r.item.Kind == record.KindCertificate {
			row = r
		}
	}
	if got := row.text(); !strings.HasPrefix(got, "职业技能等级证书（更正） · 李志明 · 电工 · 高级") {
		t.Errorf("correction row = %q, want it to start 职业技能等级证书（更正） · 李志明", got)
	}
	for _, r := range f.q.shown {
		if r.item.Kind != record.KindCertificate && strings.Contains(r.text(), "更正") {
			t.Errorf("row %q is not a correction but says 更正", r.text())
		}
	}

	f.q.showDetail(row)
	got := strings.Join(labelTexts(f.q.fields), "|")
	if !strings.Contains(got, "更正|这条记录更正了此前的一个版本，并取代该版本。") {
		t.Errorf("detail %q does not say it corrects an earlier version", got)
	}
}

func TestReviewDetailRatingOutOfFive(t *testing.T) {
	f := newReviewFixture(t, access.Reviewer)
	saveHistory(t, f.h.store, record.KindInternship, map[string]string{record.FieldPerson: f.wangID,
		record.FieldInternKind: record.InternWork, record.FieldEmployer: "南昌市泰宇餐饮管理有限公司",
		record.FieldPosition: "前台接待", record.FieldStart: "2025-02-01", record.FieldRating: "5"}, false)
	f.h.eventually("queue lists the internship", func() bool { return len(f.q.items) == 5 })

	f.q.showDetail(f.q.shown[len(f.q.shown)-1])
	got := strings.Join(labelTexts(f.q.fields), "|")
	if !strings.Contains(got, "评价|5 / 5") {
		t.Errorf("detail %q lacks 评价|5 / 5", got)
	}
}
