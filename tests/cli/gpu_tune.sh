#!/usr/bin/env bash
# --target opencl through the commands that store and read tasks (on
# PoCL in CI): tune stores its task under target opencl, beside the C task
# of the same kernel and size; export --target opencl writes the variant
# (host C with its OpenCL program) that builds against libOpenCL; a session
# whose variants crash, hang and answer wrongly classifies each and goes
# on. Skipped when no OpenCL device is usable.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
if ! "$TT_CLI" list --targets | grep -q '^opencl .* usable$'; then
  echo "no usable OpenCL device: skipped"
  exit 0
fi
cd "$T"
"$TT_CLI" tune gemm --size mini --target opencl --strategy random --trials 3 --db t.db \
  --out o > tune.out 2> tune.err || fail "tune --target opencl: $(tail -3 tune.err)"
grep -q "template gpu" tune.out || fail "tune did not pick the gpu template: $(cat tune.out)"
"$TT_CLI" tune gemm --size mini --strategy random --trials 2 --db t.db --out o > /dev/null 2>&1
tasks=$(sqlite3 t.db "SELECT target || ':' || template FROM tasks ORDER BY target")
[ "$tasks" = "$(printf 'cpu:blocked\nopencl:gpu')" ] || fail "tasks: $tasks"
sqlite3 t.db "SELECT fingerprint FROM tasks WHERE target = 'opencl'" | grep -q '"device":' ||
  fail "the opencl task's fingerprint names no device"

# export --target picks the target's task; the file builds as it ran
"$TT_CLI" export gemm --target opencl --db t.db --out ex > ex.out || fail "export --target opencl"
grep -q "template gpu" ex.out || fail "export: $(cat ex.out)"
grep -q "__kernel void" ex/gemm.c || fail "export: no OpenCL program in gemm.c"
grep -q "tt_device_prepare" ex/gemm.h || fail "export: header without the calls"
cc -O2 -fPIC -shared ex/gemm.c -o ex/gemm.so -lOpenCL 2> cc.err || fail "cc: $(head -3 cc.err)"
"$TT_CLI" export gemm --db t.db --out exc > /dev/null || fail "export (c) after an opencl task"
grep -q "__kernel" exc/gemm.c && fail "export --target c wrote the OpenCL variant"

# failures on the device: classified, the session goes on to the end
"$TT_CLI" tune faulty --template gpu_faults --size mini --target opencl --timeout 5 \
  --strategy 'grid(order=autotvm)' --trials 6 --db f.db --out o > f.out 2> f.err ||
  fail "faulty session: $(tail -3 f.err)"
got=$(sqlite3 f.db "SELECT outcome FROM trials ORDER BY id" | tr '\n' ' ')
[ "$got" = "ok ok runtime_error timeout wrong_result runtime_error " ] || fail "outcomes: $got"
echo "opencl: tune, store, export and a failing session ok"
