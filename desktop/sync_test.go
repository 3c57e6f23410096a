package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/syncclient"
	"mobilefactory/internal/testtls"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/pool"
)

// tlsServer runs the real sync server with a test certificate on a
// loopback port until the test ends. It returns the pool, the address and
// the certificate's fingerprint.
func tlsServer(t *testing.T) (*pool.Pool, string, []byte) {
	t.Helper()
	p, err := pool.Open(filepath.Join(t.TempDir(), "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cert, fingerprint := testtls.Certificate(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		p.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hub.New(p, hub.Options{Certificate: cert}).Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-done
		p.Close()
	})
	return p, ln.Addr().String(), fingerprint
}

// A revoked device's continuous sync stops with the Chinese message, not
// the error's English text.
func TestSyncContinuousRevokedMessage(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	p, addr, fingerprint := tlsServer(t)
	code, _, err := hub.NewEnrolCode(p, testCollege, "clerk", fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Setenv(envPassword, "first-password")
	if err := runEnrol([]string{"--data", dir, "--server", addr, "--code", code, "--account", "admin"}); err != nil {
		t.Fatalf("enrol: %v", err)
	}
	var device string
	withStore(t, dir, func(st *store.Store) {
		device = st.Device()
	})
	if _, err := p.Revoke(device); err != nil {
		t.Fatal(err)
	}

	err = runSync([]string{"--data", dir, "--account", "admin"})
	if err == nil {
		t.Fatal("continuous sync of a revoked device returned no error")
	}
	if strings.Contains(err.Error(), "revoked") {
		t.Errorf("error = %q, contains the English error text", err)
	}
	want := []string{i18n.T("sync.error.revoked"), i18n.T("desktop.sync.stopped")}
	if !strings.Contains(err.Error(), want[0]) && !strings.Contains(err.Error(), want[1]) {
		t.Errorf("error = %q, want the revoked message or the stopped line", err)
	}
}

// Each new failure is printed once in Chinese, the first connection is
// announced on standard output, and a recovery is printed.
func TestReportStatusesPrintsMessages(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	st := openTestStore(t)
	statuses := make(chan syncclient.Status, 6)
	revoked := fmt.Errorf("device revoked (server: %w)", protocol.ErrRevoked)
	statuses <- syncclient.Status{LastError: syncclient.ErrUnreachable}
	statuses <- syncclient.Status{LastError: syncclient.ErrUnreachable}
	statuses <- syncclient.Status{Online: true}
	statuses <- syncclient.Status{LastError: syncclient.ErrUnreachable}
	statuses <- syncclient.Status{Online: true}
	statuses <- syncclient.Status{LastError: revoked}
	close(statuses)

	var out, errOut bytes.Buffer
	last := reportStatuses(&out, &errOut, st, statuses, 0)
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	want := []string{i18n.T("sync.error.unreachable"), i18n.T("sync.error.unreachable"),
		i18n.T("desktop.sync.back_online"), i18n.T("sync.error.revoked")}
	if len(lines) != len(want) {
		t.Fatalf("printed %d lines %q, want %d", len(lines), lines, len(want))
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, lines[i], want[i])
		}
	}
	if last != want[3] {
		t.Errorf("last message = %q, want %q", last, want[3])
	}
	if got, want := out.String(), "已连接服务器 ，正在持续同步，按 Ctrl+C 停止。\n"; got != want {
		t.Errorf("standard output %q, want %q", got, want)
	}
}

// Continuous sync names the server and how to stop once connected, then
// prints a finished round when it pushed, or when a minute passed since
// the last round line, and skips the idle rounds in between.
func TestReportStatusesPrintsRounds(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	st := openTestStore(t)
	if err := st.SetIdentity(store.Identity{Device: st.Device(), College: testCollege, Role: "clerk",
		Server: "sync.example.cn:8731"}); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 5, 4, 10, 0, 0, 0, time.Local)
	at := func(seconds int) time.Time { return start.Add(time.Duration(seconds) * time.Second) }
	statuses := make(chan syncclient.Status, 10)
	statuses <- syncclient.Status{Online: true}
	statuses <- syncclient.Status{Online: true, LastSync: at(1)}              // first round: printed
	statuses <- syncclient.Status{Online: true, LastSync: at(10)}             // idle, 9 s later: skipped
	statuses <- syncclient.Status{Online: true, LastSync: at(10), Pending: 2} // a local edit
	statuses <- syncclient.Status{Online: true, LastSync: at(20)}             // pushed 2: printed
	statuses <- syncclient.Status{Online: true, LastSync: at(50)}             // idle, 30 s later: skipped
	statuses <- syncclient.Status{Online: true, LastSync: at(80)}             // idle, 60 s later: printed
	statuses <- syncclient.Status{Online: true, LastSync: at(90)}             // idle, 10 s later: skipped
	close(statuses)
	var out, errOut bytes.Buffer
	reportStatuses(&out, &errOut, st, statuses, 0)

	want := []string{
		"已连接服务器 sync.example.cn:8731，正在持续同步，按 Ctrl+C 停止。",
		"10:00:01 同步完成：本机共 0 名人才，待同步 0 条。",
		"10:00:20 同步完成：本机共 0 名人才，待同步 0 条。",
		"10:01:20 同步完成：本机共 0 名人才，待同步 0 条。",
	}
	if got := strings.Split(strings.TrimSpace(out.String()), "\n"); !slices.Equal(got, want) {
		t.Errorf("standard output\n got %q\nwant %q", got, want)
	}
	if errOut.Len() != 0 {
		t.Errorf("error output %q, want none", errOut.String())
	}
}

// openTestStore opens an empty store in a temporary folder.
func openTestStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "client.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// A sync that stored refusals prints how many, with a field and a reason.
func TestReportNewRefused(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	st := openTestStore(t)
	if err := st.SetIdentity(store.Identity{Device: st.Device(), College: testCollege, Role: "clerk"}); err != nil {
		t.Fatal(err)
	}
	person, err := st.SavePerson(record.Person{Name: "李娜", Phone: "13807912345", GradYear: 2025})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 5, 4, 10, 30, 0, 0, time.Local)
	if err := st.SaveRefused([]protocol.Refusal{{Seq: 1, Kind: uint8(record.KindPerson), Record: person.ID,
		Field: record.FieldPhone, Reason: protocol.CodeScope}}, at); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	if n := reportNewRefused(&out, st, 1); n != 1 || out.Len() != 0 {
		t.Errorf("with no new refusal: count %d, output %q, want 1 and nothing", n, out.String())
	}
	if n := reportNewRefused(&out, st, 0); n != 1 {
		t.Errorf("count = %d, want 1", n)
	}
	text := out.String()
	for _, want := range []string{"拒绝了本次同步中的 1 条修改", i18n.T("field." + record.FieldPhone),
		i18n.T("ui.refused.reason.scope"), "desktop refused", "被拒绝"} {
		if !strings.Contains(text, want) {
			t.Errorf("notice = %q, want it to contain %q", text, want)
		}
	}

	out.Reset()
	if err := printRefused(&out, st); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"李娜", i18n.T("field." + record.FieldPhone), i18n.T("ui.refused.reason.scope"), "2026年5月4日 10:30"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("refused list = %q, want it to contain %q", out.String(), want)
		}
	}
}
