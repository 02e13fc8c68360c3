#!/usr/bin/env bash
# Builds bench/ask_latency.c against the library in build/ (or $1) and runs
# it: BO's ask time with 1,000 observations (issue 4's target: < 10 ms).
# usage: bench/ask_latency.sh [BUILD_DIR] [OBSERVATIONS] [PRIOR_ROWS]
# (with PRIOR_ROWS, only the defaults without and with a prior of that many rows)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
[ -f "$build/libtetune.a" ] || { echo "$0: $build/libtetune.a not built" >&2; exit 2; }
exe=$(mktemp)
trap 'rm -f "$exe"' EXIT
cc -std=c11 -O2 -D_GNU_SOURCE -I"$here/include" "$here/bench/ask_latency.c" "$build/libtetune.a" \
  $(pkg-config --libs sqlite3 libcjson) -ldl -lm -lpthread -o "$exe"
"$exe" "${2:-1000}" ${3:+"$3"}
