#!/usr/bin/env bash
# Installs the system packages the build needs on Debian or Ubuntu, only
# those missing: the C compiler and X11/GL headers Fyne's cgo build uses,
# the WenQuanYi Micro Hei font and fontTools to extract it, Xvfb for
# screenshots, and poppler-utils (pdftotext, pdftoppm), with which the
# report tests read the PDFs and docs/report-page1.png is rendered. Run by `make deps`, which `make run` and `make test` call.
# Extra package names given as arguments are installed too.
set -euo pipefail

packages=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev fonts-wqy-microhei python3-fonttools xvfb poppler-utils "$@")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ! command -v go >/dev/null 2>&1; then
  missing+=(golang-go)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing missing system packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
