#!/usr/bin/env bash
# Issue 28 item 9: a time_tile whose skew knob has an illegal value (also
# seidel-2d tiled in i and j, whose columns are skewed by the rows and
# then need skew 2), or a tile size knob with 0 among its values, is one line naming the step and the dependence when the
# template loads (run, tune and space all exit 2 before any configuration
# is built), and the shipped skewed templates load and show their tiled
# loops.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
src="$TT_SOURCE_DIR/kernels/jacobi-1d.te"
sed 's/knob sk = \[1, 2\] default 1/knob sk = [0, 1] default 1/' "$src" >bad.te
grep -q 'knob sk = \[0, 1\]' bad.te || fail "could not make bad.te"
want="cannot time-tile loop 't' with skew 0 (knob 'sk'): A[i] (sweep 2) depends on A[i - 1] (sweep 1) at i + 1, 1 sweep earlier; skew by at least 1"
for cmd in "run bad.te" "tune bad.te --trials 2 --db t.db" "space bad.te"; do
  rc=0
  # shellcheck disable=SC2086
  "$TT_CLI" $cmd --size mini --template skewed >out 2>err || rc=$?
  [ "$rc" = 2 ] || fail "$cmd: exit $rc: $(cat err)"
  [ "$(wc -l <err)" = 1 ] || fail "$cmd: not one line: $(cat err)"
  grep -qF "bad.te:" err && grep -qF "$want" err || fail "$cmd: $(cat err)"
done
sed 's/time_tile t, i by ts, xs skew sk/time_tile t, i, j by ts, xs, xs skew sk/' \
  "$TT_SOURCE_DIR/kernels/seidel-2d.te" >bad2.te
grep -q 'time_tile t, i, j by' bad2.te || fail "could not make bad2.te"
want2="cannot time-tile loop 't' with skew 1 (knob 'sk'): A[i, j] (sweep 1) depends on A[i - 1, j - 1] (sweep 1) at j + 1, 1 sweep earlier (j skewed by 1*i); skew by at least 2"
for cmd in "run bad2.te" "space bad2.te"; do
  rc=0
  # shellcheck disable=SC2086
  "$TT_CLI" $cmd --size mini --template skewed >out 2>err || rc=$?
  [ "$rc" = 2 ] || fail "$cmd: exit $rc: $(cat err)"
  [ "$(wc -l <err)" = 1 ] || fail "$cmd: not one line: $(cat err)"
  grep -qF "bad2.te:" err && grep -qF "$want2" err || fail "$cmd: $(cat err)"
done
sed 's/knob ys = \[4, 8,/knob ys = [0, 8,/' "$TT_SOURCE_DIR/kernels/heat-3d.te" >bad3.te
grep -q 'knob ys = \[0, 8,' bad3.te || fail "could not make bad3.te"
rc=0
"$TT_CLI" run bad3.te --size mini --template skewed2 >out 2>err || rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <err)" = 1 ] || fail "tile size 0: exit $rc: $(cat err)"
grep -qF "cannot time-tile loop 't': tile sizes must be positive (knob 'ys' has 0)" err ||
  fail "tile size 0: $(cat err)"
[ ! -d "$TETUNE_CACHE_DIR" ] || [ -z "$(ls "$TETUNE_CACHE_DIR"/*.so 2>/dev/null)" ] ||
  fail "a variant was built"
"$TT_CLI" show jacobi-2d --size mini --template skewed --config '{"wf": true}' >show.c ||
  fail "show jacobi-2d"
grep -qE 'omp (parallel )?for' show.c && grep -q 'tt_ta_t' show.c || fail "no wavefront in show.c"
"$TT_CLI" show heat-3d --size mini --template skewed2 --config '{"wf": true}' >show3.c ||
  fail "show heat-3d"
grep -q 'tt_tb1_t' show3.c && grep -q 'tt_ta_t' show3.c || fail "no tiles of j in show3.c"
echo ok
