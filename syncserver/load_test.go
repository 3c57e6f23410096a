package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/hub"
)

// peakRSS returns a process's peak resident memory in bytes, from Linux's
// /proc/PID/status (VmHWM).
func peakRSS(pid int) (int64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, err := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}

// adminEnrol makes an enrolment code through the running server's admin API.
func adminEnrol(b *testing.B, data, college string) string {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join(data, adminFile))
	if err != nil {
		b.Fatal(err)
	}
	info, err := parseAdminInfo(raw)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := json.Marshal(hub.AdminEnrolRequest{College: college, Role: "clerk"})
	req, _ := http.NewRequest(http.MethodPost, info.URL+"/admin/enrol", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+info.Token)
	resp, err := info.client(time.Minute).Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var out hub.AdminEnrolResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		b.Fatal(err)
	}
	return out.Code
}

// BenchmarkLoad300Devices runs the real server program and lets 300
// devices of 30 colleges push 50 persons each and pull at the same time.
// It reports the p99 time from a push to its ack and the server's peak RSS.
func BenchmarkLoad300Devices(b *testing.B) {
	const devices, colleges, people = 300, 30, 50
	collegeCodes := []string{}
	for _, c := range codes.MustLoad().JiangxiColleges() {
		if len(collegeCodes) < colleges {
			collegeCodes = append(collegeCodes, c.Code)
		}
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		srv := &serverProcess{t: b, data: b.TempDir(), addr: freeAddr(b)}
		srv.start()
		stores := make([]*store.Store, devices)
		dir := b.TempDir()
		for d := range stores {
			st, err := store.Open(filepath.Join(dir, fmt.Sprintf("d%03d.db", d)), store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			code := adminEnrol(b, srv.data, collegeCodes[d%colleges])
			if err := syncclient.Enrol(context.Background(), st, srv.addr, code); err != nil {
				b.Fatal(err)
			}
			batch := make([]record.Person, people)
			for p := range batch {
				batch[p] = record.Person{Name: fmt.Sprintf("学生%d", p), StudentNo: fmt.Sprintf("D%03dP%03d", d, p)}
			}
			if _, err := st.SavePersons(batch); err != nil {
				b.Fatal(err)
			}
			stores[d] = st
		}

		var mu sync.Mutex
		var acks []time.Duration
		var wg sync.WaitGroup
		b.StartTimer()
		for _, st := range stores {
			wg.Add(1)
			go func(st *store.Store) {
				defer wg.Done()
				client := syncclient.New(st, syncclient.Options{Batch: 100, OnAck: func(d time.Duration) {
					mu.Lock()
					acks = append(acks, d)
					mu.Unlock()
				}})
				if err := client.SyncOnce(context.Background()); err != nil {
					b.Error(err)
				}
			}(st)
		}
		wg.Wait()
		b.StopTimer()

		rss, err := peakRSS(srv.cmd.Process.Pid)
		if err != nil {
			b.Fatal(err)
		}
		srv.stop()
		for _, st := range stores {
			st.Close()
		}
		sort.Slice(acks, func(i, j int) bool { return acks[i] < acks[j] })
		if len(acks) == 0 {
			b.Fatal("no acks")
		}
		b.ReportMetric(float64(acks[len(acks)*99/100].Milliseconds()), "p99-ack-ms")
		b.ReportMetric(float64(acks[len(acks)/2].Milliseconds()), "p50-ack-ms")
		b.ReportMetric(float64(rss>>20), "server-peak-RSS-MiB")
		b.ReportMetric(float64(len(acks)), "acks")
	}
}
