package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolterrors "go.etcd.io/bbolt/errors"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/tlspin"
	"mobilefactory/syncserver/pool"
)

// errNotRunning is returned by the admin client when no server runs on the
// data folder, so the command opens the pool file itself.
var errNotRunning = errors.New("server not running")

// errNoResponse is returned by the admin client when the server named in
// admin.json accepts the connection but does not answer in time.
var errNoResponse = errors.New("server not responding")

// Timeouts of admin requests. A cheap request (devices, enrol, a decision)
// gets a short one. Requests that scan the pool or match get a long one,
// since they take seconds on a pool of a million people.
const (
	adminConnectTimeout = 5 * time.Second
	adminCheapTimeout   = 20 * time.Second
	adminScanTimeout    = 2 * time.Minute
)

// adminTimeout returns the response timeout of an admin request to path.
func adminTimeout(path string) time.Duration {
	for _, slow := range []string{"/admin/match", "/admin/stats", "/admin/audit", "/admin/duplicates?"} {
		if strings.HasPrefix(path, slow) {
			return adminScanTimeout
		}
	}
	return adminCheapTimeout
}

// errAdminToken is returned when the server at admin.json's address
// rejects its token: another server, whose data folder this one was copied
// from, still runs there.
var errAdminToken = errors.New("admin token rejected: admin.json belongs to another server")

// adminTokenError returns errAdminToken with the user's message, which
// names the admin.json of dataDir.
func adminTokenError(dataDir string) error {
	return &messageError{msg: i18n.T("server.admin_stale", filepath.Join(dataDir, adminFile)), err: errAdminToken}
}

// messageError is an error whose text is the user's message, wrapping a
// sentinel that callers test with errors.Is.
type messageError struct {
	msg string
	err error
}

func (e *messageError) Error() string { return e.msg }

func (e *messageError) Unwrap() error { return e.err }

// adminCall sends a request to the server running on dataDir. It returns
// errNotRunning when none runs there, and errAdminToken when the server
// there rejects the token.
func adminCall(dataDir, method, path string, body, out any) error {
	raw, err := os.ReadFile(filepath.Join(dataDir, adminFile))
	if err != nil {
		return errNotRunning
	}
	info, err := parseAdminInfo(raw)
	if err != nil {
		return errNotRunning
	}
	var reader io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		reader = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, info.URL+path, reader)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+info.Token)
	timeout := adminTimeout(path)
	resp, err := info.client(timeout).Do(req)
	if err != nil {
		// A server that is stopped or hung still accepts connections
		// but never completes the TLS handshake or answers. Opening the
		// pool file would only wait for its lock, so say so now.
		var netErr net.Error
		if errors.As(err, &netErr) && netErr.Timeout() {
			return &messageError{msg: i18n.T("server.admin_no_response", req.URL.Host, timeout.String()), err: errNoResponse}
		}
		// A server killed without cleaning up leaves admin.json behind.
		return errNotRunning
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return adminTokenError(dataDir)
	}
	if resp.StatusCode != http.StatusOK {
		var e protocol.HTTPError
		_ = json.Unmarshal(data, &e)
		return &adminStatusError{status: resp.Status, code: e.Code, message: e.Message}
	}
	return json.Unmarshal(data, out)
}

// adminStatusError is a failed admin request, with the HTTPError code of
// the server's reply.
type adminStatusError struct {
	status, code, message string
}

func (e *adminStatusError) Error() string {
	return i18n.T("server.admin_failed", e.status, e.message)
}

// withPool opens the pool file of a stopped server for a command, and
// creates it when it does not exist yet.
func withPool(dataDir string, fn func(*pool.Pool) error) error {
	if info, err := os.Stat(dataDir); err != nil || !info.IsDir() {
		return errors.New(i18n.T("server.no_data_dir", dataDir))
	}
	p, err := openPool(dataDir, nil)
	if err != nil {
		return err
	}
	defer p.Close()
	return fn(p)
}

// withExistingPool is withPool for a command that only reads: it creates
// no pool.db, keys.db or master.key in a folder that has no pool.
func withExistingPool(dataDir string, fn func(*pool.Pool) error) error {
	if info, err := os.Stat(dataDir); err != nil || !info.IsDir() {
		return errors.New(i18n.T("server.no_data_dir", dataDir))
	}
	if _, err := os.Stat(poolPath(dataDir)); errors.Is(err, os.ErrNotExist) {
		return errors.New(i18n.T("server.no_pool", dataDir, poolPath(dataDir)))
	}
	return withPool(dataDir, fn)
}

// openPool opens the pool of dataDir and turns the errors an operator can
// fix into messages in the user's words.
func openPool(dataDir string, logger *slog.Logger) (*pool.Pool, error) {
	p, err := pool.Open(poolPath(dataDir), pool.Options{Logger: logger})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, errors.New(i18n.T("server.pool_busy", poolPath(dataDir)))
	}
	if err != nil {
		return nil, masterKeyError(dataDir, err)
	}
	return p, nil
}

// masterKeyError returns err with a message in the user's words when it is
// a master key problem, and err itself otherwise.
func masterKeyError(dataDir string, err error) error {
	_, fromEnv := os.LookupEnv(pool.MasterKeyEnv)
	vault := filepath.Join(dataDir, pool.VaultFile)
	master := filepath.Join(dataDir, pool.MasterKeyFile)
	var msg string
	switch {
	case errors.Is(err, pool.ErrNoMasterKey):
		msg = i18n.T("server.master_key.missing", vault, master, pool.MasterKeyEnv)
	case errors.Is(err, pool.ErrMasterKeyFormat) && fromEnv:
		msg = i18n.T("server.master_key.env_malformed", pool.MasterKeyEnv)
	case errors.Is(err, pool.ErrMasterKeyFormat):
		msg = i18n.T("server.master_key.file_malformed", master, pool.MasterKeyEnv)
	case errors.Is(err, pool.ErrMasterKeyMismatch) && fromEnv:
		msg = i18n.T("server.master_key.env_wrong", pool.MasterKeyEnv, vault)
	case errors.Is(err, pool.ErrMasterKeyMismatch):
		msg = i18n.T("server.master_key.file_wrong", master, vault, pool.MasterKeyEnv)
	default:
		return err
	}
	return &messageError{msg: msg, err: err}
}

func parseAdminInfo(raw []byte) (adminInfo, error) {
	var info adminInfo
	err := json.Unmarshal(raw, &info)
	if err == nil && (info.URL == "" || info.Token == "" || info.Fingerprint == "") {
		err = errors.New("admin.json lacks url, token or fingerprint")
	}
	if err == nil {
		info.pin, err = hex.DecodeString(info.Fingerprint)
	}
	if err == nil {
		info.tls, err = tlspin.Config(info.pin)
	}
	return info, err
}

// client returns an HTTP client that accepts only the server whose
// certificate admin.json names, with the given timeout (none when zero).
// Connecting and the TLS handshake time out after adminConnectTimeout
// either way, so a stopped server is noticed quickly.
func (info adminInfo) client(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: adminConnectTimeout}
	return &http.Client{Timeout: timeout, Transport: &http.Transport{TLSClientConfig: info.tls,
		DialContext: dialer.DialContext, TLSHandshakeTimeout: adminConnectTimeout}}
}
