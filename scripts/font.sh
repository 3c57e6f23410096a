#!/usr/bin/env bash
# Extracts the regular face of WenQuanYi Micro Hei from Debian's two-face
# collection into a plain TrueType file the desktop theme embeds.
set -euo pipefail
out=${1:-assets/fonts/wqy-microhei.ttf}
ttc=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
if [ ! -f "$ttc" ]; then
  echo "missing $ttc: run make deps (Debian package fonts-wqy-microhei)" >&2
  exit 1
fi
# fontTools comes from Debian's python3-fonttools, so use Debian's Python.
/usr/bin/python3 - "$ttc" "$out" <<'PY'
import sys
from fontTools.ttLib import TTCollection
collection = TTCollection(sys.argv[1])
collection.fonts[0].save(sys.argv[2])
PY
echo "wrote $out"
