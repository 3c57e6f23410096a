package syncclient

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/record"
	"mobilefactory/shared/tlspin"
	"mobilefactory/syncserver/hub"
)

// These tests take a goroutine snapshot with goleak.IgnoreCurrent once the
// server runs and the store is enrolled. The snapshot leaves out the server's
// listener and the idle keep-alive connection of the enrolment request, and
// any goroutine started after it must be gone when the test ends.

// runClient starts Run in a goroutine and returns a function that cancels
// it and checks Run returns nil within 10 s.
func runClient(t *testing.T, client *Client) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- client.Run(ctx) }()
	return func() {
		t.Helper()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run returned %v after cancel, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return within 10 s of cancel")
		}
	}
}

func TestRunCancelledWhileConnectedLeaksNothing(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("a")
	snapshot := goleak.IgnoreCurrent()

	client := New(st, Options{})
	stop := runClient(t, client)
	waitFor(t, "device a online", func() bool { return client.Status().Online })
	stop()

	if client.Status().Online {
		t.Errorf("status after Run returned is online, want offline")
	}
	goleak.VerifyNone(t, snapshot)
}

// Run waits an hour before its second attempt, so cancel arrives while it
// waits out the backoff.
func TestRunCancelledDuringBackoffLeaksNothing(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("a")
	srv.stop()
	snapshot := goleak.IgnoreCurrent()

	client := New(st, Options{MinBackoff: time.Hour, MaxBackoff: time.Hour})
	stop := runClient(t, client)
	waitFor(t, "the first connection attempt to fail", func() bool { return client.Status().LastError != nil })
	stop()

	if err := client.Status().LastError; !strings.Contains(err.Error(), "connecting to") {
		t.Errorf("status error = %q, want a failed connection", err)
	}
	goleak.VerifyNone(t, snapshot)
}

func TestSyncOnceAfterServerVanishedLeaksNothing(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("a")
	srv.stop()
	snapshot := goleak.IgnoreCurrent()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := New(st, Options{}).SyncOnce(ctx)
	if err == nil || !strings.Contains(err.Error(), "connecting to") {
		t.Errorf("SyncOnce with the server gone = %v, want a failed connection", err)
	}
	goleak.VerifyNone(t, snapshot)
}

// The server stops while it holds back the ack of the device's push, and
// releases the push only after it closed the connection, so the ack never
// leaves. SyncOnce returns an error, keeps the outbox, and leaves no
// goroutine.
func TestSyncOnceServerStopsMidPushLeaksNothing(t *testing.T) {
	pushHeld, release := make(chan struct{}), make(chan struct{})
	srv := &testServer{t: t, dir: t.TempDir(), addr: "127.0.0.1:0", opts: hub.Options{
		BeforeAck: func(context.Context) {
			close(pushHeld)
			<-release
		},
	}}
	srv.start()
	t.Cleanup(srv.stop)
	st := srv.enrolled("a")
	if _, err := st.SavePerson(record.Person{Name: "黄志强", Phone: "13979100001"}); err != nil {
		t.Fatal(err)
	}
	pending := st.Pending()
	snapshot := goleak.IgnoreCurrent()

	result := make(chan error, 1)
	go func() { result <- New(st, Options{}).SyncOnce(context.Background()) }()
	select {
	case <-pushHeld:
	case <-time.After(10 * time.Second):
		t.Fatal("the push did not reach BeforeAck within 10 s")
	}
	stopped := make(chan struct{})
	go func() {
		srv.stop()
		close(stopped)
	}()

	select {
	case err := <-result:
		if err == nil {
			t.Errorf("SyncOnce with the server stopped mid-push returned nil, want an error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SyncOnce did not return within 10 s of the server stopping")
	}
	close(release)
	<-stopped
	if got := st.Pending(); got != pending {
		t.Errorf("pending after the lost ack = %d, want %d", got, pending)
	}
	goleak.VerifyNone(t, snapshot)
}

// openEnrolledStore opens a store in a temporary folder with an identity of
// college, so that local saves work without a server.
func openEnrolledStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "a.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetIdentity(store.Identity{Device: st.Device(), College: college, Role: "clerk",
		Server: "https://127.0.0.1:1", Fingerprint: make([]byte, tlspin.Size)}); err != nil {
		t.Fatal(err)
	}
	return st
}

// Close ends every subscription, so a goroutine that ranges over the event
// channel returns, and a cancel called after Close does nothing.
func TestStoreCloseEndsSubscriptions(t *testing.T) {
	st := openEnrolledStore(t)
	snapshot := goleak.IgnoreCurrent()

	const readers = 3
	ended := make(chan int, readers)
	var cancels []func()
	for range readers {
		events, cancel := st.Subscribe()
		cancels = append(cancels, cancel)
		go func() {
			n := 0
			for range events {
				n++
			}
			ended <- n
		}()
	}
	if _, err := st.SavePerson(record.Person{Name: "郭静"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	for range readers {
		select {
		case n := <-ended:
			if n < 1 {
				t.Errorf("reader got %d events before Close, want at least 1", n)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a subscriber still waits 10 s after Close")
		}
	}
	for _, cancel := range cancels {
		cancel()
	}
	goleak.VerifyNone(t, snapshot)
}

// A subscription cancelled while the store stays open also ends its reader.
func TestStoreCancelEndsSubscription(t *testing.T) {
	st := openEnrolledStore(t)
	defer st.Close()
	snapshot := goleak.IgnoreCurrent()

	events, cancel := st.Subscribe()
	ended := make(chan struct{})
	go func() {
		for range events {
		}
		close(ended)
	}()
	cancel()
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("the subscriber still waits 10 s after cancel")
	}
	if _, err := st.SavePerson(record.Person{Name: "郭静"}); err != nil {
		t.Fatalf("SavePerson after cancel: %v", err)
	}
	goleak.VerifyNone(t, snapshot)
}
