#!/usr/bin/env bash
# Issue 3, item 5, for the PolyBench library kernels (gemm, 3mm, lu and
# cholesky are checked by their owners' tests): `tetune run K --size large`
# with the default configuration finishes and validates against the naive
# reference. The naive references at large take about 6 s together and the
# whole test about a minute on 2 cores; they are cached (by source hash) in
# $TETUNE_CACHE_DIR when it is set, in a fresh directory otherwise.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="${TETUNE_CACHE_DIR:-$T/cache}"
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$(dirname "$0")/lib/run_large.sh"

for k in 2mm syrk syr2k symm trmm gemver gesummv atax bicg mvt doitgen trisolv jacobi-2d; do
  run_large "$k"
done
