package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"strings"
	"testing"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/i18n"
)

// captureStdout returns what fn prints to os.Stdout, and fn's error.
func captureStdout(t *testing.T, fn func() error) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	fnErr := fn()
	os.Stdout = saved
	w.Close()
	return <-done, fnErr
}

// accountsDataDir makes a data folder whose store has the administrator
// "admin" and the ordinary account "clerk".
func accountsDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(storePath(dir), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.AddAccount("admin", "admin-password", true); err != nil {
		t.Fatal(err)
	}
	if err := st.Unlock("admin", "admin-password"); err != nil {
		t.Fatal(err)
	}
	if err := st.AddAccount("clerk", "clerk-password", false); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestAccountHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"add", "--help"}, {"reset", "-h"}} {
		if err := runAccount(args); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("account %s: %v, want the help", strings.Join(args, " "), err)
		}
	}
}

func TestAccountAddAdminSaysAdministrator(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir := accountsDataDir(t)
	t.Setenv(envPassword, "admin-password")
	t.Setenv(envNewPassword, "second-admin-pw")
	out, err := captureStdout(t, func() error {
		return runAccount([]string{"add", "lead", "--admin", "--account", "admin", "--data", dir})
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "已新增管理员账号“lead”"; !strings.Contains(out, want) {
		t.Errorf("output = %q, want %q", out, want)
	}
}

func TestAccountBlankPasswordRejected(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir := accountsDataDir(t)
	t.Setenv(envPassword, "admin-password")
	t.Setenv(envNewPassword, "          ")
	err := runAccount([]string{"add", "blank", "--account", "admin", "--data", dir})
	if err == nil {
		t.Fatal("an account with a password of spaces was added")
	}
	if !strings.Contains(err.Error(), "不能只由空格组成") {
		t.Errorf("message = %q, want the blank-password message", err)
	}
}

// An ordinary account changes its own password with the current one.
func TestAccountPasswdOwnPassword(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir := accountsDataDir(t)

	t.Setenv(envPassword, "wrong-password")
	t.Setenv(envNewPassword, "clerk-new-password")
	err := runAccount([]string{"passwd", "--account", "clerk", "--data", dir})
	if err == nil || !strings.Contains(err.Error(), "账号或密码不正确") {
		t.Errorf("passwd with a wrong current password: %v, want the wrong sign-in message", err)
	}

	t.Setenv(envPassword, "clerk-password")
	out, err := captureStdout(t, func() error {
		return runAccount([]string{"passwd", "--account", "clerk", "--data", dir})
	})
	if err != nil {
		t.Fatalf("passwd: %v", err)
	}
	if !strings.Contains(out, "已修改账号“clerk”的密码") {
		t.Errorf("output = %q, want the changed message", out)
	}
	withStore(t, dir, func(st *store.Store) {
		if err := st.Unlock("clerk", "clerk-password"); !errors.Is(err, store.ErrWrongLogin) {
			t.Errorf("sign-in with the old password: %v, want ErrWrongLogin", err)
		}
		if err := st.Unlock("clerk", "clerk-new-password"); err != nil {
			t.Errorf("sign-in with the new password: %v", err)
		}
		if st.IsAdmin() {
			t.Error("passwd made the clerk an administrator")
		}
	})
}
