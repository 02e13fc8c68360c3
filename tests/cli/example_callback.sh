#!/usr/bin/env bash
# examples/callback_tune.c, the library user's callback evaluator: a
# session of 12 trials is stored with the callback's worker and timing
# intervals; a second run is told the stored history and measures 12 new
# configurations; a `tetune tune` session through the local evaluator
# stores the same schema, with the same columns filled.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
fail() { echo "FAIL: $*" >&2; exit 1; }
ex=$(dirname "$TT_CLI")/callback_tune
[ -x "$ex" ] || fail "$ex not built"
a="$T/a.db" b="$T/b.db"

"$ex" "$a" 12 >"$T/out" 2>"$T/err" || fail "callback_tune: $(cat "$T/err")"
grep -q '^12 trials (12 run, 0 from the store, 0 failed), 12 calls; best {"bi":' "$T/out" ||
  fail "output: $(cat "$T/out")"
q() { sqlite3 "$1" "$2"; }
[ "$(q "$a" "select count(*) from trials where worker = 'callback' and outcome = 'ok'
  and measure_end > measure_start and time_median_s > 0")" = 12 ] || fail "stored trials"
"$ex" "$a" 12 >"$T/out2" 2>"$T/err" || fail "second run: $(cat "$T/err")"
[ "$(q "$a" "select count(distinct config_key) from trials")" = 24 ] ||
  fail "the second run repeated stored configurations"
"$ex" "$a" 0 >/dev/null 2>&1 && fail "0 trials accepted"

"$TT_CLI" tune gesummv --size mini --trials 3 --strategy random --db "$b" --out "$T/o" \
  >/dev/null 2>"$T/err" || fail "tune: $(cat "$T/err")"
[ "$(q "$a" .schema)" = "$(q "$b" .schema)" ] || fail "the two evaluators store different schemas"
for db in "$a" "$b"; do
  [ "$(q "$db" "select count(*) from trials where worker is null or measure_start is null
    or measure_end < measure_start or started_at > finished_at")" = 0 ] || fail "$db: columns left empty"
done
[ "$(q "$b" "select count(*) from trials where worker = 'local' and cores != ''")" = 3 ] ||
  fail "local trials without their cores"
echo ok
