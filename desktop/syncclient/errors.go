package syncclient

import (
	"context"
	"errors"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
)

// ErrUnreachable is returned when the server cannot be connected to.
var ErrUnreachable = errors.New("server unreachable")

// Error is a sync failure with the translation key of the message shown to
// the user. The UI reads the key through TranslationKey.
type Error struct {
	Key  string
	Err  error
	Args []any // the message's arguments, when it has any besides the error text
}

func (e *Error) Error() string { return e.Err.Error() }

func (e *Error) Unwrap() error { return e.Err }

// TranslationKey returns the key of the user's message in assets/i18n/*/sync.json.
func (e *Error) TranslationKey() (string, []any) {
	if e.Key == "sync.error.other" || e.Key == "sync.error.rejected" {
		return e.Key, []any{e.Err.Error()}
	}
	return e.Key, e.Args
}

// Message returns the text for the user, in the current locale, of an error
// from Enrol, SyncOnce or Run.
func Message(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		e = describe(err).(*Error)
	}
	key, args := e.TranslationKey()
	return i18n.T(key, args...)
}

// describe wraps err with the message a clerk can act on.
func describe(err error) error {
	if err == nil {
		return nil
	}
	var key string
	var args []any
	var addrErr *AddressError
	if errors.As(err, &addrErr) {
		args = []any{addrErr.Addr}
	}
	var collegeErr *CollegeError
	if errors.As(err, &collegeErr) {
		args = []any{collegeName(collegeErr.College)}
	}
	switch {
	case errors.Is(err, ErrWrongCertificate):
		key = "sync.error.wrong_certificate"
	case errors.Is(err, ErrPlainAddress):
		key = "sync.error.plain_address"
	case errors.Is(err, ErrPlainText):
		key = "sync.error.plain_text"
	case errors.Is(err, ErrNotPinned):
		key = "sync.error.not_pinned"
	case errors.Is(err, protocol.ErrRevoked):
		key = "sync.error.revoked"
	case errors.Is(err, protocol.ErrEnrolCodeMistyped):
		key = "sync.error.enrol_code_mistyped"
	case errors.Is(err, protocol.ErrDeviceKnown):
		key = "sync.error.device_known"
	case errors.Is(err, ErrReenrolUnreachable):
		key = "sync.error.reenrol_unreachable"
	case errors.Is(err, ErrEnrolUnreachable):
		key = "sync.error.enrol_unreachable"
	case errors.Is(err, ErrUnreachable), errors.Is(err, context.DeadlineExceeded):
		key = "sync.error.unreachable"
	case errors.Is(err, protocol.ErrUpgrade):
		key = "sync.error.upgrade"
	case errors.Is(err, protocol.ErrAuth):
		key = "sync.error.auth"
	case errors.Is(err, ErrNotEnrolled):
		key = "sync.error.not_enrolled"
	case errors.Is(err, ErrEnrolCode):
		key = "sync.error.enrol_code"
	case errors.Is(err, ErrEnrolledOtherCollege):
		key = "sync.error.enrolled_other_college"
	case errors.Is(err, ErrOtherCollege):
		key = "sync.error.other_college"
	case errors.Is(err, ErrServerAddress):
		key = "sync.error.server_address"
	case errors.Is(err, protocol.ErrScope), errors.Is(err, store.ErrScope):
		key = "sync.error.scope"
	case errors.Is(err, protocol.ErrInternal):
		key = "sync.error.server"
	case errors.Is(err, protocol.ErrTooLarge), errors.Is(err, protocol.ErrCorrupt),
		errors.Is(err, protocol.ErrInvalid), errors.Is(err, protocol.ErrSequence):
		key = "sync.error.rejected"
	default:
		key = "sync.error.other"
	}
	return &Error{Key: key, Err: err, Args: args}
}

// collegeName returns the college's name with its code, or the code alone
// when the code table does not list it.
func collegeName(code string) string {
	if c, ok := codes.MustLoad().College(code); ok {
		return i18n.T("sync.college", c.Name, code)
	}
	return code
}
