package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/syncclient"
	"mobilefactory/internal/testtls"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/shared/transfer"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/pool"
)

const (
	testCollege  = "4136012941" // 江西财经职业学院
	otherCollege = "4136013420" // 南昌职业大学
	adminToken   = "test-admin-token"
)

// importServer is the real sync server on a loopback port with the
// import-changes endpoint, and a data folder whose admin.json points at it.
type importServer struct {
	t           *testing.T
	dataDir     string
	url         string
	pool        *pool.Pool
	fingerprint []byte
}

func startImportServer(t *testing.T, withImport bool) *importServer {
	t.Helper()
	s := &importServer{t: t, dataDir: t.TempDir()}
	p, err := pool.Open(poolPath(s.dataDir), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.pool = p

	var admin hub.AdminHandlers
	if withImport {
		admin.ImportChanges = importChangesHandler(p, slog.New(slog.DiscardHandler))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		p.Close()
		t.Fatal(err)
	}
	cert, fingerprint := testtls.Certificate(t)
	s.url, s.fingerprint = "https://"+ln.Addr().String(), fingerprint
	raw, _ := json.Marshal(adminInfo{URL: s.url, Token: adminToken, Fingerprint: hex.EncodeToString(fingerprint)})
	if err := os.WriteFile(filepath.Join(s.dataDir, adminFile), raw, 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	srv := hub.New(p, hub.Options{AdminToken: adminToken, Admin: admin, Certificate: cert})
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server stopped with error: %v", err)
		}
		if err := p.Check(); err != nil {
			t.Errorf("pool integrity: %v", err)
		}
		p.Close()
	})
	return s
}

// enrolled opens a new client store and enrols it with the server as a
// clerk of college.
func (s *importServer) enrolled(name, college string) *store.Store {
	s.t.Helper()
	return s.enrolledAs(name, college, "clerk")
}

// enrolledAs opens a new client store and enrols it with the server for
// scope with role.
func (s *importServer) enrolledAs(name, scope, role string) *store.Store {
	s.t.Helper()
	st, err := store.Open(filepath.Join(s.t.TempDir(), name+".db"), store.Options{})
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() {
		if err := st.Check(); err != nil {
			s.t.Errorf("%s store integrity: %v", name, err)
		}
		st.Close()
	})
	code, _, err := hub.NewEnrolCode(s.pool, scope, role, s.fingerprint)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := syncclient.Enrol(context.Background(), st, s.url, code); err != nil {
		s.t.Fatalf("Enrol(%s): %v", name, err)
	}
	return st
}

func (s *importServer) logChanges() uint64 {
	s.t.Helper()
	stats, err := s.pool.Stats()
	if err != nil {
		s.t.Fatal(err)
	}
	return stats.LogChanges
}

// exportFiles writes st's outbox as change files the way desktop
// export-changes does, each part at most perFile changes.
func exportFiles(t *testing.T, st *store.Store, perFile int) [][]byte {
	t.Helper()
	ident, ok := st.Identity()
	if !ok {
		t.Fatal("store not enrolled")
	}
	limits := changeset.DefaultLimits
	limits.MaxChanges = perFile
	h := transfer.Header{Device: ident.Device, College: ident.College, Epoch: st.Epoch(), Created: time.Now()}
	copy(h.Recipient[:], ident.TransferKey)
	var files [][]byte
	_, err := transfer.Export(st, h, ident.PrivateKey, limits, func(p transfer.Part) error {
		files = append(files, p.Data)
		return nil
	})
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	return files
}

func exportOne(t *testing.T, st *store.Store) []byte {
	t.Helper()
	files := exportFiles(t, st, changeset.DefaultLimits.MaxChanges)
	if len(files) != 1 {
		t.Fatalf("export wrote %d files, want 1", len(files))
	}
	return files[0]
}

func syncOnce(t *testing.T, st *store.Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := syncclient.New(st, syncclient.Options{}).SyncOnce(ctx); err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
}

// savePeople saves a new person for each name and returns the number of
// outbox entries added.
func savePeople(t *testing.T, st *store.Store, names ...string) int {
	t.Helper()
	before := st.Pending()
	for _, name := range names {
		if _, err := st.SavePerson(record.Person{Name: name, Phone: "13807912345", Major: "530302", GradYear: 2025}); err != nil {
			t.Fatal(err)
		}
	}
	return st.Pending() - before
}

func poolHasPerson(t *testing.T, p *pool.Pool, name string) bool {
	t.Helper()
	found := false
	err := p.Each(record.KindPerson, func(st *changeset.State) error {
		found = found || st.Values()[record.FieldName] == name
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// A fair laptop exports its day's changes, the central office imports the
// file twice by mistake, and the laptop syncs once it has a network. The
// pool holds each change once and the laptop's outbox empties without a
// second push.
func TestImportThenSyncAppliesOnce(t *testing.T) {
	srv := startImportServer(t, true)
	fair := srv.enrolled("fair", testCollege)
	n := savePeople(t, fair, "李娜", "王芳")
	data := exportOne(t, fair)
	if got := fair.Pending(); got != n {
		t.Fatalf("pending after export = %d, want %d: export must not delete outbox entries", got, n)
	}

	res, err := importChangeFile(srv.pool, data)
	if err != nil {
		t.Fatalf("first import: %v", err)
	}
	if res.Applied != n || res.Acked != uint64(n) || res.From != 1 || res.To != uint64(n) {
		t.Errorf("first import = %+v, want %d applied, acked %d, range 1..%d", res, n, n, n)
	}
	if got := srv.logChanges(); got != uint64(n) {
		t.Errorf("log changes after import = %d, want %d", got, n)
	}
	if !poolHasPerson(t, srv.pool, "王芳") {
		t.Error("pool lacks 王芳 after the import")
	}

	res, err = importChangeFile(srv.pool, data)
	if err != nil {
		t.Fatalf("second import of the same file: %v", err)
	}
	if res.Applied != 0 || res.Acked != uint64(n) {
		t.Errorf("second import = %+v, want 0 applied, acked %d", res, n)
	}
	if got := srv.logChanges(); got != uint64(n) {
		t.Errorf("log changes after the second import = %d, want %d", got, n)
	}

	// The laptop learns from Welcome.Acked that the server has its changes.
	syncOnce(t, fair)
	if got := fair.Pending(); got != 0 {
		t.Errorf("pending after sync = %d, want 0", got)
	}
	if got := srv.logChanges(); got != uint64(n) {
		t.Errorf("log changes after sync = %d, want %d: the sync pushed the imported changes again", got, n)
	}
	if after := exportFiles(t, fair, changeset.DefaultLimits.MaxChanges); len(after) != 0 {
		t.Errorf("export after sync wrote %d files, want 0", len(after))
	}

	// The next day's file carries the epoch the sync stored, and it fits.
	if fair.Epoch() != srv.pool.Epoch() {
		t.Fatalf("store epoch after sync = %q, want %q", fair.Epoch(), srv.pool.Epoch())
	}
	m := savePeople(t, fair, "赵敏")
	res, err = importChangeFile(srv.pool, exportOne(t, fair))
	if err != nil {
		t.Fatalf("import of the next day's file: %v", err)
	}
	if res.From != uint64(n+1) || res.Applied != m {
		t.Errorf("next day's import = %+v, want range from %d and %d applied", res, n+1, m)
	}
}

// Each export starts at the first unacknowledged change, so a later export
// contains the earlier one. Either order of import leaves the pool with
// every change once.
func TestImportTwoExportsEitherOrder(t *testing.T) {
	for _, order := range []string{"first, second", "second, first"} {
		srv := startImportServer(t, true)
		fair := srv.enrolled("fair", testCollege)
		n1 := savePeople(t, fair, "李娜")
		first := exportOne(t, fair)
		n2 := savePeople(t, fair, "王芳", "赵敏")
		second := exportOne(t, fair)
		total := n1 + n2

		files, wantApplied := [][]byte{first, second}, []int{n1, n2}
		if order == "second, first" {
			files, wantApplied = [][]byte{second, first}, []int{total, 0}
		}
		for i, data := range files {
			res, err := importChangeFile(srv.pool, data)
			if err != nil {
				t.Fatalf("%s: import %d: %v", order, i+1, err)
			}
			if res.Applied != wantApplied[i] {
				t.Errorf("%s: import %d applied %d, want %d", order, i+1, res.Applied, wantApplied[i])
			}
		}
		if got := srv.logChanges(); got != uint64(total) {
			t.Errorf("%s: log changes = %d, want %d", order, got, total)
		}
		syncOnce(t, fair)
		if got := fair.Pending(); got != 0 {
			t.Errorf("%s: pending after sync = %d, want 0", order, got)
		}
	}
}

// An outbox split into parts must be imported in sequence order. The second
// part first is rejected as a gap, with nothing applied, and works once the
// first part is in.
func TestImportPartsOutOfOrder(t *testing.T) {
	srv := startImportServer(t, true)
	fair := srv.enrolled("fair", testCollege)
	n := savePeople(t, fair, "李娜", "王芳")
	parts := exportFiles(t, fair, 3)
	if len(parts) < 2 {
		t.Fatalf("export of %d changes at 3 per file wrote %d files, want at least 2", n, len(parts))
	}
	second, err := transfer.Parse(parts[1], changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}

	res, err := importChangeFile(srv.pool, parts[1])
	if !errors.Is(err, pool.ErrSequence) {
		t.Fatalf("import of part 2 first: err = %v, want %v", err, pool.ErrSequence)
	}
	if res.Acked != 0 {
		t.Errorf("acked reported with the gap = %d, want 0", res.Acked)
	}
	if got := srv.logChanges(); got != 0 {
		t.Errorf("log changes after the rejected part = %d, want 0", got)
	}
	msg := importMessage("day-2.mfc", srv.dataDir, second.Header, &importError{err: err, acked: res.Acked})
	if !strings.Contains(msg, "请先导入从第 1 条开始的那个文件") {
		t.Errorf("gap message = %q, want it to name the file starting at change 1", msg)
	}

	for i, data := range parts {
		if _, err := importChangeFile(srv.pool, data); err != nil {
			t.Fatalf("import of part %d in order: %v", i+1, err)
		}
	}
	if got := srv.logChanges(); got != uint64(n) {
		t.Errorf("log changes after all parts = %d, want %d", got, n)
	}
}

// Files that are damaged, cut short, from a newer version, from another
// epoch or from an unknown device are rejected whole with their own error.
func TestImportRejectsBadFiles(t *testing.T) {
	srv := startImportServer(t, true)
	fair := srv.enrolled("fair", testCollege)
	savePeople(t, fair, "李娜")
	valid := exportOne(t, fair)
	f, err := transfer.Parse(valid, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}

	// A device enrolled with another server signs a file of its own, and
	// encrypts it to that server's key.
	elsewhere := startImportServer(t, true)
	stranger := elsewhere.enrolled("stranger", testCollege)
	savePeople(t, stranger, "陌生人")
	strangerIdent, _ := stranger.Identity()
	strangerChanges, err := stranger.Outbox(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	toThisServer := transfer.Header{Device: strangerIdent.Device, College: testCollege, Created: time.Now()}
	copy(toThisServer.Recipient[:], srv.pool.TransferKey().PublicKey().Bytes())
	unknownDevice, err := transfer.Encode(toThisServer, strangerChanges, strangerIdent.PrivateKey, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}

	ident, _ := fair.Identity()
	otherEpoch := f.Header
	otherEpoch.Epoch = "01JOTHEREPOCH0000000000000"
	changes, err := fair.Outbox(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	fromOtherEpoch, err := transfer.Encode(otherEpoch, changes, ident.PrivateKey, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	// This device's own file, encrypted to the other server's key.
	toOtherServer := f.Header
	copy(toOtherServer.Recipient[:], elsewhere.pool.TransferKey().PublicKey().Bytes())
	forOtherServer, err := transfer.Encode(toOtherServer, changes, ident.PrivateKey, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	version1, err := os.ReadFile(filepath.Join("..", "shared", "transfer", "testdata", "version1.mfc"))
	if err != nil {
		t.Fatal(err)
	}

	tampered := append([]byte(nil), valid...)
	tampered[len(tampered)-ed25519.SignatureSize-1] ^= 0x40 // the payload's last byte
	newer := append([]byte(nil), valid...)
	newer[len(transfer.Magic)] = transfer.Version + 1

	cases := []struct {
		name    string
		data    []byte
		want    error
		message string
	}{
		{"payload byte flipped", tampered, transfer.ErrSignature, "文件签名不符"},
		{"cut short", valid[:len(valid)/2], transfer.ErrTruncated, "不完整"},
		{"newer version", newer, transfer.ErrNewerVersion, "请先升级服务器程序"},
		{"other epoch", fromOtherEpoch, transfer.ErrEpoch, "请让该设备联网同步一次，再重新导出"},
		{"unknown device", unknownDevice, pool.ErrUnknownDevice, "没有在本服务器登记"},
		{"for another server", forOtherServer, transfer.ErrOtherServer, "是为另一台服务器加密的"},
		{"of another server's device", exportOne(t, stranger), transfer.ErrOtherServer, "是为另一台服务器加密的"},
		{"of version 1", version1, transfer.ErrOldVersion, "未加密修改文件"},
	}
	for _, tc := range cases {
		_, err := importChangeFile(srv.pool, tc.data)
		if !errors.Is(err, tc.want) {
			t.Errorf("import of a file %s: err = %v, want %v", tc.name, err, tc.want)
		}
		if msg := importMessage("fair.mfc", srv.dataDir, f.Header, err); !strings.Contains(msg, tc.message) || !strings.Contains(msg, "fair.mfc") {
			t.Errorf("message for a file %s = %q, want it to name the file and contain %q", tc.name, msg, tc.message)
		}
	}
	if got := srv.logChanges(); got != 0 {
		t.Errorf("log changes after rejected files = %d, want 0", got)
	}
}

// A device of another college signs a file whose changes name this
// college's records. The pool refuses each change as out of scope.
func TestImportRejectsOtherCollege(t *testing.T) {
	srv := startImportServer(t, true)
	clerk := srv.enrolled("clerk", testCollege)
	savePeople(t, clerk, "李娜")
	intruder := srv.enrolled("intruder", otherCollege)
	ident, _ := intruder.Identity()

	changes, err := clerk.Outbox(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i := range changes {
		changes[i].Device = ident.Device
	}
	h := transfer.Header{Device: ident.Device, College: ident.College, Created: time.Now()}
	copy(h.Recipient[:], ident.TransferKey)
	data, err := transfer.Encode(h, changes, ident.PrivateKey, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	res, err := importChangeFile(srv.pool, data)
	if err != nil {
		t.Fatalf("import of another college's changes: %v", err)
	}
	if len(res.Refused) != len(changes) || res.Refused[0].Reason != protocol.CodeScope {
		t.Errorf("import refused %+v, want all %d changes refused for scope", res.Refused, len(changes))
	}
	if got := srv.logChanges(); got != 0 {
		t.Errorf("log changes after the refused file = %d, want 0", got)
	}
	// A file whose header names another college is still rejected whole.
	h.College = testCollege
	data, err = transfer.Encode(h, changes, ident.PrivateKey, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = importChangeFile(srv.pool, data); !errors.Is(err, pool.ErrScope) {
		t.Fatalf("import of a file naming another college: err = %v, want %v", err, pool.ErrScope)
	}
	msg := importMessage("intruder.mfc", srv.dataDir, h, err)
	if !strings.Contains(msg, "不属于设备 "+ident.Device+" 所在院校") {
		t.Errorf("scope message = %q", msg)
	}
}

// While the server runs, the command reaches it through
// POST /admin/import-changes, and rejections keep their meaning.
func TestImportThroughRunningServer(t *testing.T) {
	srv := startImportServer(t, true)
	fair := srv.enrolled("fair", testCollege)
	n := savePeople(t, fair, "李娜")
	data := exportOne(t, fair)

	res, err := importOne(srv.dataDir, data)
	if err != nil {
		t.Fatalf("import through the admin endpoint: %v", err)
	}
	if res.Applied != n || res.Acked != uint64(n) {
		t.Errorf("import through the admin endpoint = %+v, want %d applied, acked %d", res, n, n)
	}
	res, err = importOne(srv.dataDir, data)
	if err != nil || res.Applied != 0 {
		t.Errorf("repeated import through the admin endpoint = %+v, %v; want 0 applied", res, err)
	}

	tampered := append([]byte(nil), data...)
	tampered[len(tampered)-ed25519.SignatureSize-1] ^= 0x40
	_, err = importOne(srv.dataDir, tampered)
	if !errors.Is(err, transfer.ErrSignature) {
		t.Errorf("tampered file through the admin endpoint: err = %v, want %v", err, transfer.ErrSignature)
	}

	// A file for another server keeps its code through the endpoint.
	elsewhere := startImportServer(t, false)
	f, err := transfer.Parse(data, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := fair.Outbox(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	h := f.Header
	copy(h.Recipient[:], elsewhere.pool.TransferKey().PublicKey().Bytes())
	ident, _ := fair.Identity()
	forOtherServer, err := transfer.Encode(h, changes, ident.PrivateKey, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = importOne(srv.dataDir, forOtherServer); !errors.Is(err, transfer.ErrOtherServer) {
		t.Errorf("file for another server through the admin endpoint: err = %v, want %v", err, transfer.ErrOtherServer)
	}
	if got := srv.logChanges(); got != uint64(n) {
		t.Errorf("log changes = %d, want %d", got, n)
	}
}

// Enrolment stores the server's transfer key, and a sync stores it when the
// identity has none, as one enrolled before change files were encrypted,
// or another one.
func TestSyncStoresTransferKey(t *testing.T) {
	srv := startImportServer(t, true)
	fair := srv.enrolled("fair", testCollege)
	want := srv.pool.TransferKey().PublicKey().Bytes()
	ident, _ := fair.Identity()
	if !bytes.Equal(ident.TransferKey, want) {
		t.Fatalf("transfer key after enrolment = %x, want %x", ident.TransferKey, want)
	}

	for _, stored := range [][]byte{nil, bytes.Repeat([]byte{1}, transfer.KeySize)} {
		ident.TransferKey = stored
		if err := fair.SetIdentity(ident); err != nil {
			t.Fatal(err)
		}
		syncOnce(t, fair)
		got, _ := fair.Identity()
		if !bytes.Equal(got.TransferKey, want) {
			t.Errorf("transfer key after a sync starting from %x = %x, want %x", stored, got.TransferKey, want)
		}
	}

	// The stored key encrypts a file that this server imports.
	n := savePeople(t, fair, "李娜")
	res, err := importChangeFile(srv.pool, exportOne(t, fair))
	if err != nil || res.Applied != n {
		t.Errorf("import after the key was fetched = %+v, %v; want %d applied", res, err, n)
	}
}

func TestImportGapThroughRunningServer(t *testing.T) {
	srv := startImportServer(t, true)
	fair := srv.enrolled("fair", testCollege)
	savePeople(t, fair, "李娜", "王芳")
	parts := exportFiles(t, fair, 3)
	if _, err := importOne(srv.dataDir, parts[0]); err != nil {
		t.Fatal(err)
	}
	if len(parts) < 3 {
		t.Fatalf("export wrote %d parts, want at least 3", len(parts))
	}
	_, err := importOne(srv.dataDir, parts[2])
	var ie *importError
	if !errors.As(err, &ie) || !errors.Is(err, pool.ErrSequence) {
		t.Fatalf("part 3 after part 1: err = %v, want an importError wrapping %v", err, pool.ErrSequence)
	}
	if ie.acked != 3 {
		t.Errorf("acked carried with the gap = %d, want 3", ie.acked)
	}
}

// A running server without the endpoint, an older build, gets a message
// asking to stop it.
func TestImportRunningServerWithoutEndpoint(t *testing.T) {
	srv := startImportServer(t, false)
	_, err := importOne(srv.dataDir, []byte(transfer.Magic))
	if !errors.Is(err, errImportUnsupported) {
		t.Fatalf("import through a server without the endpoint: err = %v, want %v", err, errImportUnsupported)
	}
	i18n.SetLocale(i18n.Chinese)
	if msg := importMessage("a.mfc", srv.dataDir, transfer.Header{}, err); !strings.Contains(msg, "请停止服务器后再导入") {
		t.Errorf("message = %q", msg)
	}
}

// A device exports a file, then re-enrols with proof, which replaces its
// key. The file signed with the replaced key still imports, while a file
// signed by a key the device never registered stays rejected.
func TestImportFileSignedBeforeReenrolment(t *testing.T) {
	srv := startImportServer(t, true)
	laptop := srv.enrolled("laptop", testCollege)
	savePeople(t, laptop, "李娜", "王芳")
	before := exportOne(t, laptop)
	oldIdent, _ := laptop.Identity()

	code, _, err := hub.NewEnrolCode(srv.pool, testCollege, "clerk", srv.fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	if err := syncclient.Enrol(context.Background(), laptop, srv.url, code); err != nil {
		t.Fatalf("re-enrolment: %v", err)
	}
	newIdent, _ := laptop.Identity()
	if bytes.Equal(newIdent.PrivateKey, oldIdent.PrivateKey) {
		t.Fatal("re-enrolment kept the old key")
	}

	f, err := transfer.Parse(before, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := laptop.Outbox(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	_, strangerKey, _ := ed25519.GenerateKey(nil)
	forged, err := transfer.Encode(f.Header, changes, strangerKey, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importChangeFile(srv.pool, forged); !errors.Is(err, transfer.ErrSignature) {
		t.Errorf("import of a file signed by an unregistered key: err = %v, want %v", err, transfer.ErrSignature)
	}

	res, err := importChangeFile(srv.pool, before)
	if err != nil {
		t.Fatalf("import of a file signed before the re-enrolment: %v", err)
	}
	if res.Applied != len(changes) {
		t.Errorf("applied = %d, want %d", res.Applied, len(changes))
	}
	if !poolHasPerson(t, srv.pool, "王芳") {
		t.Error("pool lacks the person of the imported file")
	}
}

// A file whose header names the device in lower case is another spelling
// of the id, and is rejected before any key is looked up.
func TestImportRejectsLowerCaseDevice(t *testing.T) {
	srv := startImportServer(t, true)
	laptop := srv.enrolled("laptop", testCollege)
	savePeople(t, laptop, "李娜")
	ident, _ := laptop.Identity()
	f, err := transfer.Parse(exportOne(t, laptop), changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := laptop.Outbox(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	lower := strings.ToLower(ident.Device)
	for i := range changes {
		changes[i].Device = lower
	}
	h := f.Header
	h.Device = lower
	data, err := transfer.Encode(h, changes, ident.PrivateKey, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importChangeFile(srv.pool, data); !errors.Is(err, pool.ErrInvalid) {
		t.Errorf("import of a file naming device %s: err = %v, want ErrInvalid", lower, err)
	}
	if got := srv.logChanges(); got != 0 {
		t.Errorf("log changes after the rejected file = %d, want 0", got)
	}
}
