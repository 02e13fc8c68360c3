#!/usr/bin/env bash
# Benchmark (issue 28, not a timed test): the 30 PolyBench 4.2 kernels at
# one size, at 1 and 2 threads: the template's default configuration and
# the best of a tuning session (TRIALS trials, Bayesian optimisation),
# each as a speed-up over the naive reference (PolyBench's loop nest,
# compiled as tetune compiles variants, timed warm in the same run), the
# vendor library where one computes the kernel (OpenBLAS/LAPACKE:
# bench/openblas_ref.c for gemm, 3mm, syrk, trmm, lu (the no-pivot
# dtrsm+dgemm LU) and cholesky (dpotrf), bench/vendor_ref.c for 14 more;
# the vendor column is OpenBLAS's time over the tuned variant's, 1.0 = as
# fast), and the geometric mean over the kernels.
#
#   bench/polybench.sh [BUILD_DIR]      (default: ./build)
#
# Environment: SIZE (default large), THREADS (default "1 2"), TRIALS
# (default 30), KERNELS (default: all 30), TEMPLATES ("kernel:template
# ...": the template tuned for a kernel; default: the stencils' time-tiled
# templates (two space loops for fdtd-2d and heat-3d) and adi's
# interchanged one, each other kernel's first template), TT_CLI, OUT (a
# directory that keeps the tuning databases and the rows measured,
# results.tsv: a run with the same OUT skips the kernels it already has
# for this machine, size, trials and thread count, so the whole suite can
# be measured in pieces; the summary covers every row of the file; default:
# a temporary directory). Prints the machine and the load average. Run it
# on an idle machine: timings under load measure the scheduler.
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
out=${OUT:-$work}
mkdir -p "$out"
results=$out/results.tsv
[ -x "$cli" ] || { echo "polybench: no tetune at $cli (build first)" >&2; exit 2; }
case $trials in '' | *[!0-9]*) echo "polybench: TRIALS must be a number, not '$trials'" >&2; exit 2 ;; esac
for k in $kernels; do
  [ -f "$root/kernels/$k.te" ] || { echo "polybench: unknown kernel '$k' (no kernels/$k.te)" >&2; exit 2; }
done
cc -O2 -o "$work/openblas_ref" "$root/bench/openblas_ref.c" -lopenblas -llapacke -lm
cc -O2 -o "$work/vendor_ref" "$root/bench/vendor_ref.c" -lopenblas -llapacke -lm
machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(getconf _NPROCESSORS_ONLN) cores"

# field NAME FILE: a number from tetune's JSON output (nan for null: a
# configuration that failed)
field() {
  python3 -c "import json,sys; d=json.load(open(sys.argv[2])); v=eval(sys.argv[1]); print('nan' if v is None else v)" "$1" "$2"
}

# tmpl KERNEL: --template T when TEMPLATES names one for KERNEL
tmpl() {
  for kt in ${TEMPLATES-fdtd-2d:skewed2 heat-3d:skewed2 jacobi-1d:skewed jacobi-2d:skewed
    seidel-2d:skewed adi:swapped}; do
    [ "${kt%%:*}" = "$1" ] && { echo "--template ${kt#*:}"; return; }
  done
  true
}

# dims KERNEL: the kernel's size parameters at $size, in the order its .te
# file declares them (the vendor programs' argument order).
dims() {
  python3 - "$root/kernels/$1.te" "$size" <<'PY'
import re, sys
m = re.search(r"\b" + re.escape(sys.argv[2]) + r"\(([^)]*)\)", open(sys.argv[1]).read())
print(" ".join(x.strip() for x in m.group(1).split(",")) if m else "")
PY
}

# vendor KERNEL THREADS: OpenBLAS/LAPACKE's median time of the kernel, or
# nan where no vendor routine computes it (both OpenBLAS variables unset
# for this command only).
vendor() {
  local d args
  d=$(dims "$1")
  case $1 in
  gemm | 3mm | syrk | trmm) args="$work/openblas_ref $1 $d" ;;
  lu) args="$work/openblas_ref lu_nopiv $d" ;;
  cholesky) args="$work/openblas_ref potrf $d" ;;
  2mm | atax | bicg | mvt | gemver | gesummv | symm | syr2k | trisolv | doitgen | ludcmp | \
    gramschmidt | covariance | correlation) args="$work/vendor_ref $1 $d" ;;
  *) echo nan; return ;;
  esac
  # shellcheck disable=SC2086
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$2" $args 2>/dev/null |
    sed -n 's/.*time_s=\([0-9.e+-]*\).*/\1/p' | grep . || echo nan
}

# have KERNEL THREADS: whether results.tsv has the row already.
have() {
  [ -f "$results" ] && awk -F'\t' -v m="$machine" -v s="$size" -v n="$trials" -v k="$1" -v t="$2" \
    '$1 == m && $2 == s && $3 == n && $4 == t && $5 == k { f = 1 } END { exit !f }' "$results"
}

# measure KERNEL THREADS: one row of results.tsv (naive, default, tuned and
# vendor times, the load, the best configuration).
measure() {
  local k=$1 t=$2 ref def best ven cfg
  # shellcheck disable=SC2046
  "$cli" run "$k" $(tmpl "$k") --size "$size" --threads "$t" --json >"$work/run.json" \
    2>/dev/null || true
  # shellcheck disable=SC2046
  "$cli" tune "$k" $(tmpl "$k") --size "$size" --threads "$t" --trials "$trials" \
    --db "$out/t$t.db" --out "$work/out" --json >"$work/tune.json" 2>/dev/null || true
  ref=$(field "d['reference_time_s']" "$work/run.json" 2>/dev/null || echo nan)
  def=$(field "d['time_s']" "$work/run.json" 2>/dev/null || echo nan)
  best=$(field "d['best']['time_s']" "$work/tune.json" 2>/dev/null || echo nan)
  cfg=$(python3 -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1]))['best']['config'], separators=(',', ':')))" "$work/tune.json" 2>/dev/null || echo "?")
  ven=$(vendor "$k" "$t")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$machine" "$size" "$trials" "$t" "$k" \
    "$ref" "$def" "$best" "$ven" "$(cut -d' ' -f1 /proc/loadavg)" "$cfg" >>"$results"
}

echo "# machine: $machine; $(uptime)"
echo "# size $size, trials $trials, rows kept in $results"
for t in $threads; do
  for k in $kernels; do
    if have "$k" "$t"; then echo "# $k, $t thread(s): measured earlier, kept"; continue; fi
    measure "$k" "$t"
    tail -1 "$results" | cut -f4,5,6,8,10,11 | sed 's/^/# measured: /'
  done
done
echo "# $(uptime)"

# The table and the geometric means over every row of this machine, size
# and trials in results.tsv.
python3 - "$results" "$machine" "$size" "$trials" <<'PY'
import math, sys
path, machine, size, trials = sys.argv[1:]
rows = [l.rstrip("\n").split("\t") for l in open(path)]
rows = [r for r in rows if r[:3] == [machine, size, trials]]


def num(x):
    try:
        return float(x)
    except ValueError:  # a failed run's time
        return math.nan


print(f"{'kernel':15s} {'thr':>3s} {'naive_s':>10s} {'tuned_s':>10s} {'default':>8s} "
      f"{'tuned':>8s} {'vendor/ours':>11s} {'load1':>6s}")
for t in sorted({r[3] for r in rows}):
    speed = []
    for r in (r for r in rows if r[3] == t):
        ref, d, b, v = map(num, r[5:9])
        su = ref / b if b > 0 else math.nan
        if math.isfinite(su): speed.append(su)
        vo = f"{v / b:10.2f}x" if math.isfinite(v) and b > 0 else f"{'-':>11s}"
        print(f"{r[4]:15s} {t:>3s} {ref:10.4g} {b:10.4g} {ref / d:7.2f}x {su:7.2f}x {vo} {r[9]:>6s}")
        print(f"#   {r[4]} best: {r[10]}")
    if speed:
        g = math.exp(sum(map(math.log, speed)) / len(speed))
        low = sorted(r[4] for r in rows if r[3] == t and num(r[5]) / num(r[7]) < 1.5)
        print(f"geometric mean speed-up, {t} thread(s), tuned: {g:.2f}x over {len(speed)} kernels; "
              f"below 1.5x: {len(low)} {' '.join(low)}")
PY
