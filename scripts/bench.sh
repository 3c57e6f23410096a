#!/usr/bin/env bash
# Runs the benchmarks behind docs/benchmarks.md and prints their results
# with the machine they ran on.
set -euo pipefail

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(go version) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
go test -tags migrated_fynedo -run '^$' -benchmem -benchtime "${BENCHTIME:-3x}" \
  -bench 'Push10k|FirstPull20k' ./desktop/syncclient
go test -tags migrated_fynedo -run '^$' -benchmem -benchtime "${BENCHTIME:-3x}" \
  -bench 'Open50k|SearchKeystroke50k' ./desktop/store
go test -tags migrated_fynedo -run '^$' -benchmem -benchtime "${BENCHTIME:-3x}" \
  -bench . ./syncserver/pool ./shared/match ./shared/demo ./desktop/importer ./desktop/report
# The load generator: the real server program and 300 devices at once.
go test -tags migrated_fynedo -run '^$' -benchtime "${BENCHTIME:-3x}" -bench Load300Devices ./syncserver
