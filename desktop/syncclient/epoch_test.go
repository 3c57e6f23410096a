package syncclient

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// A pool restored from a backup has a new epoch. Devices notice it and push
// again what the restored pool lacks, and a device enrolled after the
// backup is turned away instead of hanging.
func TestRestoredServerGetsChangesBack(t *testing.T) {
	srv := startServer(t)
	a := srv.enrolled("a")
	b := srv.enrolled("b")
	p, err := a.SavePerson(record.Person{Name: "李娜", Phone: "13807912345"})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	syncOnce(t, b)

	backup := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.Create(backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.pool.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	oldEpoch := srv.pool.Epoch()

	// After the backup: a changes a phone and adds a person, c enrols.
	p.Phone = "13907971111"
	if _, err := a.SavePerson(p); err != nil {
		t.Fatal(err)
	}
	q, err := a.SavePerson(record.Person{Name: "赵敏"})
	if err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	c := srv.enrolled("c")
	syncOnce(t, c)

	srv.stop()
	epoch, err := pool.Restore(backup, filepath.Join(srv.dir, "pool.db"))
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if epoch == oldEpoch {
		t.Fatalf("restored pool kept epoch %s", epoch)
	}
	srv.start()
	if got := poolPerson(t, srv.pool, q.ID).Name; got != "" {
		t.Fatalf("restored pool already holds 赵敏 (%q): the backup was taken too late", got)
	}

	syncOnce(t, a)
	syncOnce(t, b)
	if got := poolPerson(t, srv.pool, q.ID).Name; got != "赵敏" {
		t.Errorf("pool after device a's re-push holds %q for the person added after the backup, want 赵敏", got)
	}
	if got := poolPerson(t, srv.pool, p.ID).Phone; got != "13907971111" {
		t.Errorf("pool phone after re-push = %q, want 13907971111", got)
	}
	if got, err := b.Person(q.ID); err != nil || got.Name != "赵敏" {
		t.Errorf("device b after the restore: %+v, %v; want 赵敏", got, err)
	}
	if a.Epoch() != epoch || b.Epoch() != epoch {
		t.Errorf("device epochs = %s and %s, want %s", a.Epoch(), b.Epoch(), epoch)
	}
	if a.Pending() != 0 {
		t.Errorf("device a pending after re-push = %d, want 0", a.Pending())
	}
	if items := poolConflicts(t, srv); len(items) != 0 {
		t.Errorf("re-pushed writes made %d conflict items, want none: %+v", len(items), items)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = New(c, Options{}).SyncOnce(ctx)
	if !errors.Is(err, protocol.ErrAuth) {
		t.Errorf("sync of a device enrolled after the backup: error %v, want ErrAuth", err)
	}
}

func TestErrorsCarryChineseMessages(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{protocol.Error{Code: protocol.CodeUpgrade}.Err(), "sync.error.upgrade"},
		{protocol.Error{Code: protocol.CodeAuth}.Err(), "sync.error.auth"},
		{protocol.Error{Code: protocol.CodeScope}.Err(), "sync.error.scope"},
		{protocol.Error{Code: protocol.CodeCorrupt}.Err(), "sync.error.rejected"},
		{ErrNotEnrolled, "sync.error.not_enrolled"},
		{errors.New("disk full"), "sync.error.other"},
	}
	for _, tc := range cases {
		var e *Error
		if !errors.As(describe(tc.err), &e) {
			t.Fatalf("describe(%v) is not an *Error", tc.err)
		}
		if key, _ := e.TranslationKey(); key != tc.want {
			t.Errorf("describe(%v) key = %s, want %s", tc.err, key, tc.want)
		}
	}
}

// With the server gone, SyncOnce reports an unreachable server in words a
// clerk understands, and the edit stays pending.
func TestUnreachableServerMessage(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("a")
	srv.stop()
	if _, err := st.SavePerson(record.Person{Name: "王建华"}); err != nil {
		t.Fatal(err)
	}
	client := New(st, Options{})
	err := client.SyncOnce(context.Background())
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("SyncOnce with the server down: %v, want ErrUnreachable", err)
	}
	var e *Error
	if !errors.As(client.Status().LastError, &e) || e.Key != "sync.error.unreachable" {
		t.Errorf("status error = %v, want key sync.error.unreachable", client.Status().LastError)
	}
	if st.Pending() != 1 {
		t.Errorf("pending after a failed sync = %d, want 1", st.Pending())
	}
}

// A store that holds one college's records refuses a code of another
// college, and the code stays unused for the device it was meant for.
func TestEnrolForOtherCollegeRefused(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("a")
	if _, err := st.SavePerson(record.Person{Name: "李娜"}); err != nil {
		t.Fatal(err)
	}
	code, _ := srv.createCode("4136010839", "clerk", time.Hour)
	err := Enrol(context.Background(), st, srv.url(), code)
	if !errors.Is(err, ErrOtherCollege) {
		t.Fatalf("Enrol with another college's code: %v, want ErrOtherCollege", err)
	}
	if id, _ := st.Identity(); id.College != college {
		t.Errorf("identity college after the refusal = %s, want %s", id.College, college)
	}
	other := srv.enrolledWith("b", code)
	if id, _ := other.Identity(); id.College != "4136010839" {
		t.Errorf("the unused code enrolled a new device for %s, want 4136010839", id.College)
	}
	// Addresses as people type them all work, and mean TLS.
	for _, addr := range []string{"wss://" + srv.addr, srv.addr, "https://" + srv.addr + "/"} {
		u, err := ServerURL(addr)
		if err != nil || u.String() != "https://"+srv.addr {
			t.Errorf("ServerURL(%q) = %v, %v; want https://%s", addr, u, err, srv.addr)
		}
	}
}

// A conflict item the server made after the backup is supplied again by the
// devices that hold it, so the restored pool keeps the losing value.
func TestRestoreKeepsConflictItems(t *testing.T) {
	srv := startServer(t)
	a := srv.enrolled("a")
	b := srv.enrolled("b")
	p, _ := a.SavePerson(record.Person{Name: "李四", Employer: "备份前"})
	syncOnce(t, a)
	syncOnce(t, b)
	backup := filepath.Join(t.TempDir(), "backup.db")
	f, _ := os.Create(backup)
	if _, err := srv.pool.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()

	pa, _ := a.Person(p.ID)
	pa.Employer = "A冲突"
	a.SavePerson(pa)
	time.Sleep(5 * time.Millisecond)
	pb, _ := b.Person(p.ID)
	pb.Employer = "B冲突"
	b.SavePerson(pb)
	syncOnce(t, a)
	syncOnce(t, b)
	syncOnce(t, a)
	before := poolConflicts(t, srv)
	if len(before) != 1 {
		t.Fatalf("conflict items before the restore = %d, want 1", len(before))
	}

	srv.stop()
	if _, err := pool.Restore(backup, filepath.Join(srv.dir, "pool.db")); err != nil {
		t.Fatal(err)
	}
	srv.start()
	syncOnce(t, a)
	syncOnce(t, b)
	after := poolConflicts(t, srv)
	if len(after) != 1 || after[0].ID != before[0].ID || after[0].Loser != "A冲突" {
		t.Errorf("conflict items after the restore = %+v, want the item keeping A冲突", after)
	}
}

// A server of a newer schema is refused with the upgrade error, which the
// desktop shows in Chinese, and nothing is pulled.
func TestNewerServerSchemaIsUpgrade(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("a")
	srv.stop()

	// A stand-in for a newer server on the same address, with the same
	// certificate.
	raw, err := net.Listen("tcp", srv.addr)
	if err != nil {
		t.Fatal(err)
	}
	ln := tls.NewListener(raw, &tls.Config{Certificates: []tls.Certificate{*srv.opts.Certificate}})
	upgrader := websocket.Upgrader{}
	httpSrv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		_, _, _ = ws.ReadMessage() // hello
		msg, _ := protocol.Encode(protocol.TypeChallenge, protocol.Challenge{Nonce: []byte("n")}, nil)
		_ = ws.WriteMessage(websocket.BinaryMessage, msg)
		_, _, _ = ws.ReadMessage() // auth
		msg, _ = protocol.Encode(protocol.TypeWelcome, protocol.Welcome{Schema: protocol.SchemaVersion + 1, Head: 9}, nil)
		_ = ws.WriteMessage(websocket.BinaryMessage, msg)
		_, _, _ = ws.ReadMessage()
	})}
	go httpSrv.Serve(ln)
	defer httpSrv.Close()

	err = New(st, Options{}).SyncOnce(context.Background())
	if !errors.Is(err, protocol.ErrUpgrade) {
		t.Fatalf("sync with a newer-schema server: %v, want ErrUpgrade", err)
	}
	if got := Message(err); !strings.Contains(got, "请升级") {
		t.Errorf("message = %q, want the Chinese upgrade advice", got)
	}
	if st.Cursor() != 0 {
		t.Errorf("cursor moved to %d, want nothing pulled", st.Cursor())
	}
}
