#!/usr/bin/env bash
# tetune compare --workers N: every run of the comparison keeps N
# configurations in flight through the local evaluator, as tune does —
# the sessions record it, each stores its trials, and no two timings
# overlap on a shared core (from the stored intervals and cores). Bad
# --workers exits 2 with one line and creates no database.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }

for bad in "--workers 0" "--workers -2" "--workers x" "--workers 300"; do
  set +e
  # shellcheck disable=SC2086
  "$TT_CLI" compare gesummv --size mini --trials 2 --seeds 1 --db "$T/bad.db" $bad \
    >/dev/null 2>"$T/err"
  rc=$?
  set -e
  [ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] || fail "$bad: exit $rc: $(cat "$T/err")"
done
[ ! -e "$T/bad.db" ] || fail "bad input created the database"

db="$T/c.db"
"$TT_CLI" compare gesummv --size mini --strategies random,grid --seeds 2 --trials 5 --workers 3 \
  --db "$db" --out "$T/c.html" --json >"$T/out.json" 2>"$T/err" || fail "compare: $(cat "$T/err")"
[ -s "$T/c.html" ] || fail "no report"
q() { sqlite3 "$db" "$1"; }
[ "$(q "select count(*) from sessions where json_extract(args, '$.workers') = 3
  and json_extract(args, '$.command') = 'compare'")" = 4 ] || fail "sessions: $(q 'select args from sessions')"
[ "$(q "select group_concat(n) from (select count(*) n from trials group by session_id)")" = "5,5,5,5" ] ||
  fail "trials per session"
python3 - "$db" "$TT_SOURCE_DIR/tests/cli/lib" <<'PY' || fail "timings overlap"
import sqlite3, sys
sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, sys.argv[2])
from timings import assert_no_overlap
rows = sqlite3.connect(sys.argv[1]).execute(
    "select id, measure_start, measure_end, cores, worker from trials"
    " where outcome != 'invalid' and message not like 'reused from trial %'").fetchall()
assert len(rows) >= 5, rows
for a in rows:
    assert a[4] == "local" and a[3] and a[1] <= a[2], a
assert_no_overlap(rows, 1, 2, 3)
print(len(rows), "measured trials checked")
PY
echo ok
