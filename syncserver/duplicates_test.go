package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// TestDuplicatesCommand lists a pair, merges it, undoes the merge and
// keeps the pair apart through the built program, on a real pool folder.
func TestDuplicatesCommand(t *testing.T) {
	data := t.TempDir()
	a, b, twoPeople := writeDuplicatePair(t, data)
	checkDuplicatesCommand(t, data, a, b, twoPeople)
}

// TestDuplicatesCommandWhileServing runs the same steps while `syncserver
// serve` holds the pool file, so each one goes through /admin/duplicates.
func TestDuplicatesCommandWhileServing(t *testing.T) {
	data := t.TempDir()
	a, b, twoPeople := writeDuplicatePair(t, data)
	server := &serverProcess{t: t, data: data, addr: "127.0.0.1:19517"}
	server.start()
	defer server.stop()

	if _, err := pool.Open(filepath.Join(data, "pool.db"), pool.Options{Timeout: 100 * time.Millisecond}); err == nil {
		t.Fatal("pool file opened while the server runs; the test would not use the admin endpoints")
	}
	checkDuplicatesCommand(t, data, a, b, twoPeople)
}

// writeDuplicatePair writes two person records whose ID numbers are one
// typo apart into a new pool in data, and returns their ULIDs. It also
// writes and returns two records of one name whose ID numbers are valid
// and differ.
func writeDuplicatePair(t *testing.T, data string) (ulid.ULID, ulid.ULID, [2]ulid.ULID) {
	t.Helper()
	p, err := pool.Open(filepath.Join(data, "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	stamp := hlc.Make(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).UnixMilli(), 0)
	a, b, c, d := ulid.Make(), ulid.Make(), ulid.Make(), ulid.Make()
	var changes []changeset.Change
	for _, r := range []struct {
		id    ulid.ULID
		scope string
		name  string
		idNo  string
	}{{a, "4136012941", "刘芳", "360102200305123016"}, {b, "fair:GZ2026A", "刘方", "360102200305123019"},
		// Two more people whose ID numbers both pass the check character.
		{c, "4136012941", "王强", "360102200301017778"}, {d, "fair:GZ2026A", "王强", "360102199901011235"}} {
		phone := "13807912345"
		if r.name == "王强" {
			phone = ""
		}
		for field, value := range map[string]string{record.FieldName: r.name, record.FieldIDNumber: r.idNo, record.FieldPhone: phone} {
			changes = append(changes, changeset.Change{Kind: record.KindPerson, ID: r.id, Scope: r.scope,
				Field: field, Value: value, Stamp: stamp, Device: "test"})
		}
	}
	if _, err := p.ApplyTrusted(changes); err != nil {
		t.Fatal(err)
	}
	p.Close()
	return a, b, [2]ulid.ULID{c, d}
}

// checkDuplicatesCommand runs list, merge, undo and apart on the pair a
// and b in data, and the command's usage errors.
func checkDuplicatesCommand(t *testing.T, data string, a, b ulid.ULID, twoPeople [2]ulid.ULID) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "重复.xlsx")
	stdout, stderr, code := run(t, "duplicates", "--data", data, "list", "--out", out)
	if code != 0 {
		t.Fatalf("list exit code %d: %s", code, stderr)
	}
	for _, want := range []string{"刘芳", "刘方", "招聘会 GZ2026A", "3601**********3016", "138****2345", "身份证号只差一位", "共 1 对"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("list output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "360102200305123016") || strings.Contains(stdout, "13807912345") {
		t.Errorf("list output shows a personal number in full:\n%s", stdout)
	}
	if info, err := os.Stat(out); err != nil || info.Size() == 0 {
		t.Errorf("xlsx %s not written: %v", out, err)
	}

	stdout, stderr, code = run(t, "duplicates", "merge", a.String(), b.String(), "--data", data)
	if code != 0 {
		t.Fatalf("merge exit code %d: %s", code, stderr)
	}
	decision := regexp.MustCompile(`决定编号 ([0-9A-Z]{26})`).FindStringSubmatch(stdout)
	if decision == nil {
		t.Fatalf("merge output names no decision: %s", stdout)
	}
	if stdout, _, _ := run(t, "duplicates", "--data", data, "list"); !strings.Contains(stdout, "没有发现可能重复") {
		t.Errorf("list after merge:\n%s", stdout)
	}
	if _, stderr, code := run(t, "duplicates", "--data", data, "merge", a.String(), b.String()); code != 1 || !strings.Contains(stderr, "已属于同一人员") {
		t.Errorf("second merge exit %d, stderr %q; want 1 and the already-merged message", code, stderr)
	}

	if stdout, stderr, code := run(t, "duplicates", "--data", data, "undo", decision[1]); code != 0 || !strings.Contains(stdout, "已撤销合并决定") {
		t.Fatalf("undo exit %d: %s %s", code, stdout, stderr)
	}
	if stdout, _, _ := run(t, "duplicates", "--data", data, "apart", a.String(), b.String()); !strings.Contains(stdout, "不同人员") {
		t.Errorf("apart output: %s", stdout)
	}
	if stdout, _, _ := run(t, "duplicates", "--data", data, "list"); !strings.Contains(stdout, "没有发现可能重复") {
		t.Errorf("list after apart:\n%s", stdout)
	}
	_, stderr, code = run(t, "duplicates", "--data", data, "merge", a.String(), b.String())
	if code != 1 || !strings.Contains(stderr, "已被决定为不同的人") || !strings.Contains(stderr, "undo") {
		t.Errorf("merge after apart: exit %d, stderr %q; want 1 and the kept-apart message naming undo", code, stderr)
	}

	usage := []struct {
		args []string
		want string
	}{
		{[]string{"duplicates", "--data", data}, "缺少操作"},
		{[]string{"duplicates", "--data", data, "join"}, "不认识的操作“join”"},
		{[]string{"duplicates", "--data", data, "merge", a.String()}, "至少需要两个"},
		{[]string{"duplicates", "--data", data, "merge", a.String(), "abc"}, "“abc”不是记录编号"},
		{[]string{"duplicates", "--data", data, "list", "--limit", "0"}, "--limit 必须是 1 到 100000 之间的整数，现在是 0"},
		{[]string{"duplicates", "--data", data, "list", "--limit", "100000000"}, "现在是 100000000"},
		{[]string{"duplicates", "--data", data, "list", "--out", "a.csv"}, "必须以 .xlsx 结尾"},
	}
	for _, u := range usage {
		_, stderr, code := run(t, u.args...)
		if code != 2 || !strings.Contains(stderr, u.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", u.args, code, stderr, u.want)
		}
	}
	if _, stderr, code := run(t, "duplicates", "--data", data, "merge", a.String(), ulid.Make().String()); code != 1 || !strings.Contains(stderr, "人才库中没有记录编号为") {
		t.Errorf("merge with an unknown person: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = run(t, "duplicates", "--data", data, "merge", twoPeople[0].String(), twoPeople[1].String())
	if code != 1 || !strings.Contains(stderr, "两个不同的人") {
		t.Errorf("merge of two valid ID numbers: exit %d, stderr %q; want 1 and the two-people message", code, stderr)
	}
	for _, masked := range []string{"3601**********7778", "3601**********1235"} {
		if !strings.Contains(stderr, masked) {
			t.Errorf("two-people message lacks the masked ID number %s: %q", masked, stderr)
		}
	}
	if strings.Contains(stderr, "360102200301017778") {
		t.Errorf("two-people message shows an ID number in full: %q", stderr)
	}
}
