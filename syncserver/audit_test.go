package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/shared/tlspin"
	"mobilefactory/syncserver/pool"
)

// auditPool makes a pool in a new data folder with one enrolled clerk that
// pushed a person, and returns the folder, the device and the person.
func auditPool(t *testing.T) (string, string, string) {
	t.Helper()
	data := t.TempDir()
	p, err := pool.Open(poolPath(data), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	code, err := p.CreateEnrolment("4136012941", "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	d, err := p.Enrol(code, ulid.Make().String(), pub, "test")
	if err != nil {
		t.Fatal(err)
	}
	person := ulid.Make()
	stamp := hlc.Make(time.Now().UnixMilli(), 0)
	changes := []changeset.Change{
		{Kind: record.KindPerson, ID: person, Scope: d.College, Field: record.FieldName, Value: "李娜", Stamp: stamp, Device: d.ID, Account: "王老师", Seq: 1},
		{Kind: record.KindPerson, ID: person, Scope: d.College, Field: record.FieldPhone, Value: "13807912345", Stamp: stamp, Device: d.ID, Account: "王老师", Seq: 2},
		{Kind: record.KindPerson, ID: ulid.Make(), Scope: "4136011785", Field: record.FieldName, Value: "张伟", Stamp: stamp, Device: d.ID, Account: "王老师", Seq: 3},
	}
	if _, err := p.ApplyPush(d.ID, 1, 3, changes); err != nil {
		t.Fatal(err)
	}
	return data, d.ID, person.String()
}

func TestAuditCommandOnPoolFile(t *testing.T) {
	data, device, person := auditPool(t)

	stdout, stderr, code := run(t, "audit", "--data", data)
	if code != 0 {
		t.Fatalf("audit failed: %s", stderr)
	}
	for _, want := range []string{"设备登记", "写入", "拒绝", "超出院校范围", "姓名、手机号", "王老师", person, "共 3 条。"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("audit output lacks %q:\n%s", want, stdout)
		}
	}
	for _, value := range []string{"李娜", "13807912345", "张伟"} {
		if strings.Contains(stdout, value) {
			t.Errorf("audit output shows the value %q:\n%s", value, stdout)
		}
	}

	stdout, _, _ = run(t, "audit", "--data", data, "--lang", "en", "--person", person)
	if !strings.Contains(stdout, "write") || !strings.Contains(stdout, "1 entries.") || strings.Contains(stdout, "device enrolled") {
		t.Errorf("audit --person in English = \n%s\nwant only the write", stdout)
	}

	stdout, _, _ = run(t, "audit", "--data", data, "--device", device, "--json")
	var entries []pool.AuditEntry
	if err := json.Unmarshal([]byte(stdout), &entries); err != nil {
		t.Fatalf("audit --json output is not JSON: %v\n%s", err, stdout)
	}
	if len(entries) != 3 {
		t.Errorf("audit --device %s listed %d entries, want 3", device, len(entries))
	}

	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	stdout, _, _ = run(t, "audit", "--data", data, "--from", tomorrow)
	if !strings.Contains(stdout, "没有符合条件的审计条目") {
		t.Errorf("audit --from tomorrow = %s, want no entries", stdout)
	}
	_, stderr, code = run(t, "audit", "--data", data, "--from", "2026-13-01")
	if code != 2 || !strings.Contains(stderr, "日期 \"2026-13-01\" 无效") {
		t.Errorf("audit with a bad date: exit %d, output %q; want usage error naming the date", code, stderr)
	}
}

func TestAuditVerifyFindsTampering(t *testing.T) {
	data, _, _ := auditPool(t)
	stdout, stderr, code := run(t, "audit", "--data", data, "--verify")
	if code != 0 || !strings.Contains(stdout, "审计日志完整：共 3 条") {
		t.Fatalf("audit --verify of an untouched log: exit %d, %s %s", code, stdout, stderr)
	}

	// Someone with the pool file changes who made the second entry.
	db, err := bolt.Open(poolPath(data), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("audit"))
		key := []byte{0, 0, 0, 0, 0, 0, 0, 2}
		raw := strings.Replace(string(b.Get(key)), "王老师", "李老师", 1)
		return b.Put(key, []byte(raw))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	stdout, _, code = run(t, "audit", "--data", data, "--verify")
	if code != 1 {
		t.Errorf("audit --verify of a changed log exit code = %d, want 1", code)
	}
	if !strings.Contains(stdout, "审计日志被改动过") || !strings.Contains(stdout, "entry 2") {
		t.Errorf("audit --verify of a changed log = %q, want the broken chain at entry 2", stdout)
	}
}

// startServe runs `syncserver serve` on a free loopback port until the
// returned function stops it, and returns the server's base URL.
func startServe(t *testing.T, data string) (string, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	serve := exec.Command(binary, "serve", "--data", data, "--listen", addr)
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() {
		_ = serve.Process.Signal(os.Interrupt)
		_ = serve.Wait()
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(data, adminFile)); err == nil {
			return "https://" + addr, stop
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatal("server did not write admin.json")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// While the server runs, audit reads the log through the admin API.
func TestAuditCommandWhileServing(t *testing.T) {
	data := t.TempDir()
	base, stop := startServe(t, data)
	defer stop()

	stdout, stderr, code := run(t, "enrol", "--data", data, "--college", "4136012941")
	if code != 0 {
		t.Fatalf("enrol while serving failed: %s", stderr)
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	device := ulid.Make().String()
	enrolCode := strings.TrimSpace(stdout)
	parsed, err := protocol.ParseEnrolCode(enrolCode)
	if err != nil {
		t.Fatal(err)
	}
	tlsConfig, err := tlspin.Config(parsed.Fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfig}}
	body, _ := json.Marshal(protocol.EnrolRequest{Code: enrolCode, Device: device, PublicKey: pub, ClientVersion: "test"})
	resp, err := client.Post(base+"/enrol", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("enrolment while serving: %s", resp.Status)
	}

	stdout, stderr, code = run(t, "audit", "--data", data, "--json", "--device", device)
	if code != 0 {
		t.Fatalf("audit while serving failed: %s", stderr)
	}
	var entries []pool.AuditEntry
	if err := json.Unmarshal([]byte(stdout), &entries); err != nil {
		t.Fatalf("audit --json output is not JSON: %v\n%s", err, stdout)
	}
	if len(entries) != 1 || entries[0].Action != pool.ActionEnrol || entries[0].Role != "clerk" {
		t.Errorf("audit entries of the new device = %+v, want its enrolment as clerk", entries)
	}
	stdout, stderr, code = run(t, "audit", "--data", data, "--verify")
	if code != 0 || !strings.Contains(stdout, "审计日志完整：共 1 条") {
		t.Errorf("audit --verify while serving: exit %d, %s %s", code, stdout, stderr)
	}
}

func TestAuditRowShowsRoleName(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	row := auditRow(pool.AuditEntry{Seq: 1, Action: pool.ActionEnrol, Device: "D1", Role: "reviewer", Scope: "4136000001"})
	cells := strings.Split(row, "\t")
	if len(cells) < 5 {
		t.Fatalf("audit row %q has %d cells, want at least 5", row, len(cells))
	}
	if cells[4] != "审核员" {
		t.Errorf("role cell = %q, want 审核员", cells[4])
	}
	if got := roleText("clerk"); got != "录入员" {
		t.Errorf("roleText(clerk) = %q, want 录入员", got)
	}
	if got := roleText("custom"); got != "custom" {
		t.Errorf("roleText(custom) = %q, want the role itself", got)
	}
}

// An export event comes from a recommendation report or from the person
// list, and the access record does not say which, so the label names both.
func TestAuditRowExportLabel(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	row := auditRow(pool.AuditEntry{Seq: 1, Action: pool.ActionExport, Device: "D1", Role: "clerk", Scope: "4136000001"})
	cells := strings.Split(row, "\t")
	if len(cells) < 3 {
		t.Fatalf("audit row %q has %d cells, want at least 3", row, len(cells))
	}
	if cells[2] != "导出完整个人信息（推荐报告或人才名单）" {
		t.Errorf("action cell = %q, want 导出完整个人信息（推荐报告或人才名单）", cells[2])
	}
}

// Every reason an audit entry can carry reads as words in both languages,
// never as a message key.
func TestAuditReasonsTranslated(t *testing.T) {
	reasons := []string{
		string(protocol.CodeScope), string(protocol.CodeRole), string(protocol.CodeInvalid),
		string(protocol.CodeErased), string(protocol.CodeEnrol), pool.ReasonEnrolCodeExpired,
		string(protocol.CodeOtherCollege), string(protocol.CodeDeviceKnown), string(protocol.CodeRevokedDevice),
		pool.RestoreCarried, pool.RestoreDiverged, pool.RestoreNoLivePool,
	}
	for _, locale := range []string{i18n.Chinese, i18n.English} {
		for _, reason := range reasons {
			key := "server.audit.reason." + reason
			if got := i18n.In(locale, key); got == key || got == "" {
				t.Errorf("%s in %s = %q, want a translation", key, locale, got)
			}
		}
	}
}

// Every record kind has a name in the audit table, and the province scope
// of directory records reads 全省.
func TestAuditRowNamesKindsAndProvince(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	for _, k := range record.Kinds {
		key := "server.audit.kind." + k.String()
		if got := i18n.T(key); got == key {
			t.Errorf("kind %s has no audit name", k)
		}
	}
	row := auditRow(pool.AuditEntry{Seq: 7, Action: "write", Kind: record.KindDemand, Record: "01J00000000000000000000000",
		Scope: record.ProvinceScope, Fields: []string{record.FieldTitle}})
	cells := strings.Split(row, "\t")
	if len(cells) != 11 {
		t.Fatalf("row has %d cells, want 11: %q", len(cells), row)
	}
	if cells[6] != "岗位需求" {
		t.Errorf("kind cell = %q, want 岗位需求", cells[6])
	}
	if cells[8] != "全省" {
		t.Errorf("scope cell = %q, want 全省", cells[8])
	}
}
