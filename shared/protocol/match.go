package protocol

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Uses of a MatchRequest.
const (
	MatchJob      = "job"      // best candidates for Demand
	MatchPerson   = "person"   // best open demands for Person
	MatchTransfer = "transfer" // off-season transfer of Employer's people
	MatchAssign   = "assign"   // assign Fair's visitors to the fair's demands under headcounts
	MatchRegions  = "regions"  // out-of-province prefectures ranked by matchable talent
)

// MatchRequest is the header of TypeMatch: one use of the server's
// matching and its subject.
type MatchRequest struct {
	Use      string   `json:"use"`
	Demand   string   `json:"demand,omitempty"`   // demand ULID (job)
	Person   string   `json:"person,omitempty"`   // person ULID (person)
	Employer string   `json:"employer,omitempty"` // employer ULID (transfer)
	Fair     string   `json:"fair,omitempty"`     // fair code (assign)
	Demands  []string `json:"demands,omitempty"`  // demand ULIDs offered at the fair (assign)
	Limit    int      `json:"limit,omitempty"`    // 0: 50
	Locale   string   `json:"locale,omitempty"`   // reasons' locale, zh-Hans when empty
}

// MatchRow is one ranked pair. Personal numbers are never sent.
type MatchRow struct {
	Rank     int           `json:"rank"`
	Person   string        `json:"person"`
	Name     string        `json:"name"`
	College  string        `json:"college"` // college code
	Major    string        `json:"major"`   // major code
	GradYear int           `json:"grad_year"`
	Region   string        `json:"region"` // the person's current region code
	Demand   string        `json:"demand"`
	Employer string        `json:"employer"` // employer name
	Title    string        `json:"title"`    // the demand's job title
	Score    float64       `json:"score"`
	Reasons  []MatchReason `json:"reasons"`
}

// MatchReason is one scored fact of a MatchRow.
type MatchReason struct {
	Text   string  `json:"text"` // translated in the request's locale, e.g. 专业对口：数控技术
	Points float64 `json:"points"`
}

// RegionRow is one prefecture of a MatchRegions result.
type RegionRow struct {
	Region string `json:"region"` // prefecture code
	Name   string `json:"name"`
	People int    `json:"people"` // matchable people working there and willing to return
}

// MatchResult is the reply to TypeMatch. It travels as the payload of
// TypeMatchResult, JSON-encoded and zstd-compressed (see EncodeMatchResult),
// because a fair's assignment can exceed MaxHeader.
type MatchResult struct {
	Use     string      `json:"use"`
	Rows    []MatchRow  `json:"rows,omitempty"`
	Regions []RegionRow `json:"regions,omitempty"`
	Total   float64     `json:"total,omitempty"` // assign: the total score of all assigned pairs
	Pool    int         `json:"pool"`            // persons the answer was drawn from
	Built   int64       `json:"built"`           // Unix ms the server's index was built
	// Assigned is the number of all pairs an assign made, which Rows
	// lists only the first Limit of.
	Assigned int `json:"assigned,omitempty"`
	// Indexed is the number of persons in the index, which differs from
	// Pool for assign (Pool is then the fair's visitors).
	Indexed int `json:"indexed,omitempty"`
	// Notes are messages in the request's locale: why a result is empty,
	// or that a demand no longer recruits.
	Notes []string `json:"notes,omitempty"`
}

// MatchResultHeader is the header of TypeMatchResult. The result itself is
// the payload.
type MatchResultHeader struct {
	Use string `json:"use"`
}

// MaxMatchResult bounds a decompressed MatchResult payload.
const MaxMatchResult = 64 << 20

var (
	matchEncoderOnce sync.Once
	matchEncoder     *zstd.Encoder
	matchDecoderOnce sync.Once
	matchDecoder     *zstd.Decoder
)

// EncodeMatchResult returns the TypeMatchResult payload of r: its JSON,
// zstd-compressed.
func EncodeMatchResult(r MatchResult) ([]byte, error) {
	raw, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encoding match result: %w", err)
	}
	matchEncoderOnce.Do(func() {
		var err error
		matchEncoder, err = zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
		if err != nil {
			panic("bug: zstd encoder options: " + err.Error())
		}
	})
	return matchEncoder.EncodeAll(raw, nil), nil
}

// DecodeMatchResult reads a TypeMatchResult payload. A payload that does
// not decompress or parse, or that decompresses past MaxMatchResult,
// returns ErrCorrupt or ErrTooLarge.
func DecodeMatchResult(payload []byte) (MatchResult, error) {
	matchDecoderOnce.Do(func() {
		var err error
		matchDecoder, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0),
			zstd.WithDecoderMaxMemory(MaxMatchResult))
		if err != nil {
			panic("bug: zstd decoder options: " + err.Error())
		}
	})
	// WithDecoderMaxMemory bounds the output. A capacity limit on the
	// destination would also refuse results that compress better than the
	// guessed ratio, which reasons in Chinese do.
	raw, err := matchDecoder.DecodeAll(payload, nil)
	if errors.Is(err, zstd.ErrDecoderSizeExceeded) || errors.Is(err, zstd.ErrWindowSizeExceeded) {
		return MatchResult{}, fmt.Errorf("%w: match result over %d bytes", ErrTooLarge, MaxMatchResult)
	}
	if err != nil {
		return MatchResult{}, fmt.Errorf("%w: match result: %v", ErrCorrupt, err)
	}
	var r MatchResult
	if err := json.Unmarshal(raw, &r); err != nil {
		return MatchResult{}, fmt.Errorf("%w: match result: %v", ErrCorrupt, err)
	}
	return r, nil
}
