#!/usr/bin/env bash
# tetune replay --workers N: N simulated workers over the recorded
# evaluator, each evaluation lasting its recorded compile and benchmark
# time. Without --workers the output is what it was (one at a time, no
# time column), and --workers 1 gives the same curves. Random search
# draws the same configurations whatever the number in flight (its draws
# skip what is pending as they skip what is told), so with 4 workers it
# ends with the same best, sooner on the simulated clock; bo with 4
# workers gets within 5% on every seed but at most one of the ten within
# the budget of 80 (about 1 seed in 40 needs more, as about 1 in 20 does
# with one worker: docs/engine.md, the design ending at the first result),
# sooner than with one. Bad --workers exits 2 with one line.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
D="$TT_DATA_DIR/pnpoly_RTX_3090.kt-cache.json.gz"

for bad in "--workers 0" "--workers -1" "--workers x" "--workers 257"; do
  set +e
  # shellcheck disable=SC2086
  "$TT_CLI" replay "$D" --strategies random --budget 5 --seeds 1 $bad >/dev/null 2>"$T/err"
  rc=$?
  set -e
  [ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] || fail "$bad: exit $rc: $(cat "$T/err")"
done
grep -q -- '--workers' "$T/err" || fail "message: $(cat "$T/err")"

r() { "$TT_CLI" replay "$D" --strategies random,bo --budget 80 --seeds 10 --json "$@"; }
r >"$T/none.json" || fail "replay"
r --workers 1 >"$T/w1.json" || fail "replay --workers 1"
r --workers 4 >"$T/w4.json" || fail "replay --workers 4"
"$TT_CLI" replay "$D" --strategies random --budget 20 --seeds 3 --workers 4 >"$T/table" ||
  fail "replay --workers 4 (table)"
grep -q '^4 simulated workers; time to 5%' "$T/table" || fail "table: $(cat "$T/table")"
grep -q 'time to 5%$' "$T/table" || fail "table header: $(cat "$T/table")"
"$TT_CLI" replay "$D" --strategies random --budget 20 --seeds 3 >"$T/plain" || fail "replay (table)"
if grep -q 'time to\|simulated' "$T/plain"; then fail "the plain table changed: $(cat "$T/plain")"; fi

python3 - "$T/none.json" "$T/w1.json" "$T/w4.json" <<'PY' || fail "workers"
import json, sys
none, w1, w4 = (json.load(open(p)) for p in sys.argv[1:])
assert "workers" not in none and w1["workers"] == 1 and w4["workers"] == 4
for name in ("random", "bo"):
    a, b = none["strategies"][name], w1["strategies"][name]
    assert "time_to_5pct" not in a and b["time_to_5pct"] > 0, (a, b)
    for k in ("score", "best_mean", "best_median", "evals_to_5pct", "reached_5pct"):
        assert a[k] == b[k], (name, k, a[k], b[k])
r1, r4 = w1["strategies"]["random"], w4["strategies"]["random"]
assert r1["best_mean"] == r4["best_mean"] and r1["reached_5pct"] == r4["reached_5pct"], (r1, r4)
assert r4["time_to_5pct"] < 0.5 * r1["time_to_5pct"], (r1["time_to_5pct"], r4["time_to_5pct"])
b1, b4 = w1["strategies"]["bo"], w4["strategies"]["bo"]
assert b1["reached_5pct"] == 10 and b4["reached_5pct"] >= 9, (b1, b4)
assert b4["time_to_5pct"] < b1["time_to_5pct"], (b1["time_to_5pct"], b4["time_to_5pct"])
print("random: time to 5%% %.3g -> %.3g s; bo: %.3g -> %.3g s" % (
    r1["time_to_5pct"], r4["time_to_5pct"], b1["time_to_5pct"], b4["time_to_5pct"]))
PY
echo ok
