package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/shared/i18n"
)

func TestEnrolShowsTalentScreen(t *testing.T) {
	st := openStore(t, false)
	var gotServer, gotCode string
	enrol := func(server, code string) error {
		gotServer, gotCode = server, code
		enrolStore(t, st)
		return nil
	}
	h := newHarness(t, st, Options{Enrol: enrol})
	if h.w.main != nil || h.w.enrolling == nil {
		t.Fatal("an unenrolled store does not show the enrolment screen")
	}

	f := h.w.enrolling
	test.Tap(f.submit)
	if got := f.hint.Text; got != "请填写服务器地址" {
		t.Errorf("hint with no server = %q, want 请填写服务器地址", got)
	}

	test.Type(f.server, " wss://sync.example.cn ")
	test.Type(f.code, "K7QX-2M9D")
	test.Tap(f.submit)
	if got := f.hint.Text; got != "请填写本机第一个账号（管理员）的账号名" {
		t.Errorf("hint with no account = %q, want the account request", got)
	}
	test.Type(f.account, "zhangsan")
	test.Type(f.password, "short")
	test.Tap(f.submit)
	if got, want := f.hint.Text, "密码太短：至少需要 8 个字符，请换一个更长的密码。"; got != want {
		t.Errorf("hint with a 5-character password = %q, want %q", got, want)
	}
	f.password.SetText("mobilefactory-demo")
	test.Tap(f.submit)
	h.queue.flush()

	if gotServer != "wss://sync.example.cn" || gotCode != "K7QX-2M9D" {
		t.Errorf("Enrol called with (%q, %q), want (wss://sync.example.cn, K7QX-2M9D)", gotServer, gotCode)
	}
	if h.w.main == nil {
		t.Fatal("talent screen not shown after enrolment")
	}
	if got, want := h.win.Title(), "移动工厂 — 江西财经职业学院"; got != want {
		t.Errorf("title after enrolment = %q, want %q", got, want)
	}
	if got := st.Account(); got != "zhangsan" || !st.IsAdmin() {
		t.Errorf("signed-in account after enrolment = %q (administrator %v), want zhangsan as administrator", got, st.IsAdmin())
	}
}

func TestEnrolFailureShowsDialog(t *testing.T) {
	st := openStore(t, false)
	h := newHarness(t, st, Options{Enrol: func(string, string) error {
		return errors.New("enrolment code already used")
	}})
	f := h.w.enrolling
	test.Type(f.server, "wss://sync.example.cn")
	test.Type(f.code, "K7QX-2M9D")
	test.Type(f.account, "zhangsan")
	test.Type(f.password, "mobilefactory-demo")
	test.Tap(f.submit)
	h.queue.flush()

	if h.w.main != nil {
		t.Error("talent screen shown after a failed enrolment")
	}
	if h.win.Canvas().Overlays().Top() == nil {
		t.Error("no error dialog after a failed enrolment")
	}
	if f.submit.Disabled() {
		t.Error("enrol button still disabled after the failure")
	}
}

// The dialog shows the enrolment's message once, not wrapped in a second
// 登记失败 with a doubled full stop.
func TestEnrolFailureMessageNotDoubled(t *testing.T) {
	st := openStore(t, false)
	message := i18n.T("sync.error.enrol_unreachable", "127.0.0.1:19999")
	h := newHarness(t, st, Options{Enrol: func(string, string) error { return errors.New(message) }})
	f := h.w.enrolling
	test.Type(f.server, "127.0.0.1:19999")
	test.Type(f.code, "MF1-K7QX-2M9D")
	test.Type(f.account, "zhangsan")
	test.Type(f.password, "mobilefactory-demo")
	test.Tap(f.submit)
	h.queue.flush()

	pop, ok := h.win.Canvas().Overlays().Top().(*widget.PopUp)
	if !ok {
		t.Fatalf("top overlay after a failed enrolment = %T, want the error dialog", h.win.Canvas().Overlays().Top())
	}
	text := strings.Join(labelTexts(pop.Content), "|")
	if !strings.Contains(text, message) {
		t.Errorf("dialog text = %q, want it to contain %q", text, message)
	}
	if strings.Count(text, "登记失败") != 1 {
		t.Errorf("dialog text = %q, want 登记失败 once", text)
	}
	if strings.Contains(text, "。。") {
		t.Errorf("dialog text = %q has a doubled full stop", text)
	}
}
