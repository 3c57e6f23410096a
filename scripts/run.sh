#!/usr/bin/env bash
# Runs the product locally: the sync server on loopback with demo data, over
# TLS with the certificate it makes on first start, and one desktop client
# enrolled for a real Jiangxi college. Ctrl-C stops both.
set -euo pipefail

data=${DATA:-run}
listen=${LISTEN:-127.0.0.1:8731}
college=${COLLEGE:-4136012941} # 江西财经职业学院
people=${PEOPLE:-20000}
# The desktop's first local account; the window asks for it at start.
password=${MF_PASSWORD:-mobilefactory-demo}

mkdir -p "$data/server" "$data/desktop"
bin/syncserver demo --data "$data/server" --people "$people"

rm -f "$data/server/admin.json"
bin/syncserver serve --data "$data/server" --listen "$listen" &
server=$!
stop() {
  kill -INT "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

# The server writes admin.json once it listens.
for _ in $(seq 1 100); do
  [ -f "$data/server/admin.json" ] && break
  kill -0 "$server" 2>/dev/null || { echo "sync server failed to start" >&2; exit 1; }
  sleep 0.1
done

if [ ! -f "$data/desktop/enrolled" ]; then
  code=$(bin/syncserver enrol --data "$data/server" --college "$college" --role reviewer)
  # The code carries the server certificate's fingerprint; the desktop
  # connects over TLS and accepts only that certificate. A reviewer both
  # records and approves, so the demo shows the review queue too.
  MF_PASSWORD="$password" bin/desktop enrol --data "$data/desktop" --server "$listen" --code "$code" --account admin
  touch "$data/desktop/enrolled"
fi

# Fyne logs an error for the C locale that CI and containers run with. The
# window ignores the system locale anyway: Chinese unless switched in settings.
case "${LANG:-C}" in C | C.* | POSIX) export LANG=zh_CN.UTF-8 ;; esac
echo "桌面端登录：账号 admin，密码 $password（desktop sign-in: account admin, password $password）"
bin/desktop --data "$data/desktop"
