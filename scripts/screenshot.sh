#!/usr/bin/env bash
# Takes docs/screenshot-main.png: the server with demo data and a desktop
# client on a virtual X display (Xvfb) the size of the window, captured with
# xwd once the client has pulled its college's records.
set -euo pipefail
scripts/deps.sh x11-apps imagemagick xdotool

data=$(mktemp -d)
display=:97
Xvfb $display -screen 0 1100x720x24 -nolisten tcp &
xvfb=$!
DISPLAY=$display DATA="$data" LISTEN=127.0.0.1:18731 PEOPLE=${PEOPLE:-20000} setsid scripts/run.sh &
run=$!
cleanup() {
  kill -INT -- -"$run" 2>/dev/null || true
  wait "$run" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

sleep "${WAIT:-20}"
# Sign in: the account entry has the focus.
DISPLAY=$display xdotool type --delay 20 admin
DISPLAY=$display xdotool key Tab
DISPLAY=$display xdotool type --delay 20 "${MF_PASSWORD:-mobilefactory-demo}"
DISPLAY=$display xdotool key Return
sleep 5
# Open the sixth person of the list so the page shows training and internships.
DISPLAY=$display xdotool mousemove 150 275 click 1
sleep 2
xwd -root -silent -display $display | convert xwd:- docs/screenshot-main.png
echo "wrote docs/screenshot-main.png"
