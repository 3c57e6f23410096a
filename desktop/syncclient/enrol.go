package syncclient

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/tlspin"
)

// Errors returned by Enrol.
var (
	// ErrEnrolCode is returned when the server rejects the enrolment code.
	ErrEnrolCode = errors.New("invalid or expired enrolment code")
	// ErrOtherCollege is returned when a store that holds one college's
	// records is enrolled for another college.
	ErrOtherCollege = errors.New("store contains records of another college")
	// ErrEnrolledOtherCollege is returned when a store enrolled with one
	// college, but holding no records, is enrolled again with a code of
	// another college: the server keeps a device in its college. It wraps
	// ErrOtherCollege.
	ErrEnrolledOtherCollege = fmt.Errorf("device enrolled with another college: %w", ErrOtherCollege)
	// ErrServerAddress is returned for a server address that cannot be used.
	ErrServerAddress = errors.New("invalid server address")
	// ErrEnrolUnreachable is returned by Enrol, wrapped in an
	// *AddressError, when the server cannot be connected to.
	ErrEnrolUnreachable = errors.New("enrolment server unreachable")
	// ErrReenrolUnreachable is returned instead of ErrEnrolUnreachable, which
	// it wraps, when the store is enrolled already. The store keeps its
	// identity unchanged.
	ErrReenrolUnreachable = fmt.Errorf("%w; earlier enrolment unchanged", ErrEnrolUnreachable)
)

// Errors of the TLS connection to the server, returned by Enrol, SyncOnce
// and Run wrapped in an *AddressError.
var (
	// ErrWrongCertificate is returned when the server's certificate does
	// not match the fingerprint of the enrolment code.
	ErrWrongCertificate = errors.New("server certificate does not match the enrolment code")
	// ErrPlainText is returned for a server that replies without TLS.
	ErrPlainText = errors.New("server does not use TLS")
	// ErrPlainAddress is returned for a server address the user typed
	// with http:// or ws://. It wraps ErrPlainText.
	ErrPlainAddress = fmt.Errorf("server address starts with http:// or ws://: %w", ErrPlainText)
	// ErrNotPinned is returned by SyncOnce and Run for an identity without
	// a certificate fingerprint, as stored by enrolments before the server
	// served TLS. The device must enrol again.
	ErrNotPinned = errors.New("enrolment has no server certificate fingerprint")
)

// AddressError is a connection failure with the server address it concerns,
// which the user's message names.
type AddressError struct {
	Addr string // host:port
	Err  error
}

func (e *AddressError) Error() string { return e.Addr + ": " + e.Err.Error() }

func (e *AddressError) Unwrap() error { return e.Err }

// CollegeError is an enrolment refused because of the college the store
// is enrolled with, which the user's message names.
type CollegeError struct {
	College string // college code of the store's identity
	Err     error
}

func (e *CollegeError) Error() string { return e.Err.Error() + " (enrolled with " + e.College + ")" }

func (e *CollegeError) Unwrap() error { return e.Err }

// ServerURL turns a server address as people type it (https://, wss:// or a
// bare host:port) into the base HTTPS URL. An address with http:// or
// ws:// returns ErrPlainAddress, because the server serves only TLS.
func ServerURL(server string) (*url.URL, error) {
	text := strings.TrimSpace(server)
	if !strings.Contains(text, "://") {
		text = "https://" + text
	}
	u, err := url.Parse(text)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%w: %q", ErrServerAddress, server)
	}
	switch u.Scheme {
	case "http", "ws":
		return nil, &AddressError{Addr: u.Host, Err: fmt.Errorf("%w: address %q", ErrPlainAddress, server)}
	case "https", "wss":
		u.Scheme = "https"
	default:
		return nil, fmt.Errorf("%w: %q", ErrServerAddress, server)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// connectError turns the error of a connection attempt to addr into
// ErrWrongCertificate, ErrPlainText or ErrUnreachable.
func connectError(addr string, err error) error {
	switch {
	case errors.Is(err, tlspin.ErrFingerprint):
		return &AddressError{Addr: addr, Err: fmt.Errorf("%w: %v", ErrWrongCertificate, err)}
	case tlspin.IsPlainText(err):
		return &AddressError{Addr: addr, Err: fmt.Errorf("%w: %v", ErrPlainText, err)}
	}
	return fmt.Errorf("%w: connecting to %s: %v", ErrUnreachable, addr, err)
}

// Enrol registers the store's device with the server using a one-time code:
// it reads the server certificate's fingerprint from the code, connects over
// TLS pinned to it, makes the device's key pair, sends the public key, and
// stores the identity the server returns with the fingerprint. A store
// enrolled already signs the request with its current key, which the server
// requires to re-enrol a device it has enrolled.
func Enrol(ctx context.Context, st *store.Store, server, code string) error {
	parsed, err := protocol.ParseEnrolCode(code)
	if err != nil {
		return err
	}
	base, err := ServerURL(server)
	if err != nil {
		return err
	}
	tlsConfig, err := tlspin.Config(parsed.Fingerprint)
	if err != nil {
		return err
	}

	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return fmt.Errorf("making device key: %w", err)
	}

	req := protocol.EnrolRequest{Code: code, Device: st.Device(), PublicKey: pub, ClientVersion: ClientVersion}
	// NOTE: a store whose enrolment reply was lost, so that the server has
	// its device id but the store has no key, cannot prove it and must
	// enrol from a new data folder.
	old, enrolled := st.Identity()
	if enrolled {
		if len(old.PrivateKey) == ed25519.PrivateKeySize {
			req.Proof = ed25519.Sign(old.PrivateKey, protocol.EnrolProofMessage(parsed.Secret, pub))
		}
		if st.Count() > 0 || st.Pending() > 0 {
			// The store's records belong to its college: a code of another
			// college must be refused before the server uses it up.
			req.College = old.College
		}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, base.JoinPath("enrol").String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	httpReq.Header.Set("Content-Type", "application/json")

	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfig, Proxy: http.ProxyFromEnvironment}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(httpReq)
	if err != nil {
		err = connectError(base.Host, err)
		if errors.Is(err, ErrUnreachable) {
			// The sync message would promise an automatic retry, which
			// enrolment does not make.
			reason := ErrEnrolUnreachable
			if enrolled {
				reason = ErrReenrolUnreachable
			}
			return &AddressError{Addr: base.Host, Err: fmt.Errorf("%w: %w", reason, err)}
		}
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("reading enrolment reply: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e protocol.HTTPError
		_ = json.Unmarshal(raw, &e)
		switch e.Code {
		case protocol.CodeEnrol:
			return ErrEnrolCode
		case protocol.CodeEnrolMistyped:
			return fmt.Errorf("%w: rejected by the server", protocol.ErrEnrolCodeMistyped)
		case protocol.CodeOtherCollege:
			if req.College == "" {
				// The store sent no college because it holds no records, so
				// the server refused by the college the device is enrolled with.
				return &CollegeError{College: old.College, Err: ErrEnrolledOtherCollege}
			}
			return &CollegeError{College: old.College, Err: ErrOtherCollege}
		case protocol.CodeRevokedDevice:
			return fmt.Errorf("%w: enrolment refused", protocol.ErrRevoked)
		case protocol.CodeDeviceKnown:
			return fmt.Errorf("%w: enrolment rejected", protocol.ErrDeviceKnown)
		}
		return fmt.Errorf("enrolment failed: %s %s", resp.Status, e.Message)
	}

	var reply protocol.EnrolResponse
	if err := json.Unmarshal(raw, &reply); err != nil {
		return fmt.Errorf("reading enrolment reply: %w", err)
	}

	if st.Epoch() == "" && reply.Epoch != "" {
		// A change file exported before the first sync then carries the
		// epoch, so the server can check it.
		if err := st.SetEpoch(reply.Epoch); err != nil {
			return err
		}
	}
	return st.SetIdentity(store.Identity{Device: reply.Device, College: reply.College, Role: reply.Role,
		Server: strings.TrimSuffix(base.String(), "/"), PrivateKey: priv, Fingerprint: parsed.Fingerprint,
		TransferKey: reply.TransferKey})
}
