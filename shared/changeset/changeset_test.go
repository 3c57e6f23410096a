package changeset

import (
	"bytes"
	"errors"
	"math/rand"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/oklog/ulid/v2"
	"pgregory.net/rapid"

	"mobilefactory/shared/hlc"
	"mobilefactory/shared/record"
)

func sampleChanges() []Change {
	id := ulid.MustParse("01JEXAMPLE0000000000000000")
	id2 := ulid.MustParse("01JEXAMPLE0000000000000001")
	s := hlc.Make(1_780_000_000_000, 0)
	return []Change{
		{Kind: record.KindPerson, ID: id, Scope: "4136012941", Field: record.FieldName, Value: "阿依古丽·买买提", Stamp: s, Device: "dev-a", Account: "wang", Seq: 1},
		{Kind: record.KindPerson, ID: id, Scope: "4136012941", Field: record.FieldPhone, Value: "13607910101", Stamp: s, Device: "dev-a", Account: "li", Seq: 2},
		{Kind: record.KindPerson, ID: id, Scope: "4136012941", Field: record.FieldGradYear, Value: "2025", Stamp: s + 7, Prev: s - 1000, Device: "dev-a", Account: "li", Seq: 3},
		{Kind: record.KindTraining, ID: id2, Scope: "4136012941", Field: record.FieldPerson, Value: id.String(), Stamp: s - 5, Device: "dev-b", Seq: 90},
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	in := sampleChanges()
	got, err := Decode(Encode(in), DefaultLimits)
	if err != nil {
		t.Fatalf("Decode(Encode(changes)) error: %v", err)
	}
	if len(got) != len(in) {
		t.Fatalf("Decode returned %d changes, want %d", len(got), len(in))
	}
	for i := range in {
		if got[i] != in[i] {
			t.Errorf("change %d: got %+v, want %+v", i, got[i], in[i])
		}
	}
}

// A version 1 set, written before changes carried an account, still decodes:
// the changes come back with no account.
func TestDecodeReadsVersion1(t *testing.T) {
	// One person change: flags 0, kind 1, id, scope, field "name", value
	// "x", stamp 5, device "d", seq 1.
	id := ulid.MustParse("01JEXAMPLE0000000000000000")
	data := []byte{1, 1, 0, byte(record.KindPerson)}
	data = append(data, id[:]...)
	data = append(data, 0, 2, 'c', '1', 0, 4, 'n', 'a', 'm', 'e', 1, 'x', 10, 0, 1, 'd', 1)
	got, err := Decode(data, DefaultLimits)
	if err != nil {
		t.Fatalf("Decode(version 1) error: %v", err)
	}
	want := Change{Kind: record.KindPerson, ID: id, Scope: "c1", Field: "name", Value: "x", Stamp: 5, Device: "d", Seq: 1}
	if len(got) != 1 || got[0] != want {
		t.Errorf("Decode(version 1) = %+v, want [%+v]", got, want)
	}
	data[2] = flagSameAccount
	if _, err := Decode(data, DefaultLimits); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Decode(version 1 with the account flag) error = %v, want ErrCorrupt", err)
	}
}

func TestCompressRoundTrip(t *testing.T) {
	in := sampleChanges()
	got, err := Decompress(Compress(in), DefaultLimits)
	if err != nil {
		t.Fatalf("Decompress(Compress(changes)) error: %v", err)
	}
	if len(got) != len(in) || got[2] != in[2] {
		t.Errorf("Decompress(Compress(changes))[2] = %+v, want %+v", got[2], in[2])
	}
}

func TestDecodeRejectsNewerFormat(t *testing.T) {
	data := Encode(sampleChanges())
	data[0] = formatVersion + 1
	if _, err := Decode(data, DefaultLimits); !errors.Is(err, ErrNewerFormat) {
		t.Errorf("Decode(format %d) error = %v, want ErrNewerFormat", formatVersion+1, err)
	}
}

func TestDecodeRejectsEveryTruncation(t *testing.T) {
	data := Encode(sampleChanges())
	for n := 0; n < len(data); n++ {
		if _, err := Decode(data[:n], DefaultLimits); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Decode(first %d of %d bytes) error = %v, want ErrCorrupt", n, len(data), err)
		}
	}
}

func TestDecodeRejectsHugeCount(t *testing.T) {
	data := []byte{formatVersion, 0xff, 0xff, 0xff, 0xff, 0x0f}
	if _, err := Decode(data, DefaultLimits); !errors.Is(err, ErrTooManyChanges) {
		t.Errorf("Decode(count 2^32-1) error = %v, want ErrTooManyChanges", err)
	}
}

func TestDecodeRejectsLongValue(t *testing.T) {
	c := sampleChanges()[:1]
	c[0].Value = string(bytes.Repeat([]byte("a"), DefaultLimits.MaxValueBytes+1))
	if _, err := Decode(Encode(c), DefaultLimits); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Decode(value of %d bytes) error = %v, want ErrTooLarge", len(c[0].Value), err)
	}
}

// A zstd bomb: 1 GiB of zeros compresses to about 40 KB. Decompress must
// reject it from the frame header, without allocating the gigabyte.
func TestDecompressRejectsBomb(t *testing.T) {
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := enc
	w.Reset(&buf)
	zeros := make([]byte, 1<<20)
	for i := 0; i < 1024; i++ {
		if _, err := w.Write(zeros); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	bomb := buf.Bytes()
	limits := DefaultLimits
	limits.MaxCompressed = len(bomb) + 1

	_, err = Decompress(bomb, limits)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("Decompress(1 GiB bomb of %d bytes) error = %v, want ErrTooLarge", len(bomb), err)
	}
	allocs := testing.AllocsPerRun(1, func() { _, _ = Decompress(bomb, limits) })
	if allocs > 10_000 {
		t.Errorf("Decompress(bomb) made %.0f allocations", allocs)
	}
}

// A frame that declares its size honestly but exceeds the limit is rejected
// before decoding.
func TestDecompressRejectsDeclaredSize(t *testing.T) {
	limits := DefaultLimits
	limits.MaxDecompressed = 1 << 10
	big := make([]Change, 200)
	for i := range big {
		big[i] = sampleChanges()[0]
		big[i].Seq = uint64(i * 3)
	}
	if _, err := Decompress(Compress(big), limits); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Decompress(set over 1 KiB) error = %v, want ErrTooLarge", err)
	}
}

func TestDecompressRejectsGarbage(t *testing.T) {
	if _, err := Decompress([]byte("not zstd at all"), DefaultLimits); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Decompress(garbage) error = %v, want ErrCorrupt", err)
	}
}

func TestValidate(t *testing.T) {
	good := sampleChanges()[0]
	cases := []struct {
		name   string
		mutate func(*Change)
		want   error
	}{
		{"valid", func(*Change) {}, nil},
		{"unknown kind", func(c *Change) { c.Kind = 99 }, ErrInvalidChange},
		{"unknown field", func(c *Change) { c.Field = "salary" }, ErrInvalidChange},
		{"bad utf8", func(c *Change) { c.Value = "\xff\xfe" }, ErrInvalidChange},
		{"no stamp", func(c *Change) { c.Stamp = 0 }, ErrInvalidChange},
		{"no scope", func(c *Change) { c.Scope = "" }, ErrInvalidChange},
	}
	for _, tc := range cases {
		c := good
		tc.mutate(&c)
		err := Validate(c, DefaultLimits)
		if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
			t.Errorf("Validate(%s) = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func genChange(t *rapid.T) Change {
	var id ulid.ULID
	id[15] = rapid.ByteRange(0, 3).Draw(t, "id")
	return Change{
		Kind:    record.KindPerson,
		ID:      id,
		Scope:   rapid.SampledFrom([]string{"4136012941", "4136011785"}).Draw(t, "scope"),
		Field:   rapid.SampledFrom([]string{record.FieldName, record.FieldPhone, record.FieldMajor}).Draw(t, "field"),
		Value:   rapid.String().Draw(t, "value"),
		Stamp:   hlc.Stamp(rapid.Uint64Range(1, 1<<60).Draw(t, "stamp")),
		Prev:    hlc.Stamp(rapid.Uint64Range(0, 1<<60).Draw(t, "prev")),
		Device:  rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "device"),
		Account: rapid.SampledFrom([]string{"", "wang", "li"}).Draw(t, "account"),
		Seq:     rapid.Uint64().Draw(t, "seq"),
	}
}

func TestEncodeRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := rapid.SliceOf(rapid.Custom(genChange)).Draw(t, "changes")
		out, err := Decode(Encode(in), DefaultLimits)
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		if len(out) != len(in) {
			t.Fatalf("got %d changes, want %d", len(out), len(in))
		}
		for i := range in {
			if out[i] != in[i] {
				t.Fatalf("change %d: got %+v, want %+v", i, out[i], in[i])
			}
		}
	})
}

// Every order of applying the same changes yields the same state, and
// applying a change twice changes nothing: the merge rule is commutative,
// associative and idempotent.
func TestMergeOrderIndependentProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		changes := rapid.SliceOfN(rapid.Custom(genChange), 1, 30).Draw(t, "changes")
		for i := range changes {
			changes[i].ID = changes[0].ID
			changes[i].Scope = changes[0].Scope
		}
		want := NewState(record.KindPerson, changes[0].ID, changes[0].Scope)
		for _, c := range changes {
			want.Apply(c)
		}
		seed := rapid.Int64().Draw(t, "seed")
		r := rand.New(rand.NewSource(seed))
		shuffled := append([]Change(nil), changes...)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		shuffled = append(shuffled, shuffled[:len(shuffled)/2]...)
		got := NewState(record.KindPerson, changes[0].ID, changes[0].Scope)
		for _, c := range shuffled {
			got.Apply(c)
		}
		if !got.Equal(want) {
			t.Fatalf("state after shuffled and repeated changes = %+v, want %+v", got.Fields, want.Fields)
		}
	})
}

func TestRegisterTieBreaksOnDevice(t *testing.T) {
	r := Register{Value: "x", Stamp: 10, Device: "b"}
	if r.Wins(10, "a") {
		t.Error("Wins(same stamp, smaller device) = true, want false")
	}
	if !r.Wins(10, "c") {
		t.Error("Wins(same stamp, greater device) = false, want true")
	}
	if !r.Wins(11, "a") {
		t.Error("Wins(greater stamp) = false, want true")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Encode(sampleChanges()))
	f.Add([]byte{formatVersion, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		changes, err := Decode(data, DefaultLimits)
		if err != nil {
			return
		}
		again, err := Decode(Encode(changes), DefaultLimits)
		if err != nil {
			t.Fatalf("re-decoding a decoded set failed: %v", err)
		}
		if len(again) != len(changes) {
			t.Fatalf("re-decoded %d changes, want %d", len(again), len(changes))
		}
	})
}
