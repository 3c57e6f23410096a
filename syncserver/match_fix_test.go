package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// A stopped server (SIGSTOP) still accepts connections but never answers.
// The command gives up after the connect timeout and says the server does
// not respond, instead of waiting for the pool file's lock.
func TestStoppedServerNamedNotLock(t *testing.T) {
	data := t.TempDir()
	writeDuplicatePair(t, data)
	server := &serverProcess{t: t, data: data, addr: "127.0.0.1:19150"}
	server.start()
	defer server.stop()
	if err := server.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = server.cmd.Process.Signal(syscall.SIGCONT) }()

	_, stderr, code := run(t, "duplicates", "--data", data, "list")
	if code != 1 {
		t.Errorf("list on a stopped server: exit %d, want 1", code)
	}
	if !strings.Contains(stderr, "服务器（127.0.0.1:19150）") || !strings.Contains(stderr, "没有响应") {
		t.Errorf("stderr %q, want the no-response message naming 127.0.0.1:19150", stderr)
	}
	if strings.Contains(stderr, "正被另一个进程使用") {
		t.Errorf("stderr %q blames the pool file lock", stderr)
	}
}

func TestMatchUseHelp(t *testing.T) {
	_, stderr, _ := run(t, "match", "job", "--help")
	if strings.Contains(stderr, "match job job") {
		t.Errorf("help repeats the use: %q", stderr)
	}
	if !strings.Contains(stderr, "match job 岗位需求编号") {
		t.Errorf("help usage line lacks \"match job 岗位需求编号\": %q", stderr)
	}
	if strings.Contains(stderr, "(默认 0)") || !strings.Contains(stderr, "不给或给 0 时列出 50 条") {
		t.Errorf("-n help %q, want the default stated once in words", stderr)
	}
	_, stderr, _ = run(t, "match", "person", "--help")
	if !strings.Contains(stderr, "为一名人员找出最合适的在招岗位") {
		t.Errorf("match person help lacks its own summary: %q", stderr)
	}
}

func TestMatchUnknownUseListsUses(t *testing.T) {
	_, stderr, code := run(t, "match", "jobs", "01JD8ZQ4X6V3N2M5K7P9R1T3W5", "--data", t.TempDir())
	if code != 2 || !strings.Contains(stderr, "不认识的匹配用途“jobs”") || !strings.Contains(stderr, "job、person、transfer、assign 或 regions") {
		t.Errorf("match jobs: exit %d, stderr %q; want 2 and the list of uses", code, stderr)
	}
}

func TestOutFolderNamed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d.xlsx")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"match", "regions", "--data", t.TempDir(), "--out", dir},
		{"duplicates", "--data", t.TempDir(), "list", "--out", dir},
	} {
		_, stderr, code := run(t, args...)
		if code != 2 || !strings.Contains(stderr, dir+" 是一个文件夹") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and the folder message", args, code, stderr)
		}
	}
}

func TestMatchAssignBadFairCode(t *testing.T) {
	_, stderr, code := run(t, "match", "assign", "--fair", "bad code!", "--data", t.TempDir())
	if code != 2 || !strings.Contains(stderr, "2 到 16 位英文字母或数字") {
		t.Errorf("bad fair code: exit %d, stderr %q; want 2 and the format", code, stderr)
	}
}

// In English the reasons use ASCII brackets, and assign -n prints the
// total of all pairs and says how many are listed.
func TestMatchOutputEnglishAndAssignTotal(t *testing.T) {
	data := t.TempDir()
	if _, stderr, code := run(t, "demo", "--data", data, "--people", "300", "--seed", "5"); code != 0 {
		t.Fatalf("demo failed: %s", stderr)
	}
	demand := firstDemand(t, data)
	stdout, stderr, code := run(t, "match", "job", demand, "--data", data, "-n", "3", "--lang", "en")
	if code != 0 {
		t.Fatalf("match job --lang en: exit %d, %s", code, stderr)
	}
	if strings.Contains(stdout, "（") || !strings.Contains(stdout, " (+") {
		t.Errorf("English reasons keep full-width brackets or lack \" (+\":\n%s", stdout)
	}

	writeFairVisitors(t, data, demand, 3)
	res := matchJSON(t, "assign", "--fair", "gz2026a", "--data", data, "--json")
	if res.Assigned < 2 {
		t.Fatalf("assign of 3 fitting visitors made %d pairs, want at least 2", res.Assigned)
	}
	stdout, stderr, code = run(t, "match", "assign", "--fair", "gz2026a", "--data", data, "-n", "1")
	if code != 0 {
		t.Fatalf("match assign -n 1: exit %d, %s", code, stderr)
	}
	if !strings.Contains(stdout, "以下列出前 1 对") || !strings.Contains(stdout, "参与分配的来访人员") {
		t.Errorf("assign -n 1 output lacks the listed-pairs total or the visitors count:\n%s", stdout)
	}
}

// writeFairVisitors registers n consenting job seekers at fair GZ2026A,
// each of a major the demand asks for.
func writeFairVisitors(t *testing.T, data, demand string, n int) {
	t.Helper()
	p, err := pool.Open(poolPath(data), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var major string
	err = p.Each(record.KindDemand, func(st *changeset.State) error {
		if d := record.DemandFrom(st.ID.String(), st.Scope, st.Values()); d.ID == demand && len(d.Majors) > 0 {
			major = d.Majors[0]
		}
		return nil
	})
	if err != nil || major == "" {
		t.Fatalf("demand %s names no major (err %v)", demand, err)
	}
	stamp := hlc.Make(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).UnixMilli(), 0)
	var changes []changeset.Change
	for k := range n {
		id := ulid.Make()
		fields := record.Person{Name: "访客" + strconv.Itoa(k), Major: major, GradYear: 2025,
			Status: record.StatusSeeking, Consent: record.ConsentGiven}.Fields()
		for field, value := range fields {
			if value == "" {
				continue
			}
			stamp++
			changes = append(changes, changeset.Change{Kind: record.KindPerson, ID: id, Scope: "fair:GZ2026A",
				Field: field, Value: value, Stamp: stamp, Device: "fair-laptop"})
		}
	}
	if _, err := p.ApplyTrusted(changes); err != nil {
		t.Fatal(err)
	}
}
