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

kernels="2mm syrk syr2k symm trmm gemver gesummv atax bicg mvt doitgen trisolv jacobi-2d"
for k in $kernels; do
  start=$(date +%s.%N)
  set +e
  "$TT_CLI" run "$k" --size large --threads 2 --json >"$T/out" 2>"$T/err"
  rc=$?
  set -e
  [ "$rc" = 0 ] || fail "$k large exited $rc: $(cat "$T/err") $(cat "$T/out")"
  python3 - "$T/out" "$k" "$start" <<'EOF' || fail "$k: $(cat "$T/out")"
import json, sys, time
d = json.load(open(sys.argv[1]))
assert d["status"] == "ok" and d["max_rel_err"] <= 1e-9 and d["time_s"] > 0, d
print("%-10s ok  %8.2f GFLOP/s  %5.1fx over naive  (%.1f s)" % (
    sys.argv[2], d["gflops"], d["reference_time_s"] / d["time_s"], time.time() - float(sys.argv[3])))
EOF
done
