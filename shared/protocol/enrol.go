package protocol

import (
	"crypto/ed25519"
	"errors"
)

// EnrolRequest is the JSON body of POST /enrol: a device registers its
// public key with a one-time enrolment code.
type EnrolRequest struct {
	Code          string            `json:"code"`
	Device        string            `json:"device"`
	PublicKey     ed25519.PublicKey `json:"public_key"`
	ClientVersion string            `json:"client_version"`
	// College, when set, is the college whose records the device already
	// holds: the server refuses a code of another college without using it.
	College string `json:"college,omitempty"`
	// Proof is the ed25519 signature, by the device's current key, of
	// EnrolProofMessage over the code's secret and PublicKey. The server
	// re-enrols an enrolled device id only with a valid proof, so a code
	// alone cannot replace another device's key.
	Proof []byte `json:"proof,omitempty"`
}

// enrolProofContext starts every signed re-enrolment proof, so the
// signature cannot be taken for one over a sync handshake.
const enrolProofContext = "mobilefactory enrol proof v1\x00"

// EnrolProofMessage returns the bytes a known device signs with its current
// key to re-enrol with the code secret and the new public key.
func EnrolProofMessage(secret []byte, newKey ed25519.PublicKey) []byte {
	msg := make([]byte, 0, len(enrolProofContext)+len(secret)+len(newKey))
	msg = append(msg, enrolProofContext...)
	msg = append(msg, secret...)
	return append(msg, newKey...)
}

// ErrDeviceKnown is returned for the enrolment of a device id the server
// has registered already, when the request carries no valid proof signed
// with that device's key.
var ErrDeviceKnown = errors.New("device id enrolled already; re-enrolment needs a proof signed with its key")

// EnrolResponse is the reply to a successful enrolment.
type EnrolResponse struct {
	Device  string `json:"device"`
	College string `json:"college"`
	Role    string `json:"role"`
	Epoch   string `json:"epoch"`
	// TransferKey is the server's X25519 public key, which the device
	// encrypts offline change files to. Servers before it send none.
	TransferKey []byte `json:"transfer_key,omitempty"`
}

// HTTPError is the JSON body of a failed HTTP request.
type HTTPError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// CodeEnrol is the HTTPError code for an unknown, used or expired
// enrolment code.
const CodeEnrol = "enrol_code"

// CodeOtherCollege is the HTTPError code for an enrolment code of another
// college than the one whose records the device holds.
const CodeOtherCollege = "other_college"

// CodeEnrolMistyped is the HTTPError code for an enrolment code text whose
// checksum or layout is wrong, as when a character was copied wrongly.
const CodeEnrolMistyped = "enrol_code_mistyped"

// CodeRevokedDevice is the HTTPError code for the enrolment of a device
// id the central office has revoked.
const CodeRevokedDevice = "revoked"

// CodeDeviceKnown is the HTTPError code for the enrolment of a device id
// the server has enrolled already, without a valid proof of its key.
const CodeDeviceKnown = "device_known"
