#!/usr/bin/env bash
# A stored trial is reused only for the kernel file it was measured with:
# after the file changes (a template or algorithm edited), the same
# configurations are measured again instead of reusing times of code the
# file no longer generates; the settings stored name the file's hash. A
# session whose trials were measured with another version of the file is
# not resumed (exit 2, one line, nothing written); with the file as its
# trials saw it, it is.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
fail() { echo "FAIL: $*" >&2; exit 1; }
cp "$TT_SOURCE_DIR/kernels/gesummv.te" "$T/k.te"
tune() {
  "$TT_CLI" tune "$T/k.te" --size mini --strategy random --seed 3 --trials 4 --db "$T/s.db" \
    --no-transfer --out "$T/o" 2>"$T/err" >"$T/out" || fail "tune: $(cat "$T/err")"
  grep -o 'this run: [^)]*' "$T/out"
}
first=$(tune)
[ "$first" = "this run: 4 measured, 0 from the database, 0 failed" ] || fail "first run: $first"
again=$(tune)
[ "$again" = "this run: 0 measured, 4 from the database, 0 failed" ] || fail "same file: $again"
echo "# an edit" >>"$T/k.te"
edited=$(tune)
[ "$edited" = "this run: 4 measured, 0 from the database, 0 failed" ] || fail "edited file: $edited"
keys=$(sqlite3 "$T/s.db" "select count(distinct settings) from trials where settings like '% source=%'")
[ "$keys" = 2 ] || fail "settings: $(sqlite3 "$T/s.db" 'select distinct settings from trials')"
cp "$T/k.te" "$T/k1.te"
echo "# a second edit" >>"$T/k.te"
rows() { sqlite3 "$T/s.db" "select count(*) from trials; select count(*), sum(trials_requested) from sessions"; }
before=$(rows)
rc=0
"$TT_CLI" tune "$T/k.te" --size mini --resume --trials 6 --db "$T/s.db" --no-transfer \
  >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "resume after an edit: exit $rc, expected 2"
[ "$(wc -l <"$T/err")" = 1 ] || fail "resume after an edit: $(cat "$T/err")"
grep -q "cannot resume session 3: $T/k.te changed since its trials were measured" "$T/err" ||
  fail "resume after an edit: $(cat "$T/err")"
[ "$(rows)" = "$before" ] || fail "the refused resume changed the store: $(rows)"
cp "$T/k1.te" "$T/k.te"
"$TT_CLI" tune "$T/k.te" --size mini --resume --trials 6 --db "$T/s.db" --no-transfer \
  --out "$T/o" >"$T/out" 2>"$T/err" || fail "resume with the file restored: $(cat "$T/err")"
n=$(sqlite3 "$T/s.db" "select count(*) from trials where session_id = 3")
[ "$n" = 6 ] || fail "resumed session 3 has $n trials, expected 6"
echo ok
