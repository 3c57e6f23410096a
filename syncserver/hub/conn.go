package hub

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/syncserver/pool"
)

// conn is one device's sync session. Its goroutine owns the websocket for
// writing; a second goroutine only reads frames into a channel.
type conn struct {
	s      *Server
	ws     *websocket.Conn
	log    *slog.Logger
	device pool.Device

	// writeMu serialises the websocket writes of this goroutine and of
	// cutOff, which runs on the goroutine that revokes the device.
	writeMu sync.Mutex
	cut     chan struct{} // closed by cutOff
	cutOnce sync.Once
	// registered is the device id under which the connection is in
	// Server.live, empty before the Hello.
	registered string
	// matchFailed receives the error of a match request that failed off
	// the run loop, which then sends it and closes the connection.
	matchFailed chan error
	matching    atomic.Bool // a match request is being answered
}

func (s *Server) handleSync(w http.ResponseWriter, r *http.Request) {
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.log.Warn("websocket upgrade failed", "remote", r.RemoteAddr, "err", err)
		return
	}
	// The message limit is checked by the websocket reader before it
	// buffers a frame.
	ws.SetReadLimit(int64(s.limits.MaxCompressed) + protocol.MaxHeader + 64)
	s.conns.Store(ws, struct{}{})
	s.wg.Add(1)
	c := &conn{s: s, ws: ws, log: s.log.With("remote", r.RemoteAddr), cut: make(chan struct{}),
		matchFailed: make(chan error, 1)}
	defer func() {
		if c.registered != "" {
			s.removeLive(c, c.registered)
		}
		s.conns.Delete(ws)
		ws.Close()
		s.wg.Done()
	}()

	err = c.run(r.Context())
	if c.isCut() {
		// c.log names the device already.
		c.log.Info("connection of a revoked device cut")
		return
	}
	if err != nil && !isClosed(err) {
		c.log.Warn("sync connection ended with an error", "err", err)
		if c.device.ID != "" {
			_ = s.pool.Contact(c.device.ID, c.device.ClientVersion, time.Duration(c.device.SkewMillis)*time.Millisecond,
				ErrorCategory(err), err.Error())
		}
		return
	}
	c.log.Debug("sync connection closed")
}

// Categories of a sync connection's failure besides the protocol codes,
// as ErrorCategory returns them.
const (
	CategoryTimeout    = "timeout"    // the device stopped responding in time
	CategoryConnection = "connection" // the connection broke off
)

// ErrorCategory returns the short category of a sync connection's failure
// that the devices list shows: the protocol code, or CategoryTimeout or
// CategoryConnection for a network failure.
func ErrorCategory(err error) string {
	if code := protocol.CodeOf(err); code != protocol.CodeInternal || errors.Is(err, protocol.ErrInternal) {
		return string(code)
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return CategoryTimeout
	}
	return CategoryConnection
}

func isClosed(err error) bool {
	return websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway) ||
		errors.Is(err, context.Canceled) || errors.Is(err, net.ErrClosed)
}

func (c *conn) send(t protocol.Type, header any, payload []byte) error {
	data, err := protocol.Encode(t, header, payload)
	if err != nil {
		return err
	}
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if c.isCut() {
		return errCut
	}
	_ = c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
	return c.ws.WriteMessage(websocket.BinaryMessage, data)
}

// fail sends an Error message for err and returns err.
func (c *conn) fail(err error) error {
	code := protocol.CodeOf(err)
	if c.send(protocol.TypeError, protocol.Error{Code: code, Message: err.Error()}, nil) != errCut {
		_ = c.ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.ClosePolicyViolation, string(code)), time.Now().Add(time.Second))
	}
	return err
}

func (c *conn) read(want protocol.Type, v any) error {
	_ = c.ws.SetReadDeadline(time.Now().Add(handshakeTimeout))
	mt, data, err := c.ws.ReadMessage()
	if err != nil {
		return err
	}
	if mt != websocket.BinaryMessage {
		return fmt.Errorf("%w: text message", protocol.ErrCorrupt)
	}
	f, err := protocol.Decode(data)
	if err != nil {
		return err
	}
	if f.Type != want {
		return fmt.Errorf("%w: got %s, want %s", protocol.ErrCorrupt, f.Type, want)
	}
	return f.Parse(v)
}

func (c *conn) handshake() error {
	var hello protocol.Hello
	if err := c.read(protocol.TypeHello, &hello); err != nil {
		return c.fail(err)
	}
	if hello.Protocol > protocol.Version || hello.Schema > protocol.SchemaVersion {
		return c.fail(fmt.Errorf("%w: client speaks protocol %d schema %d, server %d and %d",
			protocol.ErrUpgrade, hello.Protocol, hello.Schema, protocol.Version, protocol.SchemaVersion))
	}
	// Only the canonical form names a device: another spelling of the same
	// ULID is refused, not looked up.
	if err := pool.CheckDeviceID(hello.Device); err != nil {
		return c.fail(fmt.Errorf("%w: %v", protocol.ErrAuth, err))
	}
	// Registering before the device is read lets Revoke find this
	// connection whenever the read below misses the revocation.
	c.s.addLive(c, hello.Device)
	c.registered = hello.Device
	d, err := c.s.pool.Device(hello.Device)
	if err != nil {
		return c.fail(fmt.Errorf("%w: %v", protocol.ErrAuth, err))
	}
	if d.Revoked() {
		return c.fail(fmt.Errorf("%w: device %s revoked at %s", protocol.ErrRevoked, d.ID, d.RevokedAt.UTC().Format(time.RFC3339)))
	}
	nonce := newNonce()
	if err := c.send(protocol.TypeChallenge, protocol.Challenge{Nonce: nonce,
		ServerTime: c.s.pool.Now().UnixMilli(), Epoch: c.s.pool.Epoch()}, nil); err != nil {
		return err
	}
	var auth protocol.Auth
	if err := c.read(protocol.TypeAuth, &auth); err != nil {
		return c.fail(err)
	}
	if !ed25519.Verify(d.PublicKey, nonce, auth.Signature) {
		return c.fail(fmt.Errorf("%w: bad signature from device %s", protocol.ErrAuth, d.ID))
	}
	skew := time.Duration(auth.ClientTime-c.s.pool.Now().UnixMilli()) * time.Millisecond
	if err := c.s.pool.Contact(d.ID, hello.ClientVersion, skew, "", ""); err != nil {
		return c.fail(fmt.Errorf("%w: %v", protocol.ErrInternal, err))
	}
	if err := c.s.pool.RecordPulled(d.ID, auth.Cursor); err != nil {
		return c.fail(fmt.Errorf("%w: %v", protocol.ErrInternal, err))
	}
	if err := c.s.pool.ReportPending(d.ID, auth.Pending); err != nil {
		return c.fail(fmt.Errorf("%w: %v", protocol.ErrInternal, err))
	}
	d.ClientVersion, d.SkewMillis = hello.ClientVersion, skew.Milliseconds()
	c.device = d
	c.log = c.log.With("device", d.ID, "college", d.College)
	c.log.Info("device connected", "client_version", hello.ClientVersion, "pending", auth.Pending, "skew_ms", skew.Milliseconds())
	return c.send(protocol.TypeWelcome, protocol.Welcome{Acked: d.Acked, Epoch: c.s.pool.Epoch(),
		ServerTime: c.s.pool.Now().UnixMilli(), Head: c.s.pool.Head(d.College), College: d.College,
		Schema: protocol.SchemaVersion, TransferKey: c.s.pool.TransferKey().PublicKey().Bytes()}, nil)
}

type inbound struct {
	frame protocol.Frame
	err   error
}

func (c *conn) run(ctx context.Context) error {
	if err := c.handshake(); err != nil {
		return err
	}
	frames := make(chan inbound)
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	go c.readLoop(readCtx, frames)

	notified := c.s.pool.Head(c.device.College)
	changed := c.s.pool.Changed()
	for {
		select {
		case <-ctx.Done():
			// The request context ends at shutdown, and this goroutine closes
			// the socket before Serve sends its close frame. Send it here, or
			// the device reports an abnormal closure (1006).
			_ = c.ws.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseGoingAway, "server stopping"), time.Now().Add(time.Second))
			return ctx.Err()
		case <-c.cut:
			return errCut
		case in := <-frames:
			if c.isCut() {
				// A frame read before the cut is not handled.
				return errCut
			}
			if in.err != nil {
				if isClosed(in.err) {
					return nil
				}
				if errors.Is(in.err, websocket.ErrReadLimit) {
					return c.fail(fmt.Errorf("%w: %v", protocol.ErrTooLarge, in.err))
				}
				return c.fail(in.err)
			}
			if err := c.handle(ctx, in.frame); err != nil {
				return c.fail(err)
			}
		case err := <-c.matchFailed:
			return c.fail(err)
		case <-changed:
			changed = c.s.pool.Changed()
			if head := c.s.pool.Head(c.device.College); head > notified {
				notified = head
				if err := c.send(protocol.TypeNotify, protocol.Notify{Head: head}, nil); err != nil {
					return err
				}
			}
		}
	}
}

func (c *conn) readLoop(ctx context.Context, out chan<- inbound) {
	// A client's ping proves it is alive. Extend the deadline, then reply
	// with a pong as the default handler would.
	c.ws.SetPingHandler(func(data string) error {
		_ = c.ws.SetReadDeadline(time.Now().Add(idleTimeout))
		err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeTimeout))
		if errors.Is(err, websocket.ErrCloseSent) {
			return nil
		}
		return err
	})
	for {
		_ = c.ws.SetReadDeadline(time.Now().Add(idleTimeout))
		mt, data, err := c.ws.ReadMessage()
		var in inbound
		switch {
		case err != nil:
			in.err = err
		case mt != websocket.BinaryMessage:
			in.err = fmt.Errorf("%w: text message", protocol.ErrCorrupt)
		default:
			in.frame, in.err = protocol.Decode(data)
		}
		select {
		case out <- in:
		case <-ctx.Done():
			return
		}
		if in.err != nil {
			return
		}
	}
}

func (c *conn) handle(ctx context.Context, f protocol.Frame) error {
	switch f.Type {
	case protocol.TypePush:
		var push protocol.Push
		if err := f.Parse(&push); err != nil {
			return err
		}
		changes, err := changeset.Decompress(f.Payload, c.s.limits)
		if err != nil {
			return wireError(err)
		}
		res, err := c.s.pool.ApplyPush(c.device.ID, push.From, push.To, changes)
		if err != nil {
			return wireError(err)
		}
		c.log.Debug("push applied", "from", push.From, "to", push.To, "applied", res.Applied, "refused", len(res.Refused))
		if c.s.beforeAck != nil {
			c.s.beforeAck(ctx)
		}
		return c.send(protocol.TypeAck, protocol.Ack{To: res.Acked, Refused: res.Refused}, nil)
	case protocol.TypePull:
		var pull protocol.Pull
		if err := f.Parse(&pull); err != nil {
			return err
		}
		limit := pull.Limit
		if limit <= 0 || limit > c.s.pageSize {
			limit = c.s.pageSize
		}
		if pull.Snapshot {
			changes, next, err := c.s.pool.Snapshot(c.device.College, pull.From, limit)
			if err != nil {
				return wireError(err)
			}
			return c.send(protocol.TypePage, protocol.Page{Cursor: pull.Cursor, More: next != nil, Next: next},
				changeset.Compress(changes))
		}
		if err := c.s.pool.RecordPulled(c.device.ID, pull.Cursor); err != nil {
			return fmt.Errorf("%w: %v", protocol.ErrInternal, err)
		}
		page, err := c.s.pool.Pull(c.device.College, pull.Cursor, limit, c.device.ID)
		if errors.Is(err, pool.ErrResync) {
			c.log.Info("device must resync from a snapshot", "cursor", pull.Cursor)
			return c.send(protocol.TypePage, protocol.Page{Cursor: c.s.pool.Head(c.device.College), Resync: true},
				changeset.Compress(nil))
		}
		if err != nil {
			return fmt.Errorf("%w: %v", protocol.ErrInternal, err)
		}
		return c.send(protocol.TypePage, protocol.Page{Cursor: page.Cursor, More: page.More},
			changeset.Compress(page.Changes))
	case protocol.TypeDevices:
		if c.device.Role != "central" {
			return fmt.Errorf("%w: device list asked by role %q", protocol.ErrAuth, c.device.Role)
		}
		list, err := c.deviceList()
		if err != nil {
			return fmt.Errorf("%w: %v", protocol.ErrInternal, err)
		}
		return c.send(protocol.TypeDeviceList, list, nil)
	case protocol.TypeMatch:
		return c.startMatch(ctx, f)
	default:
		return fmt.Errorf("%w: unexpected %s message", protocol.ErrCorrupt, f.Type)
	}
}

// deviceList returns every enrolled device with what the central office
// monitors: last contact, version, pending and held changes, error, skew.
func (c *conn) deviceList() (protocol.DeviceList, error) {
	devices, err := c.s.pool.Devices()
	if err != nil {
		return protocol.DeviceList{}, err
	}
	heads := map[string]uint64{}
	list := protocol.DeviceList{Devices: make([]protocol.DeviceInfo, 0, len(devices))}
	for _, d := range devices {
		head, ok := heads[d.College]
		if !ok {
			head = c.s.pool.Head(d.College)
			heads[d.College] = head
		}
		info := protocol.DeviceInfo{ID: d.ID, College: d.College, Role: d.Role, ClientVersion: d.ClientVersion,
			Pending: d.Pending, LastError: d.LastError, SkewMillis: d.SkewMillis, Revoked: d.Revoked()}
		if d.Revoked() {
			// Screens that show only LastError still tell a revoked device.
			info.LastError = "device revoked at " + d.RevokedAt.UTC().Format(time.RFC3339)
		}
		if !d.LastContact.IsZero() {
			info.LastContact = d.LastContact.UnixMilli()
		}
		if head > d.Pulled {
			info.HeldEntries = head - d.Pulled
		}
		list.Devices = append(list.Devices, info)
	}
	return list, nil
}

// wireError maps pool and change-set errors to protocol sentinels so the
// client receives the right code.
func wireError(err error) error {
	var sentinel error
	switch {
	case errors.Is(err, changeset.ErrTooLarge), errors.Is(err, changeset.ErrTooManyChanges):
		sentinel = protocol.ErrTooLarge
	case errors.Is(err, changeset.ErrNewerFormat):
		sentinel = protocol.ErrUpgrade
	case errors.Is(err, changeset.ErrCorrupt):
		sentinel = protocol.ErrCorrupt
	case errors.Is(err, pool.ErrScope):
		sentinel = protocol.ErrScope
	case errors.Is(err, pool.ErrSequence):
		sentinel = protocol.ErrSequence
	case errors.Is(err, pool.ErrInvalid), errors.Is(err, changeset.ErrInvalidChange):
		sentinel = protocol.ErrInvalid
	case errors.Is(err, pool.ErrUnknownDevice):
		sentinel = protocol.ErrAuth
	case errors.Is(err, pool.ErrRevoked):
		sentinel = protocol.ErrRevoked
	default:
		sentinel = protocol.ErrInternal
	}
	return fmt.Errorf("%w: %v", sentinel, err)
}
