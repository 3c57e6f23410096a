package changeset

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// rleFrame returns a zstd frame of blocks RLE blocks, each 128 KiB of one
// repeated byte. When declare is set, the frame header carries the content
// size. Each block costs 4 bytes on the wire, so 8192 blocks declare or
// produce 1 GiB in 32 KiB.
func rleFrame(blocks int, declare bool) []byte {
	const blockSize = 128 << 10
	frame := []byte{0x28, 0xb5, 0x2f, 0xfd} // magic number, little endian
	if declare {
		// Descriptor: 8-byte content size, single segment (no window byte).
		frame = append(frame, 0b1110_0000)
		frame = binary.LittleEndian.AppendUint64(frame, uint64(blocks)*blockSize)
	} else {
		// Descriptor: no content size. Window: 2^17 bytes, one block.
		frame = append(frame, 0, (17-10)<<3)
	}
	for i := range blocks {
		header := uint32(blockSize)<<3 | 1<<1 // RLE block
		if i == blocks-1 {
			header |= 1 // last block
		}
		frame = append(frame, byte(header), byte(header>>8), byte(header>>16), 0)
	}
	return frame
}

// decompressSeeds are the inputs of the change-set tables, compressed the
// way a peer would send them, plus frames the zstd tests build by hand.
func decompressSeeds() [][]byte {
	raw := Encode(sampleChanges())
	newer := bytes.Clone(raw)
	newer[0] = formatVersion + 1
	long := sampleChanges()[:1]
	long[0].Value = string(bytes.Repeat([]byte("a"), DefaultLimits.MaxValueBytes+1))
	big := make([]Change, 200)
	for i := range big {
		big[i] = sampleChanges()[0]
		big[i].Seq = uint64(i * 3)
	}
	compress := func(b []byte) []byte { return sharedEncoder().EncodeAll(b, nil) }
	return [][]byte{
		Compress(sampleChanges()),
		Compress(nil),
		Compress(big),
		compress(newer),
		compress(raw[:len(raw)/2]),
		compress([]byte{formatVersion, 0xff, 0xff, 0xff, 0xff, 0x0f}),
		compress(Encode(long)),
		[]byte("not zstd at all"),
		rleFrame(2, true),
		rleFrame(2, false),
	}
}

// FuzzDecompress checks that no input panics the zstd path, that every
// rejection carries a sentinel the hub maps to a wire code, and that a set
// that decompresses survives Compress and Decompress unchanged.
func FuzzDecompress(f *testing.F) {
	for _, seed := range decompressSeeds() {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		changes, err := Decompress(data, DefaultLimits)
		if err != nil {
			checkSentinel(t, err)
			return
		}
		again, err := Decompress(Compress(changes), DefaultLimits)
		if err != nil {
			t.Fatalf("Decompress(Compress(decompressed set)) error: %v", err)
		}
		checkSameChanges(t, again, changes)
	})
}

// FuzzDecodeRoundTrip checks that a raw set that decodes survives Encode
// and Decode with every field equal, which FuzzDecode does not compare.
func FuzzDecodeRoundTrip(f *testing.F) {
	raw := Encode(sampleChanges())
	f.Add(raw)
	f.Add([]byte{formatVersion, 0})
	f.Add([]byte{formatVersion, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add(raw[:len(raw)-1])
	f.Fuzz(func(t *testing.T, data []byte) {
		changes, err := Decode(data, DefaultLimits)
		if err != nil {
			checkSentinel(t, err)
			return
		}
		again, err := Decode(Encode(changes), DefaultLimits)
		if err != nil {
			t.Fatalf("Decode(Encode(decoded set)) error: %v", err)
		}
		checkSameChanges(t, again, changes)
	})
}

func checkSentinel(t *testing.T, err error) {
	t.Helper()
	for _, sentinel := range []error{ErrTooLarge, ErrTooManyChanges, ErrCorrupt, ErrNewerFormat} {
		if errors.Is(err, sentinel) {
			return
		}
	}
	t.Fatalf("error %q wraps no change-set sentinel", err)
}

func checkSameChanges(t *testing.T, got, want []Change) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("round trip returned %d changes, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("change %d after round trip = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// The hand-built frames are valid zstd: a stock decoder expands two blocks
// to 256 KiB.
func TestRLEFrameIsValidZstd(t *testing.T) {
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	for _, declare := range []bool{true, false} {
		out, err := dec.DecodeAll(rleFrame(2, declare), nil)
		if err != nil {
			t.Fatalf("DecodeAll(rleFrame(2, declare=%v)) error: %v", declare, err)
		}
		if len(out) != 256<<10 {
			t.Errorf("DecodeAll(rleFrame(2, declare=%v)) = %d bytes, want %d", declare, len(out), 256<<10)
		}
	}
}

// A 32 KiB frame that declares 1 GiB, one that expands to 1 GiB without
// declaring it, and a valid set followed by such a frame are each rejected
// as too large after allocating less than 1 MiB.
func TestDecompressRejectsRLEBomb(t *testing.T) {
	bombs := map[string][]byte{
		"declared":        rleFrame(8192, true),
		"undeclared":      rleFrame(8192, false),
		"after valid set": append(Compress(sampleChanges()), rleFrame(8192, false)...),
		"after small set": append(Compress(sampleChanges()[:1]), rleFrame(8192, false)...),
	}
	for name, bomb := range bombs {
		if _, err := Decompress(bomb, DefaultLimits); !errors.Is(err, ErrTooLarge) {
			t.Errorf("Decompress(1 GiB frame, %s) error = %v, want ErrTooLarge", name, err)
		}
		allocated := bytesAllocated(func() { _, _ = Decompress(bomb, DefaultLimits) })
		if allocated > 1<<20 {
			t.Errorf("Decompress(1 GiB frame, %s) allocated %d bytes, want at most %d", name, allocated, 1<<20)
		}
	}
}

// bytesAllocated returns the heap bytes allocated while fn ran, freed or
// not, as counted by runtime.MemStats.TotalAlloc.
func bytesAllocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
