package syncclient

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/internal/testtls"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/pool"
)

// openStore opens an empty store that the test closes at cleanup.
func openStore(t *testing.T, name string) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), name+".db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// A code works once: a second device that enrols with it is refused.
func TestEnrolReplayedCodeRefused(t *testing.T) {
	srv := startServer(t)
	code, err := srv.createCode(college, "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	first := srv.enrolledWith("first", code)
	if id, ok := first.Identity(); !ok || id.College != college {
		t.Fatalf("first enrolment identity = %+v, %v", id, ok)
	}

	second := openStore(t, "second")
	err = Enrol(context.Background(), second, srv.url(), code)
	if !errors.Is(err, ErrEnrolCode) {
		t.Fatalf("replayed code: %v, want ErrEnrolCode", err)
	}
	if _, ok := second.Identity(); ok {
		t.Error("the replayed code left an identity in the second store")
	}
}

// An expired code is refused as invalid or expired.
func TestEnrolExpiredCodeRefused(t *testing.T) {
	srv := startServer(t)
	code, err := srv.createCode(college, "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	srv.stop()
	srv.offset = hub.EnrolTTL + time.Hour
	srv.start()
	t.Cleanup(srv.stop)

	st := openStore(t, "late")
	err = Enrol(context.Background(), st, srv.url(), code)
	if !errors.Is(err, ErrEnrolCode) {
		t.Fatalf("expired code: %v, want ErrEnrolCode", err)
	}
	if got := Message(err); !strings.Contains(got, "已过期") {
		t.Errorf("message = %q, want it to say the code may have expired", got)
	}
}

// A code with one character copied wrongly is reported as mistyped, not as
// expired, and the server does not use it up.
func TestEnrolMistypedCodeReported(t *testing.T) {
	srv := startServer(t)
	code, err := srv.createCode(college, "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.LastIndex(code, "-") - 3
	swapped := byte('Z')
	if code[i] == 'Z' {
		swapped = 'Y'
	}
	typo := code[:i] + string(swapped) + code[i+1:]

	st := openStore(t, "typo")
	err = Enrol(context.Background(), st, srv.url(), typo)
	if !errors.Is(err, protocol.ErrEnrolCodeMistyped) {
		t.Fatalf("mistyped code: %v, want ErrEnrolCodeMistyped", err)
	}
	if errors.Is(err, ErrEnrolCode) {
		t.Errorf("mistyped code reported as invalid or expired: %v", err)
	}
	if got := Message(err); !strings.Contains(got, "登记码有误") {
		t.Errorf("message = %q, want it to say the code is mistyped", got)
	}
	if err := Enrol(context.Background(), st, srv.url(), code); err != nil {
		t.Errorf("the correct code after the typo: %v", err)
	}
}

// A server that shows another certificate than the code's fingerprint is
// refused at enrolment and at every sync, with a Chinese message naming the
// address. The code stays unused.
func TestWrongFingerprintRefused(t *testing.T) {
	srv := startServer(t)
	synced := srv.enrolled("synced")
	if _, err := synced.SavePerson(record.Person{Name: "王芳"}); err != nil {
		t.Fatal(err)
	}
	code, err := srv.createCode(college, "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	// The same address now serves another certificate, as an attacker in
	// the network would.
	srv.stop()
	pinned := srv.fingerprint
	srv.opts.Certificate, _ = testtls.Other(t)
	srv.start()
	t.Cleanup(srv.stop)

	st := openStore(t, "new")
	err = Enrol(context.Background(), st, srv.url(), code)
	if !errors.Is(err, ErrWrongCertificate) {
		t.Fatalf("enrol against another certificate: %v, want ErrWrongCertificate", err)
	}
	msg := Message(err)
	if !strings.Contains(msg, "服务器证书与登记码不符") || !strings.Contains(msg, srv.addr) {
		t.Errorf("message = %q, want the certificate mismatch naming %s", msg, srv.addr)
	}
	if _, ok := st.Identity(); ok {
		t.Error("the refused enrolment left an identity")
	}

	pending := synced.Pending()
	err = New(synced, Options{}).SyncOnce(context.Background())
	if !errors.Is(err, ErrWrongCertificate) {
		t.Fatalf("sync against another certificate: %v, want ErrWrongCertificate", err)
	}
	if synced.Pending() != pending {
		t.Errorf("pending after the refused sync = %d, want %d", synced.Pending(), pending)
	}

	// Back on the pinned certificate, the unused code still works.
	srv.stop()
	srv.opts.Certificate, srv.fingerprint = testtls.Certificate(t)
	if string(srv.fingerprint) != string(pinned) {
		t.Fatal("test certificate changed between calls")
	}
	srv.start()
	if err := Enrol(context.Background(), st, srv.url(), code); err != nil {
		t.Errorf("the unused code on the right server: %v", err)
	}
}

// startPlainServer runs the real sync server without TLS and returns its
// address.
func startPlainServer(t *testing.T) string {
	t.Helper()
	p, err := pool.Open(filepath.Join(t.TempDir(), "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hub.New(p, hub.Options{}).Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-done
		p.Close()
	})
	return ln.Addr().String()
}

// A plain-text server is refused whether the address uses http:// or ws://
// or the server answers plain HTTP on an address that means TLS.
func TestPlainTextServerRefused(t *testing.T) {
	addr := startPlainServer(t)
	_, fingerprint := testtls.Certificate(t)
	code := protocol.EnrolCode{Secret: protocol.NewEnrolSecret(), Fingerprint: fingerprint, College: college, Role: "clerk"}.String()

	for _, server := range []string{addr, "https://" + addr, "http://" + addr, "ws://" + addr} {
		st := openStore(t, "plain")
		err := Enrol(context.Background(), st, server, code)
		if !errors.Is(err, ErrPlainText) {
			t.Errorf("Enrol(%q): %v, want ErrPlainText", server, err)
			continue
		}
		msg := Message(err)
		if !strings.Contains(msg, addr) {
			t.Errorf("Enrol(%q) message = %q, want it to name %s", server, msg, addr)
		}
		// An address the user typed with http:// or ws:// is the user's
		// mistake, not the server's.
		want := "没有使用加密连接"
		if strings.Contains(server, "://") && !strings.HasPrefix(server, "https://") {
			want = "不能以 http:// 或 ws:// 开头"
		}
		if !strings.Contains(msg, want) {
			t.Errorf("Enrol(%q) message = %q, want it to contain %q", server, msg, want)
		}
	}

	// A sync connection to it is refused the same way.
	st := openStore(t, "synced")
	if err := st.SetIdentity(store.Identity{Device: st.Device(), College: college, Role: "clerk",
		Server: "https://" + addr, Fingerprint: fingerprint}); err != nil {
		t.Fatal(err)
	}
	if err := New(st, Options{}).SyncOnce(context.Background()); !errors.Is(err, ErrPlainText) {
		t.Errorf("SyncOnce with a plain-text server: %v, want ErrPlainText", err)
	}
}

// A revoked device stops retrying, shows the Chinese revocation message,
// and keeps its unsent edits.
func TestRevokedDeviceStopsSyncing(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("a")
	syncOnce(t, st)
	if _, err := srv.pool.Revoke(st.Device()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SavePerson(record.Person{Name: "陈静"}); err != nil {
		t.Fatal(err)
	}
	pending := st.Pending()

	client := New(st, Options{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := client.Run(ctx)
	if ctx.Err() != nil {
		t.Fatal("Run kept retrying after the revocation until the test's deadline")
	}
	if !errors.Is(err, protocol.ErrRevoked) {
		t.Fatalf("Run returned %v, want ErrRevoked", err)
	}
	if got := Message(client.Status().LastError); !strings.Contains(got, "本设备已被省中心停用") {
		t.Errorf("status message = %q, want the revocation notice", got)
	}
	if st.Pending() != pending {
		t.Errorf("pending after the revocation = %d, want %d kept", st.Pending(), pending)
	}

	// Enrolling the revoked device again with a fresh code is refused too.
	code, _ := srv.createCode(college, "clerk", time.Hour)
	if err := Enrol(context.Background(), st, srv.url(), code); !errors.Is(err, protocol.ErrRevoked) {
		t.Errorf("re-enrolment of the revoked device: %v, want ErrRevoked", err)
	}
}

// An identity stored before the server served TLS has no fingerprint, so
// Run stops without retrying and the message advises enrolling again.
func TestIdentityWithoutFingerprintRefused(t *testing.T) {
	st := openStore(t, "old")
	if err := st.SetIdentity(store.Identity{Device: st.Device(), College: college, Role: "clerk",
		Server: "http://127.0.0.1:1"}); err != nil {
		t.Fatal(err)
	}
	err := New(st, Options{}).Run(context.Background())
	if !errors.Is(err, ErrNotPinned) {
		t.Fatalf("Run with an unpinned identity: %v, want ErrNotPinned", err)
	}
	if got := Message(err); !strings.Contains(got, "重新登记") {
		t.Errorf("message = %q, want the advice to enrol again", got)
	}
}
