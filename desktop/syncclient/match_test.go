package syncclient

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/syncserver/matchsvc"
)

// startMatchServer starts the real server with the real matching service
// over its pool, which starts empty.
func startMatchServer(t *testing.T) *testServer {
	t.Helper()
	s := &testServer{t: t, dir: t.TempDir(), addr: listenAddr(t)}
	var svc *matchsvc.Service
	s.opts.Match = func(ctx context.Context, req protocol.MatchRequest) (protocol.MatchResult, error) {
		return svc.Match(ctx, req)
	}
	s.start()
	t.Cleanup(s.stop)
	svc = matchsvc.New(s.pool, matchsvc.Options{})
	if err := svc.Load(); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMatchCentralGetsResult(t *testing.T) {
	srv := startMatchServer(t)
	st := srv.enrolledAs("central", "central")
	res, err := New(st, Options{}).Match(context.Background(), protocol.MatchRequest{Use: protocol.MatchRegions})
	if err != nil {
		t.Fatal(err)
	}
	if res.Use != protocol.MatchRegions || res.Pool != 0 || res.Built == 0 {
		t.Errorf("result = %+v, want use regions over an empty pool with a build time", res)
	}
}

func TestMatchUnknownDemandNamed(t *testing.T) {
	srv := startMatchServer(t)
	st := srv.enrolledAs("central", "central")
	missing := ulid.Make().String()
	_, err := New(st, Options{}).Match(context.Background(), protocol.MatchRequest{Use: protocol.MatchJob, Demand: missing})
	if !errors.Is(err, protocol.ErrNotFound) {
		t.Fatalf("error = %v, want ErrNotFound", err)
	}
	if msg := i18n.In(i18n.Chinese, "sync.error.match_not_found", missing); Message(err) != msg {
		t.Errorf("message = %q, want %q", Message(err), msg)
	}
	if !strings.Contains(Message(err), missing) {
		t.Errorf("message %q does not name %s", Message(err), missing)
	}
}

func TestMatchRefusedForClerk(t *testing.T) {
	srv := startMatchServer(t)
	st := srv.enrolledAs("clerk", "clerk")
	_, err := New(st, Options{}).Match(context.Background(), protocol.MatchRequest{Use: protocol.MatchRegions})
	if !errors.Is(err, protocol.ErrRole) {
		t.Fatalf("error = %v, want ErrRole", err)
	}
	if want := i18n.In(i18n.Chinese, "sync.error.match_role"); Message(err) != want {
		t.Errorf("message = %q, want %q", Message(err), want)
	}
}
