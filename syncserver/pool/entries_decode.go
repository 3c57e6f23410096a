package pool

import (
	"encoding/binary"
	"errors"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
)

// The flags of the raw change-set encoding (shared/changeset/encode.go),
// which a stored record state is written in. fieldDecoder reads format
// versions 1 and 2 and leaves any other to changeset.Decode.
const (
	encSameRecord = 1 << iota
	encSameDevice
	encSameStamp
	encHasPrev
	encNextSeq
	encHasRaw
	encSameAccount
)

var errEncoding = errors.New("corrupt stored record")

// fieldDecoder reads the registers of stored person states, keeping only
// some fields. It allocates only the kept values: field names come from
// its list, and scopes and device ids from a table shared across records,
// so a scan of a million records makes millions fewer allocations than
// changeset.Decode. It is not safe for concurrent use.
type fieldDecoder struct {
	fields []string          // the fields kept
	names  map[string]string // scopes and device ids met so far
	table  [][]byte          // the current record's interned strings, pointing into its bytes
}

func newFieldDecoder(fields []string) *fieldDecoder {
	return &fieldDecoder{fields: fields, names: map[string]string{}}
}

// decode returns the scope of a stored state and the changes of the kept
// fields, with Field, Value, Stamp and Device set. For any format but 1
// and 2 it falls back to changeset.Decode.
func (d *fieldDecoder) decode(raw []byte) (string, []changeset.Change, error) {
	if len(raw) == 0 || raw[0] < 1 || raw[0] > 2 {
		return d.decodeSlow(raw)
	}
	version := raw[0]
	pos := 1
	uvarint := func() (uint64, error) {
		v, n := binary.Uvarint(raw[pos:])
		if n <= 0 {
			return 0, errEncoding
		}
		pos += n
		return v, nil
	}
	varint := func() (int64, error) {
		v, n := binary.Varint(raw[pos:])
		if n <= 0 {
			return 0, errEncoding
		}
		pos += n
		return v, nil
	}
	bytes := func(n uint64) ([]byte, error) {
		if n > uint64(len(raw)-pos) {
			return nil, errEncoding
		}
		b := raw[pos : pos+int(n)]
		pos += int(n)
		return b, nil
	}
	str := func() ([]byte, error) {
		ref, err := uvarint()
		if err != nil {
			return nil, err
		}
		if ref > 0 {
			if ref > uint64(len(d.table)) {
				return nil, errEncoding
			}
			return d.table[ref-1], nil
		}
		n, err := uvarint()
		if err != nil {
			return nil, err
		}
		b, err := bytes(n)
		if err != nil {
			return nil, err
		}
		d.table = append(d.table, b)
		return b, nil
	}

	d.table = d.table[:0]
	count, err := uvarint()
	if err != nil || count > uint64(len(raw)) {
		return "", nil, errEncoding
	}
	var (
		scope   string
		out     []changeset.Change
		stamp   hlc.Stamp
		device  string
		started bool
	)
	for range count {
		if pos >= len(raw) {
			return "", nil, errEncoding
		}
		flags := raw[pos]
		pos++
		if !started && flags&(encSameRecord|encSameDevice|encSameStamp|encNextSeq|encSameAccount) != 0 {
			return "", nil, errEncoding
		}
		started = true
		if flags&encSameRecord == 0 {
			if _, err := bytes(17); err != nil { // kind and ULID: the caller knows both
				return "", nil, err
			}
			b, err := str()
			if err != nil {
				return "", nil, err
			}
			scope = d.intern(b)
		}
		fieldBytes, err := str()
		if err != nil {
			return "", nil, err
		}
		n, err := uvarint()
		if err != nil {
			return "", nil, err
		}
		value, err := bytes(n)
		if err != nil {
			return "", nil, err
		}
		if flags&encSameStamp == 0 {
			delta, err := varint()
			if err != nil {
				return "", nil, err
			}
			stamp += hlc.Stamp(delta)
		}
		if flags&encHasPrev != 0 {
			if _, err := varint(); err != nil {
				return "", nil, err
			}
		}
		if flags&encSameDevice == 0 {
			b, err := str()
			if err != nil {
				return "", nil, err
			}
			device = d.intern(b)
		}
		if flags&encNextSeq == 0 {
			if _, err := uvarint(); err != nil {
				return "", nil, err
			}
		}
		if flags&encHasRaw != 0 {
			if _, err := varint(); err != nil {
				return "", nil, err
			}
		}
		if version >= 2 && flags&encSameAccount == 0 {
			if _, err := str(); err != nil {
				return "", nil, err
			}
		}
		for _, field := range d.fields {
			if string(fieldBytes) == field {
				if out == nil {
					// One allocation a record: a state holds each field once.
					out = make([]changeset.Change, 0, len(d.fields))
				}
				out = append(out, changeset.Change{Field: field, Value: string(value), Stamp: stamp, Device: device})
				break
			}
		}
	}
	if pos != len(raw) {
		return "", nil, errEncoding
	}
	return scope, out, nil
}

// intern returns b as a string, allocating only the first time.
func (d *fieldDecoder) intern(b []byte) string {
	if s, ok := d.names[string(b)]; ok {
		return s
	}
	s := string(b)
	d.names[s] = s
	return s
}

// decodeSlow is decode through changeset.Decode.
func (d *fieldDecoder) decodeSlow(raw []byte) (string, []changeset.Change, error) {
	changes, err := changeset.Decode(raw, storedLimits)
	if err != nil {
		return "", nil, err
	}
	scope := ""
	var out []changeset.Change
	for _, c := range changes {
		scope = c.Scope
		for _, field := range d.fields {
			if c.Field == field {
				out = append(out, changeset.Change{Field: field, Value: c.Value, Stamp: c.Stamp, Device: c.Device})
				break
			}
		}
	}
	return scope, out, nil
}
