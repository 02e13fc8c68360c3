#!/usr/bin/env bash
# tetune tune PROBLEM.t1.json: existing C code whose tunable parameters are
# macros, described by a T1 file. The shipped example (examples/t1) tunes
# and every stored configuration validated; a configuration that computes
# the wrong answer is stored as wrong_result against a reference
# implementation and against stored expected output (BinaryRaw); a failing
# reference, a reference output of the wrong size and a malformed file are
# bad input: exit 2 and one line.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
bad() { # bad WANT FILE: exit status 2 and WANT on the one line of stderr
  local rc
  set +e
  "$TT_CLI" tune "$2" --db "$T/bad.db" --trials 2 >/dev/null 2>"$T/err"
  rc=$?
  set -e
  [ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q -- "$1" "$T/err" || fail "$2: $rc $(cat "$T/err")"
}

"$TT_CLI" tune "$TT_SOURCE_DIR/examples/t1/matmul.t1.json" --strategy random --trials 4 --db "$T/m.db" \
  >"$T/out" 2>"$T/log" || fail "example: $(cat "$T/log")"
grep -q '^tuned matmul (.*matmul.t1.json) with random, seed 1: 4 trials$' "$T/out" || fail "out: $(cat "$T/out")"
grep -q '^best: .* per call$' "$T/out" && grep -q '^  config {"TILE_I":' "$T/out" || fail "best: $(cat "$T/out")"
[ "$(sqlite3 "$T/m.db" "select count(*) from trials where outcome = 'ok' and max_rel_err <= 1e-9")" = 4 ] \
  || fail "stored: $(sqlite3 "$T/m.db" 'select outcome, message from trials')"
[ "$(sqlite3 "$T/m.db" "select kernel || ' ' || size || ' ' || template from tasks")" = "matmul t1 matmul.t1.json" ] \
  || fail "task"

# A kernel whose UNROLL=3 variant drops the last elements.
cat >"$T/scale.c" <<'C'
#ifndef UNROLL
#define UNROLL 1
#endif
void scale(double *x, const double *y, int n) {
  int i = 0;
  for (; i + UNROLL <= n; i += UNROLL)
    for (int u = 0; u < UNROLL; u++) x[i + u] = 2.0 * y[i + u];
  if (UNROLL != 3)
    for (; i < n; i++) x[i] = 2.0 * y[i];
}
void scale_ref(double *x, const double *y, int n) {
  for (int i = 0; i < n; i++) x[i] = 2.0 * y[i];
}
void crash(double *x, const double *y, int n) {
  (void)x; (void)y; (void)n;
  __builtin_trap();
}
C
problem() { # problem FILE REFERENCE-JSON
  cat >"$1" <<J
{"ConfigurationSpace": {"TuningParameters": [{"Name": "UNROLL", "Type": "int", "Values": "[1, 2, 3, 4]"}]},
 "KernelSpecification": {"Language": "C", "KernelName": "scale", "KernelFile": "scale.c",
  "CompilerOptions": ["-O2"], "GlobalSize": {"X": "1"}, "LocalSize": {"X": "1"},
  "Arguments": [
   {"Name": "x", "Type": "double", "MemoryType": "Vector", "AccessType": "WriteOnly", "Size": 1000, "FillType": "Constant", "FillValue": 0},
   {"Name": "y", "Type": "double", "MemoryType": "Vector", "AccessType": "ReadOnly", "Size": 1000, "FillType": "Constant", "FillValue": 1.5},
   {"Name": "n", "Type": "int32", "MemoryType": "Scalar", "FillValue": 1000}],
  $2}}
J
}
check_unroll() { # check_unroll FILE: grid over the 4 values, only UNROLL=3 wrong
  "$TT_CLI" tune "$1" --strategy grid --db "$T/$(basename "$1").db" >/dev/null 2>"$T/log" || fail "$1: $(cat "$T/log")"
  got=$(sqlite3 "$T/$(basename "$1").db" "select json_extract(config, '$.UNROLL') || '=' || outcome from trials order by 1" | tr '\n' ' ')
  [ "$got" = "1=ok 2=ok 3=wrong_result 4=ok " ] || fail "$1: $got"
}
problem "$T/ref.t1.json" '"ReferenceKernel": {"KernelFile": "scale.c", "KernelName": "scale_ref"},
  "ReferenceArguments": [{"Name": "x_ref", "TargetName": "x", "FillType": "Generator", "ValidationThreshold": 1e-12}]'
check_unroll "$T/ref.t1.json"
python3 -c "import struct; open('$T/expected.bin', 'wb').write(struct.pack('<1000d', *([3.0] * 1000)))"
problem "$T/stored.t1.json" '"ReferenceArguments": [{"Name": "x_ref", "TargetName": "x", "FillType": "BinaryRaw", "DataSource": "expected.bin"}]'
check_unroll "$T/stored.t1.json"

# Bad input.
problem "$T/crash.t1.json" '"ReferenceKernel": {"KernelFile": "scale.c", "KernelName": "crash"},
  "ReferenceArguments": [{"Name": "x_ref", "TargetName": "x"}]'
bad "crash.t1.json: the reference failed (runtime_error)" "$T/crash.t1.json"
head -c 800 "$T/expected.bin" >"$T/short.bin"
problem "$T/short.t1.json" '"ReferenceArguments": [{"Name": "x_ref", "TargetName": "x", "FillType": "BinaryRaw", "DataSource": "short.bin"}]'
bad "short.t1.json: the reference failed" "$T/short.t1.json"
problem "$T/notarget.t1.json" '"ReferenceArguments": [{"Name": "x_ref", "TargetName": "y", "FillType": "BinaryRaw", "DataSource": "expected.bin"}]'
bad "notarget.t1.json: reference target y is not an output argument" "$T/notarget.t1.json"
echo '{"KernelSpecification": {"Language": "C"}}' >"$T/noname.t1.json"
bad "noname.t1.json: KernelSpecification needs KernelName" "$T/noname.t1.json"
echo '{"KernelSpecification": ' >"$T/broken.t1.json"
bad "broken.t1.json: not valid JSON" "$T/broken.t1.json"
echo ok
