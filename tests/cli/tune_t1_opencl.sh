#!/usr/bin/env bash
# tetune tune PROBLEM.t1.json with Language OpenCL (on PoCL in CI): the
# shipped example (examples/t1/vadd_cl) tunes on the opencl target and every
# trial validates against its C reference; the parameters reach the device
# program as -D build options (a configuration that drops elements is
# wrong_result, one that does not build is compile_error), GlobalSize in
# groups (GlobalSizeType CUDA) over a scalar argument works, a LocalSize of
# 0 makes its configuration invalid; a failing reference and malformed
# launch sizes are bad input: exit 2 and one line. Skipped when no OpenCL
# device is usable.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
fail() { echo "FAIL: $*" >&2; exit 1; }
if ! "$TT_CLI" list --targets | grep -q '^opencl .* usable$'; then
  echo "no usable OpenCL device: skipped"
  exit 0
fi
cd "$T"
bad() { # bad WANT FILE: exit status 2 and WANT on the one line of stderr
  local rc
  set +e
  "$TT_CLI" tune "$2" --db "$T/bad.db" --trials 2 >/dev/null 2>"$T/err"
  rc=$?
  set -e
  [ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q -- "$1" "$T/err" || fail "$2: $rc $(cat "$T/err")"
}

"$TT_CLI" tune "$TT_SOURCE_DIR/examples/t1/vadd_cl/vadd.t1.json" --strategy random --trials 4 \
  --db "$T/v.db" >"$T/out" 2>"$T/log" || fail "example: $(cat "$T/log")"
grep -q '^tuned vadd (.*vadd.t1.json) with random, seed 1: 4 trials$' "$T/out" || fail "out: $(cat "$T/out")"
grep -q '^  config {"BLOCK":' "$T/out" || fail "best: $(cat "$T/out")"
[ "$(sqlite3 "$T/v.db" "select count(*) from trials where outcome = 'ok' and max_rel_err <= 1e-6")" = 4 ] \
  || fail "stored: $(sqlite3 "$T/v.db" 'select outcome, message from trials')"
[ "$(sqlite3 "$T/v.db" "select kernel || ' ' || size || ' ' || target || ' ' || template from tasks")" \
  = "vadd t1 opencl vadd.t1.json" ] || fail "task: $(sqlite3 "$T/v.db" 'select * from tasks')"

# UNROLL=3 drops every third element, UNROLL=5 does not build.
cat >"$T/scale.cl" <<'CL'
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#if UNROLL == 5
#error "UNROLL 5 is not supported"
#endif
__kernel void scale(__global double *x, __global const double *y, double f, int n) {
  int i0 = get_global_id(0) * UNROLL;
  for (int u = 0; u < UNROLL; u++) {
    int i = i0 + u;
    if (i < n && !(UNROLL == 3 && u == 2)) x[i] = f * y[i];
  }
}
CL
cat >"$T/scale_ref.c" <<'C'
void scale_ref(double *x, const double *y, double f, int n) {
  for (int i = 0; i < n; i++) x[i] = f * y[i];
}
void crash(double *x, const double *y, double f, int n) {
  (void)x; (void)y; (void)f; (void)n;
  __builtin_trap();
}
C
problem() { # problem FILE PARAMETERS LOCAL-X GLOBAL-X REFERENCE-FUNCTION
  cat >"$1" <<J
{"ConfigurationSpace": {"TuningParameters": [$2]},
 "KernelSpecification": {"Language": "OpenCL", "KernelName": "scale", "KernelFile": "scale.cl",
  "GlobalSizeType": "CUDA", "GlobalSize": {"X": "$4"}, "LocalSize": {"X": "$3"},
  "Arguments": [
   {"Name": "x", "Type": "double", "MemoryType": "Vector", "AccessType": "WriteOnly", "Size": 1000, "FillType": "Constant", "FillValue": 0},
   {"Name": "y", "Type": "double", "MemoryType": "Vector", "AccessType": "ReadOnly", "Size": 1000, "FillType": "Random", "RandomSeed": 5},
   {"Name": "f", "Type": "double", "MemoryType": "Scalar", "FillValue": 2.5},
   {"Name": "n", "Type": "int32", "MemoryType": "Scalar", "FillValue": 1000}],
  "ReferenceKernel": {"KernelFile": "scale_ref.c", "KernelName": "$5"},
  "ReferenceArguments": [{"Name": "x_ref", "TargetName": "x", "ValidationThreshold": 1e-12}]}}
J
}
outcomes() { # outcomes FILE KNOB: KNOB=outcome of every configuration of a grid
  "$TT_CLI" tune "$1" --strategy grid --db "$T/$(basename "$1").db" >/dev/null 2>"$T/log" || true
  sqlite3 "$T/$(basename "$1").db" "select json_extract(config, '\$.$2') || '=' || outcome from trials order by 1" | tr '\n' ' '
}
U='{"Name": "UNROLL", "Type": "int", "Values": "[1, 2, 3, 4, 5]"}'
problem "$T/unroll.t1.json" "$U" 64 "(n + 64 * UNROLL - 1) // (64 * UNROLL)" scale_ref
got=$(outcomes "$T/unroll.t1.json" UNROLL)
[ "$got" = "1=ok 2=ok 3=wrong_result 4=ok 5=compile_error " ] || fail "unroll: $got $(cat "$T/log")"
sqlite3 "$T/unroll.t1.json.db" "select message from trials where outcome = 'compile_error'" \
  | grep -q 'UNROLL 5 is not supported' || fail "the build log is not the message"

problem "$T/local.t1.json" "$U, {\"Name\": \"LS\", \"Type\": \"int\", \"Values\": \"[0, 32]\"}" LS \
  "(n + 63) // 64" scale_ref
sed -i 's/\[1, 2, 3, 4, 5\]/[2]/' "$T/local.t1.json"
got=$(outcomes "$T/local.t1.json" LS)
[ "$got" = "0=invalid 32=ok " ] || fail "local: $got $(cat "$T/log")"

# Bad input.
problem "$T/crash.t1.json" "$U" 64 "16" crash
bad "crash.t1.json: the reference failed (runtime_error)" "$T/crash.t1.json"
problem "$T/typo.t1.json" "$U" 64 "(n + 63) // BLOK" scale_ref
bad "typo.t1.json: GlobalSize.X" "$T/typo.t1.json"
sed 's/"LocalSize": {"X": "64"}/"LocalSize": {}/' "$T/typo.t1.json" >"$T/nolocal.t1.json"
bad "nolocal.t1.json: an OpenCL kernel needs LocalSize.X" "$T/nolocal.t1.json"
sed 's/"Language": "OpenCL"/"Language": "CUDA"/' "$T/unroll.t1.json" >"$T/cuda.t1.json"
bad "cuda.t1.json: Language CUDA" "$T/cuda.t1.json"
# Without an OpenCL platform: one line, exit 2, no database (where the ICD
# loader honours OCL_ICD_VENDORS).
if OCL_ICD_VENDORS="$T/none" "$TT_CLI" list --targets | grep -q '^opencl .*not usable'; then
  set +e
  OCL_ICD_VENDORS="$T/none" "$TT_CLI" tune "$T/unroll.t1.json" --db "$T/none.db" >/dev/null 2>"$T/err"
  rc=$?
  set -e
  [ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q 'target opencl cannot run here' "$T/err" &&
    [ ! -e "$T/none.db" ] || fail "no platform: $rc $(cat "$T/err")"
fi
echo ok
