#!/usr/bin/env bash
# tetune tune --resume after kill -9: the trials committed before the kill
# are kept, the session continues its numbering to the requested total, no
# configuration is measured twice, and at most the trial in flight is lost.
set -eu
T=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
db="$T/r.db"
q() { sqlite3 "$db" "$1"; }
total=24

# A missing task cannot be resumed, and nothing is created.
set +e; "$TT_CLI" tune gemm --size small --resume --db "$db" 2>"$T/err"; rc=$?; set -e
[ "$rc" = 2 ] && grep -q '^tetune: no database' "$T/err" && [ ! -e "$db" ] || fail "resume without db: $rc $(cat "$T/err")"

"$TT_CLI" tune gemm --size small --strategy random --seed 7 --trials $total --db "$db" \
  --out "$T/o" >"$T/out1" 2>"$T/log1" &
pid=$!
for _ in $(seq 600); do
  [ "$(grep -c 'trial' "$T/log1" 2>/dev/null || true)" -ge 6 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
kill -0 "$pid" 2>/dev/null || fail "the session ended before the kill: $(cat "$T/log1")"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
pid=
done1=$(q 'select count(*) from trials')
shown=$(grep -c 'trial' "$T/log1")
[ "$done1" -ge "$shown" ] && [ "$done1" -lt $total ] || fail "stored $done1, reported $shown"
[ "$(q 'select status from sessions')" = running ] || fail "status after kill"

# Another task (other size) cannot be resumed: exit 2, the file unchanged.
cp "$db" "$T/before.db"
set +e; "$TT_CLI" tune gemm --size mini --resume --db "$db" 2>"$T/err"; rc=$?; set -e
[ "$rc" = 2 ] && grep -q '^tetune: no stored task for gemm at size mini' "$T/err" || fail "resume of a missing task: $rc $(cat "$T/err")"
cmp -s "$db" "$T/before.db" || fail "the database changed"

"$TT_CLI" tune gemm --size small --resume --db "$db" --json --out "$T/o" >"$T/out2" 2>"$T/log2" \
  || fail "resume: $(cat "$T/log2")"
python3 - "$T/out2" $total $done1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); total, done = int(sys.argv[2]), int(sys.argv[3])
assert d["trials"] == total and d["strategy"] == "random" and d["seed"] == 7, d
assert d["measured"] == total - done and d["reused"] == 0, d
assert d["best"]["time_s"] > 0, d
PY
[ "$(q 'select count(*) from sessions')" = 1 ] || fail "resume made a new session"
[ "$(q 'select count(*), min(seq), max(seq), count(distinct seq) from trials')" = "$total|1|$total|$total" ] \
  || fail "numbering: $(q 'select seq from trials')"
[ "$(q 'select count(*) - count(distinct config_key) from trials')" = 0 ] || fail "a configuration was measured twice"
[ "$(q 'select status from sessions')" = completed ] || fail "status after resume"
# The first resumed trial continues the numbering.
grep -q "trial $((done1 + 1))/$total" "$T/log2" || fail "progress: $(head -2 "$T/log2")"

# Resuming a complete session with a larger total goes on from there.
"$TT_CLI" tune gemm --size small --resume --trials $((total + 2)) --db "$db" --out "$T/o" >"$T/out3" 2>/dev/null
[ "$(q 'select count(*) from trials')" = $((total + 2)) ] || fail "extend"
[ "$(q 'select trials_requested, status from sessions')" = "$((total + 2))|completed" ] \
  || fail "requested count after extending: $(q 'select * from sessions')"

# Strategy options are kept with the session and used again on resume.
db2="$T/opts.db"
"$TT_CLI" tune gemm --size mini --strategy 'bo(init=3,acq=ei)' --trials 4 --db "$db2" --out "$T/o" \
  >/dev/null 2>"$T/err" || fail "tune with options: $(cat "$T/err")"
"$TT_CLI" tune gemm --size mini --resume --trials 6 --db "$db2" --json --out "$T/o" >"$T/out4" 2>/dev/null
python3 -c "import json; d=json.load(open('$T/out4')); assert d['strategy']=='bo(init=3,acq=ei)' and d['trials']==6, d" \
  || fail "resume with options: $(cat "$T/out4")"
[ "$(sqlite3 "$db2" 'select strategy, trials_requested from sessions')" = "bo(init=3,acq=ei)|6" ] || fail "stored spec"
echo ok
