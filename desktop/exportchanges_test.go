package main

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/changeset"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/record"
	"mobilefactory/shared/transfer"
	"mobilefactory/syncserver/pool"
)

const testCollege = "4136012941" // 江西财经职业学院

// enrolledDataDir makes a data folder whose store is enrolled with a pool
// in another temporary folder, saves one person per name and closes the
// store. It returns the folder and the pool.
func enrolledDataDir(t *testing.T, names ...string) (string, *pool.Pool) {
	t.Helper()
	p, err := pool.Open(filepath.Join(t.TempDir(), "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	dir := t.TempDir()
	st, err := store.Open(storePath(dir), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	code, err := p.CreateEnrolment(testCollege, "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Enrol(code, st.Device(), pub, "test"); err != nil {
		t.Fatal(err)
	}
	ident := store.Identity{Device: st.Device(), College: testCollege, Role: "clerk", PrivateKey: priv,
		TransferKey: p.TransferKey().PublicKey().Bytes()}
	if err := st.SetIdentity(ident); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if _, err := st.SavePerson(record.Person{Name: name, Phone: "13807912345", GradYear: 2025}); err != nil {
			t.Fatal(err)
		}
	}
	return dir, p
}

// withStore opens the data folder's store for fn and checks its integrity.
func withStore(t *testing.T, dir string, fn func(*store.Store)) {
	t.Helper()
	st, err := store.Open(storePath(dir), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fn(st)
	if err := st.Check(); err != nil {
		t.Errorf("store integrity: %v", err)
	}
}

func pendingIn(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	withStore(t, dir, func(st *store.Store) { n = st.Pending() })
	return n
}

// The command writes a file the pool accepts as a push, and the outbox
// keeps every entry until a sync finds them acknowledged.
func TestExportChangesCommand(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, p := enrolledDataDir(t, "李娜", "王芳")
	pending := pendingIn(t, dir)
	file := filepath.Join(t.TempDir(), "招聘会.mfc")

	if err := runExportChanges([]string{file, "--data", dir}); err != nil {
		t.Fatalf("export-changes: %v", err)
	}
	if got := pendingIn(t, dir); got != pending {
		t.Errorf("pending after export = %d, want %d: export must delete nothing", got, pending)
	}

	f, err := transfer.ReadFile(file, changeset.DefaultLimits)
	if err != nil {
		t.Fatalf("reading the exported file: %v", err)
	}
	device, err := p.Device(f.Device)
	if err != nil {
		t.Fatalf("file names device %q: %v", f.Device, err)
	}
	if err := f.Verify(device.PublicKey); err != nil {
		t.Fatalf("signature against the registered key: %v", err)
	}
	if f.College != testCollege || f.From != 1 || f.To != uint64(pending) {
		t.Errorf("file header = college %s, range %d..%d; want %s, 1..%d", f.College, f.From, f.To, testCollege, pending)
	}
	changes, err := f.Changes(p.TransferKey(), changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var outbox []changeset.Change
	withStore(t, dir, func(st *store.Store) {
		if outbox, err = st.Outbox(0, pending+1); err != nil {
			t.Fatal(err)
		}
	})
	if len(changes) != len(outbox) {
		t.Fatalf("file decrypts to %d changes, the outbox holds %d", len(changes), len(outbox))
	}
	for i := range outbox {
		if changes[i] != outbox[i] {
			t.Errorf("change %d of the file = %+v, outbox entry %+v", i, changes[i], outbox[i])
		}
	}
	res, err := p.ApplyPush(f.Device, f.From, f.To, changes)
	if err != nil {
		t.Fatalf("ApplyPush of the exported changes: %v", err)
	}
	if res.Applied != pending {
		t.Errorf("ApplyPush applied %d changes, want %d", res.Applied, pending)
	}

	// The flags may come first, and a second export overwrites the file.
	if err := runExportChanges([]string{"--data", dir, file}); err != nil {
		t.Fatalf("export-changes with the file last: %v", err)
	}
	entries, err := os.ReadDir(filepath.Dir(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries after two exports, want 1 (no temporary file left)", len(entries))
	}
}

func TestExportChangesEmptyOutbox(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := enrolledDataDir(t)
	file := filepath.Join(t.TempDir(), "none.mfc")
	var res exportResult
	withStore(t, dir, func(st *store.Store) {
		var err error
		res, err = exportChanges(st, file, changeset.DefaultLimits, time.Now())
		if err != nil {
			t.Fatalf("exportChanges of an empty outbox: %v", err)
		}
	})
	if len(res.Files) != 0 {
		t.Errorf("export of an empty outbox wrote %v, want no file", res.Files)
	}
	if got, want := res.summary(), "没有待同步的修改，无需导出。"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("Stat(%s) = %v, want the file not to exist", file, err)
	}
}

func TestExportChangesSplitsParts(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := enrolledDataDir(t, "李娜", "王芳")
	file := filepath.Join(t.TempDir(), "day.mfc")
	limits := changeset.DefaultLimits
	limits.MaxChanges = 3
	var res exportResult
	var pending int
	withStore(t, dir, func(st *store.Store) {
		pending = st.Pending()
		var err error
		if res, err = exportChanges(st, file, limits, time.Now()); err != nil {
			t.Fatalf("exportChanges: %v", err)
		}
	})
	wantFiles := (pending + 2) / 3
	if len(res.Files) != wantFiles {
		t.Fatalf("export of %d changes at 3 per file wrote %d files, want %d", pending, len(res.Files), wantFiles)
	}
	if res.Files[0] != file || res.Files[1] != strings.TrimSuffix(file, ".mfc")+"-2.mfc" {
		t.Errorf("file names = %v, want %s first and day-2.mfc second", res.Files, file)
	}
	if res.Changes != pending || res.From != 1 || res.To != uint64(pending) {
		t.Errorf("export result = %d changes, %d..%d; want %d, 1..%d", res.Changes, res.From, res.To, pending, pending)
	}
	for _, path := range res.Files {
		if _, err := transfer.ReadFile(path, changeset.DefaultLimits); err != nil {
			t.Errorf("reading part %s: %v", path, err)
		}
	}
	if !strings.Contains(res.summary(), "分成了 ") {
		t.Errorf("summary of a split export = %q, want it to say the files were split", res.summary())
	}
}

func TestExportChangesErrors(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	err := runExportChanges([]string{"--data", t.TempDir()})
	if !cli.IsUsage(err) || !strings.Contains(err.Error(), "缺少导出文件名") {
		t.Errorf("export-changes without a file = %v, want the usage error for a missing file", err)
	}

	err = runExportChanges([]string{filepath.Join(t.TempDir(), "x.mfc"), "--data", t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "本机尚未登记") {
		t.Errorf("export-changes of a store not enrolled = %v, want the not-enrolled message", err)
	}

	dir, _ := enrolledDataDir(t, "李娜")
	pending := pendingIn(t, dir)
	unplugged := filepath.Join(t.TempDir(), "no-such-stick", "day.mfc")
	err = runExportChanges([]string{unplugged, "--data", dir})
	if err == nil || !strings.Contains(err.Error(), "无法写入") || !strings.Contains(err.Error(), unplugged) {
		t.Errorf("export-changes to a missing folder = %v, want the write-failed message naming the file", err)
	}
	if got := pendingIn(t, dir); got != pending {
		t.Errorf("pending after a failed export = %d, want %d", got, pending)
	}
}

// The file a finder copies from the USB stick shows no name, ID number or
// phone, and only the server it was written for decrypts it.
func TestExportChangesEncrypted(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, p := enrolledDataDir(t)
	people := []record.Person{
		{Name: "李娜", Gender: record.GenderFemale, IDNumber: "36012120020101099X", Phone: "13807912345", GradYear: 2025},
		{Name: "张伟", Gender: record.GenderMale, IDNumber: "360102200305140124", Phone: "13907971111", GradYear: 2025},
		{Name: "周杰", Gender: record.GenderMale, IDNumber: "360781200303280551", Phone: "15070000055", GradYear: 2025},
	}
	withStore(t, dir, func(st *store.Store) {
		for _, person := range people {
			if _, err := st.SavePerson(person); err != nil {
				t.Fatal(err)
			}
		}
	})
	file := filepath.Join(t.TempDir(), "招聘会.mfc")
	if err := runExportChanges([]string{file, "--data", dir}); err != nil {
		t.Fatalf("export-changes: %v", err)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, person := range people {
		for _, value := range []string{person.Name, person.IDNumber, person.Phone} {
			if bytes.Contains(raw, []byte(value)) {
				t.Errorf("the change file contains %q in the clear", value)
			}
		}
	}
	// 28 b5 2f fd starts every zstd frame; the version 1 payload was one.
	if bytes.Contains(raw, []byte{0x28, 0xb5, 0x2f, 0xfd}) {
		t.Error("the change file contains a zstd frame")
	}

	f, err := transfer.Parse(raw, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	other, err := pool.Open(filepath.Join(t.TempDir(), "pool.db"), pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := f.Changes(other.TransferKey(), changeset.DefaultLimits); !errors.Is(err, transfer.ErrOtherServer) {
		t.Errorf("Changes with another server's key = %v, want %v", err, transfer.ErrOtherServer)
	}
	changes, err := f.Changes(p.TransferKey(), changeset.DefaultLimits)
	if err != nil {
		t.Fatalf("Changes with the enrolled server's key: %v", err)
	}
	names := 0
	for _, c := range changes {
		if c.Field == record.FieldName {
			names++
		}
	}
	if names != len(people) {
		t.Errorf("decrypted file sets %d names, want %d", names, len(people))
	}
}

// An identity enrolled before change files were encrypted has no transfer
// key, so export writes nothing and returns a message requesting a sync or
// a new enrolment.
func TestExportChangesWithoutTransferKey(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir, _ := enrolledDataDir(t, "李娜")
	withStore(t, dir, func(st *store.Store) {
		ident, _ := st.Identity()
		ident.TransferKey = nil
		if err := st.SetIdentity(ident); err != nil {
			t.Fatal(err)
		}
	})
	pending := pendingIn(t, dir)
	file := filepath.Join(t.TempDir(), "day.mfc")
	err := runExportChanges([]string{file, "--data", dir})
	if err == nil || !strings.Contains(err.Error(), "本机还没有服务器的加密公钥") || !strings.Contains(err.Error(), "联网同步一次") {
		t.Errorf("export-changes without a transfer key = %v, want the message asking for a sync", err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("Stat(%s) = %v, want no file written", file, err)
	}
	if got := pendingIn(t, dir); got != pending {
		t.Errorf("pending after the refused export = %d, want %d", got, pending)
	}
}
