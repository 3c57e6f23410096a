// Package protocol defines the messages the desktop client and the sync
// server exchange over a websocket, and the error codes both sides map to
// the sentinel errors below.
//
// Every message is one binary websocket frame:
//
//	byte 0       protocol version
//	byte 1       message type
//	uvarint      length of the JSON header
//	header       the message's fields, JSON
//	payload      the rest: a compressed change set for Push and Page
//
// A session runs Hello → Challenge → Auth → Welcome, then any number of
// Push/Ack and Pull/Page exchanges. The server sends Notify when new changes
// in the device's scope arrive, and Error before it closes a connection.
package protocol

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
)

// Version is the protocol version this program speaks.
const Version = 1

// SchemaVersion is the version of the record kinds and fields this program
// reads and writes (package record).
const SchemaVersion = 1

// Type is a message type.
type Type byte

// Message types. Values are on the wire: never renumber.
const (
	TypeHello     Type = 1
	TypeChallenge Type = 2
	TypeAuth      Type = 3
	TypeWelcome   Type = 4
	TypePush      Type = 5
	TypeAck       Type = 6
	TypePull      Type = 7
	TypePage      Type = 8
	TypeNotify    Type = 9
	TypeError     Type = 10
	// TypeDevices requests the device list (central office only). The
	// server replies with TypeDeviceList.
	TypeDevices    Type = 11
	TypeDeviceList Type = 12
	// TypeMatch asks the server's matching (central office only); the server replies
	// with TypeMatchResult, or TypeError with CodeRole for other roles.
	TypeMatch       Type = 13
	TypeMatchResult Type = 14
)

func (t Type) String() string {
	names := [...]string{"", "hello", "challenge", "auth", "welcome", "push", "ack", "pull", "page", "notify", "error", "devices", "device_list", "match", "match_result"}
	if int(t) < len(names) && t != 0 {
		return names[t]
	}
	return fmt.Sprintf("type(%d)", byte(t))
}

// Hello opens a session (client to server).
type Hello struct {
	Protocol      int    `json:"protocol"`
	Schema        int    `json:"schema"`
	Device        string `json:"device"`
	ClientVersion string `json:"client_version"`
}

// Challenge requests proof that the device has its enrolled key (server to
// client). ServerTime is in Unix milliseconds.
type Challenge struct {
	Nonce      []byte `json:"nonce"`
	ServerTime int64  `json:"server_time"`
	Epoch      string `json:"epoch"`
}

// Auth carries the device's ed25519 signature over the challenge nonce
// (client to server), and its clock in Unix milliseconds.
type Auth struct {
	Signature  []byte `json:"signature"`
	ClientTime int64  `json:"client_time"`
	Pending    int    `json:"pending"` // outbox entries waiting to be pushed
	Cursor     uint64 `json:"cursor"`  // log sequence the device has pulled up to
}

// Welcome accepts the session (server to client). Acked is the highest
// outbox sequence of this device the server has applied.
type Welcome struct {
	Acked      uint64 `json:"acked"`
	Epoch      string `json:"epoch"`
	ServerTime int64  `json:"server_time"`
	Head       uint64 `json:"head"` // the change log's last sequence in the device's scope
	College    string `json:"college"`
	Schema     int    `json:"schema"` // the server's SchemaVersion
	// TransferKey is the server's X25519 public key for offline change
	// files. The device stores it when it has none or another one.
	TransferKey []byte `json:"transfer_key,omitempty"`
}

// Push carries the device's outbox entries From..To, inclusive (client to
// server), with the compressed change set as payload.
type Push struct {
	From uint64 `json:"from"`
	To   uint64 `json:"to"`
}

// Ack confirms that outbox entries up to To are applied and durable.
// Refused lists the changes of the push the server did not apply, because
// the device's scope or role does not allow them, or their value is invalid
// or belongs to an erased person. The device keeps them, with the reason, for its user to see.
type Ack struct {
	To      uint64    `json:"to"`
	Refused []Refusal `json:"refused,omitempty"`
}

// Refusal is one refused change of a push.
type Refusal struct {
	Seq    uint64 `json:"seq"`    // the change's outbox sequence
	Kind   uint8  `json:"kind"`   // record.Kind
	Record string `json:"record"` // the record's ULID
	Field  string `json:"field"`
	Reason Code   `json:"reason"` // CodeScope, CodeRole, CodeInvalid, CodeErased or CodeReview
}

// Pull requests the changes after Cursor in the device's scope (client to server).
type Pull struct {
	Cursor uint64 `json:"cursor"`
	Limit  int    `json:"limit"`
	// Snapshot requests the current records of the scope instead of the
	// log, for a device's first sync. The page returned follows the
	// position From, or is the first page when From is empty.
	Snapshot bool   `json:"snapshot,omitempty"`
	From     []byte `json:"from,omitempty"`
}

// Page carries changes after the pulled cursor, up to and including Cursor,
// as a compressed change set payload. More is set when further pages follow.
type Page struct {
	Cursor uint64 `json:"cursor"`
	More   bool   `json:"more"`
	// Next is the position of a snapshot page, for the Pull of the next.
	Next []byte `json:"next,omitempty"`
	// Resync is set when the pulled cursor lies before the compacted log.
	// The device must then read a snapshot and pull from Cursor, the head.
	Resync bool `json:"resync,omitempty"`
}

// Notify informs an online device that its scope has changes up to Head.
type Notify struct {
	Head uint64 `json:"head"`
}

// DeviceInfo is one enrolled device as the central office monitors it.
type DeviceInfo struct {
	ID            string `json:"id"`
	College       string `json:"college"`
	Role          string `json:"role"`
	LastContact   int64  `json:"last_contact"` // Unix milliseconds; 0 if never
	ClientVersion string `json:"client_version"`
	Pending       int    `json:"pending"` // outbox entries the device reported at its last contact
	HeldEntries   uint64 `json:"held"`    // log entries of its college it has not pulled
	LastError     string `json:"last_error,omitempty"`
	SkewMillis    int64  `json:"skew_ms"`
	Revoked       bool   `json:"revoked,omitempty"` // the central office revoked the device
}

// DeviceList is the reply to TypeDevices.
type DeviceList struct {
	Devices []DeviceInfo `json:"devices"`
}

// Error reports a failure. The sender closes the connection after it, and
// nothing of the message that failed is applied.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"` // English, for logs; the desktop shows its own text for Code
}

// Code is an error code on the wire.
type Code string

// Error codes.
const (
	CodeUpgrade  Code = "upgrade"   // the peer speaks a newer protocol or schema
	CodeAuth     Code = "auth"      // unknown device, bad signature or revoked
	CodeScope    Code = "scope"     // a change to a record outside the device's scope
	CodeTooLarge Code = "too_large" // a message or change set over the limits
	CodeCorrupt  Code = "corrupt"   // a malformed message or change set
	CodeInvalid  Code = "invalid"   // a well-formed change that is not allowed
	CodeSequence Code = "sequence"  // a push that leaves a gap in the outbox sequence
	CodeInternal Code = "internal"  // the server failed; retry later
	CodeRevoked  Code = "revoked"   // the device was revoked by the central office
	CodeRole     Code = "role"      // a change the device's role may not make
	CodeErased   Code = "erased"    // a personal value for a person erased on request
	CodeReview   Code = "review"    // a review transition the record's current state does not allow
	CodeNotFound Code = "not_found" // a match request names a demand, person, employer or fair the pool lacks
)

// Sentinel errors for the codes, so callers can use errors.Is.
var (
	// ErrUpgrade is returned when the peer uses a newer protocol or schema.
	ErrUpgrade = errors.New("peer uses a newer protocol version: upgrade this program")
	// ErrAuth is returned when the server does not accept the device.
	ErrAuth = errors.New("device not accepted")
	// ErrScope is returned when a push changes records outside the device's scope.
	ErrScope = errors.New("change outside the device's scope")
	// ErrTooLarge is returned for a message over the size limits.
	ErrTooLarge = errors.New("message too large")
	// ErrCorrupt is returned for a malformed message.
	ErrCorrupt = errors.New("malformed message")
	// ErrInvalid is returned for a change the server does not allow.
	ErrInvalid = errors.New("invalid change")
	// ErrSequence is returned for a push that leaves a gap in the outbox sequence.
	ErrSequence = errors.New("outbox sequence gap")
	// ErrInternal is returned when the server failed.
	ErrInternal = errors.New("server error")
	// ErrRevoked is returned when the device was revoked.
	ErrRevoked = errors.New("device revoked")
	// ErrRole is returned for a change the device's role may not make.
	ErrRole = errors.New("change not allowed for the device's role")
	// ErrErased is returned for a personal value written to a person whose
	// personal fields were erased on request.
	ErrErased = errors.New("person erased on request")
	// ErrReview is returned for a review transition the record's current
	// state does not allow, such as approving a draft or changing an
	// approved record in place.
	ErrReview = errors.New("review transition not allowed from the record's state")
	// ErrNotFound is returned for a match request whose demand, person,
	// employer or fair the server's matching index does not hold.
	ErrNotFound = errors.New("not found in the matching index")
)

var codeErrors = map[Code]error{
	CodeUpgrade: ErrUpgrade, CodeAuth: ErrAuth, CodeScope: ErrScope,
	CodeTooLarge: ErrTooLarge, CodeCorrupt: ErrCorrupt, CodeInvalid: ErrInvalid,
	CodeSequence: ErrSequence, CodeInternal: ErrInternal, CodeRevoked: ErrRevoked,
	CodeRole: ErrRole, CodeErased: ErrErased, CodeReview: ErrReview,
	CodeNotFound: ErrNotFound,
}

// Err returns the sentinel error for a received Error message, wrapping its text.
func (e Error) Err() error {
	sentinel, ok := codeErrors[e.Code]
	if !ok {
		sentinel = ErrInternal
	}
	return fmt.Errorf("%w (server: %s)", sentinel, e.Message)
}

// CodeOf returns the wire code for err, CodeInternal when none fits.
func CodeOf(err error) Code {
	for code, sentinel := range codeErrors {
		if errors.Is(err, sentinel) {
			return code
		}
	}
	return CodeInternal
}

// maxVersionsAhead is how many protocol versions past this one a peer can
// plausibly speak.
const maxVersionsAhead = 8

// MaxHeader bounds a message's JSON header.
const MaxHeader = 64 << 10

// Encode builds one message frame.
func Encode(t Type, header any, payload []byte) ([]byte, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return nil, fmt.Errorf("encoding %s header: %w", t, err)
	}
	buf := make([]byte, 0, 2+binary.MaxVarintLen64+len(h)+len(payload))
	buf = append(buf, Version, byte(t))
	buf = binary.AppendUvarint(buf, uint64(len(h)))
	buf = append(buf, h...)
	return append(buf, payload...), nil
}

// Frame is a decoded message frame whose header is not parsed yet.
type Frame struct {
	Type    Type
	Header  []byte
	Payload []byte
}

// Decode splits a frame. A frame from a newer protocol version returns
// ErrUpgrade, one whose header is over MaxHeader returns ErrTooLarge, and one
// that is cut or malformed returns ErrCorrupt.
func Decode(data []byte) (Frame, error) {
	if len(data) < 3 {
		return Frame{}, fmt.Errorf("%w: %d-byte frame", ErrCorrupt, len(data))
	}
	// Versions grow one at a time: a first byte far above this version is
	// line noise, not a newer program.
	if data[0] > Version && data[0] <= Version+maxVersionsAhead {
		return Frame{}, fmt.Errorf("%w: protocol %d, this program speaks %d", ErrUpgrade, data[0], Version)
	}
	if data[0] > Version {
		return Frame{}, fmt.Errorf("%w: protocol byte %d", ErrCorrupt, data[0])
	}
	if data[0] == 0 {
		return Frame{}, fmt.Errorf("%w: protocol version 0", ErrCorrupt)
	}
	n, size := binary.Uvarint(data[2:])
	if size <= 0 || n > uint64(len(data)-2-size) {
		return Frame{}, fmt.Errorf("%w: bad header length", ErrCorrupt)
	}
	if n > MaxHeader {
		return Frame{}, fmt.Errorf("%w: %d-byte header, limit %d", ErrTooLarge, n, MaxHeader)
	}
	start := 2 + size
	return Frame{
		Type:    Type(data[1]),
		Header:  data[start : start+int(n)],
		Payload: data[start+int(n):],
	}, nil
}

// Parse decodes the frame's header into v, which must match the frame type.
func (f Frame) Parse(v any) error {
	if err := json.Unmarshal(f.Header, v); err != nil {
		return fmt.Errorf("%w: %s header: %v", ErrCorrupt, f.Type, err)
	}
	return nil
}
