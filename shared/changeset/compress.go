package changeset

import (
	"errors"
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// NOTE: no zstd dictionary yet; a dictionary trained on typical records is
// what brings single-record change sets near the per-record wire budget.

var (
	encoderOnce sync.Once
	zEncoder    *zstd.Encoder

	decodersMu sync.Mutex
	zDecoders  = map[int]*zstd.Decoder{} // by MaxDecompressed; guarded by decodersMu
)

func sharedEncoder() *zstd.Encoder {
	encoderOnce.Do(func() {
		var err error
		zEncoder, err = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
		if err != nil {
			panic("bug: zstd encoder options: " + err.Error())
		}
	})
	return zEncoder
}

func decoderFor(maxDecompressed int) *zstd.Decoder {
	decodersMu.Lock()
	defer decodersMu.Unlock()
	if d, ok := zDecoders[maxDecompressed]; ok {
		return d
	}
	d, err := zstd.NewReader(nil,
		zstd.WithDecoderConcurrency(0),
		zstd.WithDecoderMaxMemory(uint64(maxDecompressed)),
		zstd.WithDecoderMaxWindow(uint64(min(maxDecompressed, 8<<20))),
		zstd.WithDecodeAllCapLimit(true),
	)
	if err != nil {
		panic("bug: zstd decoder options: " + err.Error())
	}
	zDecoders[maxDecompressed] = d
	return d
}

// Compress encodes changes and compresses them with zstd.
func Compress(changes []Change) []byte {
	return sharedEncoder().EncodeAll(Encode(changes), nil)
}

// maxUndeclared bounds the decompressed size of a frame that does not declare
// its size. Compress leaves the size out only for sets under 256 bytes
// (klauspost/compress v1.20.5, frameHeader.appendTo).
const maxUndeclared = 64 << 10

// Decompress decompresses and decodes a change set. The compressed size and
// the size the first frame header declares are checked against limits before
// memory is allocated for them. The output buffer is allocated once, at the
// declared size or at maxUndeclared, and decoding stops when the output would
// outgrow it. So a small message that expands to gigabytes is rejected
// without using that memory, whether it declares its size or not.
func Decompress(data []byte, limits Limits) ([]Change, error) {
	if len(data) > limits.MaxCompressed {
		return nil, fmt.Errorf("%w: %d compressed bytes, limit %d", ErrTooLarge, len(data), limits.MaxCompressed)
	}
	var h zstd.Header
	if err := h.Decode(data); err != nil {
		return nil, fmt.Errorf("%w: zstd header: %v", ErrCorrupt, err)
	}
	if h.HasFCS && h.FrameContentSize > uint64(limits.MaxDecompressed) {
		return nil, fmt.Errorf("%w: declares %d bytes, limit %d", ErrTooLarge, h.FrameContentSize, limits.MaxDecompressed)
	}
	size := min(limits.MaxDecompressed, maxUndeclared)
	if h.HasFCS {
		size = int(h.FrameContentSize)
	}
	raw, err := decoderFor(limits.MaxDecompressed).DecodeAll(data, make([]byte, 0, size))
	if err != nil {
		if errors.Is(err, zstd.ErrDecoderSizeExceeded) || errors.Is(err, zstd.ErrWindowSizeExceeded) {
			return nil, fmt.Errorf("%w: more than %d bytes decompressed", ErrTooLarge, size)
		}
		return nil, fmt.Errorf("%w: zstd: %v", ErrCorrupt, err)
	}
	return Decode(raw, limits)
}
