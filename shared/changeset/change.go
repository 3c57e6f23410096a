// Package changeset holds the unit of sync: a field change, the per-field
// last-writer-wins registers a record is made of, and the compact,
// zstd-compressed encoding of a batch of changes.
package changeset

import (
	"bytes"
	"fmt"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// Change sets one field of one record. A record is created by its first
// change and deleted by setting record.FieldDeleted to "1".
type Change struct {
	Kind   record.Kind
	ID     ulid.ULID // the record's id, made on the device that created it
	Scope  string    // the code of the college that owns the record
	Field  string
	Value  string
	Stamp  hlc.Stamp
	Prev   hlc.Stamp // stamp of the value this change replaced; 0 for a new field
	Device string    // id of the device that made the change
	// Account is the local account signed in on Device when the change was
	// made; empty for changes the server makes and for old change sets.
	Account string
	Seq     uint64 // outbox sequence on a device, change-log sequence on the server
	// Raw is the stamp the device gave the change when the server replaced
	// it with a corrected one because the device's clock was wrong; 0 when
	// the stamp is the device's own.
	Raw hlc.Stamp
}

// Register is one field's current value with the stamp that wrote it.
type Register struct {
	Value  string
	Stamp  hlc.Stamp
	Device string
	Raw    hlc.Stamp // the device's own stamp when Stamp is a server correction
}

// Wins reports whether a write stamped (stamp, device) replaces r under the
// merge rule: the greater stamp wins and the device id breaks ties, so every
// replica picks the same winner whatever order changes arrive in.
func (r Register) Wins(stamp hlc.Stamp, device string) bool {
	if stamp != r.Stamp {
		return stamp > r.Stamp
	}
	return device > r.Device
}

// State is a record as a map of last-writer-wins registers.
type State struct {
	Kind   record.Kind
	ID     ulid.ULID
	Scope  string
	Fields map[string]Register
}

// NewState returns an empty record state.
func NewState(kind record.Kind, id ulid.ULID, scope string) *State {
	return &State{Kind: kind, ID: id, Scope: scope, Fields: map[string]Register{}}
}

// Apply merges c into s and reports whether the register changed. Applying
// the same change twice, or an older one after a newer one, changes nothing.
//
// One exception to the stamp order: a change carrying a server correction
// (Raw set) replaces the register holding the same write under its raw
// stamp, so the device that made it adopts the corrected stamp too.
func (s *State) Apply(c Change) bool {
	cur, ok := s.Fields[c.Field]
	sameWrite := ok && c.Raw != 0 && cur.Raw == 0 && cur.Stamp == c.Raw && cur.Device == c.Device && cur.Value == c.Value
	if ok && !sameWrite && !cur.Wins(c.Stamp, c.Device) {
		// A device never stamps two writes alike, so an equal stamp and
		// device is the same write, unless the input is corrupt. Ordering
		// such twins by value keeps the merge independent of order anyway.
		if c.Stamp != cur.Stamp || c.Device != cur.Device || c.Value <= cur.Value {
			return false
		}
	}
	s.Fields[c.Field] = Register{Value: c.Value, Stamp: c.Stamp, Device: c.Device, Raw: c.Raw}
	return true
}

// Values returns the field values without their stamps.
func (s *State) Values() map[string]string {
	m := make(map[string]string, len(s.Fields))
	for k, r := range s.Fields {
		m[k] = r.Value
	}
	return m
}

// Deleted reports whether the record carries a delete mark.
func (s *State) Deleted() bool { return s.Fields[record.FieldDeleted].Value == "1" }

// Changes returns the state as one change per field, in field order of the
// kind, for snapshots and re-pushes.
func (s *State) Changes() []Change {
	return s.AppendChanges(make([]Change, 0, len(s.Fields)))
}

// AppendChanges appends the changes Changes returns to out, so a caller
// that encodes many states can reuse one slice.
func (s *State) AppendChanges(out []Change) []Change {
	for _, f := range record.FieldsOf(s.Kind) {
		r, ok := s.Fields[f]
		if !ok {
			continue
		}
		out = append(out, Change{Kind: s.Kind, ID: s.ID, Scope: s.Scope, Field: f,
			Value: r.Value, Stamp: r.Stamp, Device: r.Device, Raw: r.Raw})
	}
	return out
}

// Equal reports whether two states hold the same registers.
func (s *State) Equal(o *State) bool {
	if s.Kind != o.Kind || s.ID != o.ID || s.Scope != o.Scope || len(s.Fields) != len(o.Fields) {
		return false
	}
	for k, r := range s.Fields {
		if o.Fields[k] != r {
			return false
		}
	}
	return true
}

func sameRecord(a, b *Change) bool {
	return a.Kind == b.Kind && bytes.Equal(a.ID[:], b.ID[:]) && a.Scope == b.Scope
}

// EncodeState writes a state in the raw change-set encoding, one change per
// field, for the stores to keep.
func EncodeState(s *State) []byte { return Encode(s.Changes()) }

// DecodeState reads a state written by EncodeState.
func DecodeState(kind record.Kind, id ulid.ULID, raw []byte) (*State, error) {
	changes, err := Decode(raw, DefaultLimits)
	if err != nil {
		return nil, fmt.Errorf("reading %s %s: %w", kind, id, err)
	}
	st := NewState(kind, id, "")
	for _, c := range changes {
		st.Scope = c.Scope
		st.Apply(c)
	}
	return st, nil
}
