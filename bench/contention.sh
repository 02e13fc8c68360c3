#!/usr/bin/env bash
# Benchmark (issue 27 item 8, not a timed test): how the generated parallel
# code degrades when another process shares the cores, next to OpenBLAS.
# For each kernel, ROUNDS rounds of: tetune's variant at 2 threads under
# each OpenMP wait setting, then OpenBLAS at 2 threads; all with BUSY busy
# loops running beside them (0 gives the undisturbed figures). Prints each
# run, then medians and OpenBLAS time over ours.
#
#   bench/contention.sh [BUILD_DIR]
#
# Environment: KERNELS (default "lu cholesky 3mm"), SIZE (large; OpenBLAS
# runs at large only, for lu, cholesky, 3mm and gemm), ROUNDS (3),
# BUSY (1), SETTINGS (the OpenMP environments to compare, each a comma-
# separated list of assignments or "default" for tetune's own; default
# "OMP_PROC_BIND=close,OMP_PLACES=cores,GOMP_SPINCOUNT=300000 default":
# bound threads with libgomp's own spin, as tetune measured before, then
# tetune's measuring default), CONFIG_<kernel> (JSON, default '{}').
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cli=$build/tetune
kernels=${KERNELS:-"lu cholesky 3mm"}
size=${SIZE:-large}
rounds=${ROUNDS:-3}
busy=${BUSY:-1}
waits=${SETTINGS:-"OMP_PROC_BIND=close,OMP_PLACES=cores,GOMP_SPINCOUNT=300000 default"}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
[ -x "$cli" ] || { echo "contention: no tetune at $cli" >&2; exit 2; }
cc -O2 -o "$work/openblas_ref" "$root/bench/openblas_ref.c" -lopenblas -llapacke -lm
declare -A blas_args=([lu]="lu_nopiv 2000 5" [cholesky]="potrf 2000 7" [3mm]="3mm 800 900 1000 1100 1200 7"
  [gemm]="gemm 1000 1100 1200 7")

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores"
echo "kernels: $kernels at $size, 2 threads, $rounds rounds, $busy busy loop(s) beside"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$busy"); do
  (while :; do :; done) &
  pids+=($!)
done

out="$work/runs.tsv"
for k in $kernels; do
  var="CONFIG_${k//[^a-z0-9]/_}"
  cfg=${!var:-'{}'}
  for r in $(seq "$rounds"); do
    for w in $waits; do
      env_args=()
      [ "$w" = default ] || IFS=, read -r -a env_args <<<"$w"
      t=$(env -u OMP_PROC_BIND -u OMP_PLACES -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT "${env_args[@]}" "$cli" run "$k" --size "$size" --threads 2 --config "$cfg" --json 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin).get("time_s", "nan"))') || t=nan
      printf '%s\t%s\t%s\t%s\n' "$k" "$w" "$t" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out"
    done
    # OpenBLAS's problem sizes are PolyBench's large ones.
    [ "$size" = large ] && [ -n "${blas_args[$k]:-}" ] || continue
    t=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 "$work/openblas_ref" ${blas_args[$k]} |
      sed -n 's/.*time_s=\([0-9.e-]*\).*/\1/p')
    printf '%s\t%s\t%s\t%s\n' "$k" openblas "$t" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out"
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" <<'PY'
import statistics, sys
from collections import defaultdict
runs = defaultdict(list)
for line in open(sys.argv[1]):
    k, w, t, _ = line.rstrip("\n").split("\t")
    runs[(k, w)].append(float(t))
kernels = list(dict.fromkeys(k for k, _ in runs))
print("\nkernel    setting                                                    median s  (min..max)         OpenBLAS/ours")
for k in kernels:
    blas = statistics.median(runs[(k, "openblas")]) if (k, "openblas") in runs else None
    for (kk, w), ts in runs.items():
        if kk != k:
            continue
        m = statistics.median(ts)
        ratio = "" if w == "openblas" or blas is None else f"{blas / m:.2f}"
        print(f"{k:9} {w:58} {m:10.3e}  ({min(ts):.3e}..{max(ts):.3e})  {ratio}")
PY
