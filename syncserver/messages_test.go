package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mobilefactory/shared/protocol"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/pool"
)

// revokeOnPool revokes device on the pool file of a stopped server.
func revokeOnPool(t *testing.T, dataDir, device string) {
	t.Helper()
	p, err := pool.Open(poolPath(dataDir), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Revoke(device); err != nil {
		t.Fatal(err)
	}
}

// A revoked device's change file is rejected with a Chinese message, on
// the pool file and through the running server.
func TestImportChangesRevokedDevice(t *testing.T) {
	data := t.TempDir()
	st := offlineDevice(t, data, "李娜")
	file := filepath.Join(t.TempDir(), "revoked.mfc")
	writeExport(t, st, file)
	revokeOnPool(t, data, st.Device())

	check := func(how string) {
		t.Helper()
		_, stderr, code := run(t, "import-changes", file, "--data", data)
		if code != 1 {
			t.Errorf("%s: exit code = %d, want 1", how, code)
		}
		if !strings.Contains(stderr, "已被停用") || !strings.Contains(stderr, st.Device()) {
			t.Errorf("%s: output = %q, want the revoked message naming the device", how, stderr)
		}
		if strings.Contains(stderr, "device revoked") || strings.Contains(stderr, "500") {
			t.Errorf("%s: output = %q, contains the raw server error", how, stderr)
		}
	}
	check("pool file")

	srv := &serverProcess{t: t, data: data, addr: freeAddr(t)}
	srv.start()
	defer srv.stop()
	check("running server")
}

// An admin.json whose token the server at its address rejects, as after a
// data folder was copied while its server ran, gets a Chinese message.
func TestStaleAdminFile(t *testing.T) {
	srv := &serverProcess{t: t, data: t.TempDir(), addr: freeAddr(t)}
	srv.start()
	defer srv.stop()

	raw, err := os.ReadFile(filepath.Join(srv.data, adminFile))
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]string
	if err := json.Unmarshal(raw, &info); err != nil {
		t.Fatal(err)
	}
	info["token"] = "token-of-the-copied-folder"
	copied := t.TempDir()
	raw, _ = json.Marshal(info)
	if err := os.WriteFile(filepath.Join(copied, adminFile), raw, 0o600); err != nil {
		t.Fatal(err)
	}

	for _, args := range [][]string{{"devices"}, {"import-changes", filepath.Join(t.TempDir(), "none.mfc")}} {
		if args[0] == "import-changes" {
			offline := offlineDevice(t, t.TempDir())
			savePeople(t, offline, "王芳")
			writeExport(t, offline, args[1])
		}
		_, stderr, code := run(t, append(args, "--data", copied)...)
		if code != 1 {
			t.Errorf("%s: exit code = %d, want 1", args[0], code)
		}
		if !strings.Contains(stderr, "属于另一台正在运行的服务器") || !strings.Contains(stderr, filepath.Join(copied, adminFile)) {
			t.Errorf("%s: output = %q, want the stale admin.json message naming the file", args[0], stderr)
		}
	}
}

func TestLastErrorText(t *testing.T) {
	cases := []struct {
		device pool.Device
		want   string
	}{
		{pool.Device{}, ""},
		{pool.Device{LastErrorCode: hub.CategoryConnection, LastError: "websocket: close 1006 (abnormal closure): unexpected EOF"}, "连接中断"},
		{pool.Device{LastErrorCode: string(protocol.CodeRevoked), LastError: "device revoked"}, "设备已停用"},
		{pool.Device{LastError: "read tcp: i/o timeout"}, "同步出错（详情见 --json）"},
		{pool.Device{LastErrorCode: "new_code", LastError: "x"}, "同步出错（详情见 --json）"},
	}
	for _, c := range cases {
		if got := lastErrorText(c.device); got != c.want {
			t.Errorf("lastErrorText(%q, %q) = %q, want %q", c.device.LastErrorCode, c.device.LastError, got, c.want)
		}
	}
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestErrorCategory(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("%w: change 3", protocol.ErrScope), "scope"},
		{fmt.Errorf("%w: pool failed", protocol.ErrInternal), "internal"},
		{fmt.Errorf("reading: %w", timeoutError{}), hub.CategoryTimeout},
		{errors.New("websocket: close 1006 (abnormal closure): unexpected EOF"), hub.CategoryConnection},
	}
	for _, c := range cases {
		if got := hub.ErrorCategory(c.err); got != c.want {
			t.Errorf("ErrorCategory(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestEnrolTTL(t *testing.T) {
	data := t.TempDir()
	before := time.Now()
	_, stderr, code := run(t, "enrol", "--data", data, "--college", testCollege, "--ttl", "24h")
	if code != 0 {
		t.Fatalf("enrol --ttl 24h: exit %d, %s", code, stderr)
	}
	want := before.Add(24 * time.Hour).Local()
	// The message names the expiry to the minute.
	if !strings.Contains(stderr, want.Format("2006-01-02 15:04")) && !strings.Contains(stderr, want.Add(time.Minute).Format("2006-01-02 15:04")) {
		t.Errorf("enrol --ttl 24h output = %q, want the expiry %s", stderr, want.Format("2006-01-02 15:04"))
	}

	for _, ttl := range []string{"800h", "0s", "-1h"} {
		_, stderr, code := run(t, "enrol", "--data", data, "--college", testCollege, "--ttl", ttl)
		if code != 2 || !strings.Contains(stderr, "1 分钟到 30 天") {
			t.Errorf("enrol --ttl %s: exit %d, output %q; want 2 and the validity range", ttl, code, stderr)
		}
	}
}
