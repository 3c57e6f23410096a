package pool

import (
	"testing"

	"github.com/oklog/ulid/v2"
	"pgregory.net/rapid"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

// TestFieldDecoderMatchesDecode encodes random person states with
// changeset.Encode, with every optional part of the encoding, and expects
// fieldDecoder to return what changeset.Decode does for the kept fields.
// Every cut of the encoding must decode to an error or the same result,
// never a panic.
func TestFieldDecoderMatchesDecode(t *testing.T) {
	personFields := record.FieldsOf(record.KindPerson)
	rapid.Check(t, func(t *rapid.T) {
		var id ulid.ULID
		copy(id[:], rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "id"))
		scope := rapid.SampledFrom([]string{"4136012941", "fair:GZ2026A", ""}).Draw(t, "scope")
		n := rapid.IntRange(0, 12).Draw(t, "changes")
		base := hlc.Stamp(rapid.Uint64Range(1, 1<<50).Draw(t, "base"))
		var changes []changeset.Change
		for i := range n {
			c := changeset.Change{Kind: record.KindPerson, ID: id, Scope: scope,
				Field:   rapid.SampledFrom(personFields).Draw(t, "field"),
				Value:   rapid.StringN(0, 20, 64).Draw(t, "value"),
				Stamp:   base + hlc.Stamp(rapid.IntRange(0, 3).Draw(t, "step")),
				Device:  rapid.SampledFrom([]string{"pc-1", "pc-2", "server"}).Draw(t, "device"),
				Account: rapid.SampledFrom([]string{"", "clerk-1"}).Draw(t, "account"),
				Seq:     uint64(i) + rapid.Uint64Range(0, 1).Draw(t, "seq"),
			}
			if rapid.Bool().Draw(t, "prev") {
				c.Prev = c.Stamp - 1
			}
			if rapid.Bool().Draw(t, "raw") {
				c.Raw = c.Stamp + 5
			}
			base = c.Stamp
			changes = append(changes, c)
		}
		raw := changeset.Encode(changes)
		keptFields := rapid.SliceOfDistinct(rapid.SampledFrom(personFields), func(s string) string { return s }).Draw(t, "keptFields")
		d := newFieldDecoder(keptFields)

		scope2, got, err := d.decode(raw)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		wantScope, want, err := d.decodeSlow(raw)
		if err != nil {
			t.Fatalf("changeset.Decode: %v", err)
		}
		if scope2 != wantScope {
			t.Fatalf("scope = %q, want %q", scope2, wantScope)
		}
		if len(got) != len(want) {
			t.Fatalf("%d changes, want %d: %+v, want %+v", len(got), len(want), got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("change %d = %+v, want %+v", i, got[i], want[i])
			}
		}

		cut := rapid.IntRange(0, len(raw)).Draw(t, "cut")
		_, cutGot, cutErr := d.decode(raw[:cut])
		_, cutWant, wantErr := d.decodeSlow(raw[:cut])
		if (cutErr == nil) != (wantErr == nil) {
			t.Fatalf("cut at %d: error %v, changeset.Decode's %v", cut, cutErr, wantErr)
		}
		if cutErr == nil && len(cutGot) != len(cutWant) {
			t.Fatalf("cut at %d: %d changes, want %d", cut, len(cutGot), len(cutWant))
		}
	})
}
