#!/usr/bin/env bash
# Transfer (issue 32.3): tune gemm at mini, then at small in the same
# database: the small session reports what it reused from gemm/mini, tries
# mini's 3 best configurations right after the default one, and records
# the source in its arguments; --no-transfer starts cold and says nothing.
# replay --prior: a prior from the dataset itself and a shuffled one.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
db="$T/t.db"
q() { sqlite3 "$db" "$1"; }

"$TT_CLI" tune gemm --size mini --trials 6 --db "$db" --out "$T/o" >"$T/mini" 2>/dev/null
grep -q '^transfer' "$T/mini" && fail "the first task reused something: $(cat "$T/mini")"
"$TT_CLI" tune gemm --size small --trials 5 --db "$db" --out "$T/o" >"$T/small" 2>/dev/null
line='^transfer: ([123]) of its 3 best configurations tried, a prior from gemm/mini \(6 ok trials\)'
grep -Eq "$line(, weight [01]\.[0-9]+)?$" "$T/small" || fail "no transfer line: $(cat "$T/small")"
# trials 2.. of the small session are mini's best, best first, as many as
# the line says were tried (the next is tried while the last was fast)
n=$(sed -En "s|$line.*|\1|p" "$T/small")
best=$(q "select config from trials where task_id = 1 and outcome = 'ok' order by time_median_s, id limit $n")
seeded=$(q "select config from trials where task_id = 2 and seq between 2 and $((n + 1)) order by seq")
[ "$best" = "$seeded" ] || fail "seeds: $seeded, mini's best: $best"
[ "$(q "select json_extract(args, '$.transfer') from sessions where id = 2")" = gemm/mini ] ||
  fail "the session's arguments do not name the source"

"$TT_CLI" tune gemm --size small --trials 5 --seed 2 --db "$db" --out "$T/o" --json >"$T/json" 2>/dev/null
python3 - "$T/json" <<'PY' || fail "json transfer: $(cat "$T/json")"
import json, sys
t = json.load(open(sys.argv[1]))["transfer"]
assert t["source"] == "gemm/mini" and t["source_trials"] == 6 and t["prior"] is True, t
assert t["seeds"] == 3 and 1 <= t["seeds_tried"] <= 3 and (t["weight"] is None or 0 <= t["weight"] <= 1), t
PY

cold="$T/cold.db"
cp "$db" "$cold"
"$TT_CLI" tune gemm --size small --trials 5 --seed 3 --db "$cold" --out "$T/o" --no-transfer \
  >"$T/nt" 2>/dev/null
grep -q transfer "$T/nt" && fail "--no-transfer reused something: $(cat "$T/nt")"
"$TT_CLI" tune gemm --size small --trials 5 --seed 4 --db "$cold" --out "$T/o" --no-transfer \
  --json >"$T/ntj" 2>/dev/null
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["transfer"] is None' "$T/ntj" ||
  fail "--no-transfer json: $(cat "$T/ntj")"

# replay --prior: the dataset as its own prior puts bo on the optimum at
# once (its best configuration is proposed first); shuffled, the weight
# falls to 0 and bo still finds the optimum.
D="$TT_DATA_DIR/pnpoly_RTX_3090.kt-cache.json.gz"
"$TT_CLI" replay "$D" --strategies bo --budget 40 --seeds 3 --prior "$D" --json >"$T/r1"
"$TT_CLI" replay "$D" --strategies bo --budget 40 --seeds 3 --prior "$D" --prior-shuffle 5 \
  --json >"$T/r2"
python3 - "$T/r1" "$T/r2" <<'PY' || fail "replay --prior: $(cat "$T/r1" "$T/r2")"
import json, sys
a = json.load(open(sys.argv[1]))["strategies"]["bo"]
b = json.load(open(sys.argv[2]))["strategies"]["bo"]
assert a["evals_to_1pct"] == 1 and a["prior_weight"] > 0.3, a
assert b["prior_weight"] < 0.1 and b["reached_5pct"] == 3, b
PY
"$TT_CLI" replay "$D" --strategies random --budget 5 --seeds 1 --prior "$D" | grep -q 'prior weight' &&
  fail "random reports a prior weight"
set +e
"$TT_CLI" replay "$D" --budget 5 --prior "$T/missing.json" 2>"$T/err"; rc=$?
set -e
[ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q '^tetune: replay: --prior: ' "$T/err" ||
  fail "missing --prior dataset: $rc $(cat "$T/err")"
echo ok
