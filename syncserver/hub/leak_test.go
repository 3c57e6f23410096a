package hub

import (
	"context"
	"crypto/ed25519"
	"errors"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/oklog/ulid/v2"
	"go.uber.org/goleak"

	"mobilefactory/internal/testtls"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/syncserver/pool"
)

// stoppableServer is the real server on a loopback port that a test stops
// itself, to check what Serve leaves behind.
type stoppableServer struct {
	*fixture
	cancel context.CancelFunc
	done   chan error
}

// startStoppable runs the server with opts and enrols one device. The test
// calls stop; cleanup only closes the pool.
func startStoppable(t *testing.T, opts Options) *stoppableServer {
	t.Helper()
	p, err := pool.Open(filepath.Join(t.TempDir(), "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Check(); err != nil {
			t.Errorf("pool integrity: %v", err)
		}
		p.Close()
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cert, fingerprint := testtls.Certificate(t)
	opts.Certificate = cert
	srv := New(p, opts)
	ctx, cancel := context.WithCancel(context.Background())
	s := &stoppableServer{cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- srv.Serve(ctx, ln) }()

	code, err := p.CreateEnrolment(college, "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	device := ulid.Make().String()
	if _, err := p.Enrol(code, device, pub, "test"); err != nil {
		t.Fatal(err)
	}
	s.fixture = &fixture{t: t, pool: p, srv: srv, url: "wss://" + ln.Addr().String() + "/sync",
		dialer: testtls.Dialer(t, fingerprint), device: device, key: priv}
	return s
}

// stop cancels Serve's context and checks Serve returns nil within 10 s.
func (s *stoppableServer) stop() {
	s.t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Errorf("Serve returned %v after shutdown, want nil", err)
		}
	case <-time.After(10 * time.Second):
		s.t.Fatal("Serve did not return within 10 s of shutdown")
	}
}

// expectGoingAway checks that the server closed ws with close code 1001
// (going away), the code it sends on shutdown.
func expectGoingAway(t *testing.T, ws *websocket.Conn) {
	t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	var err error
	for err == nil {
		_, _, err = ws.ReadMessage()
	}
	var closeErr *websocket.CloseError
	if !errors.As(err, &closeErr) {
		t.Errorf("reading after shutdown: %v, want a close frame", err)
		return
	}
	if closeErr.Code != websocket.CloseGoingAway {
		t.Errorf("close code after shutdown = %d, want %d (going away)", closeErr.Code, websocket.CloseGoingAway)
	}
}

// Shutting down with two idle devices connected closes both connections
// with "going away", and Serve leaves no goroutine behind.
func TestServeShutdownWithIdleDevicesLeaksNothing(t *testing.T) {
	s := startStoppable(t, Options{})
	first := s.connect()
	second := s.enrolDevice().connect()

	s.stop()
	expectGoingAway(t, first)
	expectGoingAway(t, second)
	first.Close()
	second.Close()
	goleak.VerifyNone(t)
}

// Shutting down while a push is applied and its ack held back ends the
// push's handler, and Serve leaves no goroutine behind. The push stays
// applied.
func TestServeShutdownMidPushLeaksNothing(t *testing.T) {
	ackHeld := make(chan struct{})
	s := startStoppable(t, Options{BeforeAck: func(ctx context.Context) {
		close(ackHeld)
		<-ctx.Done()
	}})
	ws := s.connect()
	s.send(ws, protocol.TypePush, protocol.Push{From: 1, To: 1},
		changeset.Compress([]changeset.Change{s.validChange(1)}))
	select {
	case <-ackHeld:
	case <-time.After(10 * time.Second):
		t.Fatal("the push did not reach BeforeAck within 10 s")
	}

	s.stop()
	expectGoingAway(t, ws)
	ws.Close()
	if got := s.logChanges(); got != 1 {
		t.Errorf("log changes after shutdown mid-push = %d, want 1", got)
	}
	goleak.VerifyNone(t)
}
