package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/hub"
)

// serverProcess is the real syncserver program, killed and restarted by tests.
type serverProcess struct {
	t    testing.TB
	data string
	addr string
	cmd  *exec.Cmd
}

func (s *serverProcess) start() {
	s.t.Helper()
	os.Remove(filepath.Join(s.data, adminFile)) // a killed server leaves it behind
	s.cmd = exec.Command(binary, "serve", "--data", s.data, "--listen", s.addr)
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(s.data, adminFile)); err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatal("server did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *serverProcess) kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	_ = s.cmd.Wait()
}

func (s *serverProcess) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	_ = s.cmd.Wait()
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// A server killed with SIGKILL while a device pushes thousands of persons
// loses nothing and applies nothing twice: after a restart and another
// sync, the pool holds each person once and each change once.
func TestServerKilledMidPushLosesNothing(t *testing.T) {
	srv := &serverProcess{t: t, data: t.TempDir(), addr: freeAddr(t)}
	srv.start()

	code, stderr, exit := run(t, "enrol", "--data", srv.data, "--college", "4136012941")
	if exit != 0 {
		t.Fatalf("enrol: %s", stderr)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "client.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := syncclient.Enrol(context.Background(), st, srv.addr, strings.TrimSpace(code)); err != nil {
		t.Fatal(err)
	}
	const people = 6000
	batch := make([]record.Person, people)
	for i := range batch {
		batch[i] = record.Person{Name: fmt.Sprintf("学生%04d", i), StudentNo: fmt.Sprintf("K%05d", i), Phone: fmt.Sprintf("139%08d", i)}
	}
	if _, err := st.SavePersons(batch); err != nil {
		t.Fatal(err)
	}
	total := st.Pending()

	// Small pushes so the kill lands between and inside commits.
	client := syncclient.New(st, syncclient.Options{Batch: 500})
	done := make(chan error, 1)
	go func() { done <- client.SyncOnce(context.Background()) }()
	time.Sleep(150 * time.Millisecond)
	srv.kill()
	<-done
	if st.Pending() == total {
		t.Log("the kill came before the first ack")
	}

	srv.start()
	defer srv.stop()
	if err := syncclient.New(st, syncclient.Options{}).SyncOnce(context.Background()); err != nil {
		t.Fatalf("sync after the restart: %v", err)
	}
	if got := st.Pending(); got != 0 {
		t.Errorf("pending after the restarted sync = %d, want 0", got)
	}
	stdout, stderr, exit := run(t, "stats", "--data", srv.data, "--json")
	if exit != 0 {
		t.Fatalf("stats: %s", stderr)
	}
	var rep hub.StatsReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Total["person"] != people {
		t.Errorf("pool persons = %d, want %d", rep.Total["person"], people)
	}
	if rep.LogChanges != uint64(total) {
		t.Errorf("log changes = %d, want %d: each change applied exactly once", rep.LogChanges, total)
	}
}
