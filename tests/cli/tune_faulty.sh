#!/usr/bin/env bash
# tetune tune on the faulty kernel: crashes, hangs (cut by --timeout) and
# wrong results are stored with their outcome and message, and the session
# goes on to a validated best.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
db="$T/f.db"
q() { sqlite3 "$db" "$1"; }

start=$(date +%s)
"$TT_CLI" tune faulty --size mini --strategy grid --trials 12 --timeout 1 --db "$db" --json \
  --out "$T/o" >"$T/out" 2>"$T/err" || fail "tune faulty: $(cat "$T/err")"
[ $(( $(date +%s) - start )) -lt 60 ] || fail "the hangs were not cut by --timeout"
python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["trials"] == 12 and d["failures"] == 9, d
assert d["best"]["config"]["fault"] == 0, d
PY
got=$(q 'select outcome, count(*) from trials group by 1 order by 1' | tr '\n' ' ')
[ "$got" = "ok|3 runtime_error|3 timeout|3 wrong_result|3 " ] || fail "outcomes: $got"
q "select message from trials where outcome = 'runtime_error'" | grep -q 'signal' || fail "crash message"
q "select message from trials where outcome = 'timeout'" | grep -q 'time limit' || fail "timeout message"
q "select message from trials where outcome = 'wrong_result'" | grep -q 'tolerance' || fail "wrong-result message"
[ "$(q "select count(*) from trials where outcome != 'ok' and time_median_s is not null")" = 0 ] || fail "failed trial with a time"
grep -q 'runtime_error' "$T/err" && grep -q 'timeout' "$T/err" || fail "progress lines: $(cat "$T/err")"

# A second session with the same measurement settings takes the failures
# from the store instead of running them again (three hangs measured again
# would take 3 s more).
start=$(date +%s)
"$TT_CLI" tune faulty --size mini --strategy random --trials 12 --timeout 1 --db "$db" \
  --out "$T/o" >"$T/out" 2>"$T/err" || fail "second session: $(cat "$T/err")"
grep -q '0 measured, 12 from the database, 9 failed' "$T/out" || fail "reuse: $(cat "$T/out")"
[ $(( $(date +%s) - start )) -lt 7 ] || fail "failures were measured again"
[ "$(q "select count(*) from trials where session_id = 2 and outcome = 'timeout' and message like 'reused from trial %: no result%'")" = 3 ] \
  || fail "reused failure messages: $(q 'select message from trials where session_id = 2')"

# Under other settings (--timeout 2) nothing is reused: a timeout under 1 s
# says nothing about 2 s (reliability issue, item 3).
"$TT_CLI" tune faulty --size mini --strategy random --trials 12 --timeout 2 --db "$db" \
  --out "$T/o" >"$T/out" 2>"$T/err" || fail "third session: $(cat "$T/err")"
grep -q '12 measured, 0 from the database, 9 failed' "$T/out" || fail "settings: $(cat "$T/out")"
echo ok
