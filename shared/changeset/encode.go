package changeset

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// Errors returned when decoding or checking a change set.
var (
	// ErrTooLarge is returned when a change set, compressed or decompressed,
	// or one of its values is larger than the limits allow.
	ErrTooLarge = errors.New("change set too large")
	// ErrTooManyChanges is returned when a change set holds more changes
	// than Limits.MaxChanges.
	ErrTooManyChanges = errors.New("too many changes in one change set")
	// ErrCorrupt is returned when the bytes are not a well-formed change set.
	ErrCorrupt = errors.New("corrupt change set")
	// ErrNewerFormat is returned for a change set written by a newer
	// encoding version than this program reads.
	ErrNewerFormat = errors.New("change set from a newer version")
	// ErrInvalidChange is returned for a well-formed change that names an
	// unknown kind or field, or carries an invalid value.
	ErrInvalidChange = errors.New("invalid change")
)

// formatVersion is the version of the raw encoding written by Encode.
// Version 2 added the account that made each change; version 1 sets have
// none, and Decode still reads them.
const formatVersion = 2

// Limits bound what a decoder accepts; each is checked before the memory it
// guards is allocated.
type Limits struct {
	MaxCompressed   int // bytes of a compressed change set
	MaxDecompressed int // bytes of a decompressed change set
	MaxChanges      int // changes in one change set
	MaxValueBytes   int // bytes of one field value
}

// DefaultLimits are the limits both programs apply to the wire and to files.
var DefaultLimits = Limits{
	MaxCompressed:   16 << 20,
	MaxDecompressed: 64 << 20,
	MaxChanges:      250_000,
	MaxValueBytes:   4 << 10,
}

// maxNameBytes bounds the interned strings: scope, field, device and
// account ids.
const maxNameBytes = 64

// maxInterned bounds the number of distinct interned strings in one set.
const maxInterned = 1 << 16

const (
	flagSameRecord = 1 << iota
	flagSameDevice
	flagSameStamp
	flagHasPrev
	flagNextSeq
	flagHasRaw
	flagSameAccount // version 2: the account is the previous change's
)

// flagsKnown masks the flag bits this version writes and reads; flagsV1
// those of version 1.
const (
	flagsKnown = 1<<7 - 1
	flagsV1    = 1<<6 - 1
)

// Encode writes changes in the raw (uncompressed) encoding. Runs of changes
// to the same record share one header, and scope, field and device ids are
// written once per set, so the encoding is compact before compression.
func Encode(changes []Change) []byte {
	// Sizing the buffer up front saves growing it change by change: a
	// change takes its value and, mostly, under 16 bytes besides.
	size := 16
	for i := range changes {
		size += len(changes[i].Value) + 16
	}
	e := encoder{buf: make([]byte, 0, size), linear: len(changes) <= linearChanges}
	e.buf = append(e.buf, formatVersion)
	e.buf = binary.AppendUvarint(e.buf, uint64(len(changes)))
	var prev *Change
	for i := range changes {
		c := &changes[i]
		var flags byte
		if prev != nil && sameRecord(prev, c) {
			flags |= flagSameRecord
		}
		if prev != nil && prev.Device == c.Device {
			flags |= flagSameDevice
		}
		if prev != nil && prev.Stamp == c.Stamp {
			flags |= flagSameStamp
		}
		if c.Prev != 0 {
			flags |= flagHasPrev
		}
		if prev != nil && c.Seq == prev.Seq+1 {
			flags |= flagNextSeq
		}
		if c.Raw != 0 {
			flags |= flagHasRaw
		}
		if prev != nil && prev.Account == c.Account {
			flags |= flagSameAccount
		}
		e.buf = append(e.buf, flags)
		if flags&flagSameRecord == 0 {
			e.buf = append(e.buf, byte(c.Kind))
			e.buf = append(e.buf, c.ID[:]...)
			e.str(c.Scope)
		}
		e.str(c.Field)
		e.buf = binary.AppendUvarint(e.buf, uint64(len(c.Value)))
		e.buf = append(e.buf, c.Value...)
		if flags&flagSameStamp == 0 {
			var base hlc.Stamp
			if prev != nil {
				base = prev.Stamp
			}
			e.buf = binary.AppendVarint(e.buf, int64(c.Stamp-base))
		}
		if flags&flagHasPrev != 0 {
			e.buf = binary.AppendVarint(e.buf, int64(c.Stamp-c.Prev))
		}
		if flags&flagSameDevice == 0 {
			e.str(c.Device)
		}
		if flags&flagNextSeq == 0 {
			e.buf = binary.AppendUvarint(e.buf, c.Seq)
		}
		if flags&flagHasRaw != 0 {
			e.buf = binary.AppendVarint(e.buf, int64(c.Raw-c.Stamp))
		}
		if flags&flagSameAccount == 0 {
			e.str(c.Account)
		}
		prev = c
	}
	return e.buf
}

// linearChanges is the largest set whose interned strings the encoder
// always finds by linear search. A set this small, such as one record's
// state, interns at most a few dozen strings, and building a map for them
// costs more than the searches.
const linearChanges = 64

type encoder struct {
	buf     []byte
	strings []string          // interned strings in order of first use
	index   map[string]uint64 // built once strings outgrows a linear search
	linear  bool              // find strings by linear search only
}

// str writes an interned string: 0 and the bytes the first time, its index
// plus one after that. Most sets intern a handful of strings, so a linear
// search beats a map until there are more than smallTable.
func (e *encoder) str(s string) {
	const smallTable = 16
	if e.index == nil {
		for i, known := range e.strings {
			if known == s {
				e.buf = binary.AppendUvarint(e.buf, uint64(i)+1)
				return
			}
		}
	} else if i, ok := e.index[s]; ok {
		e.buf = binary.AppendUvarint(e.buf, i+1)
		return
	}
	e.strings = append(e.strings, s)
	if e.index != nil {
		e.index[s] = uint64(len(e.strings) - 1)
	} else if len(e.strings) > smallTable && !e.linear {
		e.index = make(map[string]uint64, 2*len(e.strings))
		for i, known := range e.strings {
			e.index[known] = uint64(i)
		}
	}
	e.buf = binary.AppendUvarint(e.buf, 0)
	e.buf = binary.AppendUvarint(e.buf, uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// Decode reads the raw encoding written by Encode, checking every count and
// length against limits before allocating for it. It checks structure only,
// and Validate checks each change's content.
func Decode(data []byte, limits Limits) ([]Change, error) {
	d := decoder{data: data, limits: limits}
	version, err := d.byte()
	if err != nil {
		return nil, err
	}
	if version > formatVersion {
		return nil, fmt.Errorf("%w: format %d, this program reads up to %d", ErrNewerFormat, version, formatVersion)
	}
	if version == 0 {
		return nil, fmt.Errorf("%w: format version 0", ErrCorrupt)
	}
	count, err := d.uvarint()
	if err != nil {
		return nil, err
	}
	if count > uint64(limits.MaxChanges) {
		return nil, fmt.Errorf("%w: %d changes, limit %d", ErrTooManyChanges, count, limits.MaxChanges)
	}
	// Every change takes at least three bytes, so a count the data cannot
	// hold is corrupt and must not size an allocation.
	if count > uint64(len(data)/3+1) {
		return nil, fmt.Errorf("%w: %d changes in %d bytes", ErrCorrupt, count, len(data))
	}
	changes := make([]Change, 0, count)
	var prev *Change
	for i := uint64(0); i < count; i++ {
		var c Change
		flags, err := d.byte()
		if err != nil {
			return nil, err
		}
		known := byte(flagsKnown)
		if version == 1 {
			known = flagsV1
		}
		if flags&^known != 0 {
			return nil, fmt.Errorf("%w: unknown flags %#x in change %d", ErrCorrupt, flags, i)
		}
		if prev == nil && flags&(flagSameRecord|flagSameDevice|flagSameStamp|flagNextSeq|flagSameAccount) != 0 {
			return nil, fmt.Errorf("%w: first change refers to a previous one", ErrCorrupt)
		}
		if flags&flagSameRecord != 0 {
			c.Kind, c.ID, c.Scope = prev.Kind, prev.ID, prev.Scope
		} else {
			k, err := d.byte()
			if err != nil {
				return nil, err
			}
			c.Kind = record.Kind(k)
			raw, err := d.bytes(len(ulid.ULID{}))
			if err != nil {
				return nil, err
			}
			copy(c.ID[:], raw)
			if c.Scope, err = d.str(); err != nil {
				return nil, err
			}
		}
		if c.Field, err = d.str(); err != nil {
			return nil, err
		}
		n, err := d.uvarint()
		if err != nil {
			return nil, err
		}
		if n > uint64(limits.MaxValueBytes) {
			return nil, fmt.Errorf("%w: value of %d bytes in change %d, limit %d", ErrTooLarge, n, i, limits.MaxValueBytes)
		}
		raw, err := d.bytes(int(n))
		if err != nil {
			return nil, err
		}
		c.Value = string(raw)
		if flags&flagSameStamp != 0 {
			c.Stamp = prev.Stamp
		} else {
			delta, err := d.varint()
			if err != nil {
				return nil, err
			}
			var base hlc.Stamp
			if prev != nil {
				base = prev.Stamp
			}
			c.Stamp = base + hlc.Stamp(delta)
		}
		if flags&flagHasPrev != 0 {
			delta, err := d.varint()
			if err != nil {
				return nil, err
			}
			c.Prev = c.Stamp - hlc.Stamp(delta)
		}
		if flags&flagSameDevice != 0 {
			c.Device = prev.Device
		} else if c.Device, err = d.str(); err != nil {
			return nil, err
		}
		if flags&flagNextSeq != 0 {
			c.Seq = prev.Seq + 1
		} else if c.Seq, err = d.uvarint(); err != nil {
			return nil, err
		}
		if flags&flagHasRaw != 0 {
			delta, err := d.varint()
			if err != nil {
				return nil, err
			}
			c.Raw = c.Stamp + hlc.Stamp(delta)
		}
		if version >= 2 {
			if flags&flagSameAccount != 0 {
				c.Account = prev.Account
			} else if c.Account, err = d.str(); err != nil {
				return nil, err
			}
		}
		changes = append(changes, c)
		prev = &changes[len(changes)-1]
	}
	if d.pos != len(d.data) {
		return nil, fmt.Errorf("%w: %d bytes after the last change", ErrCorrupt, len(d.data)-d.pos)
	}
	return changes, nil
}

type decoder struct {
	data   []byte
	pos    int
	limits Limits
	table  []string
}

var errTruncated = fmt.Errorf("%w: truncated", ErrCorrupt)

func (d *decoder) byte() (byte, error) {
	if d.pos >= len(d.data) {
		return 0, errTruncated
	}
	b := d.data[d.pos]
	d.pos++
	return b, nil
}

func (d *decoder) bytes(n int) ([]byte, error) {
	if n < 0 || n > len(d.data)-d.pos {
		return nil, errTruncated
	}
	b := d.data[d.pos : d.pos+n]
	d.pos += n
	return b, nil
}

func (d *decoder) uvarint() (uint64, error) {
	v, n := binary.Uvarint(d.data[d.pos:])
	if n <= 0 {
		return 0, fmt.Errorf("%w: bad varint at byte %d", ErrCorrupt, d.pos)
	}
	d.pos += n
	return v, nil
}

func (d *decoder) varint() (int64, error) {
	v, n := binary.Varint(d.data[d.pos:])
	if n <= 0 {
		return 0, fmt.Errorf("%w: bad varint at byte %d", ErrCorrupt, d.pos)
	}
	d.pos += n
	return v, nil
}

func (d *decoder) str() (string, error) {
	ref, err := d.uvarint()
	if err != nil {
		return "", err
	}
	if ref > 0 {
		if ref > uint64(len(d.table)) {
			return "", fmt.Errorf("%w: string reference %d of %d", ErrCorrupt, ref, len(d.table))
		}
		return d.table[ref-1], nil
	}
	n, err := d.uvarint()
	if err != nil {
		return "", err
	}
	if n > maxNameBytes {
		return "", fmt.Errorf("%w: id of %d bytes, limit %d", ErrTooLarge, n, maxNameBytes)
	}
	if len(d.table) >= maxInterned {
		return "", fmt.Errorf("%w: more than %d distinct ids", ErrTooLarge, maxInterned)
	}
	raw, err := d.bytes(int(n))
	if err != nil {
		return "", err
	}
	s := string(raw)
	d.table = append(d.table, s)
	return s, nil
}

// Validate checks that a change names a known kind and field and carries
// valid UTF-8 within the value limit.
func Validate(c Change, limits Limits) error {
	switch {
	case !c.Kind.Valid():
		return fmt.Errorf("%w: unknown kind %d", ErrInvalidChange, c.Kind)
	case !record.HasField(c.Kind, c.Field):
		return fmt.Errorf("%w: %s has no field %q", ErrInvalidChange, c.Kind, c.Field)
	case len(c.Value) > limits.MaxValueBytes:
		return fmt.Errorf("%w: value of %d bytes, limit %d", ErrTooLarge, len(c.Value), limits.MaxValueBytes)
	case !utf8.ValidString(c.Value):
		return fmt.Errorf("%w: %s.%s is not valid UTF-8", ErrInvalidChange, c.Kind, c.Field)
	case c.Scope == "" || c.Device == "":
		return fmt.Errorf("%w: missing scope or device", ErrInvalidChange)
	case c.Stamp == 0:
		return fmt.Errorf("%w: missing stamp", ErrInvalidChange)
	}
	return nil
}
