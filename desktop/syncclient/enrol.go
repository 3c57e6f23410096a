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

// ErrEnrolCode is returned when the server rejects the enrolment code.
var ErrEnrolCode = errors.New("invalid or expired enrolment code")

// Enrol registers the store's device with the server using a one-time code:
// it makes the device's key pair, sends the public key, and stores the
// identity the server returns.
func Enrol(ctx context.Context, st *store.Store, server, code string) error {
	base, err := url.Parse(strings.TrimSpace(server))
	if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
		return fmt.Errorf("invalid server address %q: use http://host:port", server)
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return fmt.Errorf("making device key: %w", err)
	}

	body, err := json.Marshal(protocol.EnrolRequest{Code: code, Device: st.Device(), PublicKey: pub, ClientVersion: ClientVersion})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base.JoinPath("enrol").String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", base.Host, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("reading enrolment reply: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e protocol.HTTPError
		_ = json.Unmarshal(raw, &e)
		if e.Code == protocol.CodeEnrol {
			return ErrEnrolCode
		}
		return fmt.Errorf("enrolment failed: %s %s", resp.Status, e.Message)
	}

	var reply protocol.EnrolResponse
	if err := json.Unmarshal(raw, &reply); err != nil {
		return fmt.Errorf("reading enrolment reply: %w", err)
	}
	return st.SetIdentity(store.Identity{Device: reply.Device, College: reply.College, Role: reply.Role,
		Server: strings.TrimSuffix(base.String(), "/"), PrivateKey: priv})
}
