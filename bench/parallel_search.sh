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
# usage: bench/parallel_search.sh [--seeds K] [--first-seed F] [--budget N] [--strategy S]
#                                 [--workers "1 4 16"] [--datasets pnpoly,convolution]
#                                 [--per-seed] [--no-latency]
#                                 [--build DIR] [--data DIR] [--latency-only]
# Defaults: 30 seeds from seed 1, budget 300, bo, 1 4 16 workers, both
# datasets, build/, ../shared/data/recorded (or tests/data/recorded).
# --first-seed: check a choice on seeds it was not made on; --per-seed:
# every seed's wall time and evaluations to 5% on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seeds=30
first=1
datasets=pnpoly,convolution
budget=300
strategy=bo
workers="1 4 16"
build=$here/build
data=$here/../shared/data/recorded
[ -d "$data" ] || data=$here/tests/data/recorded
while [ $# -gt 0 ]; do
  case "$1" in
  --seeds) seeds=$2; shift 2 ;;
  --first-seed) first=$2; shift 2 ;;
  --workers) workers=$2; shift 2 ;;
  --datasets) datasets=$2; shift 2 ;;
  --per-seed) export PARALLEL_SEARCH_PER_SEED=1; shift ;;
  --no-latency) export PARALLEL_SEARCH_NO_LATENCY=1; shift ;;
  --budget) budget=$2; shift 2 ;;
  --strategy) strategy=$2; shift 2 ;;
  --build) build=$2; shift 2 ;;
  --data) data=$2; shift 2 ;;
  --latency-only) workers=""; shift ;;
  *) echo "usage: $0 [--seeds K] [--first-seed F] [--budget N] [--strategy S] [--workers LIST] [--datasets LIST] [--per-seed] [--no-latency] [--build DIR] [--data DIR] [--latency-only]" >&2; exit 2 ;;
  esac
done
[ -f "$build/libtetune.a" ] || { echo "$0: $build/libtetune.a not built" >&2; exit 2; }
exe=$(mktemp)
trap 'rm -f "$exe"' EXIT
cc -std=c11 -O2 -D_GNU_SOURCE -I"$here/include" "$here/bench/parallel_search.c" "$build/libtetune.a" \
  $(pkg-config --libs sqlite3 libcjson zlib) -ldl -lm -lpthread -o "$exe"
paths=
for name in ${datasets//,/ }; do
  case "$name" in
  pnpoly) f=pnpoly_RTX_3090.kt-cache.json.gz ;;
  convolution) f=convolution_A4000.t4.json.gz ;;
  *) echo "$0: unknown dataset '$name' (pnpoly, convolution)" >&2; exit 2 ;;
  esac
  paths=${paths:+$paths,}$data/$f
done
echo "load: $(uptime)"
# shellcheck disable=SC2086
"$exe" "$paths" "$strategy" "$first:$seeds" "$budget" $workers
echo "load: $(uptime)"
