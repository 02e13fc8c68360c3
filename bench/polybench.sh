#!/usr/bin/env bash
# Benchmark (issue 28, not a timed test): the 30 PolyBench 4.2 kernels at
# one size, at 1 and 2 threads: the template's default configuration and
# the best of a tuning session (TRIALS trials, Bayesian optimisation),
# each as a speed-up over the naive reference (PolyBench's loop nest,
# compiled as tetune compiles variants and timed in the same run), and
# the geometric mean over the kernels. OpenBLAS/LAPACKE baselines of the
# BLAS and solver kernels: bench/bench_linalg.sh.
#
#   bench/polybench.sh [BUILD_DIR]      (default: ./build)
#
# Environment: SIZE (default large), THREADS (default "1 2"), TRIALS
# (default 30), KERNELS (default: all 30), TEMPLATES ("kernel:template
# ...": the template tuned for a kernel; default: the stencils' time-tiled
# templates (two space loops for fdtd-2d and heat-3d) and adi's
# interchanged one, each other kernel's first template), TT_CLI. Prints the load average. Run it on an idle
# machine: timings under load measure the scheduler.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cli=${TT_CLI:-$build/tetune}
size=${SIZE:-large}
threads=${THREADS:-"1 2"}
trials=${TRIALS:-30}
kernels=${KERNELS:-"gemm 2mm 3mm atax bicg doitgen mvt cholesky durbin gramschmidt lu ludcmp trisolv
  gemver gesummv symm syr2k syrk trmm covariance correlation deriche floyd-warshall nussinov adi
  fdtd-2d heat-3d jacobi-1d jacobi-2d seidel-2d"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$cli" ] || { echo "polybench: no tetune at $cli (build first)" >&2; exit 2; }

# field NAME FILE: a number from tetune's JSON output
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))" "$1" "$2"; }

# tmpl KERNEL: --template T when TEMPLATES names one for KERNEL
tmpl() {
  for kt in ${TEMPLATES-fdtd-2d:skewed2 heat-3d:skewed2 jacobi-1d:skewed jacobi-2d:skewed
    seidel-2d:skewed adi:swapped}; do
    [ "${kt%%:*}" = "$1" ] && { echo "--template ${kt#*:}"; return; }
  done
  true
}

echo "# $(uptime)"
printf '%-15s %3s %12s %12s %9s %9s %6s\n' kernel thr naive_s tuned_s default tuned load1
for t in $threads; do
  logs=""
  for k in $kernels; do
    # shellcheck disable=SC2046
    "$cli" run "$k" $(tmpl "$k") --size "$size" --threads "$t" --json >"$work/run.json" \
      2>/dev/null || true
    # shellcheck disable=SC2046
    "$cli" tune "$k" $(tmpl "$k") --size "$size" --threads "$t" --trials "$trials" \
      --db "$work/t$t.db" \
      --out "$work/out" --json >"$work/tune.json" 2>/dev/null || true
    ref=$(field "d['reference_time_s']" "$work/run.json" 2>/dev/null || echo nan)
    def=$(field "d['time_s']" "$work/run.json" 2>/dev/null || echo nan)
    best=$(field "d['best']['time_s']" "$work/tune.json" 2>/dev/null || echo nan)
    python3 - "$k" "$t" "$ref" "$def" "$best" <<'PY'
import sys
k, t, ref, d, b = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:])
load = open("/proc/loadavg").read().split()[0]
print(f"{k:15s} {t:>3s} {ref:12.4g} {b:12.4g} {ref / d:8.2f}x {ref / b:8.2f}x {load:>6s}")
PY
    cfg=$(python3 -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1]))['best']['config'], separators=(',', ':')))" "$work/tune.json" 2>/dev/null || echo "?")
    echo "#   $k best: $cfg"
    echo "$ref $best" >>"$work/ratios$t"
  done
  echo "# $(uptime)"
  python3 - "$work/ratios$t" "$t" <<'PY'
import math, sys
r = [float(a) / float(b) for a, b in (l.split() for l in open(sys.argv[1])) if float(b) > 0]
r = [x for x in r if math.isfinite(x)]
print(f"geometric mean speed-up, {sys.argv[2]} thread(s), tuned: "
      f"{math.exp(sum(map(math.log, r)) / len(r)):.2f}x over {len(r)} kernels; "
      f"below 1.5x: {sum(x < 1.5 for x in r)}")
PY
done
