package display

import (
	"regexp"
	"strings"
)

// Digit runs in a message that look like a resident ID number (15 to 18
// characters, so one with a digit too many or too few still counts) or a
// mainland mobile number (10 to 12 digits from a 1). Import messages quote
// cell values, and these runs are masked as the person list masks them.
// Shorter runs, such as a phone cell of 12345, stay visible so that the
// clerk can find the wrong value.
var (
	idNumberPattern = regexp.MustCompile(`\b\d{14,17}[\dXx]\b`)
	mobilePattern   = regexp.MustCompile(`\b1\d{9,11}\b`)
)

// MaskReason returns an import message with the personal values it quotes
// masked: value, the cell the message is about, when it is an address, and
// every ID or mobile number in the text.
func MaskReason(message, value string, address bool) string {
	if address && value != "" {
		message = strings.ReplaceAll(message, value, MaskAddress(value))
	}
	message = idNumberPattern.ReplaceAllStringFunc(message, MaskID)
	return mobilePattern.ReplaceAllStringFunc(message, MaskPhone)
}
