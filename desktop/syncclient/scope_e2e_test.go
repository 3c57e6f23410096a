package syncclient

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/desktop/store"
	"mobilefactory/internal/testtls"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/demo"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/pool"
)

const otherCollege = "4136011785"

// enrolledAs opens a new client store enrolled for the test college with a
// role.
func (s *testServer) enrolledAs(name, role string) *store.Store {
	s.t.Helper()
	return s.enrolledIn(name, college, role)
}

// enrolledIn opens a new client store enrolled for a college with a role.
func (s *testServer) enrolledIn(name, collegeCode, role string) *store.Store {
	s.t.Helper()
	code, err := s.pool.CreateEnrolment(collegeCode, role, time.Hour)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.enrolledWith(name, code)
}

// rawSession opens a session for st and completes the handshake, so a test
// can send what the client never would.
func rawSession(t *testing.T, st *store.Store) (*session, protocol.Welcome) {
	t.Helper()
	ident, _ := st.Identity()
	addr, err := syncURL(ident.Server)
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := testtls.Dialer(t, ident.Fingerprint).Dial(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &session{c: New(st, Options{}), ws: ws, frames: make(chan inbound, 16), done: make(chan struct{})}
	t.Cleanup(s.close)
	go s.readLoop()
	welcome, err := s.handshake(ident)
	if err != nil {
		t.Fatal(err)
	}
	return s, welcome
}

// pushRaw sends changes as one push numbered after the server's high-water
// mark, and returns the ack or the error the server sent.
func pushRaw(t *testing.T, st *store.Store, changes []changeset.Change) (protocol.Ack, error) {
	t.Helper()
	s, welcome := rawSession(t, st)
	for i := range changes {
		changes[i].Seq = welcome.Acked + 1 + uint64(i)
	}
	from, to := changes[0].Seq, changes[len(changes)-1].Seq
	if err := s.send(protocol.TypePush, protocol.Push{From: from, To: to}, changeset.Compress(changes)); err != nil {
		t.Fatal(err)
	}
	var ack protocol.Ack
	_, err := s.receive(context.Background(), protocol.TypeAck, &ack)
	return ack, err
}

// A device of college A can neither push nor pull college B's records: its
// changes to them are refused, and its snapshot and pulls hold only its
// college's records.
func TestCollegeDeviceStaysInItsCollege(t *testing.T) {
	srv := startServer(t)
	b := srv.enrolledIn("b", otherCollege, "clerk")
	a1 := srv.enrolledIn("a1", college, "clerk")
	theirs, err := b.SavePerson(record.Person{Name: "张伟", Phone: "13979900064"})
	if err != nil {
		t.Fatal(err)
	}
	ours, err := a1.SavePerson(record.Person{Name: "李娜"})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, b)
	syncOnce(t, a1)

	// A new device of college A reads a snapshot, then the log.
	a2 := srv.enrolledIn("a2", college, "clerk")
	syncOnce(t, a2)
	if _, err := a2.Person(ours.ID); err != nil {
		t.Errorf("device a2 lacks its college's person after the snapshot: %v", err)
	}
	editPerson(t, b, theirs.ID, func(p *record.Person) { p.Employer = "九江乙公司" })
	syncOnce(t, b)
	syncOnce(t, a1)
	syncOnce(t, a2)
	for name, st := range map[string]*store.Store{"a1": a1, "a2": a2} {
		if _, err := st.Person(theirs.ID); err == nil {
			t.Errorf("device %s holds college B's person", name)
		}
		if n := st.Count(); n != 1 {
			t.Errorf("device %s holds %d persons, want 1", name, n)
		}
	}

	// Device a1 sends changes to B's person, first naming B's college, then
	// claiming the record for its own.
	id, _ := ulid.ParseStrict(theirs.ID)
	stamp := hlc.Make(time.Now().UnixMilli(), 0)
	ack, err := pushRaw(t, a1, []changeset.Change{
		{Kind: record.KindPerson, ID: id, Scope: otherCollege, Field: record.FieldEmployer, Value: "南昌甲公司", Stamp: stamp, Device: a1.Device()},
		{Kind: record.KindPerson, ID: id, Scope: college, Field: record.FieldEmployer, Value: "南昌甲公司", Stamp: stamp, Device: a1.Device()},
	})
	if err != nil {
		t.Fatalf("push of college B's person: %v", err)
	}
	if len(ack.Refused) != 2 || ack.Refused[0].Reason != protocol.CodeScope || ack.Refused[1].Reason != protocol.CodeScope {
		t.Errorf("ack refused %+v, want both changes for scope", ack.Refused)
	}
	syncOnce(t, b)
	if got, _ := b.Person(theirs.ID); got.Employer != "九江乙公司" {
		t.Errorf("college B's person employer = %q, want 九江乙公司", got.Employer)
	}
	if got := poolPerson(t, srv.pool, theirs.ID); got.Employer != "九江乙公司" || got.College != otherCollege {
		t.Errorf("pool person = employer %q college %s, want 九江乙公司 in %s", got.Employer, got.College, otherCollege)
	}
}

// A clerk's resolution of a conflict item is refused for its role: the
// outbox drains, the item stays open on the server, and the refusal shows
// in the clerk's refused list with the value kept locally.
func TestClerkResolutionRefused(t *testing.T) {
	srv := startServer(t)
	a := srv.enrolled("a")
	b := srv.enrolled("b")
	p, err := a.SavePerson(record.Person{Name: "李娜", Employer: "原单位"})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	syncOnce(t, b)
	editPerson(t, a, p.ID, func(p *record.Person) { p.Employer = "南昌甲公司" })
	time.Sleep(5 * time.Millisecond)
	editPerson(t, b, p.ID, func(p *record.Person) { p.Employer = "九江乙公司" })
	syncOnce(t, a)
	syncOnce(t, b)
	items := openConflicts(t, b)
	if len(items) != 1 {
		t.Fatalf("device b has %d open conflicts, want 1", len(items))
	}

	if err := b.ResolveConflict(items[0].ID, "南昌甲公司"); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, b)
	if n := b.Pending(); n != 0 {
		t.Errorf("device b pending after the refused push = %d, want 0", n)
	}
	refused, err := b.Refused()
	if err != nil {
		t.Fatal(err)
	}
	if len(refused) != 2 {
		t.Fatalf("device b refused list = %+v, want the item's status and resolution", refused)
	}
	for _, r := range refused {
		if r.Kind != record.KindConflict || r.Record != items[0].ID || r.Reason != protocol.CodeRole {
			t.Errorf("refused change %+v, want conflict %s refused for role", r, items[0].ID)
		}
		if r.At.IsZero() {
			t.Errorf("refused change %+v has no time", r)
		}
	}
	if got := poolConflicts(t, srv); len(got) != 1 || got[0].Status != record.ConflictOpen {
		t.Errorf("pool conflict = %+v, want one open item", got)
	}
	if got := openConflicts(t, b); len(got) != 0 {
		t.Errorf("device b lists %d open conflicts, want its local resolution kept", len(got))
	}

	// Dismissing empties the list; the local record keeps the value.
	for _, r := range refused {
		if err := b.DismissRefused(r); err != nil {
			t.Fatal(err)
		}
	}
	if n := b.RefusedCount(); n != 0 {
		t.Errorf("refused count after dismissing = %d, want 0", n)
	}
	entries, err := srv.pool.AuditEntries(pool.AuditFilter{Device: b.Device()})
	if err != nil {
		t.Fatal(err)
	}
	refusals := 0
	for _, e := range entries {
		if e.Action == pool.ActionRefuse && e.Reason == string(protocol.CodeRole) {
			refusals++
		}
	}
	if refusals != 2 {
		t.Errorf("audit log holds %d role refusals of device b, want 2", refusals)
	}
}

// When the ack of a push with refusals is lost, the next sync still brings
// the refusals. The client pushes the entries again, and the server sends
// the refusals it stored.
func TestRefusalsOfLostAckArrive(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("a")
	if _, err := st.SavePerson(record.Person{Name: "赵敏", Phone: "1397990006"}); err != nil {
		t.Fatal(err)
	}
	out, err := st.Outbox(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	// The push reaches the server, and its ack never reaches the device.
	res, err := srv.pool.ApplyPush(st.Device(), out[0].Seq, out[len(out)-1].Seq, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) != 1 || res.Refused[0].Field != record.FieldPhone {
		t.Fatalf("push refused %+v, want the invalid phone", res.Refused)
	}
	syncOnce(t, st)
	refused, err := st.Refused()
	if err != nil {
		t.Fatal(err)
	}
	if len(refused) != 1 || refused[0].Field != record.FieldPhone || refused[0].Reason != protocol.CodeInvalid {
		t.Errorf("refused list after the lost ack = %+v, want the phone as invalid", refused)
	}
	if n := st.Pending(); n != 0 {
		t.Errorf("pending = %d, want 0", n)
	}
	stats, _ := srv.pool.Stats()
	if stats.LogChanges != uint64(len(out)-1) {
		t.Errorf("log changes = %d, want %d: the repeated push applied nothing", stats.LogChanges, len(out)-1)
	}
}

// syncBuffer is a bytes.Buffer safe for the loggers of several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startLoggedServer starts the real server with its pool and hub logging
// at debug level to logs.
func startLoggedServer(t *testing.T, logs *syncBuffer) *testServer {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := &testServer{t: t, dir: t.TempDir(), addr: listenAddr(t), opts: hub.Options{Logger: logger}}
	s.opts.Certificate, s.fingerprint = testtls.Certificate(t)
	p, err := pool.Open(filepath.Join(s.dir, "pool.db"), pool.Options{Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		p.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.pool, s.cancel, s.done = p, cancel, make(chan error, 1)
	srv := hub.New(p, s.opts)
	go func() { s.done <- srv.Serve(ctx, ln) }()
	t.Cleanup(s.stop)
	return s
}

// A full sync of demo people, with invalid values, refused changes, a
// conflict and rejected pushes, writes no ID number, phone or name to the
// server's log, the client's log or any protocol error message.
func TestNothingPersonalInLogs(t *testing.T) {
	var serverLogs, clientLogs syncBuffer
	srv := startLoggedServer(t, &serverLogs)
	clientLogger := slog.New(slog.NewTextHandler(&clientLogs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	syncLogged := func(st *store.Store) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := New(st, Options{Logger: clientLogger}).SyncOnce(ctx); err != nil {
			t.Fatalf("SyncOnce: %v", err)
		}
	}
	a := srv.enrolled("a")
	b := srv.enrolled("b")
	people := demo.Generate(demo.Options{People: 40, Seed: 7}).Persons
	for i := range people {
		people[i].ID, people[i].College = "", ""
	}

	// Valid people, and two with a value the server refuses as invalid.
	saved, err := a.SavePersons(people[:30])
	if err != nil {
		t.Fatal(err)
	}
	bad := people[30]
	bad.Phone = bad.Phone[:10]
	if _, err := a.SavePerson(bad); err != nil {
		t.Fatal(err)
	}
	badID := people[31]
	badID.IDNumber = badID.IDNumber[:17] + "0"
	if badID.IDNumber == people[31].IDNumber {
		badID.IDNumber = badID.IDNumber[:17] + "1"
	}
	if _, err := a.SavePerson(badID); err != nil {
		t.Fatal(err)
	}
	syncLogged(a)
	syncLogged(b)

	// A conflict on a phone, and a clerk's refused resolution of it.
	editPerson(t, a, saved[0].ID, func(p *record.Person) { p.Phone = people[32].Phone })
	time.Sleep(5 * time.Millisecond)
	editPerson(t, b, saved[0].ID, func(p *record.Person) { p.Phone = people[33].Phone })
	syncLogged(a)
	syncLogged(b)
	items := openConflicts(t, b)
	if len(items) != 1 {
		t.Fatalf("device b has %d open conflicts, want 1", len(items))
	}
	if err := b.ResolveConflict(items[0].ID, people[32].Phone); err != nil {
		t.Fatal(err)
	}
	syncLogged(b)
	if n := a.RefusedCount() + b.RefusedCount(); n != 4 {
		t.Errorf("refused changes on the devices = %d, want 4 (phone, ID number, status, resolution)", n)
	}

	// Pushes the server rejects whole or refuses, sent raw, carrying
	// personal values: their error messages come back over the wire.
	var wireMessages []string
	stamp := hlc.Make(time.Now().UnixMilli(), 0)
	personal := func(field, value string) changeset.Change {
		return changeset.Change{Kind: record.KindPerson, ID: ulid.Make(), Scope: college, Field: field, Value: value, Stamp: stamp, Device: a.Device()}
	}
	other := personal(record.FieldIDNumber, people[34].IDNumber)
	other.Device = b.Device()
	rejected := [][]changeset.Change{
		{other}, // another device's change
		{personal(record.FieldName, people[35].Name), personal("salary", people[35].Phone)}, // unknown field
	}
	for _, push := range rejected {
		_, err := pushRaw(t, a, push)
		if err == nil {
			t.Fatalf("push %+v was acknowledged, want an error", push)
		}
		wireMessages = append(wireMessages, err.Error())
	}
	outside := personal(record.FieldPhone, people[36].Phone)
	outside.Scope = otherCollege
	if ack, err := pushRaw(t, a, []changeset.Change{outside}); err != nil || len(ack.Refused) != 1 {
		t.Fatalf("push to another college = %+v, %v; want one refusal", ack, err)
	}

	logs := map[string]string{"server log": serverLogs.String(), "client log": clientLogs.String(),
		"wire errors": strings.Join(wireMessages, "\n")}
	if !strings.Contains(logs["server log"], "push changes refused") || !strings.Contains(logs["client log"], "server refused changes") {
		t.Fatalf("the logs lack the refusals, so the scan would prove nothing:\nserver:\n%s\nclient:\n%s", logs["server log"], logs["client log"])
	}
	for _, p := range people {
		for _, value := range []string{p.IDNumber, p.Phone, p.Name, p.IDNumber[:17], p.Phone[:10]} {
			for name, text := range logs {
				if strings.Contains(text, value) {
					t.Errorf("%s contains the personal value %q", name, value)
				}
			}
		}
	}
}
