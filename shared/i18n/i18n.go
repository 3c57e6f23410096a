// Package i18n translates user-facing text. Simplified Chinese (zh-Hans) is the
// default locale and English (en) the second; the text lives in JSON files
// under assets/i18n/<locale>/, one file per area of the product.
//
// Messages are fmt formats, so a translation may reorder arguments with
// explicit indexes such as %[2]s.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"mobilefactory/assets"
)

// Locales.
const (
	Chinese = "zh-Hans"
	English = "en"
)

// Locales lists the supported locales, the default first.
var Locales = []string{Chinese, English}

var (
	loadOnce sync.Once
	catalogs map[string]map[string]string
	loadErr  error
	current  atomic.Value // string
)

func load() {
	catalogs = map[string]map[string]string{}
	for _, locale := range Locales {
		catalog := map[string]string{}
		dir := path.Join("i18n", locale)
		entries, err := fs.ReadDir(assets.I18n, dir)
		if err != nil {
			loadErr = fmt.Errorf("reading translations for %s: %w", locale, err)
			return
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			data, err := fs.ReadFile(assets.I18n, path.Join(dir, e.Name()))
			if err != nil {
				loadErr = fmt.Errorf("reading %s: %w", e.Name(), err)
				return
			}
			var m map[string]string
			if err := json.Unmarshal(data, &m); err != nil {
				loadErr = fmt.Errorf("parsing %s/%s: %w", locale, e.Name(), err)
				return
			}
			for k, v := range m {
				catalog[k] = v
			}
		}
		catalogs[locale] = catalog
	}
}

func catalog(locale string) map[string]string {
	loadOnce.Do(load)
	if loadErr != nil {
		panic("bug: embedded translations are broken: " + loadErr.Error())
	}
	return catalogs[locale]
}

// SetLocale selects the locale T uses. An unknown locale selects Chinese.
func SetLocale(locale string) {
	if locale != English {
		locale = Chinese
	}
	current.Store(locale)
}

// Locale returns the locale T uses.
func Locale() string {
	if l, ok := current.Load().(string); ok {
		return l
	}
	return Chinese
}

// T returns the text for key in the current locale, formatted with args.
func T(key string, args ...any) string { return In(Locale(), key, args...) }

// In returns the text for key in the given locale, formatted with args.
// A key missing in English falls back to Chinese. A key missing everywhere
// is returned as it is, so a gap shows on screen instead of blank text.
func In(locale, key string, args ...any) string {
	msg, ok := catalog(locale)[key]
	if !ok && locale != Chinese {
		msg, ok = catalog(Chinese)[key]
	}
	if !ok {
		msg = key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Keys returns every key of a locale, sorted. Tests use it to check that both
// locales carry the same keys.
func Keys(locale string) []string {
	c := catalog(locale)
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
