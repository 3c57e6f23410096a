package display

import (
	"fmt"
	"time"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/validate"
)

// Date returns a stored ISO 8601 date or month as the screen shows it:
// 2024年5月10日 (or 2024年5月) in Chinese, 2024-05-10 in English. A value
// that is not a date is returned unchanged, so bad data stays visible.
func Date(iso string) string {
	if iso == "" {
		return ""
	}
	d, err := validate.ParseDate(iso)
	if err != nil {
		return iso
	}
	if i18n.Locale() == i18n.English {
		return d.String()
	}
	return d.Chinese()
}

// DateTime returns a moment in local time to the minute: 2026年12月4日 10:32
// in Chinese, 2026-12-04 10:32 in English.
func DateTime(t time.Time) string {
	t = t.Local()
	if i18n.Locale() == i18n.English {
		return t.Format("2006-01-02 15:04")
	}
	return fmt.Sprintf("%d年%d月%d日 %02d:%02d", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute())
}
