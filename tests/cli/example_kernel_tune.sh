#!/usr/bin/env bash
# examples/kernel_tune.c, a library user's kernel session (tt_kernel_tune,
# tetune/kernel_tune.h): 6 grid trials of gesummv at mini with 2 workers
# are stored under the task `tetune tune` uses — history lists the
# session, every trial is a measured local one, the best the example reads
# back is the store's — and a `tetune tune` of the same settings on that
# database reuses all 6 measurements (same task, same settings keys). A
# second, random session of the example sees the same reuse. Bad input
# exits 2 with one line and creates no database.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
ex=$(dirname "$TT_CLI")/kernel_tune
[ -x "$ex" ] || fail "$ex not built"
db="$T/k.db"
q() { sqlite3 "$db" "$1"; }

"$ex" "$db" gesummv mini 6 grid 2 >"$T/out" 2>"$T/err" || fail "kernel_tune: $(cat "$T/err")"
grep -q '^session 1: 6 trials (6 measured, 0 from the store, 0 failed), at most 2 in flight$' "$T/out" ||
  fail "output: $(cat "$T/out")"
[ "$(grep -c '^trial [1-6]: ok ' "$T/out")" = 6 ] || fail "trial lines: $(cat "$T/out")"

# The session as the CLI sees it.
"$TT_CLI" history --db "$db" --json >"$T/h.json" || fail "history"
python3 - "$T/h.json" "$T/out" <<'PY' || fail "history does not match"
import json, re, sys
h = json.load(open(sys.argv[1]))
assert len(h) == 1, h
s = h[0]
want = {"kernel": "gesummv", "size": "mini", "template": "rows", "strategy": "grid",
        "trials": 6, "trials_requested": 6, "ok_trials": 6, "status": "completed"}
for k, v in want.items():
    assert s[k] == v, (k, s[k], v)
m = re.search(r'^best (\{.*\}): (\S+) s$', open(sys.argv[2]).read(), re.M)
assert m, "no best line"
assert json.loads(m.group(1)) == s["best_config"], (m.group(1), s["best_config"])
assert abs(float(m.group(2)) - s["best_time_s"]) <= 1e-5 * s["best_time_s"], (m.group(2), s)
PY
[ "$(q "select count(*) from trials where worker = 'local' and cores != '' and message not like 'reused%'
  and measure_end >= measure_start and compile_end <= measure_start + 1e-3")" = 6 ] ||
  fail "stored trials: $(q 'select * from trials')"
[ "$(q "select count(distinct config_key) from trials")" = 6 ] || fail "a configuration twice"
[ "$(q "select json_extract(args, '$.command') || ' ' || json_extract(args, '$.workers')
  || ' ' || (json_extract(args, '$.reference_time_s') > 0) from sessions")" = "library 2 1" ] ||
  fail "args: $(q 'select args from sessions')"
# trial 1 is the template's default configuration
[ "$(q "select config from trials where seq = 1")" = \
  "$(q "select json(json_extract(args, '$.default_config')) from sessions")" ] || fail "trial 1 is not the default"

# The CLI's session of the same settings is the same task and reuses all 6.
"$TT_CLI" tune gesummv --size mini --strategy grid --trials 6 --db "$db" --out "$T/o" \
  >"$T/tune" 2>"$T/err" || fail "tune: $(cat "$T/err")"
grep -q '6 trials (this run: 0 measured, 6 from the database, 0 failed)' "$T/tune" ||
  fail "tune did not reuse: $(cat "$T/tune")"
[ "$(q "select count(*) from tasks")" = 1 ] || fail "a second task"

# A random session of the example: whatever it draws that is stored is reused.
"$ex" "$db" gesummv mini 6 random 1 >"$T/out2" 2>"$T/err" || fail "second run: $(cat "$T/err")"
python3 - "$db" "$T/out2" <<'PY' || fail "second run's reuse: $(cat "$T/out2")"
import re, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("select config_key, message from trials where session_id = 3 order by seq").fetchall()
before = {r[0] for r in c.execute("select config_key from trials where session_id = 1")}
assert len(rows) == 6, rows
reused = sum(1 for k, m in rows if m.startswith("reused from trial "))
assert reused == sum(1 for k, m in rows if k in before), rows
m = re.search(r'6 trials \((\d+) measured, (\d+) from the store, 0 failed\)', open(sys.argv[2]).read())
assert m and int(m.group(2)) == reused and int(m.group(1)) == 6 - reused, (m and m.groups(), reused)
PY

# Transfer as `tetune tune` does it: a session at another size starts
# from the stored size's best configurations (tt_kernel_session_prepare).
"$ex" "$db" gesummv small 4 random 1 >"$T/out3" 2>"$T/err" || fail "third run: $(cat "$T/err")"
[ "$(q "select json_extract(args, '$.transfer') from sessions where id = 4")" = gesummv/mini ] ||
  fail "no transfer recorded: $(q 'select args from sessions where id = 4')"
best=$(q "select config_key from trials where session_id in (1, 3) and outcome = 'ok'
  order by time_median_s limit 1")
[ "$(q "select count(*) from trials where session_id = 4 and config_key = '$best'")" = 1 ] ||
  fail "the mini size's best was not tried: $(q 'select seq, config from trials where session_id = 4')"

# Bad input: one line, exit 2, no database.
for bad in "nosuchkernel mini 6" "gesummv huge 6" "gesummv mini 0" "gesummv mini 6 nosuch" \
  "gesummv mini 6 grid -1"; do
  set +e
  # shellcheck disable=SC2086
  "$ex" "$T/bad.db" $bad >/dev/null 2>"$T/err"
  rc=$?
  set -e
  [ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] || fail "$bad: exit $rc: $(cat "$T/err")"
done
[ ! -e "$T/bad.db" ] || fail "bad input created the database"
echo ok
