#!/usr/bin/env bash
# Runs the benchmarks behind docs/benchmarks.md, saves their output in
# bin/bench.txt and writes docs/benchmarks.md from it with
# scripts/benchreport, which appends docs/benchmarks-notes.md.
# BENCHTIME sets -benchtime (default 3x); BENCH_OUT sets the output file.
set -euo pipefail

benchtime=${BENCHTIME:-3x}
out=${BENCH_OUT:-bin/bench.txt}
mkdir -p "$(dirname "$out")"
: >"$out"

bench() {
  go test -tags migrated_fynedo -run '^$' -benchmem -benchtime "$benchtime" "$@" | tee -a "$out"
}

bench -bench 'Push10k|FirstPull20k' ./desktop/syncclient
bench -bench 'Open50k|SearchKeystroke50k' ./desktop/store
bench -bench 'ApplyTrusted|ApplyPush|FindDuplicates|PoolDuplicates' ./syncserver/pool
bench -bench . ./desktop/importer ./desktop/report
# BenchmarkPool1M builds a real 1M-person pool first (minutes), so it runs
# only when MF_POOL1M_DIR names a folder to keep that pool in.
if [ -n "${MF_POOL1M_DIR:-}" ]; then
  go test -tags migrated_fynedo -run '^$' -benchmem -benchtime 1x -bench 'Pool1M' ./syncserver/pool | tee -a "$out"
fi
# Matching: the 1M-profile engine is built once per benchmark binary. One
# query takes milliseconds, so the percentiles need thousands of them;
# the whole-pool runs take seconds each, so once is enough.
go test -tags migrated_fynedo -run '^$' -benchmem -benchtime 2000x -bench 'Best50Of1M|BestJobs' ./shared/match | tee -a "$out"
go test -tags migrated_fynedo -run '^$' -benchmem -benchtime 1x -bench 'All10kDemands|EngineBuild|RankRegions|Assign' ./shared/match | tee -a "$out"
bench -bench 'Rank20k|IndexRank|RankScan|NewIndex' ./shared/match
# Generating 1M people takes about half a minute, so once is enough.
bench -bench 'Generate20k' ./shared/demo
go test -tags migrated_fynedo -run '^$' -benchmem -benchtime 1x -bench 'Generate1M' ./shared/demo | tee -a "$out"
# The load generator: the real server program and 300 devices at once.
go test -tags migrated_fynedo -run '^$' -benchtime "$benchtime" -bench Load300Devices ./syncserver | tee -a "$out"

go run ./scripts/benchreport -in "$out" -notes docs/benchmarks-notes.md -out docs/benchmarks.md -benchtime "$benchtime"
echo "wrote docs/benchmarks.md from $out"
