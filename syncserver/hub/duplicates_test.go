package hub

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// adminRequest sends one admin request to the server's handler and
// returns the status and body.
func adminRequest(t *testing.T, h http.Handler, method, path, body string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer token")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

func TestAdminDuplicatesEndpoints(t *testing.T) {
	p, err := pool.Open(filepath.Join(t.TempDir(), "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	stamp := hlc.Make(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).UnixMilli(), 0)
	a, b := ulid.Make(), ulid.Make()
	var changes []changeset.Change
	for id, name := range map[ulid.ULID]string{a: "张伟", b: "张玮"} {
		for field, value := range map[string]string{record.FieldName: name, record.FieldPhone: "13807912345"} {
			changes = append(changes, changeset.Change{Kind: record.KindPerson, ID: id, Scope: college,
				Field: field, Value: value, Stamp: stamp, Device: "test"})
		}
	}
	if _, err := p.ApplyTrusted(changes); err != nil {
		t.Fatal(err)
	}
	h := New(p, Options{AdminToken: "token"}).Handler()

	code, body := adminRequest(t, h, "GET", "/admin/duplicates", "")
	if code != http.StatusOK {
		t.Fatalf("list status %d: %s", code, body)
	}
	var dups []pool.Duplicate
	if err := json.Unmarshal(body, &dups); err != nil {
		t.Fatal(err)
	}
	if len(dups) != 1 || dups[0].Rule != pool.RulePhone {
		t.Fatalf("list = %+v, want one pair by phone", dups)
	}
	if dups[0].A.Phone != "138****2345" {
		t.Errorf("listed phone = %q, want it masked as 138****2345", dups[0].A.Phone)
	}

	for _, limit := range []string{"0", "x", "100001"} {
		if code, body := adminRequest(t, h, "GET", "/admin/duplicates?limit="+limit, ""); code != http.StatusBadRequest {
			t.Errorf("limit %s: status %d (%s), want 400", limit, code, body)
		}
	}

	unknown := ulid.Make()
	code, body = adminRequest(t, h, "POST", "/admin/duplicates/decide",
		`{"action":"merge","persons":["`+a.String()+`","`+unknown.String()+`"]}`)
	var herr protocol.HTTPError
	_ = json.Unmarshal(body, &herr)
	if code != http.StatusNotFound || herr.Code != CodeNoPerson || herr.Message != unknown.String() {
		t.Errorf("merge with an unknown person: status %d, %+v; want 404, %s and its ULID", code, herr, CodeNoPerson)
	}
	if code, _ := adminRequest(t, h, "POST", "/admin/duplicates/decide", `{"action":"join"}`); code != http.StatusBadRequest {
		t.Errorf("unknown action: status %d, want 400", code)
	}

	code, body = adminRequest(t, h, "POST", "/admin/duplicates/decide",
		`{"action":"merge","persons":["`+a.String()+`","`+b.String()+`"],"by":"central-1"}`)
	var d record.Merge
	if err := json.Unmarshal(body, &d); err != nil || code != http.StatusOK {
		t.Fatalf("merge: status %d, %s", code, body)
	}
	if d.DecidedBy != "central-1" || len(d.Persons) != 2 {
		t.Errorf("merge decision = %+v, want two persons decided by central-1", d)
	}
	code, body = adminRequest(t, h, "POST", "/admin/duplicates/decide",
		`{"action":"merge","persons":["`+a.String()+`","`+b.String()+`"]}`)
	herr = protocol.HTTPError{}
	_ = json.Unmarshal(body, &herr)
	if code != http.StatusConflict || herr.Code != CodeSameEntry {
		t.Errorf("second merge: status %d, %+v; want 409 and %s", code, herr, CodeSameEntry)
	}
	code, _ = adminRequest(t, h, "POST", "/admin/duplicates/decide", `{"action":"undo","decision":"`+d.ID+`"}`)
	if code != http.StatusOK {
		t.Errorf("undo: status %d, want 200", code)
	}
	code, body = adminRequest(t, h, "POST", "/admin/duplicates/decide", `{"action":"undo","decision":"`+d.ID+`"}`)
	herr = protocol.HTTPError{}
	_ = json.Unmarshal(body, &herr)
	if code != http.StatusNotFound || herr.Code != CodeNoDecision {
		t.Errorf("second undo: status %d, %+v; want 404 and %s", code, herr, CodeNoDecision)
	}
}
