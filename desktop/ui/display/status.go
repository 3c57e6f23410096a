package display

import (
	"errors"
	"strings"
	"time"

	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/i18n"
)

// LocalizedError is an error that carries its own translation key, so the
// status bar can show it in the user's language. Errors that do not
// implement it are shown with their Error text.
type LocalizedError interface {
	error
	TranslationKey() (key string, args []any)
}

// MinSkewShown is the clock skew from which the status bar warns. Smaller
// offsets are normal for PCs without time synchronisation.
const MinSkewShown = 5 * time.Minute

// StatusLine returns the status bar text for a sync status, such as
// "在线 · 待同步 3 条 · 上次同步 2026年12月4日 10:32".
func StatusLine(s syncclient.Status) string {
	parts := make([]string, 0, 4)
	if s.Online {
		parts = append(parts, i18n.T("ui.status.online"))
	} else {
		parts = append(parts, i18n.T("ui.status.offline"))
	}
	parts = append(parts, i18n.T("ui.status.pending", s.Pending))
	if s.LastSync.IsZero() {
		parts = append(parts, i18n.T("ui.status.never_synced"))
	} else {
		parts = append(parts, i18n.T("ui.status.last_sync", DateTime(s.LastSync)))
	}
	if skew := Skew(s.Skew); skew != "" {
		parts = append(parts, skew)
	}
	return strings.Join(parts, " · ")
}

// StatusError returns the text of a sync status's last error, or "" when
// there is none.
func StatusError(s syncclient.Status) string {
	if s.LastError == nil {
		return ""
	}
	var localized LocalizedError
	if errors.As(s.LastError, &localized) {
		key, args := localized.TranslationKey()
		return i18n.T("ui.status.error", i18n.T(key, args...))
	}
	return i18n.T("ui.status.error", s.LastError.Error())
}

// Skew returns a warning about the device clock when it is MinSkewShown or
// more away from the server's, and "" otherwise.
func Skew(skew time.Duration) string {
	if skew < 0 {
		skew = -skew
	}
	switch {
	case skew < MinSkewShown:
		return ""
	case skew >= 48*time.Hour:
		return i18n.T("ui.status.skew_days", int(skew/(24*time.Hour)))
	case skew >= 2*time.Hour:
		return i18n.T("ui.status.skew_hours", int(skew/time.Hour))
	}
	return i18n.T("ui.status.skew_minutes", int(skew/time.Minute))
}
