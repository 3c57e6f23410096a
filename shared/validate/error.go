// Package validate normalises and checks values as people type them into a
// form or as Excel and CSV files hold them: resident ID numbers, mobile
// numbers, dates, names and whole person rows.
//
// Each function returns the value in its stored form, or an *Error whose Key
// is a translation key in assets/i18n/*/validate.json.
package validate

import (
	"fmt"

	"mobilefactory/shared/i18n"
)

// Error is a validation failure a user can act on. Key is a translation key
// (in assets/i18n/*/validate.json), Args the values the message names.
//
// Args may hold personal data such as an ID number as typed, so Error()
// returns only the key: an error that reaches a log carries no personal data.
// Message formats the text for the user.
type Error struct {
	Key  string
	Args []any
}

func (e *Error) Error() string { return "validation failed: " + e.Key }

// Message returns the text for the user in the locale (i18n.Chinese or
// i18n.English).
func (e *Error) Message(locale string) string { return i18n.In(locale, e.Key, e.Args...) }

// FieldError is the failure of one field of a record.
type FieldError struct {
	Field string // a record.Field* constant
	Err   *Error
}

func (fe FieldError) Error() string { return fmt.Sprintf("%s: %s", fe.Field, fe.Err.Error()) }

func newError(key string, args ...any) *Error { return &Error{Key: key, Args: args} }
