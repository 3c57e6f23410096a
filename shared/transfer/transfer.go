// Package transfer is the change file a device writes when it has no
// network: its unsent outbox changes, encrypted to the server's transfer
// key, signed with the device's enrolled key, carried to the central office
// on a USB stick and applied there like a push.
//
// A file is laid out as follows, integers big-endian:
//
//	magic      8 bytes   "MFCHANGE"
//	version    1 byte    Version
//	device     1 + n     length-prefixed device id, n <= 64
//	college    1 + n     length-prefixed college code, n <= 64
//	epoch      1 + n     length-prefixed server epoch, n <= 64, empty when the device never synced
//	from, to   8 + 8     the outbox sequence range the file carries
//	created    8         creation time, Unix milliseconds
//	recipient  32        the server's X25519 transfer public key the payload is encrypted to
//	ephemeral  32        the X25519 public key made for this file only
//	nonce      24        XChaCha20-Poly1305 nonce
//	payload    4 + n     length-prefixed sealed change set, n <= Limits.MaxCompressed + 16
//	signature  64        ed25519 signature of every byte before it
//
// The payload is the change set (changeset.Compress) sealed with
// XChaCha20-Poly1305. Its key is HKDF-SHA256 of the X25519 shared secret of
// the ephemeral and recipient keys, with the two public keys as salt. The
// additional data is every byte before the payload, so the header cannot be
// moved onto another payload. Only the holder of the server's private key
// reads the changes, and the signature still proves which device wrote the
// file and that no byte changed.
//
// Version 1 files carried the change set unencrypted. Parse rejects them
// with ErrOldVersion.
package transfer

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"mobilefactory/shared/changeset"
)

// Magic starts every change file.
const Magic = "MFCHANGE"

// Version is the file format version this program writes and reads.
const Version = 2

// versionPlain is the format version whose payload was not encrypted.
const versionPlain = 1

// maxNameBytes bounds the device id, college code and epoch in a header.
const maxNameBytes = 64

// fixedHeaderBytes is the header size without its three names: magic,
// version, three name lengths, from, to, created, recipient and ephemeral
// keys, nonce and the payload length.
const fixedHeaderBytes = len(Magic) + 1 + 3 + 8 + 8 + 8 + KeySize + KeySize + nonceSize + 4

// Errors returned when writing or reading a change file.
var (
	// ErrNotChangeFile is returned for data that does not start with Magic.
	ErrNotChangeFile = errors.New("not a change file")
	// ErrNewerVersion is returned for a file written by a newer format
	// version than this program reads. Nothing of it is read further.
	ErrNewerVersion = errors.New("change file from a newer version: upgrade this program")
	// ErrOldVersion is returned for a version 1 file, whose changes are not
	// encrypted. The device still holds the changes and must export them
	// again with a program that encrypts them.
	ErrOldVersion = errors.New("unencrypted change file of format version 1: export it again")
	// ErrTruncated is returned for a file that ends before its signature.
	ErrTruncated = errors.New("change file is truncated")
	// ErrCorrupt is returned for a file whose header or change set is malformed.
	ErrCorrupt = errors.New("corrupt change file")
	// ErrTooLarge is returned when a file or its change set is over the limits.
	ErrTooLarge = errors.New("change file too large")
	// ErrSignature is returned by Verify when the signature does not match
	// the device's public key, because the file was changed after it was
	// written or another key signed it.
	ErrSignature = errors.New("change file signature does not match")
	// ErrEpoch is returned by CheckEpoch for a file written against another
	// server epoch than the importing pool's.
	ErrEpoch = errors.New("change file from another server epoch")
	// ErrEmpty is returned by Encode when there are no changes to write.
	ErrEmpty = errors.New("no changes to write")
	// ErrNoRecipient is returned by Encode for a header without a valid
	// server transfer key to encrypt to.
	ErrNoRecipient = errors.New("no server transfer key to encrypt the change file to")
	// ErrOtherServer is returned by CheckRecipient and Changes for a file
	// encrypted to another server's transfer key, which this server's key
	// cannot decrypt.
	ErrOtherServer = errors.New("change file encrypted for another server")
)

// Header describes a change file.
type Header struct {
	Device  string
	College string
	Epoch   string    // server epoch the device last synced with; empty if it never synced
	From    uint64    // first outbox sequence in the file
	To      uint64    // last outbox sequence in the file
	Created time.Time // kept to the millisecond
	// Recipient is the X25519 public key of the server the payload is
	// encrypted to, from the device's enrolment or its last sync.
	Recipient [KeySize]byte
}

// File is a parsed change file. Its changes are read only through Changes,
// after Verify has checked the signature.
type File struct {
	Header
	Version        int
	raw            []byte // the whole file
	ephemeral      []byte // X25519 public key made for this file
	nonce          []byte
	additionalData []byte // every byte before the payload
	payload        []byte // sealed compressed change set
	signed         []byte // every byte the signature covers
	signature      []byte
}

// MaxSize returns the largest file Parse accepts under limits.
func MaxSize(limits changeset.Limits) int {
	return fixedHeaderBytes + 3*maxNameBytes + limits.MaxCompressed + sealOverhead + ed25519.SignatureSize
}

// Encode writes changes, which must be one run of a device's outbox in
// sequence order, as a change file encrypted to h.Recipient and signed with
// key. It sets h.From and h.To from the changes. The change set must fit
// limits, so that Parse accepts the file.
func Encode(h Header, changes []changeset.Change, key ed25519.PrivateKey, limits changeset.Limits) ([]byte, error) {
	if len(changes) == 0 {
		return nil, ErrEmpty
	}
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("signing change file: private key of %d bytes, want %d", len(key), ed25519.PrivateKeySize)
	}
	for _, name := range []string{h.Device, h.College, h.Epoch} {
		if len(name) > maxNameBytes {
			return nil, fmt.Errorf("%w: header name of %d bytes, limit %d", ErrTooLarge, len(name), maxNameBytes)
		}
	}
	if h.Device == "" || h.College == "" {
		return nil, fmt.Errorf("%w: device or college missing", ErrCorrupt)
	}
	if len(changes) > limits.MaxChanges {
		return nil, fmt.Errorf("%w: %d changes, limit %d", ErrTooLarge, len(changes), limits.MaxChanges)
	}
	if raw := len(changeset.Encode(changes)); raw > limits.MaxDecompressed {
		return nil, fmt.Errorf("%w: %d bytes decompressed, limit %d", ErrTooLarge, raw, limits.MaxDecompressed)
	}
	payload := changeset.Compress(changes)
	if len(payload) > limits.MaxCompressed {
		return nil, fmt.Errorf("%w: %d compressed bytes, limit %d", ErrTooLarge, len(payload), limits.MaxCompressed)
	}
	h.From, h.To = changes[0].Seq, changes[len(changes)-1].Seq
	payloadSealer, err := newSealer(h.Recipient)
	if err != nil {
		return nil, err
	}

	buf := make([]byte, 0, fixedHeaderBytes+len(h.Device)+len(h.College)+len(h.Epoch)+len(payload)+sealOverhead+ed25519.SignatureSize)
	buf = append(buf, Magic...)
	buf = append(buf, Version)
	for _, name := range []string{h.Device, h.College, h.Epoch} {
		buf = append(buf, byte(len(name)))
		buf = append(buf, name...)
	}
	buf = binary.BigEndian.AppendUint64(buf, h.From)
	buf = binary.BigEndian.AppendUint64(buf, h.To)
	buf = binary.BigEndian.AppendUint64(buf, uint64(h.Created.UnixMilli()))
	buf = append(buf, h.Recipient[:]...)
	buf = append(buf, payloadSealer.ephemeral...)
	buf = append(buf, payloadSealer.nonce...)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(payload)+sealOverhead))
	buf = append(buf, payloadSealer.seal(payload, buf)...)
	return append(buf, ed25519.Sign(key, buf)...), nil
}

// ReadFile reads and parses the change file at path. It checks the file's
// size against MaxSize before reading it.
func ReadFile(path string, limits changeset.Limits) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() > int64(MaxSize(limits)) {
		head := make([]byte, len(Magic))
		if _, err := io.ReadFull(f, head); err != nil || string(head) != Magic {
			return nil, ErrNotChangeFile
		}
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, info.Size(), MaxSize(limits))
	}
	// The file can grow between Stat and the read, so the read is bounded too.
	data, err := io.ReadAll(io.LimitReader(f, int64(MaxSize(limits))+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return Parse(data, limits)
}

// Parse reads a change file's header and locates its change set and
// signature. It checks the magic first and the version next, so a file from
// a newer version returns ErrNewerVersion and a version 1 file
// ErrOldVersion whatever follows. Every length is checked against the data
// and limits. Parse keeps references into data.
func Parse(data []byte, limits changeset.Limits) (*File, error) {
	// An empty file is most often a copy cut short, so it counts as truncated.
	if len(data) < len(Magic) {
		if bytes.HasPrefix([]byte(Magic), data) {
			return nil, fmt.Errorf("%w: %d bytes", ErrTruncated, len(data))
		}
		return nil, ErrNotChangeFile
	}
	if string(data[:len(Magic)]) != Magic {
		return nil, ErrNotChangeFile
	}
	if len(data) > MaxSize(limits) {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxSize(limits))
	}
	r := reader{data: data, off: len(Magic)}
	version := r.byte()
	if r.err != nil {
		return nil, r.err
	}
	switch {
	case version > Version:
		return nil, fmt.Errorf("%w: format version %d, this program reads up to %d", ErrNewerVersion, version, Version)
	case version == versionPlain:
		return nil, fmt.Errorf("%w: this program reads format version %d only", ErrOldVersion, Version)
	case version < versionPlain:
		return nil, fmt.Errorf("%w: format version %d", ErrCorrupt, version)
	}

	f := &File{Version: int(version)}
	f.Device, f.College, f.Epoch = r.name(), r.name(), r.name()
	f.From, f.To = r.uint64(), r.uint64()
	f.Created = time.UnixMilli(int64(r.uint64()))
	copy(f.Recipient[:], r.bytes(KeySize))
	f.ephemeral = r.bytes(KeySize)
	f.nonce = r.bytes(nonceSize)
	size := r.uint32()
	if r.err != nil {
		return nil, r.err
	}
	switch {
	case f.Device == "" || f.College == "":
		return nil, fmt.Errorf("%w: device or college missing", ErrCorrupt)
	case f.From == 0 || f.To < f.From:
		return nil, fmt.Errorf("%w: sequence range %d..%d", ErrCorrupt, f.From, f.To)
	case uint64(size) > uint64(limits.MaxCompressed+sealOverhead):
		return nil, fmt.Errorf("%w: change set of %d bytes, limit %d", ErrTooLarge, size, limits.MaxCompressed+sealOverhead)
	case size < sealOverhead:
		return nil, fmt.Errorf("%w: sealed change set of %d bytes, shorter than its %d-byte tag", ErrCorrupt, size, sealOverhead)
	}
	f.additionalData = data[:r.off]
	f.payload = r.bytes(int(size))
	end := r.off
	f.signature = r.bytes(ed25519.SignatureSize)
	if r.err != nil {
		return nil, r.err
	}
	if r.off != len(data) {
		return nil, fmt.Errorf("%w: %d bytes after the signature", ErrCorrupt, len(data)-r.off)
	}
	f.raw, f.signed = data, data[:end]
	return f, nil
}

// Bytes returns the file as it was parsed.
func (f *File) Bytes() []byte { return f.raw }

// Verify checks the file's signature against the keys the device
// registered: its current key and the keys that re-enrolments with proof
// replaced. A signature by any of them is the device's, because each new
// key was registered with a proof signed by the one before. It returns
// ErrSignature when no key matches, or when keys is empty.
func (f *File) Verify(keys ...ed25519.PublicKey) error {
	for _, key := range keys {
		if len(key) == ed25519.PublicKeySize && ed25519.Verify(key, f.signed, f.signature) {
			return nil
		}
	}
	return fmt.Errorf("%w: device %s", ErrSignature, f.Device)
}

// CheckEpoch returns ErrEpoch when the file was written against another
// server epoch than epoch. A device that never synced writes no epoch, so
// its file fits any epoch, and the pool's sequence check still applies.
func (f *File) CheckEpoch(epoch string) error {
	if f.Epoch != "" && f.Epoch != epoch {
		return fmt.Errorf("%w: file epoch %s, server epoch %s", ErrEpoch, f.Epoch, epoch)
	}
	return nil
}

// CheckRecipient returns ErrOtherServer when the file is encrypted to
// another transfer key than key, the importing server's public key.
func (f *File) CheckRecipient(key *ecdh.PublicKey) error {
	if !bytes.Equal(f.Recipient[:], key.Bytes()) {
		return fmt.Errorf("%w: file encrypted to key %s, this server's key is %s",
			ErrOtherServer, KeyID(f.Recipient[:]), KeyID(key.Bytes()))
	}
	return nil
}

// Changes decrypts the file's change set with key, the server's transfer
// private key, decompresses it within limits and checks it against the
// header. Every change must be the header's device's, and the sequences
// must run from From to To in order. Call it after Verify.
func (f *File) Changes(key *ecdh.PrivateKey, limits changeset.Limits) ([]changeset.Change, error) {
	if err := f.CheckRecipient(key.PublicKey()); err != nil {
		return nil, err
	}
	compressed, err := open(key, f.ephemeral, f.nonce, f.payload, f.additionalData)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	changes, err := changeset.Decompress(compressed, limits)
	switch {
	case errors.Is(err, changeset.ErrNewerFormat):
		return nil, fmt.Errorf("%w: %v", ErrNewerVersion, err)
	case errors.Is(err, changeset.ErrTooLarge), errors.Is(err, changeset.ErrTooManyChanges):
		return nil, fmt.Errorf("%w: %v", ErrTooLarge, err)
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	case len(changes) == 0:
		return nil, fmt.Errorf("%w: no changes", ErrCorrupt)
	}
	prev := f.From
	for i, c := range changes {
		if c.Device != f.Device {
			return nil, fmt.Errorf("%w: change %d made by device %s, the file is device %s's", ErrCorrupt, i, c.Device, f.Device)
		}
		if c.Seq < prev || c.Seq > f.To {
			return nil, fmt.Errorf("%w: change %d has sequence %d, outside %d..%d or out of order", ErrCorrupt, i, c.Seq, f.From, f.To)
		}
		prev = c.Seq
	}
	if changes[0].Seq != f.From || changes[len(changes)-1].Seq != f.To {
		return nil, fmt.Errorf("%w: changes run %d..%d, the header states %d..%d",
			ErrCorrupt, changes[0].Seq, changes[len(changes)-1].Seq, f.From, f.To)
	}
	return changes, nil
}

// reader reads a header field by field. The first read past the end sets
// err to ErrTruncated, and later reads return zero values.
type reader struct {
	data []byte
	off  int
	err  error
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.data)-r.off {
		r.err = fmt.Errorf("%w: %d bytes, more expected after byte %d", ErrTruncated, len(r.data), r.off)
		return nil
	}
	b := r.data[r.off : r.off+n]
	r.off += n
	return b
}

func (r *reader) byte() byte {
	if b := r.bytes(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) name() string {
	n := int(r.byte())
	if r.err == nil && n > maxNameBytes {
		r.err = fmt.Errorf("%w: header name of %d bytes, limit %d", ErrCorrupt, n, maxNameBytes)
	}
	return string(r.bytes(n))
}

func (r *reader) uint64() uint64 {
	if b := r.bytes(8); b != nil {
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

func (r *reader) uint32() uint32 {
	if b := r.bytes(4); b != nil {
		return binary.BigEndian.Uint32(b)
	}
	return 0
}
