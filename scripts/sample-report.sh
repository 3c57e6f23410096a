#!/usr/bin/env bash
# Makes docs/report-page1.png the way a college would make a report: demo
# data in a server pool, a reviewer device enrolled over TLS on loopback,
# one sync, `desktop report` for the demo's sample person 李志明, and
# pdftoppm for the first page. It also checks the PDF's text.
set -euo pipefail

work=$(mktemp -d)
listen=${LISTEN:-127.0.0.1:18731}
export MF_PASSWORD=sample-report-pass
trap 'kill -INT "${server:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
case "${LANG:-C}" in C | C.* | POSIX) export LANG=zh_CN.UTF-8 ;; esac

bin/syncserver demo --data "$work/server" --people "${PEOPLE:-2000}" 2>/dev/null
bin/syncserver serve --data "$work/server" --listen "$listen" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 100); do
  [ -f "$work/server/admin.json" ] && break
  sleep 0.1
done
code=$(bin/syncserver enrol --data "$work/server" --college 4136012941 --role reviewer)
bin/desktop enrol --data "$work/desktop" --server "$listen" --code "$code" --account admin 2>/dev/null
bin/desktop sync --once --data "$work/desktop" --account admin 2>/dev/null
bin/desktop report 36012120020101099X --data "$work/desktop" --account admin --out "$work/sample.pdf" 2>/dev/null

text=$(pdftotext "$work/sample.pdf" -)
for want in 就业推荐报告 李志明 江西财经职业学院 基础模块; do
  grep -q "$want" <<<"$text" || { echo "sample report lacks $want" >&2; exit 1; }
done
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/sample.pdf" docs/report-page1
[ -z "${KEEP_PDF:-}" ] || cp "$work/sample.pdf" "$KEEP_PDF"
echo "wrote docs/report-page1.png from the report of the demo's sample person"
