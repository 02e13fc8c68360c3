#!/usr/bin/env bash
# tune and compare take --cc and --cflags like run: they run with other
# flags (-O1 and a -D the generated code ignores), and a flag the compiler
# rejects ends the command with the compiler's message (so the flags do
# reach the compiler).
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
flags='-O1 -fopenmp -fPIC -shared -DTT_TEST_FLAG=1'
"$TT_CLI" tune gesummv --size mini --strategy random --trials 2 --db "$T/t.db" --out "$T/o" \
  --cflags "$flags" >"$T/out" 2>&1 || fail "tune --cflags: $(cat "$T/out")"
"$TT_CLI" compare gesummv --size mini --strategies random --trials 2 --seeds 1 --db "$T/c.db" \
  --out "$T/c.html" --cflags "$flags" >"$T/out" 2>&1 || fail "compare --cflags: $(cat "$T/out")"
set +e
"$TT_CLI" tune gesummv --size mini --trials 2 --db "$T/bad.db" --out "$T/o" \
  --cflags '-fPIC -shared --no-such-flag' >"$T/out" 2>"$T/err"
rc=$?
set -e
[ "$rc" != 0 ] || fail "tune with a bad flag succeeded"
grep -q 'no-such-flag' "$T/err" || fail "bad flag not reported: $(cat "$T/err")"
echo ok
