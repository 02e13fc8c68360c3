#!/usr/bin/env bash
# tetune compare and tetune report: the comparison's table and JSON, and the
# self-contained HTML report rendering in headless Chromium with every chart
# created and no script error.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
db="$T/c.db"
q() { sqlite3 "$db" "$1"; }

"$TT_CLI" compare gemm --size mini --strategies random,grid,bo --trials 8 --seeds 2 --db "$db" \
  --json --out "$T/compare.html" >"$T/out" 2>"$T/err" || fail "compare: $(cat "$T/err")"
python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["kernel"] == "gemm" and d["trials"] == 8 and d["seeds"] == 2 and d["best_time_s"] > 0, d
s = {x["strategy"]: x for x in d["strategies"]}
assert list(s) == ["random", "grid", "bo"], d
for x in s.values():
    assert x["runs"] == 2 and x["trials"] == 16 and x["best_mean_s"] > 0, x
    assert 0 <= x["reached"] <= 2 and x["failures"] == 0, x
assert sum(x["reached"] for x in s.values()) >= 1, d
assert "reused" in d["note"] or "database" in d["note"], d
PY
[ "$(q 'select count(*) from sessions')" = 6 ] || fail "sessions"
[ "$(q 'select count(*) from trials')" = 48 ] || fail "trials"
# Reused measurements are counted as trials, measured once.
[ "$(q "select count(distinct config_key) from trials where message not like 'reused from trial %'")" = \
  "$(q 'select count(distinct config_key) from trials')" ] || fail "a configuration was never measured"
"$TT_CLI" compare gemm --size mini --strategies random --trials 3 --seeds 1 --db "$db" \
  --out "$T/c2.html" >"$T/out" 2>/dev/null
grep -q '^random ' "$T/out" && grep -q 'taken from the database' "$T/out" || fail "table: $(cat "$T/out")"

"$TT_CLI" report --db "$db" --out "$T/report.html" >/dev/null || fail "report"
"$TT_CLI" tune faulty --size mini --strategy grid --trials 12 --timeout 1 --db "$db" --out "$T/o" >/dev/null 2>&1
"$TT_CLI" report faulty --db "$db" --out "$T/faulty.html" >/dev/null || fail "report faulty"
"$TT_CLI" report --db "$db" --out "$T/all.html" >/dev/null || fail "report of two tasks"
for f in compare report faulty all; do
  h="$T/$f.html"
  [ -s "$h" ] || fail "$f: no file"
  grep -q 'Chart.js v' "$h" || fail "$f: Chart.js is not inlined"
  ! grep -Eq '<script[^>]+src=|<link[^>]+href=' "$h" || fail "$f: the page loads something"
done
grep -q 'Best configurations' "$T/report.html" || fail "best table"

command -v chromium >/dev/null || fail "chromium is missing (scripts/setup.sh installs it)"
render() { # FILE MIN_CHARTS
  timeout 120 chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
    --user-data-dir="$T/chrome" --dump-dom "file://$1" >"$T/dom" 2>"$T/console" || true
  grep -q 'data-rendered="ok"' "$T/dom" || fail "$1 did not render: $(grep -i 'console\|error' "$T/console" | head -5)"
  ! grep -q 'Uncaught' "$T/console" || fail "$1: $(grep Uncaught "$T/console")"
  local n; n=$(grep -o 'data-charts="[0-9]*"' "$T/dom" | tr -dc 0-9)
  [ "$n" -ge "$2" ] || fail "$1: $n charts"
  grep -q '<canvas id="t0-trials"' "$T/dom" || fail "$1: no canvas"
}
render "$T/compare.html" 4
render "$T/report.html" 4
render "$T/faulty.html" 3
render "$T/all.html" 7
grep -q '<canvas id="t1-scatter"' "$T/dom" || fail "the second task has no charts"
echo ok
