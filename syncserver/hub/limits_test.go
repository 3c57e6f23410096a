package hub

import (
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/klauspost/compress/zstd"
	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// enrolDevice enrols another device of the same college with the fixture's
// server and returns a fixture that connects as that device.
func (f *fixture) enrolDevice() *fixture {
	f.t.Helper()
	code, err := f.pool.CreateEnrolment(college, "clerk", time.Hour)
	if err != nil {
		f.t.Fatal(err)
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		f.t.Fatal(err)
	}
	device := ulid.Make().String()
	if _, err := f.pool.Enrol(code, device, pub, "test"); err != nil {
		f.t.Fatal(err)
	}
	other := *f
	other.device, other.key = device, priv
	return &other
}

// validChange returns a change of the fixture's device with outbox sequence seq.
func (f *fixture) validChange(seq uint64) changeset.Change {
	return changeset.Change{Kind: record.KindPerson, ID: ulid.Make(), Scope: college, Field: record.FieldName,
		Value: "刘洋", Stamp: hlc.Make(time.Now().UnixMilli(), 0), Device: f.device, Seq: seq}
}

// pushAcked pushes one valid change with sequence seq on ws and checks the
// server acknowledges it.
func (f *fixture) pushAcked(ws *websocket.Conn, seq uint64) {
	f.t.Helper()
	payload := changeset.Compress([]changeset.Change{f.validChange(seq)})
	f.send(ws, protocol.TypePush, protocol.Push{From: seq, To: seq}, payload)
	fr := f.receiveReply(ws)
	var ack protocol.Ack
	if err := fr.Parse(&ack); err != nil || fr.Type != protocol.TypeAck {
		f.t.Fatalf("push %d got %s (%v), want ack", seq, fr.Type, err)
	}
	if ack.To != seq {
		f.t.Fatalf("push %d acked to %d, want %d", seq, ack.To, seq)
	}
}

// receiveReply returns the next message that is not a Notify. The server
// notifies every connection of the college after a push, the pushing one
// too, so a Notify can come before the reply a test waits for.
func (f *fixture) receiveReply(ws *websocket.Conn) protocol.Frame {
	f.t.Helper()
	for {
		if fr := f.receive(ws); fr.Type != protocol.TypeNotify {
			return fr
		}
	}
}

// expectErrorReply is expectError for a connection that may receive a
// Notify before the error.
func (f *fixture) expectErrorReply(ws *websocket.Conn, code protocol.Code) {
	f.t.Helper()
	fr := f.receiveReply(ws)
	if fr.Type != protocol.TypeError {
		f.t.Fatalf("got %s, want error %s", fr.Type, code)
	}
	var e protocol.Error
	if err := fr.Parse(&e); err != nil {
		f.t.Fatal(err)
	}
	if e.Code != code {
		f.t.Errorf("error code = %s (%s), want %s", e.Code, e.Message, code)
	}
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, _, err := ws.ReadMessage(); err == nil {
		f.t.Errorf("connection still open after error %s", code)
	}
}

func (f *fixture) logChanges() uint64 {
	f.t.Helper()
	st, err := f.pool.Stats()
	if err != nil {
		f.t.Fatal(err)
	}
	return st.LogChanges
}

// bytesAllocated returns the heap bytes the whole process allocated while
// fn ran, freed or not, as counted by runtime.MemStats.TotalAlloc.
func bytesAllocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// writeLargeMessage sends one binary message of size bytes: a push frame
// whose payload is zeros. It streams one reused chunk, so the client side
// allocates almost nothing and the allocation count is the server's.
func writeLargeMessage(ws *websocket.Conn, size int) error {
	w, err := ws.NextWriter(websocket.BinaryMessage)
	if err != nil {
		return err
	}
	head, err := protocol.Encode(protocol.TypePush, protocol.Push{From: 2, To: 2}, nil)
	if err != nil {
		return err
	}
	if _, err := w.Write(head); err != nil {
		return err
	}
	chunk := make([]byte, 1<<20)
	for written := len(head); written < size; written += len(chunk) {
		if _, err := w.Write(chunk[:min(len(chunk), size-written)]); err != nil {
			return err
		}
	}
	return w.Close()
}

// A 100 MB message is cut off at the server's 1 MiB read limit. The sender
// receives close code 1009 (message too big) and the server allocates a
// small fraction of the message. Nothing is applied, and a second device
// keeps being served on its open connection.
func TestHundredMegabyteMessageIsRejected(t *testing.T) {
	f := start(t)
	other := f.enrolDevice()
	otherWS := other.connect()
	ws := f.connect()
	f.pushAcked(ws, 1)
	logged := f.logChanges()

	var readErr, writeErr error
	allocated := bytesAllocated(func() {
		written := make(chan error, 1)
		go func() { written <- writeLargeMessage(ws, 100<<20) }()
		_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		for readErr == nil {
			_, _, readErr = ws.ReadMessage()
		}
		writeErr = <-written
	})

	var closeErr *websocket.CloseError
	if !errors.As(readErr, &closeErr) {
		t.Fatalf("reading after the 100 MB message: %v, want a close frame", readErr)
	}
	if closeErr.Code != websocket.CloseMessageTooBig {
		t.Errorf("close code = %d, want %d (message too big)", closeErr.Code, websocket.CloseMessageTooBig)
	}
	if writeErr == nil {
		t.Errorf("writing 100 MB succeeded, want the server to close the connection first")
	}
	t.Logf("process allocated %d bytes during the 100 MB message", allocated)
	if limit := uint64(16 << 20); allocated > limit {
		t.Errorf("process allocated %d bytes during the 100 MB message, want at most %d", allocated, limit)
	}
	if got := f.logChanges(); got != logged {
		t.Errorf("log changes after the 100 MB message = %d, want %d", got, logged)
	}
	other.pushAcked(otherWS, 1)
	if got := f.logChanges(); got != logged+1 {
		t.Errorf("log changes after the other device's push = %d, want %d", got, logged+1)
	}
}

// rleBomb returns a zstd frame of 8192 RLE blocks of 128 KiB each: 32 KiB on
// the wire that expands to 1 GiB. When declare is set, the frame header
// declares the 1 GiB as its content size.
func rleBomb(declare bool) []byte {
	const blocks, blockSize = 8192, 128 << 10
	frame := []byte{0x28, 0xb5, 0x2f, 0xfd} // magic number, little endian
	if declare {
		// Descriptor: 8-byte content size, single segment (no window byte).
		frame = append(frame, 0b1110_0000)
		frame = binary.LittleEndian.AppendUint64(frame, blocks*blockSize)
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

// A push whose payload expands to 1 GiB, declared or not, is rejected as
// too_large while the process allocates under 8 MiB, and nothing is applied.
func TestGigabyteZstdBombIsTooLarge(t *testing.T) {
	for _, declare := range []bool{true, false} {
		t.Run(fmt.Sprintf("declared=%v", declare), func(t *testing.T) {
			f := start(t)
			ws := f.connect()
			f.pushAcked(ws, 1)
			logged := f.logChanges()
			bomb := rleBomb(declare)

			allocated := bytesAllocated(func() {
				f.send(ws, protocol.TypePush, protocol.Push{From: 2, To: 2}, bomb)
				f.expectErrorReply(ws, protocol.CodeTooLarge)
			})
			t.Logf("process allocated %d bytes for a %d-byte bomb", allocated, len(bomb))
			if limit := uint64(8 << 20); allocated > limit {
				t.Errorf("process allocated %d bytes for a %d-byte bomb, want at most %d", allocated, len(bomb), limit)
			}
			if got := f.logChanges(); got != logged {
				t.Errorf("log changes after the bomb = %d, want %d", got, logged)
			}
			f.stillServes(2)
		})
	}
}

// compressRaw compresses raw change-set bytes the way Compress does, for
// sets that Encode would not write.
func compressRaw(t *testing.T, raw []byte) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(raw, nil)
}

// Each push breaks one change-set limit of the server. The device receives
// the error code for it, the connection is closed, and nothing is applied.
func TestChangeSetLimits(t *testing.T) {
	limits := changeset.DefaultLimits
	long := func(n int) string { return strings.Repeat("x", n) }
	cases := []struct {
		name    string
		payload func(f *fixture) []byte
	}{
		{"count over MaxChanges", func(f *fixture) []byte {
			raw := changeset.Encode(nil)[:1] // the format version byte
			raw = binary.AppendUvarint(raw, uint64(limits.MaxChanges)+1)
			return compressRaw(f.t, raw)
		}},
		{"value over MaxValueBytes", func(f *fixture) []byte {
			c := f.validChange(2)
			c.Value = long(limits.MaxValueBytes + 1)
			return changeset.Compress([]changeset.Change{c})
		}},
		{"scope id of 65 bytes", func(f *fixture) []byte {
			c := f.validChange(2)
			c.Scope = long(65)
			return changeset.Compress([]changeset.Change{c})
		}},
		{"field id of 65 bytes", func(f *fixture) []byte {
			c := f.validChange(2)
			c.Field = long(65)
			return changeset.Compress([]changeset.Change{c})
		}},
		{"device id of 65 bytes", func(f *fixture) []byte {
			c := f.validChange(2)
			c.Device = long(65)
			return changeset.Compress([]changeset.Change{c})
		}},
		{"65537 distinct ids", func(f *fixture) []byte {
			changes := make([]changeset.Change, 1<<16+1)
			for i := range changes {
				changes[i] = f.validChange(uint64(2 + i))
				changes[i].Scope = fmt.Sprintf("%010d", i)
			}
			return changeset.Compress(changes)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := start(t)
			ws := f.connect()
			f.pushAcked(ws, 1)
			logged := f.logChanges()

			f.send(ws, protocol.TypePush, protocol.Push{From: 2, To: 2}, tc.payload(f))
			f.expectErrorReply(ws, protocol.CodeTooLarge)
			if got := f.logChanges(); got != logged {
				t.Errorf("log changes after the push = %d, want %d", got, logged)
			}
		})
	}
}

// A frame whose JSON header is one byte over protocol.MaxHeader is rejected
// as too_large before the header is parsed, and nothing is applied.
func TestHeaderOverMaxHeaderIsTooLarge(t *testing.T) {
	f := start(t)
	ws := f.connect()
	f.pushAcked(ws, 1)
	logged := f.logChanges()

	prefix := `{"from":2,"to":2,"padding":"`
	header := prefix + strings.Repeat(" ", protocol.MaxHeader+1-len(prefix)-2) + `"}`
	frame := []byte{protocol.Version, byte(protocol.TypePush)}
	frame = binary.AppendUvarint(frame, uint64(len(header)))
	frame = append(frame, header...)
	frame = append(frame, changeset.Compress([]changeset.Change{f.validChange(2)})...)
	if len(header) != protocol.MaxHeader+1 {
		t.Fatalf("test header is %d bytes, want %d", len(header), protocol.MaxHeader+1)
	}
	if err := ws.WriteMessage(websocket.BinaryMessage, frame); err != nil {
		t.Fatal(err)
	}
	f.expectErrorReply(ws, protocol.CodeTooLarge)
	if got := f.logChanges(); got != logged {
		t.Errorf("log changes after the oversized header = %d, want %d", got, logged)
	}
	f.stillServes(2)
}

// The same frame with a header of exactly MaxHeader bytes is applied, so
// the test above fails on the limit and not on the frame it builds.
func TestHeaderOfMaxHeaderIsApplied(t *testing.T) {
	f := start(t)
	ws := f.connect()

	prefix := `{"from":1,"to":1,"padding":"`
	header := prefix + strings.Repeat(" ", protocol.MaxHeader-len(prefix)-2) + `"}`
	frame := []byte{protocol.Version, byte(protocol.TypePush)}
	frame = binary.AppendUvarint(frame, uint64(len(header)))
	frame = append(frame, header...)
	frame = append(frame, changeset.Compress([]changeset.Change{f.validChange(1)})...)
	if err := ws.WriteMessage(websocket.BinaryMessage, frame); err != nil {
		t.Fatal(err)
	}
	fr := f.receiveReply(ws)
	var ack protocol.Ack
	if err := fr.Parse(&ack); err != nil || fr.Type != protocol.TypeAck || ack.To != 1 {
		t.Fatalf("push with a %d-byte header got %s %+v (%v), want ack to 1", len(header), fr.Type, ack, err)
	}
	if got := f.logChanges(); got != 1 {
		t.Errorf("log changes after the push = %d, want 1", got)
	}
}
