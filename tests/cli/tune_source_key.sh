#!/usr/bin/env bash
# A stored trial is reused only for the kernel file it was measured with:
# after the file changes (a template or algorithm edited), the same
# configurations are measured again instead of reusing times of code the
# file no longer generates; the settings stored name the file's hash.
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
echo ok
