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

for case in "lu" "lu --template unblocked" "cholesky" "cholesky --template unblocked"; do
  start=$(date +%s.%N)
  set +e
  # shellcheck disable=SC2086
  "$TT_CLI" run $case --size large --threads 2 --json >"$T/out" 2>"$T/err"
  rc=$?
  set -e
  [ "$rc" = 0 ] || fail "$case large exited $rc: $(cat "$T/err") $(cat "$T/out")"
  python3 - "$T/out" "$case" "$start" <<'EOF' || fail "$case: $(cat "$T/out")"
import json, sys, time
d = json.load(open(sys.argv[1]))
assert d["status"] == "ok" and d["max_rel_err"] <= 1e-9 and d["time_s"] > 0, d
print("%-30s ok  %8.2f GFLOP/s  %5.1fx over naive  (%.1f s)" % (
    sys.argv[2], d["gflops"], d["reference_time_s"] / d["time_s"], time.time() - float(sys.argv[3])))
EOF
done
