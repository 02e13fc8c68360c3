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
# A compile error in generated code names the .te line (#line) and is
# reported as a bug in tetune: a compiler that fails the way it would on
# broken generated code.
cat >"$T/badcc" <<'SH'
#!/bin/sh
[ "$1" = --version ] && { echo "badcc 1.0"; exit 0; }
echo "gesummv.te:12:5: error: something the generator got wrong" >&2
exit 1
SH
chmod +x "$T/badcc"
set +e
"$TT_CLI" run gesummv --size mini --cc "$T/badcc" >"$T/out" 2>"$T/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "run with broken generated code exited $rc"
grep -q 'internal error (a bug in tetune, please report it)' "$T/err" ||
  fail "not reported as a bug: $(cat "$T/err")"
grep -q 'gesummv.te:12:5' "$T/err" || fail "no .te location: $(cat "$T/err")"
echo ok
