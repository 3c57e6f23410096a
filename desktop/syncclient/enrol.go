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
)

// Errors returned by Enrol.
var (
	// ErrEnrolCode is returned when the server rejects the enrolment code.
	ErrEnrolCode = errors.New("invalid or expired enrolment code")
	// ErrOtherCollege is returned when a store that holds one college's
	// records is enrolled for another college.
	ErrOtherCollege = errors.New("store contains records of another college")
	// ErrServerAddress is returned for a server address that cannot be used.
	ErrServerAddress = errors.New("invalid server address")
)

// ServerURL turns a server address as people type it (http://, https://,
// ws://, wss:// or a bare host:port) into the base HTTP URL.
func ServerURL(server string) (*url.URL, error) {
	text := strings.TrimSpace(server)
	if !strings.Contains(text, "://") {
		text = "http://" + text
	}
	u, err := url.Parse(text)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%w: %q", ErrServerAddress, server)
	}
	switch u.Scheme {
	case "http", "ws":
		u.Scheme = "http"
	case "https", "wss":
		u.Scheme = "https"
	default:
		return nil, fmt.Errorf("%w: %q", ErrServerAddress, server)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// Enrol registers the store's device with the server using a one-time code:
// it makes the device's key pair, sends the public key, and stores the
// identity the server returns.
func Enrol(ctx context.Context, st *store.Store, server, code string) error {
	base, err := ServerURL(server)
	if err != nil {
		return err
	}

	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return fmt.Errorf("making device key: %w", err)
	}

	req := protocol.EnrolRequest{Code: code, Device: st.Device(), PublicKey: pub, ClientVersion: ClientVersion}
	if old, ok := st.Identity(); ok && (st.Count() > 0 || st.Pending() > 0) {
		// The store's records belong to its college: a code of another
		// college must be refused before the server uses it up.
		req.College = old.College
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

	resp, err := http.DefaultClient.Do(httpReq)
	if err != nil {
		return fmt.Errorf("%w: connecting to %s: %v", ErrUnreachable, base.Host, err)
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
		case protocol.CodeOtherCollege:
			return ErrOtherCollege
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
		Server: strings.TrimSuffix(base.String(), "/"), PrivateKey: priv})
}
