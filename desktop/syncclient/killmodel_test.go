package syncclient

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"pgregory.net/rapid"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/shared/tlspin"
	"mobilefactory/syncserver/pool"
)

var (
	serverBinaryOnce sync.Once
	serverBinary     string
	serverBinaryErr  error
)

// buildServer builds the real syncserver program once per test binary.
func buildServer(t *testing.T) string {
	t.Helper()
	serverBinaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "syncserver-bin")
		if err != nil {
			serverBinaryErr = err
			return
		}
		serverBinary = filepath.Join(dir, "syncserver")
		out, err := exec.Command("go", "build", "-o", serverBinary, "mobilefactory/syncserver").CombinedOutput()
		if err != nil {
			serverBinaryErr = fmt.Errorf("%v: %s", err, out)
		}
	})
	if serverBinaryErr != nil {
		t.Fatalf("building syncserver: %v", serverBinaryErr)
	}
	return serverBinary
}

// processServer is the real syncserver program, killed with SIGKILL at
// random points of the model test.
type processServer struct {
	bin, data, addr string
	cmd             *exec.Cmd
}

func (s *processServer) start(rt *rapid.T) {
	os.Remove(filepath.Join(s.data, "admin.json"))
	s.cmd = exec.Command(s.bin, "serve", "--data", s.data, "--listen", s.addr)
	if err := s.cmd.Start(); err != nil {
		rt.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(s.data, "admin.json")); err == nil {
			return
		}
		if time.Now().After(deadline) {
			rt.Fatal("server did not start")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (s *processServer) kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	_ = s.cmd.Wait()
}

func (s *processServer) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	_ = s.cmd.Wait()
}

// rawPush opens a session for st and pushes its outbox, split in two and
// sent second half first when reorder is set. It then closes the connection
// without waiting for any ack, as if the network lost the acks or delivered
// the pushes out of order.
func rawPush(st *store.Store, reorder bool) error {
	ident, _ := st.Identity()
	addr, err := syncURL(ident.Server)
	if err != nil {
		return err
	}
	tlsConfig, err := tlspin.Config(ident.Fingerprint)
	if err != nil {
		return err
	}
	dialer := *websocket.DefaultDialer
	dialer.TLSClientConfig = tlsConfig
	ws, _, err := dialer.Dial(addr, nil)
	if err != nil {
		return err
	}
	c := New(st, Options{})
	s := &session{c: c, ws: ws, frames: make(chan inbound, 16), done: make(chan struct{})}
	defer s.close()
	go s.readLoop()
	welcome, err := s.handshake(ident)
	if err != nil {
		return err
	}

	out, err := st.Outbox(welcome.Acked, 1000)
	if err != nil || len(out) == 0 {
		return err
	}
	batches := [][]changeset.Change{out}
	if reorder && len(out) > 1 {
		half := len(out) / 2
		batches = [][]changeset.Change{out[half:], out[:half]}
	}
	for _, b := range batches {
		if err := s.send(protocol.TypePush, protocol.Push{From: b[0].Seq, To: b[len(b)-1].Seq}, changeset.Compress(b)); err != nil {
			return err
		}
	}
	time.Sleep(20 * time.Millisecond)
	return nil
}

// TestSyncModelWithKills runs the model test against the real server
// program: it is killed with SIGKILL at random points, also while a device
// pushes, pushes lose their acks or arrive out of order, and devices
// restart. After everyone syncs, every device and the pool equal the
// reference model.
func TestSyncModelWithKills(t *testing.T) {
	bin := buildServer(t)
	rapid.Check(t, func(rt *rapid.T) {
		srv := &processServer{bin: bin, data: t.TempDir(), addr: listenAddr(t)}
		srv.start(rt)
		up := true
		defer func() {
			if up {
				srv.stop()
			}
		}()
		m := &syncModel{t: t, up: true, model: map[string]map[string]changeset.Register{}}
		defer func() {
			for _, st := range m.devices {
				st.Close()
			}
		}()
		n := rapid.IntRange(2, 3).Draw(rt, "devices")
		for i := 0; i < n; i++ {
			out, err := exec.Command(bin, "enrol", "--data", srv.data, "--college", college).Output()
			if err != nil {
				rt.Fatalf("enrol: %v", err)
			}
			st, err := store.Open(filepath.Join(t.TempDir(), fmt.Sprintf("d%d.db", i)), store.Options{})
			if err != nil {
				rt.Fatal(err)
			}
			m.devices = append(m.devices, st)
			if err := Enrol(context.Background(), st, srv.addr, strings.TrimSpace(string(out))); err != nil {
				rt.Fatal(err)
			}
			m.paths = append(m.paths, st.Path())
		}
		p, err := m.devices[0].SavePerson(record.Person{Name: "初始"})
		if err != nil {
			rt.Fatal(err)
		}
		m.people = []string{p.ID}
		m.model[p.ID] = map[string]changeset.Register{}
		m.record(p.ID, m.devices[0])

		syncDevice := func(i int) error {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			return New(m.devices[i], Options{}).SyncOnce(ctx)
		}
		for i := range m.devices {
			if err := syncDevice(i); err != nil {
				rt.Fatalf("first sync of device %d: %v", i, err)
			}
		}
		rt.Repeat(map[string]func(*rapid.T){
			"edit": func(rt *rapid.T) {
				i := rapid.IntRange(0, n-1).Draw(rt, "device")
				field := rapid.SampledFrom(modelFields).Draw(rt, "field")
				value := modelValue(rt, field)
				if _, err := m.devices[i].SaveBatch(record.KindPerson, []string{p.ID}, []map[string]string{{field: value}}); err != nil {
					rt.Fatalf("edit on device %d: %v", i, err)
				}
				m.record(p.ID, m.devices[i])
			},
			"sync": func(rt *rapid.T) {
				i := rapid.IntRange(0, n-1).Draw(rt, "device")
				if err := syncDevice(i); up && err != nil {
					rt.Fatalf("sync of device %d with the server up: %v", i, err)
				}
			},
			"kill while pushing": func(rt *rapid.T) {
				if !up {
					rt.Skip("server down")
				}
				i := rapid.IntRange(0, n-1).Draw(rt, "device")
				delay := time.Duration(rapid.IntRange(0, 30).Draw(rt, "delay ms")) * time.Millisecond
				done := make(chan struct{})
				go func() {
					_ = syncDevice(i)
					close(done)
				}()
				time.Sleep(delay)
				srv.kill()
				<-done
				srv.start(rt)
			},
			"down or up": func(rt *rapid.T) {
				if up {
					srv.kill()
				} else {
					srv.start(rt)
				}
				up = !up
			},
			"lost acks or reordered pushes": func(rt *rapid.T) {
				if !up {
					rt.Skip("server down")
				}
				i := rapid.IntRange(0, n-1).Draw(rt, "device")
				_ = rawPush(m.devices[i], rapid.Bool().Draw(rt, "reorder"))
			},
			"device restart": func(rt *rapid.T) {
				i := rapid.IntRange(0, n-1).Draw(rt, "device")
				m.devices[i].Close()
				st, err := store.Open(m.paths[i], store.Options{})
				if err != nil {
					rt.Fatalf("reopening device %d: %v", i, err)
				}
				m.devices[i] = st
			},
		})

		if !up {
			srv.start(rt)
			up = true
		}
		for round := 0; round < 2; round++ {
			for i := range m.devices {
				if err := syncDevice(i); err != nil {
					rt.Fatalf("final sync of device %d: %v", i, err)
				}
			}
		}
		srv.stop()
		up = false
		pl, err := pool.Open(filepath.Join(srv.data, "pool.db"), pool.Options{})
		if err != nil {
			rt.Fatal(err)
		}
		defer pl.Close()
		if err := pl.Check(); err != nil {
			rt.Fatalf("pool integrity after kills: %v", err)
		}
		m.checkAgainst(rt, pl)
	})
}
