package protocol

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// A result of 50 rows with Chinese reasons compresses far better than
// 8:1; it must still decode.
func TestMatchResultRoundTrip(t *testing.T) {
	r := MatchResult{Use: MatchJob, Pool: 1_000_000}
	for i := range 50 {
		r.Rows = append(r.Rows, MatchRow{Rank: i + 1, Person: "01KWEEG5M0TQ6H5ZA0VHDPAZ3H", Name: "李志明",
			College: "4136012941", Major: "460103", GradYear: 2025, Region: "441900",
			Reasons: []MatchReason{{Text: "专业对口：数控技术", Points: 40}, {Text: "待就业", Points: 20},
				{Text: "现居广东省东莞市，愿意回江西", Points: 10}}, Score: 70})
	}
	payload, err := EncodeMatchResult(r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeMatchResult(payload)
	if err != nil {
		t.Fatalf("DecodeMatchResult: %v", err)
	}
	if len(got.Rows) != 50 || got.Rows[49].Reasons[2].Text != "现居广东省东莞市，愿意回江西" {
		t.Fatalf("decoded %d rows, last %+v", len(got.Rows), got.Rows[len(got.Rows)-1])
	}
}

// A payload that decompresses past MaxMatchResult is refused as too large.
func TestMatchResultTooLarge(t *testing.T) {
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	huge := `{"use":"job","rows":[{"name":"` + strings.Repeat("a", MaxMatchResult) + `"}]}`
	payload := enc.EncodeAll([]byte(huge), nil)
	if _, err := DecodeMatchResult(payload); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("DecodeMatchResult of %d bytes decompressing to %d: err %v, want ErrTooLarge", len(payload), len(huge), err)
	}
	if _, err := DecodeMatchResult(bytes.Repeat([]byte{0xff}, 40)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("DecodeMatchResult of garbage: err %v, want ErrCorrupt", err)
	}
}
