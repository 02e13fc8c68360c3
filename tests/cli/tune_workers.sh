#!/usr/bin/env bash
# tetune tune --workers N: N configurations in flight, compiled in
# parallel, timed one at a time. Checked from the stored intervals and
# cores: no two timings overlap on a shared core; without spare cores
# (default threads) no compile of a worker overlaps a timing; with spare
# cores (--threads 1 on a machine with 2 or more) timings run on the
# reserved cores only. --workers 0 and a bad --time-limit exit 2 with one
# line; --time-limit stops starting trials.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }

for bad in "--workers 0" "--workers -1" "--workers x" "--time-limit 0" "--time-limit x"; do
  set +e
  # shellcheck disable=SC2086
  "$TT_CLI" tune gesummv --size mini --trials 2 --db "$T/bad.db" $bad >/dev/null 2>"$T/err"
  rc=$?
  set -e
  [ "$rc" = 2 ] || fail "$bad: exit $rc"
  [ "$(wc -l <"$T/err")" = 1 ] || fail "$bad: $(cat "$T/err")"
done
[ ! -e "$T/bad.db" ] || fail "bad input created the database"

# check DB SPLIT: the overlap rules on the stored trials of DB.
check() {
  python3 - "$1" "$2" "$TT_SOURCE_DIR/tests/cli/lib" <<'PY'
import sqlite3, sys
sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, sys.argv[3])
from timings import assert_no_overlap
db, split = sys.argv[1], sys.argv[2] == "1"
rows = sqlite3.connect(db).execute(
    "select seq, compile_start, compile_end, measure_start, measure_end, cores, worker"
    " from trials where outcome != 'invalid' order by seq").fetchall()
assert len(rows) >= 6, rows
for r in rows:
    assert r[6] == "local" and r[5], r
    assert r[1] <= r[2] <= r[3] + 1e-3 and r[3] <= r[4], ("intervals", r)
assert_no_overlap(rows, 3, 4, 5)
for i, a in enumerate(rows):
    for b in rows[i + 1:]:
        if not split:  # no spare core: no compile while another variant is timed
            for x, y in ((a, b), (b, a)):
                assert x[2] <= y[3] + 1e-3 or x[1] >= y[4] - 1e-3, ("compile during timing", x, y)
print(len(rows), "trials checked")
PY
}

"$TT_CLI" tune gesummv --size mini --trials 8 --strategy random --workers 3 --db "$T/w.db" \
  --out "$T/o" >"$T/out" 2>"$T/err" || fail "tune --workers 3: $(cat "$T/err")"
grep -q '8 trials' "$T/out" || fail "output: $(cat "$T/out")"
check "$T/w.db" 0 || fail "--workers 3 (no spare core)"
[ "$(sqlite3 "$T/w.db" "select json_extract(args, '$.workers') from sessions")" = 3 ] || fail "workers not recorded"

cores=$(nproc)
if [ "$cores" -ge 2 ]; then
  "$TT_CLI" tune gesummv --size mini --trials 8 --strategy random --workers 2 --threads 1 \
    --db "$T/s.db" --out "$T/o" >"$T/out" 2>"$T/err" || fail "tune --threads 1: $(cat "$T/err")"
  check "$T/s.db" 1 || fail "--workers 2 --threads 1 (spare cores)"
  n=$(sqlite3 "$T/s.db" "select count(distinct cores) from trials")
  [ "$n" = 1 ] || fail "timings on more than one core set"
fi

# --time-limit: a tiny limit stops after the trials already started.
"$TT_CLI" tune gesummv --size mini --trials 50 --strategy random --time-limit 0.001 \
  --db "$T/t.db" --out "$T/o" >"$T/out" 2>"$T/err" || fail "--time-limit: $(cat "$T/err")"
grep -q 'stopped at the time limit' "$T/out" || fail "time limit not reported: $(cat "$T/out")"
[ "$(sqlite3 "$T/t.db" "select count(*) from trials")" -lt 50 ] || fail "time limit ignored"
echo ok
