#!/usr/bin/env bash
# Takes docs/screenshot-main.png: the server with demo data and a desktop
# client, under a virtual X display (Xvfb), the window captured by the client.
set -euo pipefail

data=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$data"' EXIT
Xvfb :97 -screen 0 1366x800x24 -nolisten tcp &
xvfb=$!
sleep 1
DISPLAY=:97 DATA="$data" LISTEN=127.0.0.1:18731 PEOPLE=${PEOPLE:-20000} \
  DESKTOP_ARGS="--screenshot $PWD/docs/screenshot-main.png --screenshot-delay 15s" scripts/run.sh
echo "wrote docs/screenshot-main.png"
