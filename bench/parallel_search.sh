#!/usr/bin/env bash
# Parallel-search benchmark (issue 25; not a timed test): builds
# bench/parallel_search.c against build/ and replays a strategy on the
# recorded datasets through the engine's recorded evaluator, whose
# simulated clock charges each evaluation the compile and benchmark time
# the dataset recorded, with 1, 4 and 16 workers and many seeds. Prints per
# dataset a Markdown table: simulated wall time and evaluations to get
# within 5% of the optimum (medians, 95% confidence intervals), the mean
# ask time of the strategy, and the ratios to one worker.
#   targets: 4 workers <= 0.4x the wall time of 1 worker with <= 1.3x the
#            evaluations; 16 workers <= 0.15x the wall time.
# usage: bench/parallel_search.sh [--seeds K] [--budget N] [--strategy S]
#                                 [--build DIR] [--data DIR] [--latency-only]
# Defaults: 30 seeds, budget 300, bo, build/, ../shared/data/recorded (or
# tests/data/recorded).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seeds=30
budget=300
strategy=bo
workers="1 4 16"
build=$here/build
data=$here/../shared/data/recorded
[ -d "$data" ] || data=$here/tests/data/recorded
while [ $# -gt 0 ]; do
  case "$1" in
  --seeds) seeds=$2; shift 2 ;;
  --budget) budget=$2; shift 2 ;;
  --strategy) strategy=$2; shift 2 ;;
  --build) build=$2; shift 2 ;;
  --data) data=$2; shift 2 ;;
  --latency-only) workers=""; shift ;;
  *) echo "usage: $0 [--seeds K] [--budget N] [--strategy S] [--build DIR] [--data DIR] [--latency-only]" >&2; exit 2 ;;
  esac
done
[ -f "$build/libtetune.a" ] || { echo "$0: $build/libtetune.a not built" >&2; exit 2; }
exe=$(mktemp)
trap 'rm -f "$exe"' EXIT
cc -std=c11 -O2 -D_GNU_SOURCE -I"$here/include" "$here/bench/parallel_search.c" "$build/libtetune.a" \
  $(pkg-config --libs sqlite3 libcjson zlib) -ldl -lm -lpthread -o "$exe"
echo "load: $(uptime)"
"$exe" "$data/pnpoly_RTX_3090.kt-cache.json.gz,$data/convolution_A4000.t4.json.gz" \
  "$strategy" "$seeds" "$budget" $workers
echo "load: $(uptime)"
