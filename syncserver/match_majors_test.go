package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/match"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/matchsvc"
	"mobilefactory/syncserver/pool"
)

// With the matching service running, the GET form of /admin/match ranks
// on its index: the engine's hard filters leave out a person employed in
// Jiangxi, whom the full scan of rankPool lists.
func TestMajorsRankingUsesIndex(t *testing.T) {
	p, err := pool.Open(filepath.Join(t.TempDir(), "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	seeker, employed := ulid.Make(), ulid.Make()
	stamp := hlc.Make(time.Now().UnixMilli(), 0)
	var changes []changeset.Change
	add := func(id ulid.ULID, person record.Person) {
		for _, field := range record.FieldsOf(record.KindPerson) {
			if v := person.Fields()[field]; v != "" {
				stamp++
				changes = append(changes, changeset.Change{Kind: record.KindPerson, ID: id, Scope: "4136012941",
					Field: field, Value: v, Stamp: stamp, Device: "test"})
			}
		}
	}
	add(seeker, record.Person{Name: "张三", Major: "460103", GradYear: 2025, HomeRegion: "360121",
		Status: record.StatusSeeking, Consent: record.ConsentGiven})
	add(employed, record.Person{Name: "李四", Major: "460103", GradYear: 2024, HomeRegion: "360121",
		Status: record.StatusEmployed, WorkRegion: "360102", Employer: "南昌某厂", Consent: record.ConsentGiven})
	if _, err := p.ApplyTrusted(changes); err != nil {
		t.Fatal(err)
	}

	scan, err := rankPool(p, match.Query{Majors: []string{"460103"}, Limit: 5}, "zh-Hans")
	if err != nil {
		t.Fatal(err)
	}
	if len(scan) != 2 {
		t.Fatalf("full scan lists %d people, want both", len(scan))
	}

	svc := matchsvc.New(p, matchsvc.Options{})
	if err := svc.Load(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(matchHandler(p, svc, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/admin/match?major=460103&n=5&lang=zh-Hans")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET status %d, want 200", resp.StatusCode)
	}
	var results []MatchResult
	if err := json.NewDecoder(resp.Body).Decode(&results); err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 || results[0].Person != seeker.String() {
		t.Fatalf("results %+v, want only the seeker %s", results, seeker)
	}
	r := results[0]
	if r.Rank != 1 || r.Status != "待就业" || r.Major != "460103 数控技术" || len(r.Reasons) == 0 || r.Score <= 0 {
		t.Errorf("result %+v, want rank 1, status 待就业, major 460103 数控技术, reasons and a score", r)
	}
}
