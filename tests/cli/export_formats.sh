#!/usr/bin/env bash
# tetune export --format t4|kt-cache|csv: gesummv mini tuned by grid over
# its whole space (16 configurations) is exported in each format; the T4
# file validates against the T4 results and metadata schemas
# (tests/data/schema); each file holds the stored times, and replaying it
# gives the store's optimum and population (every configuration, all ok).
# Bad input is one line and exit status 2.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$TT_SOURCE_DIR/tests/cli/lib/python.sh"
pick_python jsonschema
db="$T/e.db"

"$TT_CLI" tune gesummv --size mini --strategy grid --trials 16 --db "$db" --out "$T/c" >/dev/null 2>&1 \
  || fail "tune"
best=$(sqlite3 "$db" "select min(time_median_s) * 1e3 from trials where outcome = 'ok'")
nok=$(sqlite3 "$db" "select count(distinct config_key) from trials where outcome = 'ok'")
[ "$nok" = 16 ] || fail "16 ok configurations expected, $nok stored"
sqlite3 -separator ' ' "$db" "select config_key, min(time_median_s) * 1e3 from trials where outcome = 'ok' group by config_key" >"$T/stored"

for f in t4 kt-cache csv; do
  "$TT_CLI" export gesummv --db "$db" --format "$f" --out "$T/g.$f" >"$T/out" || fail "export $f"
  grep -q "^exported 16 configurations of gesummv (size mini, template rows) to $T/g.$f" "$T/out" \
    || fail "export $f said: $(cat "$T/out")"
  # The round trip: replay sees every configuration, all ok, and the optimum.
  "$TT_CLI" replay "$T/g.$f" --strategies grid --budget 16 --seeds 1 >"$T/r" || fail "replay $f"
  head -1 "$T/r" | grep -q "^g.$f: 16 valid configurations (16 ok), optimum " || fail "replay $f: $(cat "$T/r")"
  "$TT_CLI" replay "$T/g.$f" --strategies grid --budget 16 --seeds 1 --json >"$T/r.json"
  "$PY" - "$T/r.json" "$best" <<'PY' || fail "replay $f optimum: $(cat "$T/r.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert abs(d["optimum"] - float(sys.argv[2])) <= 1e-12 * float(sys.argv[2]), (d["optimum"], sys.argv[2])
PY
done

# Every record's time is the stored one, configuration by configuration
# (the store's canonical key against the exported configuration).
"$PY" - "$T/g.t4" "$T/g.kt-cache" "$T/g.csv" "$T/stored" <<'PY' || fail "exported times"
import csv, json, sys
stored = {}
for line in open(sys.argv[4]):
    key, t = line.rsplit(" ", 1)
    stored[json.dumps(json.loads(key), sort_keys=True)] = float(t)
def same(got, want):  # sqlite3 prints 15 significant digits
    return got.keys() == want.keys() and all(abs(got[k] - want[k]) <= 1e-12 * want[k] for k in want)
def key(conf):
    return json.dumps({k: v.split(",") if k == "order" else v for k, v in conf.items()}, sort_keys=True)
t4 = json.load(open(sys.argv[1]))
got = {key(r["configuration"]): [m["value"] for m in r["measurements"] if m["name"] == "time"][0]
       for r in t4["results"]}
assert same(got, stored), (got, stored)
assert all(r["invalidity"] == "correct" and r["correctness"] == 1 for r in t4["results"])
kt = json.load(open(sys.argv[2]))
got = {key({k: e[k] for k in kt["tune_params_keys"]}): e["time"] for e in kt["cache"].values()}
assert same(got, stored) and kt["objective"] == "time" and kt["kernel_name"] == "gesummv", kt
rows = list(csv.DictReader(open(sys.argv[3])))
assert len(rows) == 16 and list(rows[0])[-1] == "time"
PY

# T4 validates against the schemas and carries the machine and the task.
"$PY" - "$T/g.t4" "$TT_SOURCE_DIR/tests/data/schema/T4/1.0.0" <<'PY' || fail "T4 schema"
import json, sys, jsonschema
doc = json.load(open(sys.argv[1]))
for name in ("results-schema.json", "metadata-schema.json"):
    jsonschema.validate(doc, json.load(open(sys.argv[2] + "/" + name)))
md = doc["metadata"]
assert md["tetune"]["kernel"] == "gesummv" and md["tetune"]["problem_size"] == "mini", md
assert md["hardware"]["cores"] >= 1 and md["hardware"]["cpu_model"], md
assert md["environment"]["compiler"], md
PY

# Without --out: the same text on standard output.
"$TT_CLI" export gesummv --db "$db" --format csv >"$T/stdout.csv" || fail "csv to stdout"
cmp -s "$T/stdout.csv" "$T/g.csv" || fail "csv on stdout differs from the file"

# Bad input: one line, exit 2, no file written.
set +e
"$TT_CLI" export gesummv --db "$db" --format xml --out "$T/x" 2>"$T/err"; rc=$?
set -e
[ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q -- "--format must be c, lib, t4, kt-cache or csv" "$T/err" \
  && [ ! -e "$T/x" ] || fail "bad format: $rc $(cat "$T/err")"
set +e
"$TT_CLI" export gesummv --db "$db" --size large --format t4 --out "$T/x" 2>"$T/err"; rc=$?
set -e
[ "$rc" = 2 ] && grep -q "no session of gesummv at size large in $db" "$T/err" && [ ! -e "$T/x" ] \
  || fail "no such task: $rc $(cat "$T/err")"
echo ok
