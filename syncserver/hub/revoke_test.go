package hub

import (
	"context"
	"crypto/ed25519"
	"sync"
	"testing"
	"time"

	"mobilefactory/internal/testtls"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
)

// liveConnections returns how many sync connections of device the server
// tracks.
func (s *Server) liveConnections(device string) int {
	s.devicesMu.Lock()
	defer s.devicesMu.Unlock()
	return len(s.live[device])
}

// waitNoConnections waits until the server has closed every connection of
// the fixture's device, so nothing more of it can be applied.
func (f *fixture) waitNoConnections() {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for f.srv.liveConnections(f.device) > 0 {
		if time.Now().After(deadline) {
			f.t.Fatal("connection of the revoked device still open after 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A device revoked while the server holds the ack of its first push is cut
// off at once with CodeRevoked: it never gets that ack, and the second push
// it sent meanwhile is not applied.
func TestRevokeCutsDeviceMidSync(t *testing.T) {
	held, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	f := startWith(t, Options{BeforeAck: func(ctx context.Context) {
		first := false
		once.Do(func() { first = true })
		if !first {
			return
		}
		close(held)
		select {
		case <-release:
		case <-ctx.Done():
		}
	}})
	ws := f.connect()

	f.send(ws, protocol.TypePush, protocol.Push{From: 1, To: 1}, changeset.Compress([]changeset.Change{f.validChange(1)}))
	<-held
	f.send(ws, protocol.TypePush, protocol.Push{From: 2, To: 2}, changeset.Compress([]changeset.Change{f.validChange(2)}))

	if _, err := f.srv.Revoke(f.device); err != nil {
		t.Fatal(err)
	}
	f.expectErrorReply(ws, protocol.CodeRevoked)
	close(release)
	f.waitNoConnections()

	if got := f.logChanges(); got != 1 {
		t.Errorf("log changes after the revocation = %d, want 1 (the first push only)", got)
	}
	d, err := f.pool.Device(f.device)
	if err != nil {
		t.Fatal(err)
	}
	if d.Acked != 1 {
		t.Errorf("device acked = %d, want 1: the push sent while held must not apply", d.Acked)
	}
	if !d.Revoked() {
		t.Errorf("device not marked revoked in the pool: %+v", d)
	}
}

// An idle connection of a revoked device also ends at once.
func TestRevokeCutsIdleConnection(t *testing.T) {
	f := start(t)
	ws := f.connect()
	if _, err := f.srv.Revoke(f.device); err != nil {
		t.Fatal(err)
	}
	f.expectError(ws, protocol.CodeRevoked)
}

// A revoked device cannot connect again: the handshake ends with
// CodeRevoked before any challenge.
func TestRevokedDeviceCannotReconnect(t *testing.T) {
	f := start(t)
	if _, err := f.srv.Revoke(f.device); err != nil {
		t.Fatal(err)
	}
	ws, _, err := f.dialer.Dial(f.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	f.send(ws, protocol.TypeHello, protocol.Hello{Protocol: protocol.Version, Schema: protocol.SchemaVersion, Device: f.device}, nil)
	f.expectError(ws, protocol.CodeRevoked)
}

// Revoking one device leaves another device of the same college connected.
func TestRevokeLeavesOtherDevices(t *testing.T) {
	f := start(t)
	other := f.enrolDevice()
	ws := other.connect()
	if _, err := f.srv.Revoke(f.device); err != nil {
		t.Fatal(err)
	}
	other.pushAcked(ws, 1)
}

// A client that signs the real challenge with another key than the
// enrolled one is refused.
func TestForgedSignatureIsAuth(t *testing.T) {
	f := start(t)
	ws, _, err := f.dialer.Dial(f.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	f.send(ws, protocol.TypeHello, protocol.Hello{Protocol: protocol.Version, Schema: protocol.SchemaVersion, Device: f.device}, nil)
	var ch protocol.Challenge
	if err := f.receive(ws).Parse(&ch); err != nil {
		t.Fatal(err)
	}
	_, forger, _ := ed25519.GenerateKey(nil)
	f.send(ws, protocol.TypeAuth, protocol.Auth{Signature: ed25519.Sign(forger, ch.Nonce), ClientTime: time.Now().UnixMilli()}, nil)
	f.expectError(ws, protocol.CodeAuth)
}

// A client pinned to another certificate fails the TLS handshake, before
// any message is exchanged.
func TestDialWithOtherPinFails(t *testing.T) {
	f := start(t)
	other := make([]byte, 32)
	other[0] = 1
	ws, _, err := testtls.Dialer(t, other).Dial(f.url, nil)
	if err == nil {
		ws.Close()
		t.Fatal("dial pinned to another fingerprint succeeded")
	}
}
