package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/syncserver/hub"
)

// wellFormedCode returns an enrolment code text that parses, for a server
// that never issued it.
func wellFormedCode() string {
	return protocol.EnrolCode{Secret: protocol.NewEnrolSecret(), Fingerprint: make([]byte, protocol.EnrolFingerprintSize),
		College: testCollege, Role: "clerk"}.String()
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// A failed enrolment removes the store it created, so a retry with
// another account name is not refused as a wrong sign-in.
func TestEnrolFailureRemovesNewStore(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	t.Setenv(envPassword, "first-password")
	dir := t.TempDir()
	addr := closedPort(t)

	attempts := []struct {
		name, account, server, code, want string
	}{
		{"mistyped code", "admin", addr, "MF1-ABCDE-FGHJK", "登记码有误"},
		{"unreachable server", "clerk1", addr, wellFormedCode(), "连不上 " + addr},
		{"plain http address", "clerk2", "http://" + addr, wellFormedCode(), "不能以 http:// 或 ws:// 开头"},
	}
	for _, a := range attempts {
		err := runEnrol([]string{"--data", dir, "--server", a.server, "--code", a.code, "--account", a.account})
		if err == nil {
			t.Fatalf("%s: enrolment succeeded", a.name)
		}
		if !strings.Contains(err.Error(), a.want) {
			t.Errorf("%s: message = %q, want it to contain %q", a.name, err, a.want)
		}
		if strings.Contains(err.Error(), "账号或密码不正确") {
			t.Errorf("%s: retry refused as a wrong sign-in: %q", a.name, err)
		}
		if _, statErr := os.Stat(storePath(dir)); !os.IsNotExist(statErr) {
			t.Errorf("%s: store file after the failure: %v, want it removed", a.name, statErr)
		}
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("data folder after the failures: %v", err)
	}
}

// A failed enrolment of a store that existed before leaves it as it was.
func TestEnrolFailureKeepsExistingStore(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir := t.TempDir()
	st, err := store.Open(storePath(dir), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddAccount("admin", "first-password", true); err != nil {
		t.Fatal(err)
	}
	st.Close()

	t.Setenv(envPassword, "first-password")
	err = runEnrol([]string{"--data", dir, "--server", closedPort(t), "--code", wellFormedCode(), "--account", "admin"})
	if err == nil {
		t.Fatal("enrolment with an unreachable server succeeded")
	}
	if strings.Contains(err.Error(), "已删除") {
		t.Errorf("message = %q, claims the store was removed", err)
	}
	withStore(t, dir, func(st *store.Store) {
		if err := st.Unlock("admin", "first-password"); err != nil {
			t.Errorf("sign-in after the failed enrolment: %v", err)
		}
	})
	if _, err := os.Stat(filepath.Join(dir, "client.db")); err != nil {
		t.Errorf("store file after the failure: %v", err)
	}
}

// A successful enrolment names the role the device was enrolled for.
func TestEnrolNamesRole(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	p, addr, fingerprint := tlsServer(t)
	code, _, err := hub.NewEnrolCode(p, testCollege, "reviewer", fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(envPassword, "first-password")
	output, err := captureStdout(t, func() error {
		return runEnrol([]string{"--data", t.TempDir(), "--server", addr, "--code", code, "--account", "admin"})
	})
	if err != nil {
		t.Fatalf("enrol: %v", err)
	}
	if want := "本机已作为审核员设备登记到 "; !strings.Contains(output, want) {
		t.Errorf("enrol printed %q, want it to contain %q", output, want)
	}
}
