package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mobilefactory/shared/protocol"
	"mobilefactory/syncserver/hub"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "syncserver-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "syncserver")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		panic("building syncserver: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run executes the built program and returns its standard output, standard
// error and exit code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

func TestHelpChineseByDefault(t *testing.T) {
	_, stderr, code := run(t, "--help")
	if code != 0 {
		t.Errorf("--help exit code = %d, want 0", code)
	}
	if !strings.Contains(stderr, "启动同步服务器") {
		t.Errorf("--help output lacks the Chinese summary of serve:\n%s", stderr)
	}
	_, stderr, _ = run(t, "match", "--help", "--lang", "en")
	if !strings.Contains(stderr, "Find the best candidates") || !strings.Contains(stderr, "--major") {
		t.Errorf("match --help --lang en output:\n%s", stderr)
	}
}

func TestUnknownCollegeIsUsageError(t *testing.T) {
	_, stderr, code := run(t, "enrol", "--data", t.TempDir(), "--college", "9999999999")
	if code != 2 {
		t.Errorf("enrol of an unknown college exit code = %d, want 2", code)
	}
	if !strings.Contains(stderr, "院校代码“9999999999”不在教育部院校名单中") {
		t.Errorf("enrol of an unknown college output = %q", stderr)
	}
}

// A fair device is enrolled for its fair: --college is refused with a
// message naming --fair, and the code carries the fair's scope.
func TestEnrolFairDevice(t *testing.T) {
	data := t.TempDir()
	usage := []struct {
		args []string
		want string
	}{
		{[]string{"--role", "fair", "--college", "4136012941"}, "请改用 --fair 招聘会代码"},
		{[]string{"--role", "fair"}, "缺少 --fair"},
		{[]string{"--role", "fair", "--fair", "GZ-2026"}, "招聘会代码“GZ-2026”无效"},
		{[]string{"--role", "clerk", "--fair", "GZ2026A"}, "--fair 只用于招聘会设备"},
		{[]string{"--role", "clerk"}, "缺少 --college"},
	}
	for _, tc := range usage {
		_, stderr, code := run(t, append([]string{"enrol", "--data", data}, tc.args...)...)
		if code != 2 {
			t.Errorf("enrol %v exit code = %d, want 2", tc.args, code)
		}
		if !strings.Contains(stderr, tc.want) {
			t.Errorf("enrol %v output = %q, want it to contain %q", tc.args, stderr, tc.want)
		}
	}

	stdout, stderr, code := run(t, "enrol", "--data", data, "--role", "fair", "--fair", "GZ2026A")
	if code != 0 {
		t.Fatalf("enrol of a fair device failed: %s", stderr)
	}
	parsed, err := protocol.ParseEnrolCode(strings.TrimSpace(stdout))
	if err != nil {
		t.Fatalf("enrolment code %q does not parse: %v", stdout, err)
	}
	if parsed.College != "fair:GZ2026A" || parsed.Role != "fair" {
		t.Errorf("code carries scope %q role %q, want fair:GZ2026A fair", parsed.College, parsed.Role)
	}
	if !strings.Contains(stderr, "招聘会 GZ2026A") {
		t.Errorf("enrol output does not name the fair: %q", stderr)
	}
}

// With the server stopped, the admin commands open the pool file: demo
// data, stats and match give the generated records.
func TestStatsAndMatchOnPoolFile(t *testing.T) {
	data := t.TempDir()
	if _, stderr, code := run(t, "demo", "--data", data, "--people", "300", "--seed", "5"); code != 0 {
		t.Fatalf("demo failed: %s", stderr)
	}
	stdout, stderr, code := run(t, "stats", "--data", data, "--json")
	if code != 0 {
		t.Fatalf("stats failed: %s", stderr)
	}
	var rep hub.StatsReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stats --json output is not JSON: %v\n%s", err, stdout)
	}
	if rep.Total["person"] != 300 {
		t.Errorf("stats total persons = %d, want 300", rep.Total["person"])
	}

	stdout, stderr, code = run(t, "match", "--data", data, "--major", "软件技术,460301", "-n", "5", "--json")
	if code != 0 {
		t.Fatalf("match failed: %s", stderr)
	}
	var results []MatchResult
	if err := json.Unmarshal([]byte(stdout), &results); err != nil {
		t.Fatalf("match --json output is not JSON: %v\n%s", err, stdout)
	}
	if len(results) != 5 {
		t.Fatalf("match returned %d candidates, want 5", len(results))
	}
	for i, r := range results {
		if r.Rank != i+1 || len(r.Reasons) == 0 {
			t.Errorf("result %d = rank %d with %d reasons, want rank %d with reasons", i, r.Rank, len(r.Reasons), i+1)
		}
		if i > 0 && r.Score > results[i-1].Score {
			t.Errorf("result %d scores %.1f, above result %d's %.1f", i, r.Score, i-1, results[i-1].Score)
		}
	}

	_, stderr, code = run(t, "match", "--data", data, "--major", "999999")
	if code != 2 || !strings.Contains(stderr, "专业代码“999999”不在高职专业目录中") {
		t.Errorf("match of an unknown major: exit %d, output %q", code, stderr)
	}
}

// While the server runs, enrol and stats reach it through its admin API.
func TestAdminCommandsWhileServing(t *testing.T) {
	data := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := exec.CommandContext(ctx, binary, "serve", "--data", data, "--listen", addr)
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = serve.Process.Signal(os.Interrupt)
		_ = serve.Wait()
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(data, adminFile)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not write admin.json")
		}
		time.Sleep(20 * time.Millisecond)
	}

	stdout, stderr, code := run(t, "enrol", "--data", data, "--college", "4136012941")
	if code != 0 {
		t.Fatalf("enrol while serving failed: %s", stderr)
	}
	text := strings.TrimSpace(stdout)
	parsed, err := protocol.ParseEnrolCode(text)
	if err != nil {
		t.Fatalf("enrolment code %q does not parse: %v", text, err)
	}
	if parsed.College != "4136012941" || parsed.Role != "clerk" {
		t.Errorf("code carries college %q role %q, want 4136012941 clerk", parsed.College, parsed.Role)
	}
	raw, err := os.ReadFile(filepath.Join(data, adminFile))
	if err != nil {
		t.Fatal(err)
	}
	info, err := parseAdminInfo(raw)
	if err != nil {
		t.Fatalf("admin.json: %v", err)
	}
	if !bytes.Equal(parsed.Fingerprint, info.pin) {
		t.Errorf("code fingerprint %x, admin.json %x; want equal", parsed.Fingerprint, info.pin)
	}
	if !strings.Contains(stderr, "江西财经职业学院") {
		t.Errorf("enrol output does not name the college: %q", stderr)
	}
	stdout, stderr, code = run(t, "stats", "--data", data, "--json")
	if code != 0 {
		t.Fatalf("stats while serving failed: %s", stderr)
	}
	if !strings.Contains(stdout, `"log_changes": 0`) {
		t.Errorf("stats of an empty pool = %s", stdout)
	}
}

func TestSkewText(t *testing.T) {
	cases := map[time.Duration]string{
		8760 * time.Hour:        "+365 天",
		-3 * time.Hour:          "-3 小时",
		90 * time.Second:        "+1 分钟",
		-2 * time.Second:        "-2 秒",
		-400 * time.Millisecond: "无偏差",
		0:                       "无偏差",
	}
	for skew, want := range cases {
		if got := skewText(skew); got != want {
			t.Errorf("skewText(%v) = %q, want %q", skew, got, want)
		}
	}
}
