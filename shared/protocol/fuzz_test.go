package protocol

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// frameSeeds are the frames of the table tests in protocol_test.go, plus one
// valid frame of typ carrying header.
func frameSeeds(f *testing.F, typ Type, header any) {
	f.Helper()
	valid, err := Encode(typ, header, []byte{1, 2, 3})
	if err != nil {
		f.Fatal(err)
	}
	push, err := Encode(TypePush, Push{From: 3, To: 9}, []byte{1, 2, 3})
	if err != nil {
		f.Fatal(err)
	}
	newer, err := Encode(TypeHello, Hello{}, nil)
	if err != nil {
		f.Fatal(err)
	}
	newer[0] = Version + 1
	for _, seed := range [][]byte{
		valid,
		push,
		newer,
		{},
		{Version, 1},
		{Version, 1, 0xff, 0xff, 0x7f},
		{Version, 1, 10, '{'},
		{Version, byte(typ), 2, '{', '}'},
		{Version, byte(typ), 4, 'n', 'u', 'l', 'l'},
	} {
		f.Add(seed)
	}
}

// checkSentinel fails unless err wraps a sentinel that has a wire code.
func checkSentinel(t *testing.T, err error) {
	t.Helper()
	if code := CodeOf(err); code == CodeInternal {
		t.Fatalf("error %q maps to no wire code but internal", err)
	}
}

// FuzzFrame checks that Decode rejects what it cannot split with a wire
// code, and that a frame whose header is JSON survives Encode and Decode
// with the same type, header and payload.
func FuzzFrame(f *testing.F) {
	frameSeeds(f, TypePush, Push{From: 3, To: 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		frame, err := Decode(data)
		if err != nil {
			checkSentinel(t, err)
			return
		}
		if len(frame.Header) > MaxHeader {
			t.Fatalf("Decode returned a %d-byte header, limit %d", len(frame.Header), MaxHeader)
		}
		if !json.Valid(frame.Header) {
			return
		}
		header, err := json.Marshal(json.RawMessage(frame.Header))
		if err != nil {
			t.Fatalf("re-encoding valid JSON header %q: %v", frame.Header, err)
		}
		if len(header) > MaxHeader {
			return // the escaped header outgrew the limit, which Encode does not check
		}
		encoded, err := Encode(frame.Type, json.RawMessage(frame.Header), frame.Payload)
		if err != nil {
			t.Fatalf("Encode(decoded frame) error: %v", err)
		}
		again, err := Decode(encoded)
		if err != nil {
			t.Fatalf("Decode(Encode(decoded frame)) error: %v", err)
		}
		if again.Type != frame.Type {
			t.Errorf("type after round trip = %s, want %s", again.Type, frame.Type)
		}
		if !bytes.Equal(again.Header, header) {
			t.Errorf("header after round trip = %q, want %q", again.Header, header)
		}
		if !bytes.Equal(again.Payload, frame.Payload) {
			t.Errorf("payload after round trip = %x, want %x", again.Payload, frame.Payload)
		}
	})
}

// fuzzHeader checks that no frame panics Decode or Parse into a T, and that
// a header that parses survives Encode, Decode and Parse unchanged.
func fuzzHeader[T any](f *testing.F, typ Type, sample T) {
	frameSeeds(f, typ, sample)
	f.Fuzz(func(t *testing.T, data []byte) {
		frame, err := Decode(data)
		if err != nil {
			checkSentinel(t, err)
			return
		}
		var header T
		if err := frame.Parse(&header); err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Parse error %q does not wrap ErrCorrupt", err)
			}
			return
		}
		if raw, err := json.Marshal(header); err == nil && len(raw) > MaxHeader {
			return // the escaped header outgrew the limit, which Encode does not check
		}
		encoded, err := Encode(typ, header, frame.Payload)
		if err != nil {
			t.Fatalf("Encode(%s %+v) error: %v", typ, header, err)
		}
		again, err := Decode(encoded)
		if err != nil {
			t.Fatalf("Decode(Encode(%s %+v)) error: %v", typ, header, err)
		}
		var parsed T
		if err := again.Parse(&parsed); err != nil {
			t.Fatalf("Parse(Encode(%s %+v)) error: %v", typ, header, err)
		}
		if again.Type != typ {
			t.Errorf("type after round trip = %s, want %s", again.Type, typ)
		}
		if !reflect.DeepEqual(parsed, header) {
			t.Errorf("%s header after round trip = %+v, want %+v", typ, parsed, header)
		}
		if !bytes.Equal(again.Payload, frame.Payload) {
			t.Errorf("payload after round trip = %x, want %x", again.Payload, frame.Payload)
		}
	})
}

func FuzzHello(f *testing.F) {
	fuzzHeader(f, TypeHello, Hello{Protocol: Version, Schema: SchemaVersion, Device: "01JEXAMPLE0000000000000000", ClientVersion: "0.1.0"})
}

func FuzzChallenge(f *testing.F) {
	fuzzHeader(f, TypeChallenge, Challenge{Nonce: bytes.Repeat([]byte{9}, 32), ServerTime: 1_780_000_000_000, Epoch: "01JEPOCH000000000000000000"})
}

func FuzzAuth(f *testing.F) {
	fuzzHeader(f, TypeAuth, Auth{Signature: bytes.Repeat([]byte{7}, ed25519.SignatureSize), ClientTime: 1_780_000_000_123, Pending: 12})
}

func FuzzWelcome(f *testing.F) {
	fuzzHeader(f, TypeWelcome, Welcome{Acked: 41, Epoch: "01JEPOCH000000000000000000", ServerTime: 1_780_000_000_000, Head: 9000, College: "4136012941"})
}

func FuzzPush(f *testing.F) {
	fuzzHeader(f, TypePush, Push{From: 3, To: 9})
}

func FuzzAck(f *testing.F) {
	fuzzHeader(f, TypeAck, Ack{To: 9})
}

func FuzzPull(f *testing.F) {
	fuzzHeader(f, TypePull, Pull{Cursor: 120, Limit: 500})
}

func FuzzPage(f *testing.F) {
	fuzzHeader(f, TypePage, Page{Cursor: 620, More: true})
}

func FuzzNotify(f *testing.F) {
	fuzzHeader(f, TypeNotify, Notify{Head: 620})
}

func FuzzError(f *testing.F) {
	fuzzHeader(f, TypeError, Error{Code: CodeTooLarge, Message: "change set too large: 20000001 compressed bytes, limit 16777216"})
}

// FuzzEnrolRequest decodes a POST /enrol body the way the server does, with
// json.Decoder reading the first value, and checks that a request that
// decodes survives encoding and decoding unchanged.
func FuzzEnrolRequest(f *testing.F) {
	sample, err := json.Marshal(EnrolRequest{Code: "K7M2-Q9XD", Device: "01JEXAMPLE0000000000000000",
		PublicKey: bytes.Repeat([]byte{5}, ed25519.PublicKeySize), ClientVersion: "0.1.0"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"public_key":null}`))
	f.Add([]byte(`{"code":"x"} trailing`))
	f.Add([]byte(`{"public_key":"not base64"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var req EnrolRequest
		if err := json.NewDecoder(bytes.NewReader(data)).Decode(&req); err != nil {
			return
		}
		encoded, err := json.Marshal(req)
		if err != nil {
			t.Fatalf("json.Marshal(%+v) error: %v", req, err)
		}
		var again EnrolRequest
		if err := json.Unmarshal(encoded, &again); err != nil {
			t.Fatalf("json.Unmarshal(%s) error: %v", encoded, err)
		}
		if !reflect.DeepEqual(again, req) {
			t.Errorf("enrolment request after round trip = %+v, want %+v", again, req)
		}
	})
}
