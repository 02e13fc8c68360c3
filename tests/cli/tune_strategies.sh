#!/usr/bin/env bash
# tetune tune: a short session per strategy at mini size ends with a
# validated best, the default configuration as trial 1, every trial stored;
# a second session reuses stored measurements instead of measuring again;
# history lists the sessions.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
json() { python3 -c "import json,sys; d=json.load(open('$T/out')); $1"; }
db="$T/t.db"

for s in bo random grid ga xgb; do
  "$TT_CLI" tune gemm --size mini --strategy "$s" --trials 5 --seed 3 --db "$db" --json \
    --out "$T/out-$s" >"$T/out" 2>"$T/err" || fail "tune --strategy $s: $(cat "$T/err")"
  json "assert d['kernel']=='gemm' and d['size']=='mini' and d['strategy']=='$s', d
assert d['trials']==5, d
b=d['best']; assert b['time_s']>0 and b['gflops']>0 and isinstance(b['config'], dict), d
assert d['default_time_s']>0 and d['reference_time_s']>0, d
assert b['time_s']<=d['default_time_s'], d"
  [ -s "$T/out-$s/gemm.c" ] && [ -s "$T/out-$s/gemm.h" ] || fail "$s: no export"
  # The pipe gets one plain progress line per trial.
  [ "$(grep -c "^gemm/$s trial" "$T/err")" = 5 ] || fail "$s: progress lines: $(cat "$T/err")"
done

q() { sqlite3 "$db" "$1"; }
[ "$(q 'select count(*) from sessions')" = 5 ] || fail "sessions: $(q 'select * from sessions')"
[ "$(q 'select count(*) from trials')" = 25 ] || fail "trials"
[ "$(q "select count(*) from sessions where status != 'completed'")" = 0 ] || fail "status"
# Trial 1 of every session is the template's default configuration.
[ "$(q 'select count(distinct config_key) from trials where seq = 1')" = 1 ] || fail "trial 1 differs"
# Within a session no configuration repeats; across sessions, a repeated
# configuration is reused, not measured again.
[ "$(q 'select count(*) from (select session_id, config_key from trials group by 1, 2 having count(*) > 1)')" = 0 ] \
  || fail "a session measured a configuration twice"
reused=$(q "select count(*) from trials where message like 'reused from trial %'")
dups=$(q 'select count(*) - count(distinct config_key) from trials')
[ "$reused" = "$dups" ] || fail "reused $reused, repeated configurations $dups"
[ "$reused" -ge 4 ] || fail "the default configuration was not reused ($reused)"
# Every ok trial carries times; failures none here.
[ "$(q "select count(*) from trials where outcome = 'ok' and (time_median_s is null or time_median_s <= 0)")" = 0 ] \
  || fail "ok trial without time"

# --remeasure measures the default again.
"$TT_CLI" tune gemm --size mini --strategy random --trials 2 --db "$db" --remeasure --out "$T/o" \
  >"$T/out" 2>"$T/err" || fail "remeasure: $(cat "$T/err")"
grep -q '2 measured, 0 from the database' "$T/out" || fail "remeasure: $(cat "$T/out")"
grep -q '^speed-up: .*x over the default configuration' "$T/out" || fail "summary: $(cat "$T/out")"
grep -q '^exported: ' "$T/out" || fail "summary: $(cat "$T/out")"

# --threads 1 on a machine with spare cores compiles ahead on them; the
# session is the same kind of session (a task of its own: threads are part
# of the machine fingerprint).
"$TT_CLI" tune gemm --size mini --strategy random --trials 4 --threads 1 --db "$T/p.db" --json \
  --out "$T/o" >"$T/out" 2>"$T/err" || fail "--threads 1: $(cat "$T/err")"
json "assert d['trials']==4 and d['measured']==4 and d['best']['time_s']>0, d"
[ "$(sqlite3 "$T/p.db" "select count(*) from trials where outcome = 'ok'")" = 4 ] || fail "--threads 1 trials"

# history
"$TT_CLI" history --db "$db" >"$T/out"
[ "$(grep -c '^[0-9]' "$T/out")" = 6 ] || fail "history: $(cat "$T/out")"
"$TT_CLI" history gemm --db "$db" --json >"$T/out"
json "assert len(d)==6 and all(x['status']=='completed' and x['best_time_s']>0 for x in d), d
assert [x['strategy'] for x in d][:5]==['bo','random','grid','ga','xgb'], d"
"$TT_CLI" history nosuch --db "$db" | grep -q 'no sessions' || fail "history of an unknown kernel"
echo ok
