package store

import (
	"errors"
	"time"

	"mobilefactory/shared/i18n"
)

// Message returns the user's text for an error of the store's accounts,
// sign-in and province records, in the current locale, and "" for any
// other error.
func Message(err error) string {
	var lockout *LockoutError
	if errors.As(err, &lockout) {
		return i18n.T("store.login.locked", lockout.Account, waitText(lockout.Wait))
	}
	keys := []struct {
		err error
		key string
	}{
		{ErrWrongLogin, "store.login.wrong"},
		{ErrNotAdmin, "store.account.not_admin"},
		{ErrRemoveSelf, "store.account.remove_self"},
		{ErrAccountExists, "store.account.exists"},
		{ErrNoSuchAccount, "store.account.not_found"},
		{ErrAccountName, "store.account.bad_name"},
		{ErrFirstAccount, "store.account.first_admin"},
		{ErrOldFormat, "store.old_format"},
		{ErrLocked, "store.locked"},
		{ErrPasswordBlank, "store.password.blank"},
		{ErrProvinceRole, "store.province.role"},
	}
	if errors.Is(err, ErrPasswordShort) {
		return i18n.T("store.password.short", MinPasswordRunes)
	}
	for _, k := range keys {
		if errors.Is(err, k.err) {
			return i18n.T(k.key)
		}
	}
	return ""
}

// waitText returns a lockout's wait in whole seconds or minutes and
// seconds, rounded up so the user never tries a second too early.
func waitText(wait time.Duration) string {
	seconds := int((wait + time.Second - 1) / time.Second)
	if seconds < 60 {
		return i18n.T("store.wait.seconds", seconds)
	}
	if seconds%60 == 0 {
		return i18n.T("store.wait.minutes", seconds/60)
	}
	return i18n.T("store.wait.minutes_seconds", seconds/60, seconds%60)
}
