// Package syncclient moves changes between the desktop store and the sync
// server: it pushes the outbox, pulls the change log from the store's
// cursor, and keeps reconnecting with backoff while the server is away.
//
// It is the only part of the desktop client that touches the network; the
// UI learns about it through Status values.
package syncclient

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/tlspin"
	"mobilefactory/shared/transfer"
)

// ClientVersion is this program's version as the server records it.
const ClientVersion = "0.1.0"

// ErrNotEnrolled is returned when the store has no enrolment identity.
var ErrNotEnrolled = errors.New("device not enrolled")

// Options tune a Client. The zero value is ready to use.
type Options struct {
	Logger     *slog.Logger
	Batch      int           // changes per push; 20000 when zero
	MinBackoff time.Duration // first wait after a failed connection; 1 s when zero
	MaxBackoff time.Duration // maximum wait between attempts; 10 s when zero
	Now        func() time.Time
	// OnAck, when set, receives the time from sending each push to its
	// ack. The load benchmark uses it.
	OnAck func(time.Duration)
}

// Client syncs one store with its server.
type Client struct {
	store *store.Store
	log   *slog.Logger
	opts  Options

	mu     sync.Mutex
	status Status              // guarded by mu
	subs   map[int]chan Status // guarded by mu
	nextID int                 // guarded by mu
}

// New returns a client for st.
func New(st *store.Store, opts Options) *Client {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Batch == 0 {
		opts.Batch = 20000
	}
	if opts.MinBackoff == 0 {
		opts.MinBackoff = time.Second
	}
	if opts.MaxBackoff == 0 {
		opts.MaxBackoff = 10 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	c := &Client{store: st, log: opts.Logger, opts: opts, subs: map[int]chan Status{}}
	c.status = Status{Pending: st.Pending(), LastSync: st.LastSync()}
	return c
}

// Status returns the current sync status.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// Subscribe returns a channel that receives the status after each change,
// starting with the current one, and a function that ends the subscription.
func (c *Client) Subscribe() (<-chan Status, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan Status, 1)
	ch <- c.status
	id := c.nextID
	c.nextID++
	c.subs[id] = ch
	return ch, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if s, ok := c.subs[id]; ok {
			close(s)
			delete(c.subs, id)
		}
	}
}

func (c *Client) update(fn func(*Status)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fn(&c.status)
	c.status.Pending = c.store.Pending()
	c.status.LastSync = c.store.LastSync()
	for _, ch := range c.subs {
		// Keep only the newest status for a slow reader.
		select {
		case <-ch:
		default:
		}
		ch <- c.status
	}
}

// Run syncs until ctx ends: it connects, pushes and pulls, then stays
// connected and syncs again whenever the store or the server has something
// new. When the server cannot be reached it retries with growing backoff.
// It stops and returns the error, described as Message reads it, when
// retrying cannot help: the device was revoked or is not accepted, or its
// enrolment lacks the server certificate's fingerprint.
func (c *Client) Run(ctx context.Context) error {
	// Local edits made while offline move the pending count too.
	events, cancel := c.store.Subscribe()
	defer cancel()
	go func() {
		for range events {
			c.update(func(*Status) {})
		}
	}()

	backoff := c.opts.MinBackoff
	for {
		started := c.opts.Now()
		err := c.session(ctx, true)
		if ctx.Err() != nil {
			c.update(func(s *Status) { s.Online = false })
			return nil
		}
		c.update(func(s *Status) { s.Online, s.LastError = false, describe(err) })
		if permanent(err) {
			c.log.Error("sync stopped: the server does not accept this device", "device", c.store.Device(), "err", err)
			return describe(err)
		}
		if c.opts.Now().Sub(started) > time.Minute {
			backoff = c.opts.MinBackoff
		}
		wait := backoff/2 + rand.N(backoff/2+1)
		c.log.Warn("sync failed, retrying", "device", c.store.Device(), "err", err, "wait", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		backoff = min(backoff*2, c.opts.MaxBackoff)
	}
}

// permanent reports whether err stays until the device is enrolled again.
func permanent(err error) bool {
	return errors.Is(err, protocol.ErrRevoked) || errors.Is(err, protocol.ErrAuth) || errors.Is(err, ErrNotPinned)
}

// hostOf returns the host:port of a URL, or the URL itself when it has none.
func hostOf(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil && u.Host != "" {
		return u.Host
	}
	return rawURL
}

// SyncOnce connects, pushes every pending change, pulls everything new and
// disconnects.
func (c *Client) SyncOnce(ctx context.Context) error {
	err := describe(c.session(ctx, false))
	c.update(func(s *Status) { s.Online, s.LastError = false, err })
	return err
}

func syncURL(server string) (string, error) {
	u, err := ServerURL(server)
	if err != nil {
		return "", err
	}
	u.Scheme = "wss"
	u.Path += "/sync"
	return u.String(), nil
}

// session runs one connection. With stay set it keeps the connection open
// and syncs on every local or remote change until ctx ends or the
// connection fails.
func (c *Client) session(ctx context.Context, stay bool) error {
	ident, ok := c.store.Identity()
	if !ok {
		return ErrNotEnrolled
	}
	s, welcome, err := c.connect(ctx, ident)
	if err != nil {
		return err
	}
	defer s.close()
	if welcome.Schema > protocol.SchemaVersion {
		// Records of a newer schema could carry kinds and fields this
		// program would reject halfway through a page.
		return fmt.Errorf("%w: server schema %d, this program reads up to %d", protocol.ErrUpgrade, welcome.Schema, protocol.SchemaVersion)
	}
	c.update(func(st *Status) {
		st.Online = true
		st.Skew = time.Duration(c.opts.Now().UnixMilli()-welcome.ServerTime) * time.Millisecond
	})
	if known := c.store.Epoch(); known != "" && known != welcome.Epoch {
		// The server was restored from a backup and may lack what this
		// device pushed since: queue this device's own values again.
		if _, err := c.store.Rebase(welcome.Epoch, welcome.Acked); err != nil {
			return err
		}
	} else if known == "" {
		if err := c.store.SetEpoch(welcome.Epoch); err != nil {
			return err
		}
	}
	if err := c.storeTransferKey(welcome.TransferKey); err != nil {
		return err
	}
	// Entries the server applied before a lost ack are pushed again rather
	// than acknowledged from Welcome. The server then sends the refusals
	// of the lost ack again, without applying the entries twice.
	var acked uint64

	var events <-chan store.Event
	if stay {
		ch, cancel := c.store.Subscribe()
		defer cancel()
		events = ch
	}
	ping := time.NewTicker(30 * time.Second)
	defer ping.Stop()
	head := welcome.Head
	if c.store.Cursor() == 0 && head > 0 {
		// A first sync reads the college's current records, not its log.
		if err := s.snapshotAll(ctx, head, nil); err != nil {
			return err
		}
	}
	for {
		before := acked
		if acked, err = s.pushAll(ctx, acked); err != nil {
			return err
		}
		// With nothing new in the college since the cursor, and nothing
		// pushed that may come back with corrected stamps, the pull is
		// skipped: a sync with nothing new costs this one comparison.
		if head > c.store.Cursor() || s.notified || acked != before {
			if err := s.pullAll(ctx); err != nil {
				return err
			}
		}
		head = 0
		if ident.Role == "central" {
			if err := s.send(protocol.TypeDevices, struct{}{}, nil); err != nil {
				return err
			}
			var list protocol.DeviceList
			if _, err := s.receive(ctx, protocol.TypeDeviceList, &list); err != nil {
				return err
			}
			c.update(func(st *Status) { st.Devices = list.Devices })
		}
		if err := c.store.SetLastSync(c.opts.Now()); err != nil {
			return err
		}
		c.update(func(st *Status) { st.LastError = nil })
		if !stay {
			return nil
		}
		if err := s.idle(ctx, events, ping.C); err != nil {
			return err
		}
	}
}

// connect dials the server pinned in ident and runs the handshake. The
// caller closes the session.
func (c *Client) connect(ctx context.Context, ident store.Identity) (*session, protocol.Welcome, error) {
	tlsConfig, err := tlspin.Config(ident.Fingerprint)
	if err != nil {
		return nil, protocol.Welcome{}, fmt.Errorf("%w: %v", ErrNotPinned, err)
	}
	addr, err := syncURL(ident.Server)
	if err != nil {
		return nil, protocol.Welcome{}, err
	}
	dialer := *websocket.DefaultDialer
	dialer.TLSClientConfig = tlsConfig
	dialCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	ws, _, err := dialer.DialContext(dialCtx, addr, nil)
	cancel()
	if err != nil {
		return nil, protocol.Welcome{}, connectError(hostOf(addr), err)
	}
	ws.SetReadLimit(int64(changeset.DefaultLimits.MaxCompressed) + protocol.MaxHeader + 64)
	s := &session{c: c, ws: ws, frames: make(chan inbound, 16), done: make(chan struct{})}
	go s.readLoop()

	welcome, err := s.handshake(ident)
	if err != nil {
		s.close()
		return nil, protocol.Welcome{}, err
	}
	return s, welcome, nil
}

type inbound struct {
	frame protocol.Frame
	err   error
}

type session struct {
	c        *Client
	ws       *websocket.Conn
	frames   chan inbound
	done     chan struct{}
	notified bool // a Notify arrived since the last pull
	once     sync.Once
}

func (s *session) close() {
	s.once.Do(func() {
		close(s.done)
		_ = s.ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		s.ws.Close()
	})
}

func (s *session) readLoop() {
	for {
		mt, data, err := s.ws.ReadMessage()
		var in inbound
		switch {
		case err != nil:
			in.err = fmt.Errorf("reading from server: %w", err)
		case mt != websocket.BinaryMessage:
			in.err = fmt.Errorf("%w: text message", protocol.ErrCorrupt)
		default:
			in.frame, in.err = protocol.Decode(data)
		}
		select {
		case s.frames <- in:
		case <-s.done:
			return
		}
		if in.err != nil {
			return
		}
	}
}

func (s *session) send(t protocol.Type, header any, payload []byte) error {
	data, err := protocol.Encode(t, header, payload)
	if err != nil {
		return err
	}
	_ = s.ws.SetWriteDeadline(time.Now().Add(30 * time.Second))
	if err := s.ws.WriteMessage(websocket.BinaryMessage, data); err != nil {
		return fmt.Errorf("sending %s: %w", t, err)
	}
	return nil
}

// receive waits for a message of type want, noting any Notify on the way.
// An Error message from the server becomes its sentinel error.
func (s *session) receive(ctx context.Context, want protocol.Type, v any) (protocol.Frame, error) {
	timeout := time.NewTimer(60 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case <-ctx.Done():
			return protocol.Frame{}, ctx.Err()
		case <-timeout.C:
			return protocol.Frame{}, fmt.Errorf("waiting for %s: timed out", want)
		case in := <-s.frames:
			if in.err != nil {
				return protocol.Frame{}, in.err
			}
			switch in.frame.Type {
			case want:
				return in.frame, in.frame.Parse(v)
			case protocol.TypeNotify:
				s.notified = true
			case protocol.TypeError:
				var e protocol.Error
				if err := in.frame.Parse(&e); err != nil {
					return protocol.Frame{}, err
				}
				return protocol.Frame{}, e.Err()
			default:
				return protocol.Frame{}, fmt.Errorf("%w: got %s, want %s", protocol.ErrCorrupt, in.frame.Type, want)
			}
		}
	}
}

// storeTransferKey saves the transfer key from Welcome, which change files
// are encrypted to, when the identity has none or another one (after the
// server's master key changed). Welcome comes over the pinned TLS
// connection, so the key is the enrolled server's.
func (c *Client) storeTransferKey(key []byte) error {
	ident, ok := c.store.Identity()
	if !ok || len(key) != transfer.KeySize || bytes.Equal(ident.TransferKey, key) {
		return nil
	}
	ident.TransferKey = key
	if err := c.store.SetIdentity(ident); err != nil {
		return fmt.Errorf("saving the server's transfer key: %w", err)
	}
	c.log.Info("stored the server's transfer key", "device", ident.Device, "key", transfer.KeyID(key))
	return nil
}

func (s *session) handshake(ident store.Identity) (protocol.Welcome, error) {
	var w protocol.Welcome
	err := s.send(protocol.TypeHello, protocol.Hello{Protocol: protocol.Version, Schema: protocol.SchemaVersion,
		Device: ident.Device, ClientVersion: ClientVersion}, nil)
	if err != nil {
		return w, err
	}
	var ch protocol.Challenge
	if _, err := s.receive(context.Background(), protocol.TypeChallenge, &ch); err != nil {
		return w, err
	}
	sig := ed25519.Sign(ident.PrivateKey, ch.Nonce)
	err = s.send(protocol.TypeAuth, protocol.Auth{Signature: sig, ClientTime: s.c.opts.Now().UnixMilli(),
		Pending: s.c.store.Pending(), Cursor: s.c.store.Cursor()}, nil)
	if err != nil {
		return w, err
	}
	_, err = s.receive(context.Background(), protocol.TypeWelcome, &w)
	return w, err
}

// pushAll pushes the outbox in batches after acked and returns the new
// acknowledged sequence. Entries are deleted only after the server's ack.
func (s *session) pushAll(ctx context.Context, acked uint64) (uint64, error) {
	for {
		batch, err := s.c.store.Outbox(acked, s.c.opts.Batch)
		if err != nil {
			return acked, err
		}
		if len(batch) == 0 {
			return acked, nil
		}
		from, to := batch[0].Seq, batch[len(batch)-1].Seq
		sent := time.Now()
		if err := s.send(protocol.TypePush, protocol.Push{From: from, To: to}, changeset.Compress(batch)); err != nil {
			return acked, err
		}
		var ack protocol.Ack
		if _, err := s.receive(ctx, protocol.TypeAck, &ack); err != nil {
			return acked, err
		}
		if s.c.opts.OnAck != nil {
			s.c.opts.OnAck(time.Since(sent))
		}
		// The server may acknowledge less than the batch when the ack
		// cannot carry all its refusals; the rest goes in the next push.
		if ack.To < from {
			return acked, fmt.Errorf("%w: server acknowledged %d of %d..%d", protocol.ErrSequence, ack.To, from, to)
		}
		// Refusals are saved before the outbox entries go, so a crash in
		// between only makes the next push fetch them again.
		if len(ack.Refused) > 0 {
			if err := s.c.store.SaveRefused(ack.Refused, s.c.opts.Now()); err != nil {
				return acked, err
			}
			s.c.log.Warn("server refused changes", "device", s.c.store.Device(), "from", from, "to", ack.To, "refused", len(ack.Refused))
		}
		if err := s.c.store.Ack(ack.To); err != nil {
			return acked, err
		}
		acked = ack.To
		s.c.update(func(*Status) {})
	}
}

// pullAll pulls pages from the store's cursor until the server has no more.
func (s *session) pullAll(ctx context.Context) error {
	s.notified = false
	for {
		cursor := s.c.store.Cursor()
		if err := s.send(protocol.TypePull, protocol.Pull{Cursor: cursor}, nil); err != nil {
			return err
		}
		var page protocol.Page
		f, err := s.receive(ctx, protocol.TypePage, &page)
		if err != nil {
			return err
		}
		changes, err := changeset.Decompress(f.Payload, changeset.DefaultLimits)
		if err != nil {
			return fmt.Errorf("reading pulled page: %w", err)
		}
		if page.Resync {
			// The server compacted its log past this cursor: start again
			// from a snapshot, drop what it purged meanwhile, then go on
			// pulling from its head.
			seen := map[store.RecordKey]bool{}
			if err := s.snapshotAll(ctx, 0, seen); err != nil {
				return err
			}
			if _, err := s.c.store.FinishResync(seen, page.Cursor); err != nil {
				return err
			}
			continue
		}
		if page.Cursor < cursor {
			return fmt.Errorf("%w: page cursor %d before %d", protocol.ErrCorrupt, page.Cursor, cursor)
		}
		if len(changes) > 0 || page.Cursor != cursor {
			if err := s.c.store.ApplyPage(changes, page.Cursor); err != nil {
				return err
			}
		}
		if !page.More {
			return nil
		}
	}
}

// snapshotAll reads the current records of the device's scopes page by
// page, then sets the cursor to head, the end of the log when the snapshot
// began. A crash midway leaves the cursor at 0, so the next sync starts
// again. When seen is not nil, it receives the key of every record read.
func (s *session) snapshotAll(ctx context.Context, head uint64, seen map[store.RecordKey]bool) error {
	if err := s.send(protocol.TypePull, protocol.Pull{Snapshot: true}, nil); err != nil {
		return err
	}
	for {
		var page protocol.Page
		f, err := s.receive(ctx, protocol.TypePage, &page)
		if err != nil {
			return err
		}
		if page.More {
			if len(page.Next) == 0 {
				return fmt.Errorf("%w: snapshot page without a next position", protocol.ErrCorrupt)
			}
			// Ask for the next page before applying this one, so the server
			// reads and seals it while this device writes.
			if err := s.send(protocol.TypePull, protocol.Pull{Snapshot: true, From: page.Next}, nil); err != nil {
				return err
			}
		}
		changes, err := changeset.Decompress(f.Payload, changeset.DefaultLimits)
		if err != nil {
			return fmt.Errorf("reading snapshot page: %w", err)
		}
		if seen != nil {
			for _, c := range changes {
				seen[store.KeyOf(c)] = true
			}
		}
		cursor := uint64(0)
		if !page.More {
			cursor = head
		}
		if err := s.c.store.ApplyPage(changes, cursor); err != nil {
			return err
		}
		if !page.More {
			return nil
		}
	}
}

// idle waits for a local edit, a Notify from the server or the ping timer.
func (s *session) idle(ctx context.Context, events <-chan store.Event, ping <-chan time.Time) error {
	if s.notified {
		return nil
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-events:
			if !ok {
				return errors.New("store closed")
			}
			if ev.Local {
				return nil
			}
		case <-ping:
			if err := s.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(10*time.Second)); err != nil {
				return fmt.Errorf("pinging server: %w", err)
			}
		case in := <-s.frames:
			if in.err != nil {
				return in.err
			}
			switch in.frame.Type {
			case protocol.TypeNotify:
				s.notified = true
				return nil
			case protocol.TypeError:
				var e protocol.Error
				if err := in.frame.Parse(&e); err != nil {
					return err
				}
				return e.Err()
			default:
				return fmt.Errorf("%w: unexpected %s while idle", protocol.ErrCorrupt, in.frame.Type)
			}
		}
	}
}
