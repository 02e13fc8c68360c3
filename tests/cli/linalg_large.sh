#!/usr/bin/env bash
# Issue 3, item 5, for lu and cholesky: `tetune run K --size large` (the
# default template, blocked, with its default configuration) finishes and
# validates against the naive reference, and so does each template's
# default. The naive references at large take about 5 s together; they are
# cached (by source hash) in $TETUNE_CACHE_DIR when it is set, in a fresh
# directory otherwise. About a minute on 2 cores.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="${TETUNE_CACHE_DIR:-$T/cache}"
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$(dirname "$0")/lib/run_large.sh"

run_large lu
run_large lu --template unblocked
run_large cholesky
run_large cholesky --template unblocked
