package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/klauspost/compress/zstd"
	"github.com/oklog/ulid/v2"

	"mobilefactory/internal/testtls"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

const college = "4136012941"

type fixture struct {
	t      *testing.T
	pool   *pool.Pool
	srv    *Server
	url    string
	dialer *websocket.Dialer // pins the server's certificate
	device string
	key    ed25519.PrivateKey
}

// start runs the real server over TLS on a loopback port with a small
// message limit and enrols one device.
func start(t *testing.T) *fixture {
	t.Helper()
	return startWith(t, Options{})
}

// startWith is start with opts; its Limits and Certificate are set here.
func startWith(t *testing.T, opts Options) *fixture {
	t.Helper()
	p, err := pool.Open(filepath.Join(t.TempDir(), "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	limits := changeset.DefaultLimits
	limits.MaxCompressed = 1 << 20
	limits.MaxDecompressed = 4 << 20
	opts.Limits = limits
	cert, fingerprint := testtls.Certificate(t)
	opts.Certificate = cert
	srv := New(p, opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		if err := p.Check(); err != nil {
			t.Errorf("pool integrity: %v", err)
		}
		p.Close()
	})

	code, _ := p.CreateEnrolment(college, "clerk", time.Hour)
	pub, priv, _ := ed25519.GenerateKey(nil)
	device := ulid.Make().String()
	if _, err := p.Enrol(code, device, pub, "test"); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, pool: p, srv: srv, url: "wss://" + ln.Addr().String() + "/sync",
		dialer: testtls.Dialer(t, fingerprint), device: device, key: priv}
}

func (f *fixture) send(ws *websocket.Conn, typ protocol.Type, header any, payload []byte) {
	f.t.Helper()
	data, err := protocol.Encode(typ, header, payload)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := ws.WriteMessage(websocket.BinaryMessage, data); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) receive(ws *websocket.Conn) protocol.Frame {
	f.t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, data, err := ws.ReadMessage()
	if err != nil {
		f.t.Fatalf("reading from server: %v", err)
	}
	frame, err := protocol.Decode(data)
	if err != nil {
		f.t.Fatal(err)
	}
	return frame
}

// connect dials and completes the handshake.
func (f *fixture) connect() *websocket.Conn {
	f.t.Helper()
	ws, _, err := f.dialer.Dial(f.url, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { ws.Close() })
	f.send(ws, protocol.TypeHello, protocol.Hello{Protocol: protocol.Version, Schema: protocol.SchemaVersion, Device: f.device}, nil)
	var ch protocol.Challenge
	if err := f.receive(ws).Parse(&ch); err != nil {
		f.t.Fatal(err)
	}
	f.send(ws, protocol.TypeAuth, protocol.Auth{Signature: ed25519.Sign(f.key, ch.Nonce), ClientTime: time.Now().UnixMilli()}, nil)
	if fr := f.receive(ws); fr.Type != protocol.TypeWelcome {
		f.t.Fatalf("handshake ended with %s, want welcome", fr.Type)
	}
	return ws
}

// expectError reads the next message, checks it is an Error with code,
// and checks the server closes the connection after it.
func (f *fixture) expectError(ws *websocket.Conn, code protocol.Code) {
	f.t.Helper()
	fr := f.receive(ws)
	if fr.Type != protocol.TypeError {
		f.t.Fatalf("got %s, want error %s", fr.Type, code)
	}
	var e protocol.Error
	_ = fr.Parse(&e)
	if e.Code != code {
		f.t.Errorf("error code = %s (%s), want %s", e.Code, e.Message, code)
	}
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, _, err := ws.ReadMessage(); err == nil {
		f.t.Errorf("connection still open after error %s", code)
	}
}

// stillServes checks a fresh connection completes a push after an attack.
func (f *fixture) stillServes(wantAcked uint64) {
	f.t.Helper()
	ws := f.connect()
	changes := []changeset.Change{{Kind: record.KindPerson, ID: ulid.Make(), Scope: college, Field: record.FieldName,
		Value: "赵敏", Stamp: hlc.Make(time.Now().UnixMilli(), 0), Device: f.device, Seq: wantAcked}}
	f.send(ws, protocol.TypePush, protocol.Push{From: wantAcked, To: wantAcked}, changeset.Compress(changes))
	var ack protocol.Ack
	fr := f.receive(ws)
	if err := fr.Parse(&ack); err != nil || fr.Type != protocol.TypeAck || ack.To != wantAcked {
		f.t.Errorf("push after the attack got %s %+v, want ack to %d", fr.Type, ack, wantAcked)
	}
}

func TestGarbageFrameIsCorrupt(t *testing.T) {
	f := start(t)
	ws := f.connect()
	if err := ws.WriteMessage(websocket.BinaryMessage, []byte{protocol.Version, byte(protocol.TypePush), 0xff, 0xff}); err != nil {
		t.Fatal(err)
	}
	f.expectError(ws, protocol.CodeCorrupt)
	f.stillServes(1)
}

func TestNewerProtocolIsUpgrade(t *testing.T) {
	f := start(t)
	ws, _, err := f.dialer.Dial(f.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	f.send(ws, protocol.TypeHello, protocol.Hello{Protocol: protocol.Version + 1, Schema: protocol.SchemaVersion, Device: f.device}, nil)
	f.expectError(ws, protocol.CodeUpgrade)
}

func TestBadSignatureIsAuth(t *testing.T) {
	f := start(t)
	ws, _, err := f.dialer.Dial(f.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	f.send(ws, protocol.TypeHello, protocol.Hello{Protocol: protocol.Version, Schema: protocol.SchemaVersion, Device: f.device}, nil)
	f.receive(ws)
	_, other, _ := ed25519.GenerateKey(nil)
	f.send(ws, protocol.TypeAuth, protocol.Auth{Signature: ed25519.Sign(other, []byte("wrong nonce"))}, nil)
	f.expectError(ws, protocol.CodeAuth)
}

func TestOversizedMessageIsRejected(t *testing.T) {
	f := start(t)
	ws := f.connect()
	big := bytes.Repeat([]byte{7}, 2<<20) // over the 1 MiB limit of this server
	// The server may close the connection before the whole message is
	// written, so a write error here is one of the expected outcomes.
	_ = ws.WriteMessage(websocket.BinaryMessage, big)
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			break // closed by the server
		}
	}
	f.stillServes(1)
}

// A push whose payload is a zstd bomb (64 MiB of zeros in a few KB) is
// rejected as too large and applies nothing.
func TestZstdBombIsTooLarge(t *testing.T) {
	f := start(t)
	ws := f.connect()
	enc, _ := zstd.NewWriter(nil)
	bomb := enc.EncodeAll(make([]byte, 64<<20), nil)
	f.send(ws, protocol.TypePush, protocol.Push{From: 1, To: 1}, bomb)
	f.expectError(ws, protocol.CodeTooLarge)
	st, _ := f.pool.Stats()
	if st.LogChanges != 0 {
		t.Errorf("log changes after a bomb = %d, want 0", st.LogChanges)
	}
	f.stillServes(1)
}

// A push with a record of another college is acknowledged with that change
// refused for scope, and only the other change applied.
func TestPushOfOtherCollegeIsScope(t *testing.T) {
	f := start(t)
	ws := f.connect()
	stamp := hlc.Make(time.Now().UnixMilli(), 0)
	changes := []changeset.Change{
		{Kind: record.KindPerson, ID: ulid.Make(), Scope: college, Field: record.FieldName, Value: "甲", Stamp: stamp, Device: f.device, Seq: 1},
		{Kind: record.KindPerson, ID: ulid.Make(), Scope: "4136011785", Field: record.FieldName, Value: "乙", Stamp: stamp, Device: f.device, Seq: 2},
	}
	f.send(ws, protocol.TypePush, protocol.Push{From: 1, To: 2}, changeset.Compress(changes))
	reply := f.receiveReply(ws)
	if reply.Type != protocol.TypeAck {
		t.Fatalf("reply to the push is %s, want ack", reply.Type)
	}
	var ack protocol.Ack
	if err := reply.Parse(&ack); err != nil {
		t.Fatal(err)
	}
	want := protocol.Refusal{Seq: 2, Kind: uint8(record.KindPerson), Record: changes[1].ID.String(), Field: record.FieldName, Reason: protocol.CodeScope}
	if ack.To != 2 || len(ack.Refused) != 1 || ack.Refused[0] != want {
		t.Errorf("ack = %+v, want to 2 with refusal %+v", ack, want)
	}
	st, _ := f.pool.Stats()
	if st.LogChanges != 1 {
		t.Errorf("log changes after the push = %d, want 1", st.LogChanges)
	}
}

// Only the central office may read the device list.
func TestDeviceListRefusedForClerk(t *testing.T) {
	f := start(t)
	ws := f.connect()
	f.send(ws, protocol.TypeDevices, struct{}{}, nil)
	f.expectError(ws, protocol.CodeAuth)
}
