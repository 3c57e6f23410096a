package protocol

import "crypto/ed25519"

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
}

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
