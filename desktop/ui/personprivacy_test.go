package ui

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/ui/display"
	"mobilefactory/shared/access"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/record"
)

const testAddress = "江西省南昌市红谷滩区丰和中大道1188号"

// signedIn returns a store signed in as admin with the role, holding the
// person of openWithAccount.
func signedIn(t *testing.T, role access.Role) (*store.Store, record.Person) {
	t.Helper()
	st, p := openWithAccount(t, role)
	if err := st.Unlock("admin", testPassword); err != nil {
		t.Fatal(err)
	}
	return st, p
}

// buttonsIn returns the buttons inside a canvas object, walking containers
// and widget renderers, as a dialog overlay holds them.
func buttonsIn(o fyne.CanvasObject) []*widget.Button {
	switch v := o.(type) {
	case *widget.Button:
		return []*widget.Button{v}
	case *fyne.Container:
		var out []*widget.Button
		for _, child := range v.Objects {
			out = append(out, buttonsIn(child)...)
		}
		return out
	case fyne.Widget:
		var out []*widget.Button
		for _, child := range test.WidgetRenderer(v).Objects() {
			out = append(out, buttonsIn(child)...)
		}
		return out
	}
	return nil
}

// tapDialogButton taps the button of the top overlay with the importance,
// as a user confirming a dialog would.
func tapDialogButton(t *testing.T, h *harness, importance widget.Importance) {
	t.Helper()
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is open")
	}
	for _, b := range buttonsIn(top) {
		if b.Importance == importance {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("the open dialog has no button of importance %v", importance)
}

// outboxAfter returns the changes written after the first pending ones.
func outboxAfter(t *testing.T, st *store.Store, pending int) []changeset.Change {
	t.Helper()
	changes, err := st.Outbox(uint64(pending), 100)
	if err != nil {
		t.Fatal(err)
	}
	return changes
}

func TestConsentRecordedAndWithdrawn(t *testing.T) {
	st, p := signedIn(t, access.Clerk)
	h := newHarness(t, st, Options{})
	persons := h.w.main.persons
	if got := rowTag(persons, 0); got != "未授权" {
		t.Errorf("list tag of a person without consent = %q, want 未授权", got)
	}
	persons.selectID(p.ID)
	page := h.w.main.page
	c := page.consent
	if got, want := c.state.Text, "未登记：尚未登记本人是否同意入库和推荐，请向本人确认后登记。"; got != want {
		t.Errorf("consent state of a new person = %q, want %q", got, want)
	}
	if c.withdraw.Visible() {
		t.Error("withdraw button shows before any consent")
	}

	// Recording needs a method.
	pending := st.Pending()
	test.Tap(c.record)
	h.queue.flush()
	if got, want := c.message.Text, "请先选择授权方式（书面签字、当面口头或线上确认），再点“登记同意”。"; !c.message.Visible() || got != want {
		t.Errorf("message without a method = %q (shown %v), want %q", got, c.message.Visible(), want)
	}
	if got := st.Pending(); got != pending {
		t.Errorf("pending after recording without a method = %d, want %d", got, pending)
	}

	c.method.SetSelectedIndex(0) // 书面签字
	test.Tap(c.record)
	h.queue.flush()
	today := time.Now().Format(time.DateOnly)
	if got, want := c.state.Text, "已同意："+display.Date(today)+"，书面签字，登记人 admin"; got != want {
		t.Errorf("consent state after recording = %q, want %q", got, want)
	}
	if !c.withdraw.Visible() {
		t.Error("withdraw button hidden after consent was recorded")
	}
	stored, err := st.Person(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Consent != record.ConsentGiven || stored.ConsentMethod != "written" ||
		stored.ConsentAt != today || stored.ConsentBy != "admin" {
		t.Errorf("stored consent = %q %q %q %q, want given written %s admin",
			stored.Consent, stored.ConsentMethod, stored.ConsentAt, stored.ConsentBy, today)
	}
	for _, change := range outboxAfter(t, st, pending) {
		if change.Account != "admin" || !strings.HasPrefix(change.Field, "consent") {
			t.Errorf("outbox change after recording: %s by %q, want a consent field by admin", change.Field, change.Account)
		}
	}
	if got := rowTag(persons, 0); got != "" {
		t.Errorf("list tag after consent = %q, want none", got)
	}

	// Saving the form keeps the consent.
	page.employer.SetText("江西铜业集团")
	test.Tap(page.save)
	h.queue.flush()
	if stored, _ = st.Person(p.ID); stored.Consent != record.ConsentGiven || stored.Employer != "江西铜业集团" {
		t.Errorf("after saving the form: consent %q, employer %q; want given and 江西铜业集团", stored.Consent, stored.Employer)
	}

	// Withdrawal opens a confirmation, and cancelling it changes nothing.
	persons.selectID(p.ID)
	test.Tap(c.withdraw)
	if c.withdrawDialog == nil {
		t.Fatal("withdraw opened no confirmation")
	}
	tapDialogButton(t, h, widget.MediumImportance)
	h.queue.flush()
	if stored, _ = st.Person(p.ID); stored.Consent != record.ConsentGiven {
		t.Errorf("consent after cancelling the withdrawal = %q, want given", stored.Consent)
	}
	test.Tap(c.withdraw)
	tapDialogButton(t, h, widget.HighImportance)
	h.queue.flush()
	if got, want := c.state.Text, "已撤回："+display.Date(today)+" 撤回，登记人 admin"; got != want {
		t.Errorf("consent state after withdrawal = %q, want %q", got, want)
	}
	stored, _ = st.Person(p.ID)
	if stored.Consent != record.ConsentWithdrawn || stored.ConsentMethod != "" || stored.ConsentBy != "admin" {
		t.Errorf("stored consent after withdrawal = %q %q by %q, want withdrawn, no method, admin",
			stored.Consent, stored.ConsentMethod, stored.ConsentBy)
	}
	if got := rowTag(persons, 0); got != "未授权" {
		t.Errorf("list tag after withdrawal = %q, want 未授权", got)
	}
}

func TestAddressMaskedUntilReveal(t *testing.T) {
	st, _ := signedIn(t, access.Clerk)
	p := savePerson(t, st, record.Person{Name: "王芳", IDNumber: validID(t, "36040319990512002"), Address: testAddress})
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(p.ID)
	page := h.w.main.page
	if got := page.address.Text; got != "江西省南昌市红谷滩区***" {
		t.Errorf("address before reveal = %q, want 江西省南昌市红谷滩区***", got)
	}
	if !page.address.Disabled() {
		t.Error("address entry editable before reveal")
	}

	pending := st.Pending()
	test.Tap(page.reveal)
	h.queue.flush()
	if got := page.address.Text; got != testAddress {
		t.Errorf("address after reveal = %q, want %q", got, testAddress)
	}
	if page.address.Disabled() {
		t.Error("address entry read-only after reveal")
	}
	event := map[string]string{}
	for _, c := range outboxAfter(t, st, pending) {
		event[c.Field] = c.Value
	}
	if got := event[record.FieldFields]; got != "id_number,address" {
		t.Errorf("access event fields = %q, want id_number,address", got)
	}

	// A too long address is refused with a message; a correct one is
	// saved trimmed.
	page.address.SetText(strings.Repeat("路", 201))
	test.Tap(page.save)
	h.queue.flush()
	if got, want := page.form.errorText(record.FieldAddress), "地址有 201 个字，最多 200 个字，请删减后再保存"; got != want {
		t.Errorf("message under a long address = %q, want %q", got, want)
	}
	page.address.SetText("  江西省九江市濂溪区十里大道 5 号 ")
	test.Tap(page.save)
	h.queue.flush()
	if got := page.form.errorText(record.FieldAddress); got != "" {
		t.Errorf("message under a valid address = %q, want none", got)
	}
	if stored, _ := st.Person(p.ID); stored.Address != "江西省九江市濂溪区十里大道 5 号" {
		t.Errorf("stored address = %q, want it trimmed", stored.Address)
	}
}

func TestEraseButtonForCentralOnly(t *testing.T) {
	for _, role := range []access.Role{access.Clerk, access.Reviewer, access.Fair} {
		st, p := signedIn(t, role)
		h := newHarness(t, st, Options{})
		h.w.main.persons.selectID(p.ID)
		if page := h.w.main.page; page.erase != nil {
			t.Errorf("role %s sees the erase button %q", role, page.erase.Text)
		}
	}
	st, p := signedIn(t, access.Central)
	h := newHarness(t, st, Options{})
	page := h.w.main.page
	if page.erase == nil {
		t.Fatal("central role has no erase button")
	}
	if page.erase.Visible() {
		t.Error("erase button shows for a new person")
	}
	h.w.main.persons.selectID(p.ID)
	if !page.erase.Visible() || page.erase.Text != "删除个人信息" {
		t.Errorf("erase button for a saved person: shown %v, text %q; want 删除个人信息", page.erase.Visible(), page.erase.Text)
	}
}

func TestEraseNeedsConfirmationAndClears(t *testing.T) {
	st, p := signedIn(t, access.Central)
	p.Address = testAddress
	p = savePerson(t, st, p)
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(p.ID)
	page := h.w.main.page

	test.Tap(page.erase)
	d := page.eraseDialog
	if d == nil {
		t.Fatal("erase opened no dialog")
	}
	test.Type(d.entry, "李志")
	test.Tap(d.confirm)
	h.queue.flush()
	if got, want := d.message.Text, "输入的内容与此人姓名不符，也不是“删除”，未删除任何信息。请输入此人姓名或“删除”。"; !d.message.Visible() || got != want {
		t.Errorf("message after a wrong confirmation = %q (shown %v), want %q", got, d.message.Visible(), want)
	}
	if stored, _ := st.Person(p.ID); stored.Name != "李志明" || stored.Erased != "" {
		t.Fatalf("person after a wrong confirmation = %q erased %q, want unchanged", stored.Name, stored.Erased)
	}

	pending := st.Pending()
	d.entry.SetText("删除")
	test.Tap(d.confirm)
	h.queue.flush()

	if got := page.title.Text; got != "人才信息：已删除个人信息" {
		t.Errorf("title after erasure = %q, want 人才信息：已删除个人信息", got)
	}
	if !page.erasedNote.Visible() || !strings.HasPrefix(page.erasedNote.Text, "已删除个人信息（") {
		t.Errorf("erased note = %q (shown %v), want 已删除个人信息（…", page.erasedNote.Text, page.erasedNote.Visible())
	}
	for name, e := range map[string]*widget.Entry{"name": page.name, "id": page.idNumber, "phone": page.phone, "address": page.address} {
		if e.Text != "" || !e.Disabled() {
			t.Errorf("%s entry after erasure = %q, disabled %v; want empty and read-only", name, e.Text, e.Disabled())
		}
	}
	if page.erase.Visible() || page.consent.content.Visible() {
		t.Error("erase button or consent section still shows for the erased person")
	}
	stored, err := st.Person(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Name != "" || stored.IDNumber != "" || stored.Phone != "" || stored.Address != "" || stored.Erased == "" {
		t.Errorf("stored person after erasure = %+v, want empty personal fields and the mark", stored)
	}
	marks := 0
	for _, c := range outboxAfter(t, st, pending) {
		if c.Kind == record.KindPerson && c.Field == record.FieldErased && c.Value == stored.Erased && c.Account == "admin" {
			marks++
		}
	}
	if marks != 1 {
		t.Errorf("outbox holds %d erasure marks by admin, want 1", marks)
	}

	path := st.Path()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"李志明", "36012120020101099X", "13607910101", testAddress} {
		if bytes.Contains(raw, []byte(v)) {
			t.Errorf("store file keeps %q after the erasure", v)
		}
	}
}

// buttonTexts returns the texts of the open dialog's buttons.
func buttonTexts(t *testing.T, h *harness) []string {
	t.Helper()
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is open")
	}
	var texts []string
	for _, b := range buttonsIn(top) {
		texts = append(texts, b.Text)
	}
	slices.Sort(texts)
	return texts
}

func TestConfirmButtonsNameAction(t *testing.T) {
	st, p := signedIn(t, access.Clerk)
	if err := st.RecordConsent(p.ID, "written"); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(p.ID)
	h.queue.flush()
	test.Tap(h.w.main.page.consent.withdraw)
	if got, want := strings.Join(buttonTexts(t, h), "|"), "取消|撤回授权"; got != want {
		t.Errorf("withdrawal confirmation buttons = %s, want %s", got, want)
	}
	tapDialogButton(t, h, widget.MediumImportance)

	if err := st.AddAccount("clerk1", "clerk-password-1", false); err != nil {
		t.Fatal(err)
	}
	v := h.w.showAccounts()
	h.queue.flush()
	v.confirmRemove("clerk1")
	if got, want := strings.Join(buttonTexts(t, h), "|"), "删除账号|取消"; got != want {
		t.Errorf("account removal confirmation buttons = %s, want %s", got, want)
	}
}

// The hint to choose a consent method goes once a method is chosen, and
// does not follow the user to another person.
func TestConsentHintClears(t *testing.T) {
	st, p := signedIn(t, access.Clerk)
	other := savePerson(t, st, record.Person{Name: "王芳"})
	h := newHarness(t, st, Options{})
	persons := h.w.main.persons
	c := h.w.main.page.consent

	persons.selectID(p.ID)
	test.Tap(c.record)
	h.queue.flush()
	if !c.message.Visible() {
		t.Fatal("no hint after recording without a method")
	}
	c.method.SetSelectedIndex(1)
	if c.message.Visible() {
		t.Errorf("hint %q still shown after choosing a method", c.message.Text)
	}

	c.method.ClearSelected()
	test.Tap(c.record)
	h.queue.flush()
	if !c.message.Visible() {
		t.Fatal("no hint after recording without a method again")
	}
	persons.selectID(other.ID)
	h.queue.flush()
	if c.message.Visible() {
		t.Errorf("hint %q still shown for another person", c.message.Text)
	}
}
