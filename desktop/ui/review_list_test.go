package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

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
