package syncclient

import (
	"context"
	"net"
	"path/filepath"
	"runtime"
	"testing"

	"mobilefactory/desktop/store"
	"mobilefactory/internal/testtls"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/demo"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/pool"
)

// countingListener counts the bytes the server reads and writes, which is
// what crosses the wire.
type countingListener struct {
	net.Listener
	in, out *int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, in: l.in, out: l.out}, nil
}

type countingConn struct {
	net.Conn
	in, out *int64
}

func (c *countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	*c.in += int64(n)
	return n, err
}

func (c *countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	*c.out += int64(n)
	return n, err
}

type benchServer struct {
	url         string
	pool        *pool.Pool
	fingerprint []byte
	in, out     int64
	stop        func()
}

func startBenchServer(b *testing.B, dir string) *benchServer {
	b.Helper()
	p, err := pool.Open(filepath.Join(dir, "pool.db"), pool.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	// The counted bytes include TLS records, as on a real network.
	cert, fingerprint := testtls.Certificate(b)
	s := &benchServer{url: "https://" + ln.Addr().String(), pool: p, fingerprint: fingerprint}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		_ = hub.New(p, hub.Options{Certificate: cert}).Serve(ctx, countingListener{Listener: ln, in: &s.in, out: &s.out})
		close(done)
	}()
	s.stop = func() {
		cancel()
		<-done
		p.Close()
	}
	return s
}

func (s *benchServer) enrol(b *testing.B, path, college string) *store.Store {
	b.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	code, _, err := hub.NewEnrolCode(s.pool, college, "clerk", s.fingerprint)
	if err != nil {
		b.Fatal(err)
	}
	if err := Enrol(context.Background(), st, s.url, code); err != nil {
		b.Fatal(err)
	}
	return st
}

// fillStore saves demo people with their training and internships as
// local edits, so they wait in the outbox.
func fillStore(b *testing.B, st *store.Store, data demo.Data) {
	b.Helper()
	ids := make([]string, len(data.Persons))
	fields := make([]map[string]string, len(data.Persons))
	for i, p := range data.Persons {
		fields[i] = p.Fields()
	}
	saved, err := st.SaveBatch(record.KindPerson, ids, fields)
	if err != nil {
		b.Fatal(err)
	}
	// Events point at the demo ids; map them to the ids the store made.
	newID := map[string]string{}
	for i, p := range data.Persons {
		newID[p.ID] = saved[i]
	}
	// A clerk's device pushes history records submitted for review; the
	// reviewer's decisions come later from another device, and the server
	// refuses a record that arrives already approved.
	submitted := record.Review{State: record.ReviewPending, SubmittedAt: "2026-12-01T08:00:00Z"}
	var tFields []map[string]string
	for _, t := range data.Trainings {
		t.Person = newID[t.Person]
		t.Class, t.Review = "", submitted
		tFields = append(tFields, t.Fields())
	}
	if _, err := st.SaveBatch(record.KindTraining, make([]string, len(tFields)), tFields); err != nil {
		b.Fatal(err)
	}
	var iFields []map[string]string
	for _, in := range data.Internships {
		in.Person = newID[in.Person]
		in.Review = submitted
		iFields = append(iFields, in.Fields())
	}
	if _, err := st.SaveBatch(record.KindInternship, make([]string, len(iFields)), iFields); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPush10kPersons pushes 10,000 persons with their training records
// and internships from one device's outbox to the server over loopback,
// applied and durable (fsync on every commit), and reports records per
// second and wire bytes per person.
func BenchmarkPush10kPersons(b *testing.B) {
	const college = "4136012941"
	data := demo.Generate(demo.Options{People: 10_000, Seed: 7})
	for i := range data.Persons {
		data.Persons[i].College = college
	}
	records := len(data.Persons) + len(data.Trainings) + len(data.Internships)
	var wire int64
	var cpu float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		srv := startBenchServer(b, dir)
		st := srv.enrol(b, filepath.Join(dir, "client.db"), college)
		fillStore(b, st, data)
		srv.in, srv.out = 0, 0
		// Collect the setup's garbage now, so the timed push does not
		// pay for it.
		runtime.GC()
		cpuStart, _ := processCPU()
		b.StartTimer()

		if err := New(st, Options{}).SyncOnce(context.Background()); err != nil {
			b.Fatal(err)
		}

		b.StopTimer()
		cpuEnd, _ := processCPU()
		cpu += cpuEnd - cpuStart
		if st.Pending() != 0 {
			b.Fatalf("pending after push = %d", st.Pending())
		}
		wire += srv.in
		st.Close()
		srv.stop()
	}
	b.ReportMetric(float64(records*b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(wire)/float64(len(data.Persons)*b.N), "wire-bytes/person")
	b.ReportMetric(float64(wire)/float64(records*b.N), "wire-bytes/record")
	// The CPU time of client and server together, which the load of other
	// processes on the machine does not inflate as it does the elapsed time.
	if cpu > 0 {
		b.ReportMetric(float64(records*b.N)/cpu, "records/cpu-s")
	}
}

// BenchmarkFirstPull20k measures a new device's first pull of a college
// with 20,000 persons and their training and internships.
func BenchmarkFirstPull20k(b *testing.B) {
	const college = "4136012941"
	data := demo.Generate(demo.Options{People: 20_000, Seed: 7})
	for i := range data.Persons {
		data.Persons[i].College = college
	}
	for i := range data.Trainings {
		data.Trainings[i].College = college
	}
	for i := range data.Internships {
		data.Internships[i].College = college
	}
	changes := data.Changes("demo", 1<<40)
	records := map[string]bool{}
	for i := range changes {
		// Employers and demands stay in the province scope, which every
		// device pulls as well.
		if changes[i].Scope != record.ProvinceScope {
			changes[i].Scope = college
		}
		records[changes[i].ID.String()] = true
	}
	dir := b.TempDir()
	srv := startBenchServer(b, dir)
	defer srv.stop()
	if _, err := srv.pool.ApplyTrusted(changes); err != nil {
		b.Fatal(err)
	}
	var wire int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := srv.enrol(b, filepath.Join(b.TempDir(), "client.db"), college)
		srv.in, srv.out = 0, 0
		b.StartTimer()

		if err := New(st, Options{}).SyncOnce(context.Background()); err != nil {
			b.Fatal(err)
		}

		b.StopTimer()
		if n := st.Count(); n != len(data.Persons) {
			b.Fatalf("persons after first pull = %d, want %d", n, len(data.Persons))
		}
		wire += srv.out
		st.Close()
	}
	b.ReportMetric(float64(wire)/float64(len(data.Persons)*b.N), "wire-bytes/person")
	b.ReportMetric(float64(wire)/float64(len(records)*b.N), "wire-bytes/record")
	b.ReportMetric(float64(len(records)*b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(len(records)), "records")
}

var _ = changeset.Change{}
