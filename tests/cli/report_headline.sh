#!/usr/bin/env bash
# tetune report says first what a user wants: per task a headline (the best
# variant's time and GFLOP/s, the speed-ups over the default configuration
# and over the warm naive reference, the configuration as knob = value, the
# machine) and a table and chart across tasks (kernel x strategy). The
# numbers are the stored ones; the page renders in headless Chromium with
# the chart across tasks; Chart.js is inside the binary, so the report is
# written the same with Debian's Chart.js file hidden.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$TT_SOURCE_DIR/tests/cli/lib/python.sh"
pick_python json
db="$T/r.db"
for k in gemm gesummv; do
  for s in random grid; do
    "$TT_CLI" tune $k --size mini --threads 1 --strategy $s --trials 8 --db "$db" --out "$T/o" \
      >/dev/null 2>&1 || fail "tune $k $s"
  done
done
"$TT_CLI" report --db "$db" --out "$T/r.html" >/dev/null || fail "report"

# The headline's numbers against the database.
"$PY" - "$T/r.html" "$db" <<'PY' || fail "headline"
import html, json, re, sqlite3, sys
page = open(sys.argv[1], encoding="utf-8").read()
db = sqlite3.connect(sys.argv[2])
def fmt(s):  # the report's time format
    for scale, unit in ((1e-6, "ns"), (1e-3, "\u00b5s"), (1, "ms")):
        if s < scale:
            return "%s %s" % (("%.3g" % (s / scale * 1e3)), unit)
    return "%.3g s" % s
tasks = db.execute("select id, kernel from tasks order by id").fetchall()
assert len(tasks) == 2, tasks
for t, (task, kernel) in enumerate(tasks):
    box = re.search(r'<div class="headline" id="t%d-headline">(.*?)</div>' % t, page, re.S)
    assert box, "no headline for task %d" % t
    box = box.group(1)
    best, gflops, config = db.execute("select time_median_s, gflops, config from trials where task_id = ?"
                                      " and outcome = 'ok' order by time_median_s, id limit 1", (task,)).fetchone()
    assert "Best variant: <b class=\"time\">%s</b> per call, <b>%.2f GFLOP/s</b>" % (fmt(best), gflops) in box, box
    args = [json.loads(a) for (a,) in db.execute("select args from sessions where task_id = ?", (task,))]
    ref = args[-1]["reference_time_s"]
    assert ref > 0 and "over the naive reference, timed warm (%s)" % fmt(ref) in box, box
    key = json.dumps(args[-1]["default_config"], sort_keys=True, separators=(",", ":"))
    default = db.execute("select time_median_s from trials where task_id = ? and config_key = ?"
                         " order by id desc limit 1", (task, key)).fetchone()[0]
    x = default / best
    assert ("%.2f\u00d7" % x if x < 100 else "%.0f\u00d7" % x) + "</b> over the template's default configuration (%s)" % fmt(default) in box, box
    cfg = json.loads(config)
    first = next(iter(cfg))
    assert html.escape("%s = %s" % (first, json.dumps(cfg[first]) if not isinstance(cfg[first], str) else cfg[first]), quote=True) in box, box
    assert '<span class="k">cores</span> ' in box and '<span class="k">threads</span> 1,' in box, box
    assert '<span class="k">compiler</span> ' in box and "-O3" in box and "target</span> cpu" in box, box
# The table across tasks: one row a task, a column a strategy.
table = re.search(r'<table class="across" id="across">(.*?)</table>', page, re.S).group(1)
assert "<th>random</th><th>grid</th>" in table, table
rows = re.findall(r'<tr><td><a href="#task-(\d)">([^<]*)</a>', table)
assert rows == [("0", "gemm mini/blocked"), ("1", "gesummv mini/rows")], rows
PY

command -v chromium >/dev/null || fail "chromium is missing (scripts/setup.sh installs it)"
timeout 120 chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
  --user-data-dir="$T/chrome" --dump-dom "file://$T/r.html" >"$T/dom" 2>"$T/console" || true
grep -q 'data-rendered="ok"' "$T/dom" || fail "did not render: $(grep -i 'uncaught' "$T/console" | head -3)"
n=$(grep -o 'data-charts="[0-9]*"' "$T/dom" | tr -dc 0-9)
[ "$n" = 9 ] || fail "$n charts, want 1 across tasks + 4 a task"
grep -q '<div class="headline" id="t1-headline">' "$T/dom" || fail "headline in the DOM"

# Chart.js is embedded: with Debian's file hidden (a private mount
# namespace, where the system allows one) the report is the same.
js=/usr/share/javascript/chart.js
if unshare -m true 2>/dev/null; then
  unshare -m sh -c "mount -t tmpfs none '$js' && [ ! -e '$js/chart.min.js' ] && \
    '$TT_CLI' report --db '$db' --out '$T/hidden.html'" >/dev/null || fail "report without $js"
  [ "$(sed 's/written [0-9: -]*\././' "$T/hidden.html" | md5sum)" = \
    "$(sed 's/written [0-9: -]*\././' "$T/r.html" | md5sum)" ] || fail "the report differs without $js"
else
  echo "note: no mount namespace here; checked that the binary never names $js instead"
fi
! grep -q "$js" "$TT_CLI" || fail "the binary reads Chart.js from $js"
grep -q 'Chart.js v3' "$T/r.html" || fail "Chart.js is not inlined"
echo ok
