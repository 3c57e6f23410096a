package transfer

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

const (
	testDevice  = "01JDEVICE000000000000000AA"
	testCollege = "4136012941"
	testEpoch   = "01JEPOCH0000000000000000EE"
)

// outboxChanges returns n changes of testDevice with sequences from..from+n-1.
func outboxChanges(from uint64, n int) []changeset.Change {
	id := ulid.MustParse("01JEXAMPLE0000000000000000")
	stamp := hlc.Make(1_780_000_000_000, 0)
	out := make([]changeset.Change, n)
	for i := range out {
		out[i] = changeset.Change{Kind: record.KindPerson, ID: id, Scope: testCollege, Field: record.FieldPhone,
			Value: fmt.Sprintf("1380791%04d", i), Stamp: stamp + hlc.Stamp(i), Device: testDevice, Seq: from + uint64(i)}
	}
	return out
}

func testKey(t testing.TB) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	seed := bytes.Repeat([]byte{7}, ed25519.SeedSize)
	priv := ed25519.NewKeyFromSeed(seed)
	return priv.Public().(ed25519.PublicKey), priv
}

// serverKey returns the transfer key of a test server, made from seed.
func serverKey(t testing.TB, seed byte) *ecdh.PrivateKey {
	t.Helper()
	key, err := ecdh.X25519().NewPrivateKey(bytes.Repeat([]byte{seed}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// testServer is the seed of the server key testHeader encrypts to.
const testServer = 9

func testHeader() Header {
	h := Header{Device: testDevice, College: testCollege, Epoch: testEpoch, Created: time.UnixMilli(1_780_000_123_456)}
	key, err := ecdh.X25519().NewPrivateKey(bytes.Repeat([]byte{testServer}, KeySize))
	if err != nil {
		panic(err)
	}
	copy(h.Recipient[:], key.PublicKey().Bytes())
	return h
}

// validFile returns a signed file of changes 5..9.
func validFile(t testing.TB) []byte {
	t.Helper()
	_, priv := testKey(t)
	data, err := Encode(testHeader(), outboxChanges(5, 5), priv, changeset.DefaultLimits)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return data
}

func TestFileRoundTrip(t *testing.T) {
	pub, _ := testKey(t)
	data := validFile(t)
	f, err := Parse(data, changeset.DefaultLimits)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := testHeader()
	want.From, want.To = 5, 9
	if f.Header != want {
		t.Errorf("header = %+v, want %+v", f.Header, want)
	}
	if f.Version != Version {
		t.Errorf("version = %d, want %d", f.Version, Version)
	}

	if err := f.Verify(pub); err != nil {
		t.Fatalf("Verify with the signing key: %v", err)
	}

	got, err := f.Changes(serverKey(t, testServer), changeset.DefaultLimits)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	in := outboxChanges(5, 5)
	if len(got) != len(in) {
		t.Fatalf("Changes returned %d changes, want %d", len(got), len(in))
	}
	for i := range in {
		if got[i] != in[i] {
			t.Errorf("change %d = %+v, want %+v", i, got[i], in[i])
		}
	}
}

// parseCases are files Parse rejects, with the sentinel each returns. They
// also seed FuzzParse.
func parseCases(t testing.TB) []struct {
	name string
	data []byte
	want error
} {
	valid := validFile(t)
	withByte := func(off int, b byte) []byte {
		d := bytes.Clone(valid)
		d[off] = b
		return d
	}
	// The device name starts right after the version byte.
	nameOff := len(Magic) + 1
	payloadLenOff := len(valid) - ed25519.SignatureSize - 4 - sizeOfPayload(t, valid)
	tooLong := bytes.Clone(valid)
	copy(tooLong[payloadLenOff:], []byte{0xff, 0xff, 0xff, 0xff})
	return []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"cut in magic", []byte("MFCH"), ErrTruncated},
		{"other file", []byte("PK\x03\x04 a zip archive, not a change file"), ErrNotChangeFile},
		{"magic only", []byte(Magic), ErrTruncated},
		{"newer version", withByte(len(Magic), Version+1), ErrNewerVersion},
		{"newer version, rest garbage", append([]byte(Magic), Version+1, 0xff, 0xff), ErrNewerVersion},
		{"version 0", withByte(len(Magic), 0), ErrCorrupt},
		{"version 1, unencrypted", withByte(len(Magic), versionPlain), ErrOldVersion},
		{"version 1, rest garbage", append([]byte(Magic), versionPlain, 0xff), ErrOldVersion},
		{"name too long", withByte(nameOff, maxNameBytes+1), ErrCorrupt},
		{"payload length over limit", tooLong, ErrTooLarge},
		{"trailing byte", append(bytes.Clone(valid), 0), ErrCorrupt},
		{"signature cut", valid[:len(valid)-1], ErrTruncated},
		{"payload cut", valid[:len(valid)-ed25519.SignatureSize-3], ErrTruncated},
	}
}

// sizeOfPayload returns the payload length of a file written by Encode.
func sizeOfPayload(t testing.TB, data []byte) int {
	t.Helper()
	f, err := Parse(data, changeset.DefaultLimits)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return len(f.payload)
}

func TestParseRejects(t *testing.T) {
	for _, tc := range parseCases(t) {
		_, err := Parse(tc.data, changeset.DefaultLimits)
		if !errors.Is(err, tc.want) {
			t.Errorf("Parse(%s) error = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestParseEveryTruncation(t *testing.T) {
	valid := validFile(t)
	for n := len(Magic); n < len(valid); n++ {
		_, err := Parse(valid[:n], changeset.DefaultLimits)
		if !errors.Is(err, ErrTruncated) {
			t.Fatalf("Parse(first %d of %d bytes) error = %v, want %v", n, len(valid), err, ErrTruncated)
		}
	}
}

func TestVerifyDetectsChangedByte(t *testing.T) {
	pub, _ := testKey(t)
	valid := validFile(t)
	// Flip one bit in each byte after the magic and version in turn. Either
	// Parse rejects the file or Verify does.
	for off := len(Magic) + 1; off < len(valid); off++ {
		d := bytes.Clone(valid)
		d[off] ^= 0x01
		f, err := Parse(d, changeset.DefaultLimits)
		if err != nil {
			continue
		}
		if err := f.Verify(pub); !errors.Is(err, ErrSignature) {
			t.Fatalf("Verify after flipping byte %d = %v, want %v", off, err, ErrSignature)
		}
	}
}

func TestVerifyRejectsOtherKey(t *testing.T) {
	f, err := Parse(validFile(t), changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{8}, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	if err := f.Verify(other); !errors.Is(err, ErrSignature) {
		t.Errorf("Verify with another device's key = %v, want %v", err, ErrSignature)
	}
	if err := f.Verify(nil); !errors.Is(err, ErrSignature) {
		t.Errorf("Verify with no key = %v, want %v", err, ErrSignature)
	}
	if err := f.Verify(); !errors.Is(err, ErrSignature) {
		t.Errorf("Verify without keys = %v, want %v", err, ErrSignature)
	}
}

// A file signed before a re-enrolment carries the replaced key's
// signature: Verify accepts it when that key is among the keys given.
func TestVerifyAcceptsPreviousKey(t *testing.T) {
	f, err := Parse(validFile(t), changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := testKey(t)
	current := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{8}, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	unrelated := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	if err := f.Verify(current, unrelated, signer); err != nil {
		t.Errorf("Verify with the signer among the previous keys = %v, want nil", err)
	}
	if err := f.Verify(current, unrelated); !errors.Is(err, ErrSignature) {
		t.Errorf("Verify without the signer's key = %v, want %v", err, ErrSignature)
	}
}

func TestCheckEpoch(t *testing.T) {
	f, err := Parse(validFile(t), changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.CheckEpoch(testEpoch); err != nil {
		t.Errorf("CheckEpoch(same epoch) = %v, want nil", err)
	}
	if err := f.CheckEpoch("01JOTHER0000000000000000EE"); !errors.Is(err, ErrEpoch) {
		t.Errorf("CheckEpoch(other epoch) = %v, want %v", err, ErrEpoch)
	}
	f.Epoch = ""
	if err := f.CheckEpoch("01JOTHER0000000000000000EE"); err != nil {
		t.Errorf("CheckEpoch of a file with no epoch = %v, want nil", err)
	}
}

func TestChangesOfOtherDevice(t *testing.T) {
	_, priv := testKey(t)
	changes := outboxChanges(1, 3)
	changes[1].Device = "01JDEVICE000000000000000BB"
	data, err := Encode(testHeader(), changes, priv, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(data, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Changes(serverKey(t, testServer), changeset.DefaultLimits); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Changes of a file holding another device's change = %v, want %v", err, ErrCorrupt)
	}
}

func TestEncodeChecks(t *testing.T) {
	_, priv := testKey(t)
	if _, err := Encode(testHeader(), nil, priv, changeset.DefaultLimits); !errors.Is(err, ErrEmpty) {
		t.Errorf("Encode(no changes) = %v, want %v", err, ErrEmpty)
	}
	limits := changeset.DefaultLimits
	limits.MaxChanges = 2
	if _, err := Encode(testHeader(), outboxChanges(1, 3), priv, limits); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Encode(3 changes, limit 2) = %v, want %v", err, ErrTooLarge)
	}
	h := testHeader()
	h.College = ""
	if _, err := Encode(h, outboxChanges(1, 3), priv, changeset.DefaultLimits); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Encode(no college) = %v, want %v", err, ErrCorrupt)
	}
}

func TestReadFileChecksSize(t *testing.T) {
	dir := t.TempDir()
	limits := changeset.DefaultLimits
	limits.MaxCompressed = 16
	big := filepath.Join(dir, "big.mfc")
	if err := os.WriteFile(big, append([]byte(Magic), make([]byte, MaxSize(limits))...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(big, limits); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadFile(file over MaxSize) = %v, want %v", err, ErrTooLarge)
	}
	photo := filepath.Join(dir, "photo.jpg")
	if err := os.WriteFile(photo, make([]byte, MaxSize(limits)+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(photo, limits); !errors.Is(err, ErrNotChangeFile) {
		t.Errorf("ReadFile(large file of another kind) = %v, want %v", err, ErrNotChangeFile)
	}
	good := filepath.Join(dir, "good.mfc")
	if err := os.WriteFile(good, validFile(t), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(good, changeset.DefaultLimits)
	if err != nil {
		t.Fatalf("ReadFile(valid file) = %v", err)
	}
	if f.From != 5 || f.To != 9 {
		t.Errorf("ReadFile range = %d..%d, want 5..9", f.From, f.To)
	}
}

// sliceOutbox is an outbox kept in memory, holding unacknowledged entries only.
type sliceOutbox []changeset.Change

func (o sliceOutbox) Outbox(after uint64, limit int) ([]changeset.Change, error) {
	var out []changeset.Change
	for _, c := range o {
		if c.Seq > after && len(out) < limit {
			out = append(out, c)
		}
	}
	return out, nil
}

func TestExportSplitsIntoParts(t *testing.T) {
	pub, priv := testKey(t)
	limits := changeset.DefaultLimits
	limits.MaxChanges = 4
	var parts []Part
	n, err := Export(sliceOutbox(outboxChanges(11, 10)), testHeader(), priv, limits, func(p Part) error {
		parts = append(parts, p)
		return nil
	})
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	if n != 3 || len(parts) != 3 {
		t.Fatalf("Export wrote %d parts (returned %d), want 3", len(parts), n)
	}
	wantRanges := [][2]uint64{{11, 14}, {15, 18}, {19, 20}}
	for i, p := range parts {
		if p.From != wantRanges[i][0] || p.To != wantRanges[i][1] {
			t.Errorf("part %d range = %d..%d, want %d..%d", i, p.From, p.To, wantRanges[i][0], wantRanges[i][1])
		}
		f, err := Parse(p.Data, limits)
		if err != nil {
			t.Fatalf("Parse(part %d): %v", i, err)
		}
		if err := f.Verify(pub); err != nil {
			t.Errorf("Verify(part %d): %v", i, err)
		}
		if f.From != p.From || f.To != p.To {
			t.Errorf("part %d header range = %d..%d, want %d..%d", i, f.From, f.To, p.From, p.To)
		}
	}
}

func TestExportHalvesOversizedPart(t *testing.T) {
	_, priv := testKey(t)
	limits := changeset.DefaultLimits
	// Room for a few hundred bytes of change set per file.
	limits.MaxDecompressed = 300
	var ranges [][2]uint64
	_, err := Export(sliceOutbox(outboxChanges(1, 40)), testHeader(), priv, limits, func(p Part) error {
		ranges = append(ranges, [2]uint64{p.From, p.To})
		return nil
	})
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	if len(ranges) < 2 {
		t.Fatalf("Export wrote %d parts, want at least 2 under a 300-byte limit", len(ranges))
	}
	next := uint64(1)
	for i, r := range ranges {
		if r[0] != next {
			t.Errorf("part %d starts at %d, want %d", i, r[0], next)
		}
		next = r[1] + 1
	}
	if next != 41 {
		t.Errorf("parts end at %d, want 40", next-1)
	}
}

func TestExportEmptyOutbox(t *testing.T) {
	_, priv := testKey(t)
	calls := 0
	n, err := Export(sliceOutbox(nil), testHeader(), priv, changeset.DefaultLimits, func(Part) error {
		calls++
		return nil
	})
	if err != nil || n != 0 || calls != 0 {
		t.Errorf("Export(empty outbox) = %d parts, %d writes, err %v; want 0, 0, nil", n, calls, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(validFile(f))
	for _, tc := range parseCases(f) {
		f.Add(tc.data)
	}
	pub, _ := testKey(f)
	key := serverKey(f, testServer)
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data, changeset.DefaultLimits)
		if err != nil {
			return
		}
		if file.From == 0 || file.To < file.From {
			t.Fatalf("Parse accepted range %d..%d", file.From, file.To)
		}
		if file.Verify(pub) == nil {
			_, _ = file.Changes(key, changeset.DefaultLimits)
		}
	})
}

// The file shows none of its values, and its payload is no zstd stream:
// only the server key decrypts it.
func TestFileHidesChanges(t *testing.T) {
	data := validFile(t)
	for _, c := range outboxChanges(5, 5) {
		if bytes.Contains(data, []byte(c.Value)) {
			t.Errorf("file contains the phone %s in the clear", c.Value)
		}
	}
	f, err := Parse(data, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := changeset.Decompress(f.payload, changeset.DefaultLimits); err == nil {
		t.Error("the payload decompresses without the server key")
	}
}

func TestChangesOtherServerKey(t *testing.T) {
	f, err := Parse(validFile(t), changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	other := serverKey(t, testServer+1)
	if err := f.CheckRecipient(other.PublicKey()); !errors.Is(err, ErrOtherServer) {
		t.Errorf("CheckRecipient(other server) = %v, want %v", err, ErrOtherServer)
	}
	if err := f.CheckRecipient(serverKey(t, testServer).PublicKey()); err != nil {
		t.Errorf("CheckRecipient(own server) = %v, want nil", err)
	}
	if _, err := f.Changes(other, changeset.DefaultLimits); !errors.Is(err, ErrOtherServer) {
		t.Errorf("Changes with another server's key = %v, want %v", err, ErrOtherServer)
	}
}

// A file whose recipient field is rewritten to another server's key still
// does not decrypt there, because the payload key came from the first.
func TestChangesRecipientRewritten(t *testing.T) {
	data := validFile(t)
	other := serverKey(t, testServer+1)
	recipient := testHeader().Recipient
	off := bytes.Index(data, recipient[:])
	if off < 0 {
		t.Fatal("file does not contain its recipient key")
	}
	copy(data[off:], other.PublicKey().Bytes())
	f, err := Parse(data, changeset.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Changes(other, changeset.DefaultLimits); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Changes after rewriting the recipient = %v, want %v", err, ErrCorrupt)
	}
}

// The header is the payload's additional data, so a changed header fails
// decryption even without a signature check.
func TestChangesHeaderBoundToPayload(t *testing.T) {
	key := serverKey(t, testServer)
	valid := validFile(t)
	epochOff := bytes.Index(valid, []byte(testEpoch))
	nonceOff := len(valid) - ed25519.SignatureSize - 4 - sizeOfPayload(t, valid) - nonceSize
	for _, off := range []int{epochOff, nonceOff, len(valid) - ed25519.SignatureSize - 1} {
		d := bytes.Clone(valid)
		d[off] ^= 0x01
		f, err := Parse(d, changeset.DefaultLimits)
		if err != nil {
			t.Fatalf("Parse after flipping byte %d: %v", off, err)
		}
		if _, err := f.Changes(key, changeset.DefaultLimits); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Changes after flipping byte %d = %v, want %v", off, err, ErrCorrupt)
		}
	}
}

func TestEncodeWithoutRecipient(t *testing.T) {
	_, priv := testKey(t)
	h := testHeader()
	h.Recipient = [KeySize]byte{}
	if _, err := Encode(h, outboxChanges(1, 3), priv, changeset.DefaultLimits); !errors.Is(err, ErrNoRecipient) {
		t.Errorf("Encode(no recipient) = %v, want %v", err, ErrNoRecipient)
	}
}

// testdata/version1.mfc was written by the version 1 Encode: two changes of
// testDevice, the name 李娜 and the phone 13807912345, unencrypted.
func TestParseVersion1File(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "version1.mfc"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("13807912345")) {
		t.Fatal("the version 1 fixture does not contain its phone in the clear; is it the right file?")
	}
	if _, err := Parse(data, changeset.DefaultLimits); !errors.Is(err, ErrOldVersion) {
		t.Errorf("Parse(version 1 file) = %v, want %v", err, ErrOldVersion)
	}
}
