// Package fonts embeds the bundled Simplified-Chinese font.
//
// WenQuanYi Micro Hei (Apache-2.0, see LICENSE) has TrueType outlines, so one
// file serves the desktop theme, charts and PDF. The Debian package
// fonts-wqy-microhei ships it as a two-face collection; `make font` extracts
// the first face into wqy-microhei.ttf, which is generated and not committed.
package fonts

import _ "embed"

// MicroHei is the regular face of WenQuanYi Micro Hei.
//
//go:embed wqy-microhei.ttf
var MicroHei []byte
