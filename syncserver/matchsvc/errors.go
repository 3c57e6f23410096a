package matchsvc

import (
	"fmt"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
)

// Error is a match request the service cannot serve. Err is the protocol
// sentinel the websocket reply carries (protocol.ErrNotFound or
// protocol.ErrInvalid), and Key and Args give the user's message.
type Error struct {
	Err  error
	Key  string // translation key in assets/i18n/*/matchserver.json
	Args []any
}

// Error returns the message in English, for logs and the protocol's
// Error.Message.
func (e *Error) Error() string { return i18n.In("en", e.Key, e.Args...) }

func (e *Error) Unwrap() error { return e.Err }

// Message returns the user's message in the locale.
func (e *Error) Message(locale string) string { return i18n.In(locale, e.Key, e.Args...) }

func notFound(key string, args ...any) error {
	return &Error{Err: protocol.ErrNotFound, Key: key, Args: args}
}

func invalid(key string, args ...any) error {
	return &Error{Err: protocol.ErrInvalid, Key: key, Args: args}
}

// refreshSeconds formats the refresh interval for messages.
func refreshSeconds(s *Service) string { return fmt.Sprintf("%.0f", s.opts.Refresh.Seconds()) }

// Ready reports whether the first build of the index has ended, so a
// caller can answer "still building" at once instead of waiting in Match.
func (s *Service) Ready() bool {
	select {
	case <-s.ready:
		return true
	default:
		return false
	}
}
