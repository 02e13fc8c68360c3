#!/usr/bin/env bash
# Benchmark (issue 3, not a timed test): the best configurations found for
# 3mm, lu and cholesky at PolyBench's large size, at 1 and 2 threads,
# against OpenBLAS on the same machine and against the naive reference
# (PolyBench's loop nest, compiled as tetune compiles variants).
#
#   bench/bench_linalg.sh [BUILD_DIR]      (default: ./build)
#
# Environment: REPEATS (default 5: every measurement is repeated and the
# median of the medians is reported), THREADS (default "1 2"), SIZE
# (default large), TT_CLI (default BUILD_DIR/tetune). Each repeat uses a
# fresh compile cache so that the naive reference (timed once per cache)
# is timed REPEATS times too.
#
# OpenBLAS baselines (bench/openblas_ref.c, built here with cc -O2):
#   3mm       three dgemm calls
#   lu        LAPACKE_dgetrf, which pivots (partial pivoting: more work and
#             data movement than PolyBench's lu), and a blocked LU without
#             pivoting from dtrsm + dgemm (the same algorithm as ours; the
#             best of NB = 64, 128, 192, 256)
#   cholesky  LAPACKE_dpotrf
# OpenBLAS runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (it picks
# its kernel for this CPU itself; the one it picked is printed) and with
# OPENBLAS_NUM_THREADS set to the same thread count as tetune's --threads.
# Ratios: "x OpenBLAS" is OpenBLAS's time over ours (1.0 = as fast), "x naive"
# the naive reference's time over ours.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cli=${TT_CLI:-$build/tetune}
repeats=${REPEATS:-5}
threads=${THREADS:-"1 2"}
size=${SIZE:-large}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x "$cli" ] || { echo "bench_linalg: no tetune at $cli (build first, or pass BUILD_DIR)" >&2; exit 2; }
cc -O2 -o "$work/openblas_ref" "$root/bench/openblas_ref.c" -lopenblas -llapacke -lm

# The best configurations found at large with 2 threads (tetune tune, bo,
# on this 2-core machine; see the closing note of issue 3). For lu and
# cholesky they are the blocked templates' defaults, spelled out here.
declare -A tmpl config
tmpl[3mm]=blocked
config[3mm]='{"e_nc":480,"e_mc":72,"e_kc":512,"f_nc":48,"f_mc":144,"f_kc":512,"g_nc":384,"g_mc":24,"g_kc":512,"mr":6,"nr":8,"pack":true,"par":"inner"}'
tmpl[lu]=blocked
config[lu]='{"NB":64,"PW":24,"nc":768,"nr":8,"mc":24,"mr":6,"kc":64,"order":["jo","ko","io"],"pack":true,"par":"io","pmc":48,"pnc":480,"ppack":true,"dvec":true}'
tmpl[cholesky]=blocked
config[cholesky]='{"NB":96,"PW":16,"W":48,"nr":8,"mc":24,"mr":6,"packa":false,"packb":false,"uk":4,"par":"io","pmc":96,"ppack":true,"dvec":false,"du":2}'

# Problem sizes of `large` for the OpenBLAS side (PolyBench 4.2).
sizes_3mm="800 900 1000 1100 1200"
n_lu=2000

blas() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$1" "$work/openblas_ref" "${@:2}"; }

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-<unset>} in this shell; both unset for OpenBLAS runs"
echo "OpenBLAS: $(blas 1 info)"
blas 1 check | sed 's/^/OpenBLAS self-check: /'
echo "size: $size, repeats: $repeats (medians of medians)"
echo

# One OpenBLAS measurement of kernel $2 at $1 threads, as raw lines.
blas_rows() {
  case $2 in
  3mm) blas "$1" 3mm $sizes_3mm 7 | sed "s/^/3mm\t$1\tblas_3mm\t/" ;;
  lu)
    blas "$1" getrf $n_lu 7 | sed "s/^/lu\t$1\tblas_getrf\t/"
    blas "$1" lu_nopiv $n_lu 5 | sed "s/^/lu\t$1\tblas_nopiv\t/"
    ;;
  cholesky) blas "$1" potrf $n_lu 7 | sed "s/^/cholesky\t$1\tblas_potrf\t/" ;;
  esac
}

# Each tetune measurement is followed at once by OpenBLAS's for the same
# kernel, so that both see the same machine (it may be shared).
raw="$work/raw.tsv"
: >"$raw"
for t in $threads; do
  echo "threads $t: load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
  for r in $(seq "$repeats"); do
    export TETUNE_CACHE_DIR="$work/cache-$t-$r"
    for k in 3mm lu cholesky; do
      "$cli" run "$k" --size "$size" --template "${tmpl[$k]}" --config "${config[$k]}" \
        --threads "$t" --json >"$work/run.json" || { echo "tetune run $k failed" >&2; cat "$work/run.json" >&2; exit 1; }
      python3 - "$work/run.json" "$k" "$t" >>"$raw" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
cfg = json.dumps(r["config"], separators=(",", ":"))
print(f"{sys.argv[2]}\t{sys.argv[3]}\ttetune\t{r['time_s']}\t{r['gflops']}\t{cfg}")
print(f"{sys.argv[2]}\t{sys.argv[3]}\tnaive\t{r['reference_time_s']}\t0\t-")
EOF
      blas_rows "$t" "$k" >>"$raw"
    done
  done
  echo "threads $t: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
done
echo

python3 - "$raw" <<'EOF'
import statistics, sys
rows = {}
flops = {}
extra = {}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    k, t, impl = f[0], int(f[1]), f[2]
    if impl in ("tetune", "naive"):
        time, gf, cfg = float(f[3]), float(f[4]), f[5]
        if impl == "tetune":
            flops[k] = gf * time * 1e9
            extra[(k, t, impl)] = cfg
    else:  # key=value line from openblas_ref
        kv = dict(p.split("=", 1) for p in f[3].split() if "=" in p)
        time = float(kv["time_s"])
        extra[(k, t, impl)] = f"kernel {kv.get('corename', '?')}" + (f", NB={kv['nb']}" if "nb" in kv else "")
    rows.setdefault((k, t, impl), []).append(time)
names = {"tetune": "tetune", "naive": "naive reference", "blas_3mm": "OpenBLAS 3 x dgemm",
         "blas_getrf": "OpenBLAS dgetrf (pivots)", "blas_nopiv": "OpenBLAS no-pivot dtrsm+dgemm",
         "blas_potrf": "OpenBLAS dpotrf"}
baseline = {"3mm": ["blas_3mm"], "lu": ["blas_getrf", "blas_nopiv"], "cholesky": ["blas_potrf"]}
print(f"{'kernel':9} {'thr':>3}  {'implementation':31} {'time s':>9} {'GFLOP/s':>8}  {'x OpenBLAS':>12} {'x naive':>8}")
for k in ("3mm", "lu", "cholesky"):
    for t in sorted({key[1] for key in rows if key[0] == k}):
        med = {impl: statistics.median(v) for (kk, tt, impl), v in rows.items() if kk == k and tt == t}
        for impl in ["tetune"] + baseline[k] + ["naive"]:
            if impl not in med:
                continue
            tm = med[impl]
            gf = flops[k] / tm * 1e-9
            if impl == "tetune":
                vs_blas = " / ".join(f"{med[b] / tm:.2f}" for b in baseline[k] if b in med)
                vs_naive = f"{med['naive'] / tm:.1f}"
            else:
                vs_blas, vs_naive = "", ""
            print(f"{k:9} {t:>3}  {names[impl]:31} {tm:9.4f} {gf:8.2f}  {vs_blas:>12} {vs_naive:>8}")
        print(f"{'':15}tetune config: {extra[(k, t, 'tetune')]}")
        for b in baseline[k]:
            if (k, t, b) in extra:
                print(f"{'':15}{names[b]}: {extra[(k, t, b)]}")
        print(f"{'':15}spread of tetune's medians: "
              f"{min(rows[(k, t, 'tetune')]):.4f} .. {max(rows[(k, t, 'tetune')]):.4f} s")
print()
print("targets: 3mm >= 0.80 x OpenBLAS, lu and cholesky >= 0.60 x OpenBLAS at 2 threads; >= 20 x naive")
EOF
