package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/tlspin"
	"mobilefactory/syncserver/pool"
)

// revokedAt returns the revocation time `devices --json` lists for device,
// empty when it lists none.
func revokedAt(t *testing.T, data, device string) string {
	t.Helper()
	stdout, stderr, code := run(t, "devices", "--data", data, "--json")
	if code != 0 {
		t.Fatalf("devices: %s", stderr)
	}
	var devices []pool.Device
	if err := json.Unmarshal([]byte(stdout), &devices); err != nil {
		t.Fatalf("devices --json output is not JSON: %v\n%s", err, stdout)
	}
	for _, d := range devices {
		if d.ID == device && d.Revoked() {
			return d.RevokedAt.String()
		}
	}
	return ""
}

// syncserver revoke works through the running server, which also refuses
// the device's next connection, and on the pool file of a stopped server.
func TestRevokeCommand(t *testing.T) {
	srv := &serverProcess{t: t, data: t.TempDir(), addr: freeAddr(t)}
	srv.start()
	defer srv.stop()

	enrol := func(name string) *store.Store {
		t.Helper()
		code, stderr, exit := run(t, "enrol", "--data", srv.data, "--college", "4136012941")
		if exit != 0 {
			t.Fatalf("enrol: %s", stderr)
		}
		st, err := store.Open(filepath.Join(t.TempDir(), name+".db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if err := syncclient.Enrol(context.Background(), st, srv.addr, strings.TrimSpace(code)); err != nil {
			t.Fatalf("Enrol(%s): %v", name, err)
		}
		return st
	}
	online, offline := enrol("online"), enrol("offline")

	_, stderr, code := run(t, "revoke", online.Device(), "--data", srv.data)
	if code != 0 {
		t.Fatalf("revoke while serving: exit %d, %s", code, stderr)
	}
	if !strings.Contains(stderr, online.Device()) {
		t.Errorf("revoke output does not name the device: %q", stderr)
	}
	if revokedAt(t, srv.data, online.Device()) == "" {
		t.Error("devices does not list the device revoked through the server as revoked")
	}
	err := syncclient.New(online, syncclient.Options{}).SyncOnce(context.Background())
	if !errors.Is(err, protocol.ErrRevoked) {
		t.Errorf("sync of the revoked device: %v, want ErrRevoked", err)
	}
	stdout, _, _ := run(t, "devices", "--data", srv.data)
	if !strings.Contains(stdout, "已停用") {
		t.Errorf("devices table does not show the revoked device as 已停用:\n%s", stdout)
	}

	_, stderr, code = run(t, "revoke", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "--data", srv.data)
	if code == 0 || !strings.Contains(stderr, "没有 ID 为“01ARZ3NDEKTSV4RRFFQ69G5FAV”的设备") {
		t.Errorf("revoke of an unknown device: exit %d, output %q", code, stderr)
	}

	srv.stop()
	_, stderr, code = run(t, "revoke", "--data", srv.data, offline.Device())
	if code != 0 {
		t.Fatalf("revoke while stopped: exit %d, %s", code, stderr)
	}
	if revokedAt(t, srv.data, offline.Device()) == "" {
		t.Error("devices does not list the device revoked on the pool file as revoked")
	}
	srv.start()
	err = syncclient.New(offline, syncclient.Options{}).SyncOnce(context.Background())
	if !errors.Is(err, protocol.ErrRevoked) {
		t.Errorf("sync of the device revoked while the server was stopped: %v, want ErrRevoked", err)
	}
}

// syncserver fingerprint prints the fingerprint the enrolment codes carry.
func TestFingerprintCommand(t *testing.T) {
	data := t.TempDir()
	stdout, stderr, code := run(t, "fingerprint", "--data", data)
	if code != 0 {
		t.Fatalf("fingerprint: exit %d, %s", code, stderr)
	}
	printed := strings.TrimSpace(stdout)
	_, keyFile := defaultCertPaths(data)
	info, err := os.Stat(keyFile)
	if err != nil {
		t.Fatalf("key file: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file %s has mode %v, want 0600", keyFile, info.Mode().Perm())
	}
	if len(printed) != 32*3-1 {
		t.Fatalf("fingerprint printed %q, want 32 colon-separated hex pairs", printed)
	}
	codeText, stderr, exit := run(t, "enrol", "--data", data, "--college", "4136012941", "--role", "reviewer")
	if exit != 0 {
		t.Fatalf("enrol: %s", stderr)
	}
	parsed, err := protocol.ParseEnrolCode(codeText)
	if err != nil {
		t.Fatalf("enrolment code %q: %v", codeText, err)
	}
	if got := tlspin.Format(parsed.Fingerprint); got != printed {
		t.Errorf("code carries fingerprint %s, fingerprint printed %s", got, printed)
	}
	if parsed.Role != "reviewer" {
		t.Errorf("code role = %q, want reviewer", parsed.Role)
	}
}
