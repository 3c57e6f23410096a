package protocol

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
)

// An enrolment code is the text the central office hands to a device:
//
//	MF1-XXXXX-XXXXX-…
//
// After the prefix come Crockford base32 characters in groups of five,
// encoding
//
//	secret       EnrolSecretSize random bytes; the server keeps only their hash
//	fingerprint  32 bytes, the SHA-256 of the server's TLS certificate
//	college      1 length byte, then the college code
//	role         1 length byte, then the role
//	checksum     the first 4 bytes of SHA-256 over the prefix and the above
//
// The checksum lets a device report a mistyped code before it connects.
// College and role inform the person who enrols; the server goes by the
// scope and role it stored with the secret.

// EnrolSecretSize is the length of an enrolment code's secret: 96 bits.
const EnrolSecretSize = 12

// EnrolFingerprintSize is the length of the fingerprint a code carries.
const EnrolFingerprintSize = sha256.Size

const (
	enrolPrefix   = "MF1"
	enrolChecksum = 4
	enrolGroup    = 5
)

// crockford is Douglas Crockford's base32 alphabet: no I, L, O or U, so a
// code read aloud or copied by hand survives.
var crockford = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// ErrEnrolCodeMistyped is returned by ParseEnrolCode for a text that is not
// a well-formed enrolment code: a wrong prefix, a character outside the
// alphabet, a wrong length or a checksum that does not match.
var ErrEnrolCodeMistyped = errors.New("enrolment code mistyped")

// EnrolCode is the content of an enrolment code.
type EnrolCode struct {
	Secret      []byte // EnrolSecretSize bytes
	Fingerprint []byte // EnrolFingerprintSize bytes
	College     string
	Role        string
}

// NewEnrolSecret returns EnrolSecretSize random bytes.
func NewEnrolSecret() []byte {
	b := make([]byte, EnrolSecretSize)
	if _, err := rand.Read(b); err != nil {
		panic("bug: crypto/rand failed: " + err.Error())
	}
	return b
}

// String returns the code text, or an empty string when a field has the
// wrong length.
func (c EnrolCode) String() string {
	if len(c.Secret) != EnrolSecretSize || len(c.Fingerprint) != EnrolFingerprintSize ||
		len(c.College) > 255 || len(c.Role) > 255 {
		return ""
	}
	body := make([]byte, 0, EnrolSecretSize+EnrolFingerprintSize+2+len(c.College)+len(c.Role)+enrolChecksum)
	body = append(body, c.Secret...)
	body = append(body, c.Fingerprint...)
	body = append(body, byte(len(c.College)))
	body = append(body, c.College...)
	body = append(body, byte(len(c.Role)))
	body = append(body, c.Role...)
	body = append(body, enrolSum(body)...)

	text := crockford.EncodeToString(body)
	var out strings.Builder
	out.WriteString(enrolPrefix)
	for i := 0; i < len(text); i += enrolGroup {
		out.WriteByte('-')
		out.WriteString(text[i:min(i+enrolGroup, len(text))])
	}
	return out.String()
}

func enrolSum(body []byte) []byte {
	h := sha256.New()
	h.Write([]byte(enrolPrefix))
	h.Write(body)
	return h.Sum(nil)[:enrolChecksum]
}

// ParseEnrolCode reads a code text as people copy it: case, spaces, line
// breaks and hyphens do not matter, and O, I and L are read as 0, 1 and 1.
// Every error wraps ErrEnrolCodeMistyped.
func ParseEnrolCode(text string) (EnrolCode, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(text) {
		switch {
		case r == '-' || r == ' ' || r == '\t' || r == '\r' || r == '\n':
		case r == 'O':
			b.WriteByte('0')
		case r == 'I' || r == 'L':
			b.WriteByte('1')
		default:
			b.WriteRune(r)
		}
	}
	norm := b.String()
	// The prefix was normalised too: "MF1" stays "MF1".
	rest, ok := strings.CutPrefix(norm, enrolPrefix)
	if !ok {
		return EnrolCode{}, fmt.Errorf("%w: does not start with %s-", ErrEnrolCodeMistyped, enrolPrefix)
	}
	body, err := crockford.DecodeString(rest)
	if err != nil {
		return EnrolCode{}, fmt.Errorf("%w: %v", ErrEnrolCodeMistyped, err)
	}
	fixed := EnrolSecretSize + EnrolFingerprintSize
	if len(body) < fixed+2+enrolChecksum {
		return EnrolCode{}, fmt.Errorf("%w: %d bytes, too short", ErrEnrolCodeMistyped, len(body))
	}
	data, sum := body[:len(body)-enrolChecksum], body[len(body)-enrolChecksum:]
	if !bytes.Equal(enrolSum(data), sum) {
		return EnrolCode{}, fmt.Errorf("%w: checksum does not match", ErrEnrolCodeMistyped)
	}

	c := EnrolCode{Secret: bytes.Clone(data[:EnrolSecretSize]), Fingerprint: bytes.Clone(data[EnrolSecretSize:fixed])}
	rest2 := data[fixed:]
	var fields [2]string
	for i := range fields {
		if len(rest2) == 0 || int(rest2[0]) > len(rest2)-1 {
			return EnrolCode{}, fmt.Errorf("%w: field %d cut short", ErrEnrolCodeMistyped, i)
		}
		n := int(rest2[0])
		fields[i], rest2 = string(rest2[1:1+n]), rest2[1+n:]
	}
	if len(rest2) != 0 {
		return EnrolCode{}, fmt.Errorf("%w: %d bytes after the role", ErrEnrolCodeMistyped, len(rest2))
	}
	c.College, c.Role = fields[0], fields[1]
	return c, nil
}
