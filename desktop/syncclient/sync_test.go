package syncclient

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/internal/testtls"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/pool"
)

const college = "4136012941" // 江西财经职业学院

// testServer is the real sync server on a loopback port, restartable on the
// same port and pool file to simulate an outage.
type testServer struct {
	t      *testing.T
	dir    string
	addr   string
	pool   *pool.Pool
	cancel context.CancelFunc
	done   chan error
	opts   hub.Options
	offset time.Duration // added to the server's clock

	// fingerprint is the SHA-256 of the certificate the server serves,
	// which enrolment codes carry.
	fingerprint []byte
}

func startServer(t *testing.T) *testServer {
	t.Helper()
	s := newServer(t)
	t.Cleanup(s.stop)
	return s
}

// newServer starts a server that the caller stops.
func newServer(t *testing.T) *testServer {
	t.Helper()
	s := &testServer{t: t, dir: t.TempDir(), addr: listenAddr(t)}
	s.start()
	return s
}

// listenAddr picks a free loopback port below Linux's ephemeral range
// (32768 and up). A server restarted on a port from that range can find it
// taken by an outgoing connection meanwhile.
func listenAddr(t *testing.T) string {
	t.Helper()
	for i := 0; i < 100; i++ {
		addr := fmt.Sprintf("127.0.0.1:%d", 20000+rand.IntN(12000))
		ln, err := net.Listen("tcp", addr)
		if err == nil {
			ln.Close()
			return addr
		}
	}
	t.Fatal("no free loopback port between 20000 and 32000")
	return ""
}

func (s *testServer) start() {
	s.t.Helper()
	if s.opts.Certificate == nil {
		s.opts.Certificate, s.fingerprint = testtls.Certificate(s.t)
	}
	p, err := pool.Open(filepath.Join(s.dir, "pool.db"), pool.Options{Now: func() time.Time { return time.Now().Add(s.offset) }})
	if err != nil {
		s.t.Fatal(err)
	}
	// A restart binds the same port again; another process may hold it for
	// a moment, so retry briefly.
	var ln net.Listener
	for try := 0; ; try++ {
		ln, err = net.Listen("tcp", s.addr)
		if err == nil {
			break
		}
		if try == 100 {
			p.Close()
			s.t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	s.pool, s.cancel, s.done = p, cancel, make(chan error, 1)
	srv := hub.New(p, s.opts)
	go func() { s.done <- srv.Serve(ctx, ln) }()
}

func (s *testServer) stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	if err := <-s.done; err != nil {
		s.t.Errorf("server stopped with error: %v", err)
	}
	if err := s.pool.Check(); err != nil {
		s.t.Errorf("pool integrity: %v", err)
	}
	s.pool.Close()
	s.cancel = nil
}

func (s *testServer) url() string { return "https://" + s.addr }

// createCode stores a one-time enrolment for college and role and returns
// the code text with the server's fingerprint. It has the signature of
// pool.CreateEnrolment, whose TTL it leaves at hub.EnrolTTL.
func (s *testServer) createCode(college, role string, _ time.Duration) (string, error) {
	code, _, err := hub.NewEnrolCode(s.pool, college, role, s.fingerprint)
	return code, err
}

// codeText returns code as an enrolment code text: a secret as
// pool.CreateEnrolment returns it gets the server's fingerprint, and a code
// text is returned as it is.
func (s *testServer) codeText(code string) string {
	if _, err := protocol.ParseEnrolCode(code); err == nil {
		return code
	}
	secret, err := hex.DecodeString(code)
	if err != nil {
		s.t.Fatalf("enrolment code %q is neither a code text nor a pool secret", code)
	}
	// College and role inform people only; the server uses the stored ones.
	return protocol.EnrolCode{Secret: secret, Fingerprint: s.fingerprint, College: college, Role: "clerk"}.String()
}

// enrolled opens a new client store and enrols it with the server.
func (s *testServer) enrolled(name string) *store.Store {
	s.t.Helper()
	code, err := s.createCode(college, "clerk", time.Hour)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.enrolledWith(name, code)
}

// enrolledWith opens a new client store and enrols it with code.
func (s *testServer) enrolledWith(name, code string) *store.Store {
	s.t.Helper()
	st := s.enrolledStore(name, code)
	s.t.Cleanup(func() {
		if err := st.Check(); err != nil {
			s.t.Errorf("%s store integrity: %v", name, err)
		}
		st.Close()
	})
	return st
}

// enrolledStore opens a new client store, enrols it with code and leaves
// closing it to the caller.
func (s *testServer) enrolledStore(name, code string) *store.Store {
	s.t.Helper()
	st, err := store.Open(filepath.Join(s.t.TempDir(), name+".db"), store.Options{})
	if err != nil {
		s.t.Fatal(err)
	}
	if err := Enrol(context.Background(), st, s.url(), s.codeText(code)); err != nil {
		st.Close()
		s.t.Fatalf("Enrol(%s): %v", name, err)
	}
	return st
}

func syncOnce(t *testing.T, st *store.Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := New(st, Options{}).SyncOnce(ctx); err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
}

func poolPerson(t *testing.T, p *pool.Pool, id string) record.Person {
	t.Helper()
	var found record.Person
	err := p.Each(record.KindPerson, func(st *changeset.State) error {
		if st.ID.String() == id {
			found = record.PersonFrom(id, st.Scope, st.Values())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// Two clerks edit the same person while the server is down: one changes
// the phone, the other the major, then both change the employer. When the
// server is back, both devices and the pool hold the same values, and the
// employer is the one written last.
func TestTwoDevicesConvergeAfterOutage(t *testing.T) {
	srv := startServer(t)
	a := srv.enrolled("a")
	b := srv.enrolled("b")

	p, err := a.SavePerson(record.Person{Name: "李娜", IDNumber: "36012120020101099X", Phone: "13807912345",
		Major: "530302", GradYear: 2024, Status: record.StatusSeeking})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	syncOnce(t, b)
	if got, err := b.Person(p.ID); err != nil || got.Name != "李娜" {
		t.Fatalf("device b after first sync: %+v, %v; want 李娜", got, err)
	}

	srv.stop()

	pa, _ := a.Person(p.ID)
	pa.Phone = "13907971111"
	if _, err := a.SavePerson(pa); err != nil {
		t.Fatal(err)
	}
	pb, _ := b.Person(p.ID)
	pb.Major = "530701"
	if _, err := b.SavePerson(pb); err != nil {
		t.Fatal(err)
	}
	pa, _ = a.Person(p.ID)
	pa.Employer = "南昌甲公司"
	if _, err := a.SavePerson(pa); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // b's wall clock moves on, so b writes last
	pb, _ = b.Person(p.ID)
	pb.Employer = "九江乙公司"
	if _, err := b.SavePerson(pb); err != nil {
		t.Fatal(err)
	}

	// With the server down a sync fails and nothing is lost.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	err = New(a, Options{}).SyncOnce(ctx)
	cancel()
	if err == nil {
		t.Fatal("SyncOnce with the server down succeeded")
	}
	if got := a.Pending(); got != 2 {
		t.Errorf("device a pending while offline = %d, want 2", got)
	}

	srv.start()
	syncOnce(t, a)
	syncOnce(t, b)
	syncOnce(t, a)

	want := record.Person{ID: p.ID, College: college, Name: "李娜", IDNumber: "36012120020101099X",
		Phone: "13907971111", Major: "530701", GradYear: 2024, Status: record.StatusSeeking, Employer: "九江乙公司"}
	gotA, _ := a.Person(p.ID)
	gotB, _ := b.Person(p.ID)
	gotPool := poolPerson(t, srv.pool, p.ID)
	for name, got := range map[string]record.Person{"device a": gotA, "device b": gotB, "pool": gotPool} {
		if got != want {
			t.Errorf("%s holds %+v, want %+v", name, got, want)
		}
	}
	if a.Pending() != 0 || b.Pending() != 0 {
		t.Errorf("pending after sync: a %d, b %d, want 0 and 0", a.Pending(), b.Pending())
	}
}

// A device whose ack was lost pushes the same range again; the server
// acknowledges it without appending the changes a second time.
func TestRepeatedPushAppliedOnce(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("a")
	if _, err := st.SavePerson(record.Person{Name: "赵敏", Phone: "13979900064"}); err != nil {
		t.Fatal(err)
	}
	changes, err := st.Outbox(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	from, to := changes[0].Seq, changes[len(changes)-1].Seq

	for i := 0; i < 2; i++ {
		res, err := srv.pool.ApplyPush(st.Device(), from, to, changes)
		if err != nil {
			t.Fatalf("push %d: %v", i+1, err)
		}
		if res.Acked != to {
			t.Errorf("push %d acked %d, want %d", i+1, res.Acked, to)
		}
		wantApplied := len(changes)
		if i == 1 {
			wantApplied = 0
		}
		if res.Applied != wantApplied {
			t.Errorf("push %d applied %d changes, want %d", i+1, res.Applied, wantApplied)
		}
	}
	stats, _ := srv.pool.Stats()
	if stats.LogChanges != uint64(len(changes)) {
		t.Errorf("change log holds %d entries after a repeated push, want %d", stats.LogChanges, len(changes))
	}

	// The same holds over the wire: the client pushes the entries again,
	// and the server acknowledges them without applying them.
	syncOnce(t, st)
	if got := st.Pending(); got != 0 {
		t.Errorf("pending after sync = %d, want 0", got)
	}
	stats, _ = srv.pool.Stats()
	if stats.LogChanges != uint64(len(changes)) {
		t.Errorf("change log holds %d entries after sync, want %d", stats.LogChanges, len(changes))
	}
}

// The server refuses each change to a record of another college, applies
// nothing of it, and acknowledges the push.
func TestPushOutsideCollegeRejected(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("a")
	if _, err := st.SavePerson(record.Person{Name: "吴佳怡"}); err != nil {
		t.Fatal(err)
	}
	changes, _ := st.Outbox(0, 100)
	for i := range changes {
		changes[i].Scope = "4136011785"
	}
	res, err := srv.pool.ApplyPush(st.Device(), changes[0].Seq, changes[len(changes)-1].Seq, changes)
	if err != nil {
		t.Fatalf("ApplyPush(other college): %v", err)
	}
	if len(res.Refused) != len(changes) || res.Refused[0].Reason != protocol.CodeScope {
		t.Errorf("ApplyPush(other college) refused %+v, want all %d changes for scope", res.Refused, len(changes))
	}
	stats, _ := srv.pool.Stats()
	if stats.LogChanges != 0 {
		t.Errorf("change log holds %d entries after a refused push, want 0", stats.LogChanges)
	}
}

// A desktop process killed with SIGKILL after its local write, while the
// server holds back the ack, loses nothing: restarted, it finishes the sync
// and the pool holds the person once.
func TestClientKilledBeforeAckLosesNothing(t *testing.T) {
	srv := startServer(t)
	dbPath := filepath.Join(t.TempDir(), "killed.db")
	st, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code, _ := srv.createCode(college, "clerk", time.Hour)
	if err := Enrol(context.Background(), st, srv.url(), code); err != nil {
		t.Fatal(err)
	}
	device := st.Device()
	st.Close()

	// Hold back the server's acks so the child waits after its push.
	srv.stop()
	srv.opts.BeforeAck = func(ctx context.Context) { <-ctx.Done() }
	srv.start()

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperClientProcess$")
	cmd.Env = append(os.Environ(), "MF_HELPER_DB="+dbPath)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the push has reached the server: the device's last contact
	// is set by the handshake, and the push follows at once.
	deadline := time.Now().Add(30 * time.Second)
	for {
		d, _ := srv.pool.Device(device)
		if !d.LastContact.IsZero() {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("child never connected")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	srv.stop()
	srv.opts.BeforeAck = nil
	srv.start()

	st, err = store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	people := st.Search("王建华", 10)
	if len(people) != 1 {
		t.Fatalf("local store after the kill holds %d 王建华, want 1", len(people))
	}
	if st.Pending() == 0 {
		t.Fatal("outbox empty after a kill before the ack, want the entries kept")
	}
	syncOnce(t, st)
	if got := st.Pending(); got != 0 {
		t.Errorf("pending after the restarted sync = %d, want 0", got)
	}
	got := poolPerson(t, srv.pool, people[0].ID)
	if got.Name != "王建华" || got.Phone != "13870210021" {
		t.Errorf("pool person = %+v, want 王建华 with phone 13870210021", got)
	}
	stats, _ := srv.pool.Stats()
	if n := stats.Total[record.KindPerson]; n != 1 {
		t.Errorf("pool holds %d persons, want 1", n)
	}
}

// TestHelperClientProcess is the child process of the kill test: it saves a
// person and syncs until it is killed.
func TestHelperClientProcess(t *testing.T) {
	path := os.Getenv("MF_HELPER_DB")
	if path == "" {
		t.Skip("runs only as the child of TestClientKilledBeforeAckLosesNothing")
	}
	st, err := store.Open(path, store.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if _, err := st.SavePerson(record.Person{Name: "王建华", IDNumber: "360403200202170219", Phone: "13870210021"}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	_ = New(st, Options{}).SyncOnce(context.Background())
	os.Exit(3) // not reached: the parent kills this process while the push waits
}

// Run keeps a device in sync on its own: an edit made while the server is
// down leaves once the server is back, and an edit made on another device
// arrives without a manual sync.
func TestRunReconnectsAfterOutage(t *testing.T) {
	srv := startServer(t)
	a := srv.enrolled("a")
	b := srv.enrolled("b")

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	client := New(a, Options{MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
	statuses, stop := client.Subscribe()
	defer stop()
	go func() {
		_ = client.Run(ctx)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	waitFor(t, "device a online", func() bool { return client.Status().Online })

	srv.stop()
	waitFor(t, "device a offline", func() bool { return !client.Status().Online })
	p, err := a.SavePerson(record.Person{Name: "吴佳怡", Phone: "18779300007"})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Pending(); got != 2 {
		t.Errorf("pending while offline = %d, want 2", got)
	}

	srv.start()
	waitFor(t, "the offline edit reaches the pool", func() bool {
		return poolPerson(t, srv.pool, p.ID).Name == "吴佳怡"
	})
	waitFor(t, "the outbox empties", func() bool { return a.Pending() == 0 })

	// An edit synced by device b reaches device a through Notify.
	pb := record.Person{Name: "赵敏"}
	syncOnce(t, b)
	pb, err = b.SavePerson(pb)
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, b)
	waitFor(t, "device b's person on device a", func() bool {
		got, err := a.Person(pb.ID)
		return err == nil && got.Name == "赵敏"
	})
	last := <-statuses
	if last.LastSync.IsZero() {
		t.Errorf("status LastSync is zero after syncing")
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sharedPerson starts a server with two enrolled devices, saves p on the
// first and syncs both, so each holds the person.
func sharedPerson(t *testing.T, p record.Person) (srv *testServer, a, b *store.Store, saved record.Person) {
	t.Helper()
	srv = startServer(t)
	// Reviewers, because the tests that share a person resolve conflicts.
	a = srv.enrolledAs("a", "reviewer")
	b = srv.enrolledAs("b", "reviewer")
	saved, err := a.SavePerson(p)
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	syncOnce(t, b)
	return srv, a, b, saved
}

// editPerson changes a stored person on st through change and saves it.
func editPerson(t *testing.T, st *store.Store, id string, change func(*record.Person)) {
	t.Helper()
	p, err := st.Person(id)
	if err != nil {
		t.Fatal(err)
	}
	change(&p)
	if _, err := st.SavePerson(p); err != nil {
		t.Fatal(err)
	}
}
