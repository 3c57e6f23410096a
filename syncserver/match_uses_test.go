package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/xuri/excelize/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// firstDemand returns the ULID of the pool's first job demand.
func firstDemand(t *testing.T, data string) string {
	t.Helper()
	p, err := pool.Open(poolPath(data), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var id string
	err = p.Each(record.KindDemand, func(st *changeset.State) error {
		if id == "" && record.DemandFrom(st.ID.String(), st.Scope, st.Values()).OpenOn(record.Today()) {
			id = st.ID.String()
		}
		return nil
	})
	if err != nil || id == "" {
		t.Fatalf("no open demand in the demo pool (err %v)", err)
	}
	return id
}

func matchJSON(t *testing.T, args ...string) protocol.MatchResult {
	t.Helper()
	stdout, stderr, code := run(t, append([]string{"match"}, args...)...)
	if code != 0 {
		t.Fatalf("match %v failed: %s", args, stderr)
	}
	var res protocol.MatchResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("match %v output is not JSON: %v\n%s", args, err, stdout)
	}
	return res
}

// match job gives the same ranking from the pool file and from the
// running server, prints a Chinese table, and names an unknown demand.
func TestMatchJobWithAndWithoutServer(t *testing.T) {
	data := t.TempDir()
	if _, stderr, code := run(t, "demo", "--data", data, "--people", "300", "--seed", "5"); code != 0 {
		t.Fatalf("demo failed: %s", stderr)
	}
	demand := firstDemand(t, data)

	offline := matchJSON(t, "job", demand, "--data", data, "-n", "5", "--json")
	if len(offline.Rows) == 0 || offline.Rows[0].Demand != demand {
		t.Fatalf("offline rows = %+v, want candidates for %s", offline.Rows, demand)
	}
	stdout, stderr, code := run(t, "match", "job", demand, "--data", data, "-n", "3")
	if code != 0 || !strings.Contains(stdout, "名次") || !strings.Contains(stdout, "匹配索引含") {
		t.Errorf("match job table: exit %d, output %q, stderr %q", code, stdout, stderr)
	}
	missing := ulid.Make().String()
	_, stderr, code = run(t, "match", "job", missing, "--data", data)
	if code == 0 || !strings.Contains(stderr, "岗位需求“"+missing+"”不在人才库中") || strings.Contains(stderr, "秒") {
		t.Errorf("unknown demand: exit %d, stderr %q, want the message naming it without a refresh wait", code, stderr)
	}

	_, stop := startServe(t, data)
	defer stop()
	waitIndexBuilt(t, data)
	online := matchJSON(t, "job", demand, "--data", data, "-n", "5", "--json")
	if len(online.Rows) != len(offline.Rows) || online.Rows[0].Person != offline.Rows[0].Person {
		t.Errorf("served top = %+v, want the offline ranking's %+v", online.Rows, offline.Rows)
	}
	_, stderr, code = run(t, "match", "job", missing, "--data", data)
	if code == 0 || !strings.Contains(stderr, "岗位需求“"+missing+"”不在匹配索引中") {
		t.Errorf("unknown demand while serving: exit %d, stderr %q", code, stderr)
	}
}

// waitIndexBuilt waits until the server on data answers match requests,
// which it refuses with the index-building message until its first build
// ends.
func waitIndexBuilt(t *testing.T, data string) {
	t.Helper()
	for range 600 {
		_, stderr, code := run(t, "match", "regions", "--data", data, "--json")
		if code == 0 {
			return
		}
		if !strings.Contains(stderr, "服务器正在建立匹配索引") {
			t.Fatalf("match regions while the index builds: exit %d, stderr %q", code, stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the server did not finish building the matching index")
}

func TestMatchRegionsOut(t *testing.T) {
	data := t.TempDir()
	if _, stderr, code := run(t, "demo", "--data", data, "--people", "300", "--seed", "5"); code != 0 {
		t.Fatalf("demo failed: %s", stderr)
	}
	out := filepath.Join(t.TempDir(), "地区.xlsx")
	if _, stderr, code := run(t, "match", "regions", "--data", data, "--out", out); code != 0 {
		t.Fatalf("match regions --out failed: %s", stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], "|"); got != "名次|地区代码|地区|可匹配人数" {
		t.Errorf("header = %s", got)
	}
}

func TestMatchUseMissingSubject(t *testing.T) {
	_, stderr, code := run(t, "match", "job", "--data", t.TempDir())
	if code != 2 || !strings.Contains(stderr, "缺少岗位需求编号") {
		t.Errorf("match job without an ID: exit %d, stderr %q, want the usage message", code, stderr)
	}
}
