// Package assets embeds the data both programs ship: code tables, translations
// and the bundled font.
package assets

import "embed"

// Data holds the code tables under data/ (see data/SOURCES.md).
//
//go:embed data/*.csv data/SOURCES.md
var Data embed.FS

// I18n holds the translation files, one folder per locale (zh-Hans, en),
// each a set of JSON objects mapping message keys to text.
//
//go:embed i18n
var I18n embed.FS
