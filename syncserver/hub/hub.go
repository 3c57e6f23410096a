// Package hub is the sync server's network side: the websocket endpoint
// devices sync through, the enrolment endpoint, and the admin endpoints the
// command-line tools call while the server runs.
package hub

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/tlspin"
	"mobilefactory/syncserver/pool"
)

// Timeouts of a sync connection.
const (
	handshakeTimeout = 10 * time.Second
	idleTimeout      = 2 * time.Minute // a client pings every 30 s
	writeTimeout     = 15 * time.Second
)

// Server serves devices from one pool.
type Server struct {
	pool        *pool.Pool
	log         *slog.Logger
	limits      changeset.Limits
	pageSize    int
	adminToken  string
	admin       AdminHandlers
	beforeAck   func(context.Context)
	match       MatchFunc
	tlsConfig   *tls.Config // nil when serving plain HTTP
	fingerprint []byte      // SHA-256 of the certificate; nil without one

	upgrader websocket.Upgrader

	wg    sync.WaitGroup
	conns sync.Map // *websocket.Conn → struct{}, closed on shutdown

	devicesMu sync.Mutex
	// live holds each device's open sync connections after their
	// handshake, so Revoke can cut them. Guarded by devicesMu.
	live map[string]map[*conn]struct{}
}

// AdminHandlers are the admin operations that need more than the pool.
type AdminHandlers struct {
	// Match serves /admin/match: GET ranks by major and region, POST takes a
	// protocol.MatchRequest. When nil, the endpoint is left out.
	Match http.HandlerFunc
	// ImportChanges serves POST /admin/import-changes, whose body is a
	// change file a device wrote offline. When nil, the endpoint is left out.
	ImportChanges http.HandlerFunc
	// Erase serves POST /admin/erase, which erases a person's personal
	// fields on request. When nil, the endpoint is left out.
	Erase http.HandlerFunc
}

// Options configure a Server.
type Options struct {
	Logger     *slog.Logger
	Limits     changeset.Limits // changeset.DefaultLimits when zero
	PageSize   int              // changes per pulled page; 20000 when zero
	AdminToken string           // bearer token for /admin/; admin endpoints are off when empty
	Admin      AdminHandlers
	// BeforeAck, when set, runs after a push is applied and before its ack
	// is sent. Tests use it to hold an ack back; ctx ends at shutdown.
	BeforeAck func(ctx context.Context)
	// Match answers TypeMatch from central-office devices. When nil, such
	// a request gets TypeError with CodeInternal.
	Match MatchFunc
	// Certificate is the TLS certificate Serve serves with. Without one,
	// Serve serves plain HTTP, which devices refuse: only tests of that
	// refusal leave it out.
	Certificate *tls.Certificate
}

// New returns a server for p. It panics for a Certificate without a leaf,
// which tls.LoadX509KeyPair never returns.
func New(p *pool.Pool, opts Options) *Server {
	s := &Server{pool: p, log: opts.Logger, limits: opts.Limits, pageSize: opts.PageSize,
		adminToken: opts.AdminToken, admin: opts.Admin, beforeAck: opts.BeforeAck, match: opts.Match,
		live: map[string]map[*conn]struct{}{}}
	if opts.Certificate != nil {
		fp, err := tlspin.LeafFingerprint(*opts.Certificate)
		if err != nil {
			panic("bug: hub.New: " + err.Error())
		}
		s.fingerprint = fp
		s.tlsConfig = &tls.Config{
			Certificates: []tls.Certificate{*opts.Certificate},
			MinVersion:   tls.VersionTLS12,
			// Websockets upgrade HTTP/1.1 connections.
			NextProtos: []string{"http/1.1"},
		}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.limits == (changeset.Limits{}) {
		s.limits = changeset.DefaultLimits
	}
	if s.pageSize == 0 {
		s.pageSize = 20000
	}
	s.upgrader = websocket.Upgrader{
		ReadBufferSize:  64 << 10,
		WriteBufferSize: 64 << 10,
		// Devices are desktop programs, not browsers; there is no origin to check.
		CheckOrigin: func(*http.Request) bool { return true },
	}
	return s
}

// Fingerprint returns the SHA-256 of the server's TLS certificate, which
// enrolment codes carry; nil when the server serves plain HTTP.
func (s *Server) Fingerprint() []byte { return bytes.Clone(s.fingerprint) }

// Handler returns the server's HTTP routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /sync", s.handleSync)
	mux.HandleFunc("POST /enrol", s.handleEnrol)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok\n"))
	})
	if s.adminToken != "" {
		mux.Handle("POST /admin/enrol", s.requireAdmin(http.HandlerFunc(s.handleAdminEnrol)))
		mux.Handle("GET /admin/stats", s.requireAdmin(http.HandlerFunc(s.handleAdminStats)))
		mux.Handle("GET /admin/devices", s.requireAdmin(http.HandlerFunc(s.handleAdminDevices)))
		mux.Handle("POST /admin/revoke", s.requireAdmin(http.HandlerFunc(s.handleAdminRevoke)))
		mux.Handle("GET /admin/backup", s.requireAdmin(http.HandlerFunc(s.handleAdminBackup)))
		mux.Handle("GET /admin/backup-keys", s.requireAdmin(http.HandlerFunc(s.handleAdminBackupKeys)))
		mux.Handle("GET /admin/audit", s.requireAdmin(http.HandlerFunc(s.handleAdminAudit)))
		s.registerDuplicates(mux)
		if s.admin.Match != nil {
			mux.Handle("/admin/match", s.requireAdmin(s.admin.Match))
		}
		if s.admin.ImportChanges != nil {
			mux.Handle("POST /admin/import-changes", s.requireAdmin(s.admin.ImportChanges))
		}
		if s.admin.Erase != nil {
			mux.Handle("POST /admin/erase", s.requireAdmin(s.admin.Erase))
		}
	}
	return mux
}

// Serve accepts connections on ln until ctx ends, then closes every sync
// connection and waits for their goroutines. It serves TLS when the server
// has a certificate.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx },
		// A client that rejects the certificate, as a device with another
		// pin does, would otherwise fill the log through net/http's logger.
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)}
	if s.tlsConfig != nil {
		ln = tls.NewListener(ln, s.tlsConfig)
		s.log.Info("sync server listening", "addr", ln.Addr().String(), "epoch", s.pool.Epoch(),
			"tls", true, "fingerprint", hex.EncodeToString(s.fingerprint))
	} else {
		s.log.Warn("sync server listening without TLS", "addr", ln.Addr().String(), "epoch", s.pool.Epoch())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	// Shutdown does not close hijacked connections. Send a close frame on
	// each websocket so clients see a normal close, then close it.
	s.conns.Range(func(k, _ any) bool {
		ws := k.(*websocket.Conn)
		_ = ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseGoingAway, "server stopping"), time.Now().Add(time.Second))
		ws.Close()
		return true
	})
	s.wg.Wait()
	s.log.Info("sync server stopped")
	if err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}

func (s *Server) handleEnrol(w http.ResponseWriter, r *http.Request) {
	var req protocol.EnrolRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, protocol.HTTPError{Code: "corrupt", Message: "invalid enrolment request"})
		return
	}
	code, err := protocol.ParseEnrolCode(req.Code)
	if err != nil {
		s.log.Warn("enrolment rejected", "device", req.Device, "err", err)
		writeJSON(w, http.StatusBadRequest, protocol.HTTPError{Code: protocol.CodeEnrolMistyped, Message: "enrolment code mistyped"})
		return
	}
	if s.fingerprint != nil && !bytes.Equal(code.Fingerprint, s.fingerprint) {
		// The device reached this server through its pin, so the code was
		// issued by a server with another certificate.
		s.log.Warn("enrolment rejected: code names another certificate", "device", req.Device)
		writeJSON(w, http.StatusForbidden, protocol.HTTPError{Code: protocol.CodeEnrol, Message: "enrolment code of another server"})
		return
	}
	d, err := s.pool.EnrolFor(hex.EncodeToString(code.Secret), req.Device, req.PublicKey, req.ClientVersion, req.College, req.Proof)
	switch {
	case errors.Is(err, pool.ErrOtherCollege):
		s.log.Warn("enrolment rejected", "device", req.Device, "err", err)
		writeJSON(w, http.StatusConflict, protocol.HTTPError{Code: protocol.CodeOtherCollege, Message: "enrolment code of another college"})
		return
	case errors.Is(err, pool.ErrDeviceKnown):
		s.log.Warn("enrolment rejected: known device without a valid proof of its key", "device", req.Device)
		writeJSON(w, http.StatusForbidden, protocol.HTTPError{Code: protocol.CodeDeviceKnown, Message: "device enrolled already; proof of its key missing or invalid"})
		return
	case errors.Is(err, pool.ErrRevoked):
		s.log.Warn("enrolment rejected", "device", req.Device, "err", err)
		writeJSON(w, http.StatusForbidden, protocol.HTTPError{Code: protocol.CodeRevokedDevice, Message: "device revoked"})
		return
	case errors.Is(err, pool.ErrEnrolCode):
		s.log.Warn("enrolment rejected", "device", req.Device, "err", err)
		writeJSON(w, http.StatusForbidden, protocol.HTTPError{Code: protocol.CodeEnrol, Message: "invalid or expired enrolment code"})
		return
	case errors.Is(err, pool.ErrInvalid):
		writeJSON(w, http.StatusBadRequest, protocol.HTTPError{Code: "invalid", Message: err.Error()})
		return
	case err != nil:
		s.log.Error("enrolment failed", "device", req.Device, "err", err)
		writeJSON(w, http.StatusInternalServerError, protocol.HTTPError{Code: "internal", Message: "server error"})
		return
	}
	writeJSON(w, http.StatusOK, protocol.EnrolResponse{Device: d.ID, College: d.College, Role: d.Role, Epoch: s.pool.Epoch(),
		TransferKey: s.pool.TransferKey().PublicKey().Bytes()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func newNonce() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("bug: crypto/rand failed: " + err.Error())
	}
	return b
}
