#!/usr/bin/env bash
# At 1 thread a tuning session fixes at their defaults the knobs a template
# reads only in parallel steps (gemm's par, cholesky's par and ps) or
# declares 'if threads > 1' (cholesky's la): the summary and --json name them, and no stored trial of the session has
# another value; knobs read elsewhere too (jacobi-2d tiled's par, also in
# an unroll step's condition) stay free. At 2 threads nothing is fixed. A 1-thread session transferring from a
# 2-thread one sees the 2-thread trials with those knobs at their defaults.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
db="$T/t.db"
q() { sqlite3 "$db" "$1"; }

"$TT_CLI" tune gemm --size mini --threads 2 --trials 12 --strategy random --db "$db" --out "$T/o" \
  >"$T/two" 2>/dev/null
grep -q 'fixed at' "$T/two" && fail "2 threads fixed a knob: $(cat "$T/two")"
[ "$(q "select count(distinct json_extract(config, '$.par')) from trials where session_id = 1")" -gt 1 ] ||
  fail "12 random trials at 2 threads all had one par"

"$TT_CLI" tune gemm --size mini --threads 1 --trials 12 --strategy random --db "$db" --out "$T/o" \
  --json >"$T/one.json" 2>/dev/null
python3 -c "import json,sys; d=json.load(open('$T/one.json')); assert d['fixed_at_one_thread']=='par', d; assert d['transfer']['source'], d" ||
  fail "json: $(cat "$T/one.json")"
[ "$(q "select group_concat(distinct json_extract(config, '$.par')) from trials where session_id = 2")" = io ] ||
  fail "1-thread trials with par other than the default io: $(q "select config from trials where session_id = 2")"
[ "$(q "select count(*) from trials where session_id = 2 and outcome = 'invalid'")" = 0 ] ||
  fail "invalid trials at 1 thread (transferred seeds not mapped?)"

"$TT_CLI" tune cholesky --size mini --threads 1 --trials 3 --db "$T/c.db" --out "$T/o" >"$T/chol" 2>/dev/null
grep -qx 'fixed at their defaults at 1 thread (they only change how threads share the work): par, ps, la' "$T/chol" ||
  fail "cholesky: $(cat "$T/chol")"
"$TT_CLI" tune jacobi-2d --template tiled --size mini --threads 1 --trials 2 --db "$T/j.db" \
  --out "$T/o" >"$T/jac" 2>/dev/null
grep -q 'fixed at' "$T/jac" && fail "jacobi-2d tiled: par is read by an unroll step: $(cat "$T/jac")"
echo ok
