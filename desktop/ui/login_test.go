package ui

import (
	"crypto/ed25519"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

const testPassword = "mobilefactory-demo"

// openWithAccount makes an enrolled store with the administrator account
// admin and the given role, saves a person, and reopens it locked.
func openWithAccount(t *testing.T, role access.Role) (*store.Store, record.Person) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "client.db")
	st, err := store.Open(path, store.Options{Argon2: cheapArgon2})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddAccount("admin", testPassword, true); err != nil {
		t.Fatal(err)
	}
	_, key, _ := ed25519.GenerateKey(nil)
	ident := store.Identity{Device: st.Device(), College: testCollege, CollegeName: "江西财经职业学院",
		Role: string(role), PrivateKey: key}
	if err := st.SetIdentity(ident); err != nil {
		t.Fatal(err)
	}
	p := savePerson(t, st, record.Person{Name: "李志明", IDNumber: "36012120020101099X", Phone: "13607910101"})
	st.Close()

	st, err = store.Open(path, store.Options{Argon2: cheapArgon2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, p
}

func TestLoginRefusesWrongPassword(t *testing.T) {
	st, _ := openWithAccount(t, access.Clerk)
	logins := 0
	h := newHarness(t, st, Options{OnLogin: func() { logins++ }})
	if h.w.login == nil || h.w.main != nil {
		t.Fatal("a locked store does not show the sign-in screen")
	}
	if logins != 0 {
		t.Errorf("OnLogin ran %d times before sign-in, want 0", logins)
	}

	f := h.w.login
	if got := h.w.win.Canvas().Focused(); got != f.account {
		t.Errorf("focused widget on the sign-in screen = %T %p, want the account entry", got, got)
	}
	test.Type(f.account, "admin")
	test.Type(f.password, "wrong-password")
	f.password.OnSubmitted(f.password.Text) // Enter in the password entry
	h.queue.flush()
	if got, want := f.message.Text, "账号或密码不正确，请检查后重新输入（连续输错 5 次账号会被暂时锁定）。"; got != want {
		t.Errorf("message after a wrong password = %q, want %q", got, want)
	}
	if h.w.main != nil || !st.Locked() {
		t.Fatal("the window opened after a wrong password")
	}
	if got := f.password.Text; got != "" {
		t.Errorf("password entry after a wrong password = %q, want it cleared", got)
	}

	test.Type(f.password, testPassword)
	test.Tap(f.submit)
	h.queue.flush()
	if h.w.main == nil {
		t.Fatal("the talent screen did not open after the right password")
	}
	if got := st.Count(); got != 1 {
		t.Errorf("Count() after sign-in = %d, want 1", got)
	}
	if logins != 1 {
		t.Errorf("OnLogin ran %d times after sign-in, want 1", logins)
	}
}

func TestLoginShowsLockout(t *testing.T) {
	st, _ := openWithAccount(t, access.Clerk)
	h := newHarness(t, st, Options{})
	f := h.w.login
	f.account.SetText("admin")
	for range 5 {
		f.password.SetText("wrong-password")
		test.Tap(f.submit)
		h.queue.flush()
	}
	if got, want := f.message.Text, "账号“admin”因多次输错密码已被暂时锁定，请 30 秒后再试。"; got != want {
		t.Errorf("message after 5 wrong passwords = %q, want %q", got, want)
	}
	f.password.SetText(testPassword)
	test.Tap(f.submit)
	h.queue.flush()
	if h.w.main != nil {
		t.Errorf("the window opened during the lockout")
	}
}

func TestIdleLockHidesWindow(t *testing.T) {
	st, _ := openWithAccount(t, access.Clerk)
	h := newHarness(t, st, Options{IdleLock: 10 * time.Minute})
	clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	h.w.now = func() time.Time { return clock }
	f := h.w.login
	f.account.SetText("admin")
	f.password.SetText(testPassword)
	test.Tap(f.submit)
	h.queue.flush()
	talent := h.win.Content()

	clock = clock.Add(9 * time.Minute)
	h.w.checkIdle()
	if h.w.locked {
		t.Fatal("window locked after 9 idle minutes, want 10")
	}
	h.w.touch()
	clock = clock.Add(9 * time.Minute)
	h.w.checkIdle()
	if h.w.locked {
		t.Fatal("window locked 9 minutes after activity")
	}
	// Opening a dialog counts as activity, and the dialog is still open
	// when the window locks.
	h.w.showSettings()
	clock = clock.Add(time.Minute)
	h.w.checkIdle()
	if h.w.locked {
		t.Fatal("window locked a minute after a dialog opened")
	}
	clock = clock.Add(10 * time.Minute)
	h.w.checkIdle()
	if !h.w.locked || h.w.login == nil {
		t.Fatal("window not locked after 10 idle minutes")
	}
	if h.win.Content() == talent {
		t.Error("the talent screen still shows while locked")
	}
	if n := len(h.win.Canvas().Overlays().List()); n != 0 {
		t.Errorf("%d dialogs still show while locked, want 0", n)
	}

	lock := h.w.login
	if got := lock.account.Text; got != "admin" || !lock.account.Disabled() {
		t.Errorf("lock screen account = %q (disabled %v), want admin fixed", got, lock.account.Disabled())
	}
	lock.password.SetText("wrong-password")
	test.Tap(lock.submit)
	h.queue.flush()
	if !h.w.locked {
		t.Fatal("wrong password unlocked the window")
	}
	lock.password.SetText(testPassword)
	test.Tap(lock.submit)
	h.queue.flush()
	if h.w.locked || h.win.Content() != talent {
		t.Error("the right password did not bring back the talent screen")
	}
	if n := len(h.win.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d dialogs show after unlock, want the settings dialog back", n)
	}
}

func TestRevealWritesAccessEvent(t *testing.T) {
	st, p := openWithAccount(t, access.Clerk)
	if err := st.Unlock("admin", testPassword); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(p.ID)
	page := h.w.main.page
	if got := page.idNumber.Text; got != "3601**********099X" {
		t.Errorf("ID entry before reveal = %q, want 3601**********099X", got)
	}
	if got := page.phone.Text; got != "136****0101" {
		t.Errorf("phone entry before reveal = %q, want 136****0101", got)
	}
	if !page.phone.Disabled() {
		t.Error("phone entry editable before reveal")
	}
	if page.reveal == nil || !page.reveal.Visible() {
		t.Fatal("clerk sees no 显示完整 button")
	}
	if got := page.reveal.Text; got != "显示完整" {
		t.Errorf("reveal button = %q, want 显示完整", got)
	}
	pending := st.Pending()

	test.Tap(page.reveal)
	h.queue.flush()
	if got := page.idNumber.Text; got != "36012120020101099X" {
		t.Errorf("ID entry after reveal = %q, want 36012120020101099X", got)
	}
	if got := page.phone.Text; got != "13607910101" {
		t.Errorf("phone entry after reveal = %q, want 13607910101", got)
	}
	if page.phone.Disabled() {
		t.Error("phone entry still read-only after reveal")
	}
	changes, err := st.Outbox(uint64(pending), 10)
	if err != nil {
		t.Fatal(err)
	}
	event := map[string]string{}
	for _, c := range changes {
		if c.Kind != record.KindAccess || c.Account != "admin" {
			t.Errorf("outbox change after reveal: kind %s, account %q; want access by admin", c.Kind, c.Account)
		}
		event[c.Field] = c.Value
	}
	want := map[string]string{record.FieldPerson: p.ID, record.FieldFields: "id_number,phone", record.FieldAction: "reveal"}
	for field, value := range want {
		if event[field] != value {
			t.Errorf("access event %s = %q, want %q", field, event[field], value)
		}
	}

	// An edit after the reveal saves the typed phone, not a masked one.
	page.phone.SetText("13907970202")
	test.Tap(page.save)
	h.queue.flush()
	saved, err := st.Person(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Phone != "13907970202" || saved.IDNumber != "36012120020101099X" {
		t.Errorf("person after editing the revealed phone = %+v", saved)
	}
}

func TestFairRoleHasNoReveal(t *testing.T) {
	st, p := openWithAccount(t, access.Fair)
	if err := st.Unlock("admin", testPassword); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, st, Options{})
	h.w.main.persons.selectID(p.ID)
	page := h.w.main.page
	if page.reveal != nil {
		t.Errorf("fair role sees a reveal button %q", page.reveal.Text)
	}
	if got := page.idNumber.Text; got != "3601**********099X" {
		t.Errorf("ID entry for the fair role = %q, want 3601**********099X", got)
	}

	// Saving another field keeps the stored ID number and phone.
	page.employer.SetText("江西铜业集团")
	test.Tap(page.save)
	h.queue.flush()
	saved, err := st.Person(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if saved.IDNumber != "36012120020101099X" || saved.Phone != "13607910101" || saved.Employer != "江西铜业集团" {
		t.Errorf("person after saving with masked entries = %+v", saved)
	}
}

func TestAccountsDialogRules(t *testing.T) {
	st, _ := openWithAccount(t, access.Clerk)
	if err := st.Unlock("admin", testPassword); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, st, Options{})
	v := h.w.showAccounts()
	if row := v.rows["admin"]; row == nil || row.remove != nil || row.reset != nil {
		t.Errorf("signed-in account row has buttons, want none")
	}

	v.name.SetText("clerk1")
	v.pass.SetText("short")
	test.Tap(v.add)
	h.queue.flush()
	if got, want := v.message.Text, "密码太短：至少需要 8 个字符，请换一个更长的密码。"; got != want {
		t.Errorf("message for a short password = %q, want %q", got, want)
	}
	v.pass.SetText("clerk-password-1")
	test.Tap(v.add)
	h.queue.flush()
	if row := v.rows["clerk1"]; row == nil || row.remove == nil {
		t.Fatal("added account clerk1 not listed with a remove button")
	}

	v.resetPassword("clerk1", "clerk-password-2")
	h.queue.flush()
	if got, want := v.message.Text, "已重设账号“clerk1”的密码。"; got != want {
		t.Errorf("message after reset = %q, want %q", got, want)
	}
	v.removeAccount("clerk1")
	h.queue.flush()
	if _, ok := v.rows["clerk1"]; ok {
		t.Error("removed account still listed")
	}
	accounts, err := st.Accounts()
	if err != nil || len(accounts) != 1 || accounts[0].Name != "admin" {
		t.Errorf("accounts after removal = %+v, %v; want admin alone", accounts, err)
	}
}
