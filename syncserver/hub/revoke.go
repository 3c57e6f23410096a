package hub

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"mobilefactory/shared/protocol"
	"mobilefactory/syncserver/pool"
)

// NewEnrolCode stores a one-time enrolment in p for a device of college
// with role, valid for EnrolTTL, and returns the code text that carries the
// server certificate's fingerprint, with the code's expiry.
func NewEnrolCode(p *pool.Pool, college, role string, fingerprint []byte) (string, time.Time, error) {
	return NewEnrolCodeTTL(p, college, role, fingerprint, EnrolTTL)
}

// NewEnrolCodeTTL is NewEnrolCode for a code valid for ttl.
func NewEnrolCodeTTL(p *pool.Pool, college, role string, fingerprint []byte, ttl time.Duration) (string, time.Time, error) {
	if len(fingerprint) != protocol.EnrolFingerprintSize {
		return "", time.Time{}, fmt.Errorf("certificate fingerprint of %d bytes, want %d", len(fingerprint), protocol.EnrolFingerprintSize)
	}
	now := p.Now()
	secretHex, err := p.CreateEnrolment(college, role, ttl)
	if err != nil {
		return "", time.Time{}, err
	}
	secret, err := hex.DecodeString(secretHex)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("bug: pool returned a secret that is not hex: %w", err)
	}
	code := protocol.EnrolCode{Secret: secret, Fingerprint: fingerprint, College: college, Role: role}
	text := code.String()
	if text == "" {
		return "", time.Time{}, fmt.Errorf("college %q or role %q too long for an enrolment code", college, role)
	}
	return text, now.Add(ttl), nil
}

// Revoke marks a device revoked in the pool and cuts its open sync
// connections: each gets an Error with protocol.CodeRevoked, then closes.
func (s *Server) Revoke(id string) (pool.Device, error) {
	d, err := s.pool.Revoke(id)
	if err != nil {
		return pool.Device{}, err
	}
	// The pool commit comes first and a connection registers before it
	// reads the device, so each connection either reads the revocation in
	// its handshake or is in s.live here.
	s.devicesMu.Lock()
	var conns []*conn
	for c := range s.live[id] {
		conns = append(conns, c)
	}
	s.devicesMu.Unlock()
	for _, c := range conns {
		c.cutOff()
	}
	s.log.Info("device revoked", "device", id, "college", d.College, "connections_cut", len(conns))
	return d, nil
}

func (s *Server) addLive(c *conn, device string) {
	s.devicesMu.Lock()
	defer s.devicesMu.Unlock()
	set := s.live[device]
	if set == nil {
		set = map[*conn]struct{}{}
		s.live[device] = set
	}
	set[c] = struct{}{}
}

func (s *Server) removeLive(c *conn, device string) {
	s.devicesMu.Lock()
	defer s.devicesMu.Unlock()
	delete(s.live[device], c)
	if len(s.live[device]) == 0 {
		delete(s.live, device)
	}
}

// errCut is returned by a connection's sends after Revoke cut it.
var errCut = fmt.Errorf("%w: connection cut", protocol.ErrRevoked)

// cutOff sends the revocation to the device and closes the websocket. It
// waits for a send in progress, which its write deadline bounds.
func (c *conn) cutOff() {
	c.cutOnce.Do(func() {
		c.writeMu.Lock()
		defer c.writeMu.Unlock()
		// The connection's goroutine closes the socket once c.cut closes,
		// so c.cut closes only after the Error and the close frame left.
		defer close(c.cut)
		data, err := protocol.Encode(protocol.TypeError, protocol.Error{Code: protocol.CodeRevoked, Message: "device revoked"}, nil)
		if err == nil {
			_ = c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
			_ = c.ws.WriteMessage(websocket.BinaryMessage, data)
		}
		_ = c.ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.ClosePolicyViolation, string(protocol.CodeRevoked)), time.Now().Add(time.Second))
		c.ws.Close()
	})
}

// isCut reports whether Revoke has cut the connection.
func (c *conn) isCut() bool {
	select {
	case <-c.cut:
		return true
	default:
		return false
	}
}

// AdminRevokeRequest is the body of POST /admin/revoke.
type AdminRevokeRequest struct {
	Device string `json:"device"`
}

func (s *Server) handleAdminRevoke(w http.ResponseWriter, r *http.Request) {
	var req AdminRevokeRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&req); err != nil || req.Device == "" {
		writeJSON(w, http.StatusBadRequest, protocol.HTTPError{Code: "invalid", Message: "device missing"})
		return
	}
	d, err := s.Revoke(req.Device)
	if errors.Is(err, pool.ErrUnknownDevice) {
		writeJSON(w, http.StatusNotFound, protocol.HTTPError{Code: CodeUnknownDevice, Message: err.Error()})
		return
	}
	if err != nil {
		s.log.Error("revoking device failed", "device", req.Device, "err", err)
		writeJSON(w, http.StatusInternalServerError, protocol.HTTPError{Code: "internal", Message: err.Error()})
		return
	}
	d.PublicKey = nil
	writeJSON(w, http.StatusOK, d)
}

// CodeUnknownDevice is the HTTPError code of POST /admin/revoke for a
// device id that was never enrolled.
const CodeUnknownDevice = "unknown_device"
