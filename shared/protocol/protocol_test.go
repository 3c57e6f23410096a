package protocol

import (
	"errors"
	"testing"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	data, err := Encode(TypePush, Push{From: 3, To: 9}, []byte{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	f, err := Decode(data)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if f.Type != TypePush {
		t.Errorf("Type = %v, want push", f.Type)
	}
	var p Push
	if err := f.Parse(&p); err != nil {
		t.Fatal(err)
	}
	if p.From != 3 || p.To != 9 {
		t.Errorf("Push = %+v, want From 3 To 9", p)
	}
	if string(f.Payload) != "\x01\x02\x03" {
		t.Errorf("Payload = %v, want [1 2 3]", f.Payload)
	}
}

func TestDecodeNewerVersionIsUpgrade(t *testing.T) {
	data, _ := Encode(TypeHello, Hello{}, nil)
	data[0] = Version + 1
	if _, err := Decode(data); !errors.Is(err, ErrUpgrade) {
		t.Errorf("Decode(version %d) error = %v, want ErrUpgrade", Version+1, err)
	}
}

func TestDecodeMalformed(t *testing.T) {
	cases := map[string][]byte{
		"empty":          {},
		"short":          {Version, 1},
		"header too big": {Version, 1, 0xff, 0xff, 0x7f},
		"header cut":     {Version, 1, 10, '{'},
		"line noise":     {0xff, 1, 0},
	}
	for name, data := range cases {
		if _, err := Decode(data); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Decode(%s) error = %v, want ErrCorrupt", name, err)
		}
	}
}

func TestCodesMapBothWays(t *testing.T) {
	for code, sentinel := range codeErrors {
		err := Error{Code: code, Message: "x"}.Err()
		if !errors.Is(err, sentinel) {
			t.Errorf("Error{%s}.Err() = %v, want %v", code, err, sentinel)
		}
		if got := CodeOf(err); got != code {
			t.Errorf("CodeOf(%v) = %s, want %s", err, got, code)
		}
	}
	if got := CodeOf(errors.New("disk full")); got != CodeInternal {
		t.Errorf("CodeOf(other error) = %s, want internal", got)
	}
}
