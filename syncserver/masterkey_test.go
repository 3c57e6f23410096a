package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runWithEnv runs the built program with extra NAME=VALUE environment
// variables and returns its standard error and exit code.
func runWithEnv(t *testing.T, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		return stderr.String(), exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stderr.String(), 0
}

// Commands that read or change an existing pool (all but serve, demo and
// enrol, which set one up) fail with a message on a folder without a
// pool, and write nothing there.
func TestCommandsNeedExistingPool(t *testing.T) {
	commands := [][]string{
		{"stats"},
		{"devices"},
		{"audit"},
		{"audit", "--verify"},
		{"match", "--major", "460301"},
		{"backup", "--out", filepath.Join(t.TempDir(), "b.db")},
		{"revoke", "01JEXAMPLE0000000000000000"},
		{"erase", "01JEXAMPLE0000000000000000"},
	}
	for _, args := range commands {
		data := t.TempDir()
		_, stderr, code := run(t, append(args, "--data", data)...)
		if code == 0 {
			t.Errorf("%v on an empty folder: exit 0, want a failure", args)
		}
		if !strings.Contains(stderr, "中没有人才库") || !strings.Contains(stderr, data) {
			t.Errorf("%v on an empty folder: %q, want the no-pool message naming %s", args, stderr, data)
		}
		if !strings.Contains(stderr, "syncserver serve") {
			t.Errorf("%v on an empty folder: %q, want the way to make a pool", args, stderr)
		}
		entries, err := os.ReadDir(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			t.Errorf("%v on an empty folder wrote %s", args, e.Name())
		}
	}
}

// With keys.db but no master key, stats and serve make no new master key
// and name what is missing. Malformed and wrong keys get their own
// messages.
func TestMasterKeyMessages(t *testing.T) {
	data := t.TempDir()
	if _, stderr, code := run(t, "demo", "--data", data, "--people", "5"); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	masterPath := filepath.Join(data, "master.key")
	original, err := os.ReadFile(masterPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(masterPath); err != nil {
		t.Fatal(err)
	}

	for _, args := range [][]string{{"stats"}, {"serve", "--listen", freeAddr(t)}} {
		stderr, code := runWithEnv(t, nil, append(args, "--data", data)...)
		if code == 0 {
			t.Errorf("%v without master key: exit 0, want a failure", args)
		}
		if !strings.Contains(stderr, "找不到密钥库") || !strings.Contains(stderr, "MF_MASTER_KEY") {
			t.Errorf("%v without master key: %q, want the missing-master-key message", args, stderr)
		}
		if _, err := os.Stat(masterPath); !os.IsNotExist(err) {
			t.Fatalf("%v without master key wrote %s (stat: %v)", args, masterPath, err)
		}
		if _, err := os.Stat(filepath.Join(data, tlsDir)); !os.IsNotExist(err) {
			t.Errorf("%v without master key wrote a certificate (stat: %v)", args, err)
		}
	}

	wrongKey := strings.Repeat("ab", 32)
	cases := []struct {
		name string
		env  []string
		file string
		want string
	}{
		{"malformed variable", []string{"MF_MASTER_KEY=abc"}, "", "环境变量 MF_MASTER_KEY 的格式不对"},
		{"wrong variable", []string{"MF_MASTER_KEY=" + wrongKey}, "", "环境变量 MF_MASTER_KEY 中的主密钥打不开"},
		{"malformed file", nil, "xyz\n", "的格式不对"},
		{"wrong file", nil, wrongKey + "\n", "打不开密钥库"},
	}
	for _, c := range cases {
		os.Remove(masterPath)
		if c.file != "" {
			if err := os.WriteFile(masterPath, []byte(c.file), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		stderr, code := runWithEnv(t, c.env, "stats", "--data", data)
		if code == 0 {
			t.Errorf("stats with %s: exit 0, want a failure", c.name)
		}
		if !strings.Contains(stderr, c.want) {
			t.Errorf("stats with %s: %q, want %q", c.name, stderr, c.want)
		}
	}

	if err := os.WriteFile(masterPath, original, 0o600); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, stderr, code := run(t, "backup", "--data", data, "--out", backup); code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	stderr, code := runWithEnv(t, []string{"MF_MASTER_KEY=12345"}, "restore", backup, "--data", data)
	if code == 0 || !strings.Contains(stderr, "环境变量 MF_MASTER_KEY 的格式不对") {
		t.Errorf("restore with a malformed MF_MASTER_KEY: exit %d, %q; want the malformed-variable message", code, stderr)
	}
	if got := personCount(t, data); got != 5 {
		t.Errorf("persons after the refused restore = %d, want 5", got)
	}
}
