package hub

import (
	"context"
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/protocol"
)

// A clerk device's match request is refused with CodeRole.
func TestMatchRefusedForClerk(t *testing.T) {
	f := startWith(t, Options{Match: func(context.Context, protocol.MatchRequest) (protocol.MatchResult, error) {
		t.Error("match ran for a clerk")
		return protocol.MatchResult{}, nil
	}})
	ws := f.connect()
	f.send(ws, protocol.TypeMatch, protocol.MatchRequest{Use: protocol.MatchRegions}, nil)
	f.expectError(ws, protocol.CodeRole)
}

// A slow match leaves the connection free: a pull sent after the match
// request is answered first, then the match result arrives.
func TestSlowMatchDoesNotBlockPull(t *testing.T) {
	release := make(chan struct{})
	f := startWith(t, Options{Match: func(ctx context.Context, req protocol.MatchRequest) (protocol.MatchResult, error) {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return protocol.MatchResult{Use: req.Use, Pool: 7, Built: 1}, nil
	}})
	f.setRole("central")
	ws := f.connect()
	f.send(ws, protocol.TypeMatch, protocol.MatchRequest{Use: protocol.MatchRegions}, nil)
	f.send(ws, protocol.TypePull, protocol.Pull{}, nil)
	if fr := f.receive(ws); fr.Type != protocol.TypePage {
		t.Fatalf("first reply = %s, want the page while the match runs", fr.Type)
	}
	close(release)
	fr := f.receive(ws)
	if fr.Type != protocol.TypeMatchResult {
		t.Fatalf("second reply = %s, want match_result", fr.Type)
	}
	res, err := protocol.DecodeMatchResult(fr.Payload)
	if err != nil {
		t.Fatal(err)
	}
	if res.Use != protocol.MatchRegions || res.Pool != 7 {
		t.Errorf("result = %+v, want use regions and pool 7", res)
	}
}

// setRole enrols a new device with role and makes it the fixture's.
func (f *fixture) setRole(role string) {
	f.t.Helper()
	code, err := f.pool.CreateEnrolment(college, role, time.Hour)
	if err != nil {
		f.t.Fatal(err)
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	device := ulid.Make().String()
	if _, err := f.pool.Enrol(code, device, pub, "test"); err != nil {
		f.t.Fatal(err)
	}
	f.device, f.key = device, priv
}
