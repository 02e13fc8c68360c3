#!/usr/bin/env bash
# Benchmark (issue 31, not a timed test): tunes the linear-algebra kernels
# on this machine, then times the best variants against OpenBLAS/LAPACKE
# and the naive reference (PolyBench's loop nest, compiled as tetune
# compiles variants), at 1 and 2 threads.
#
#   bench/bench_linalg.sh [BUILD_DIR]      (default: ./build)
#
# Environment:
#   MODE      tune (default): tune first, then time the best found;
#             quick: time fixed configurations, no tuning
#   KERNELS   default "3mm lu cholesky gemm syrk trmm"
#   TRIALS    trials per kernel and thread count per run (default 60)
#   TUNE_THREADS  thread counts to tune at (default: THREADS); a timed
#             thread count that was not tuned uses the first one's best
#   STRATEGY  search strategy (default bo)
#   DB_DIR    where the tuning databases live (default BUILD_DIR/bench_linalg):
#             one per kernel, holding the sessions of every thread count,
#             so that a thread count tuned after another starts from the
#             other's best configurations and prior (tetune's transfer
#             between thread counts); a later run resumes the latest
#             session of the same task (kernel, size, template, machine,
#             threads) and adds TRIALS trials to it, its strategy told
#             every stored trial first (warm start)
#   REPEATS   default 5: each timing is repeated, the median of the
#             medians is reported with the spread (min..max)
#   THREADS   default "1 2"
#   SIZE      default large
#   TT_CLI    default BUILD_DIR/tetune
#
# OpenBLAS baselines (bench/openblas_ref.c, built here with cc -O2):
#   3mm       three dgemm calls
#   lu        LAPACKE_dgetrf (partial pivoting: more work) and a blocked LU
#             without pivoting from dtrsm + dgemm (the same algorithm as
#             ours; the best of NB = 64, 128, 192, 256): the target's baseline
#   cholesky  LAPACKE_dpotrf
#   gemm      dgemm; syrk: dsyrk (lower); trmm: dtrmm (left, lower, trans, unit)
# OpenBLAS runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (it picks
# its kernel for this CPU itself; the one it picked is printed) and with
# OPENBLAS_NUM_THREADS set to the same thread count as tetune's --threads.
# Ratios: "x BLAS" is OpenBLAS's time over ours (1.0 = as fast), "x naive"
# the naive reference's time over ours; "2t/1t" is the 2-thread time over
# the 1-thread time (target <= 0.55).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cli=${TT_CLI:-$build/tetune}
mode=${MODE:-tune}
kernels=${KERNELS:-"3mm lu cholesky gemm syrk trmm"}
trials=${TRIALS:-60}
threads=${THREADS:-"1 2"}
tune_threads=${TUNE_THREADS:-$threads}
strategy=${STRATEGY:-bo}
db_dir=${DB_DIR:-$build/bench_linalg}
repeats=${REPEATS:-5}
size=${SIZE:-large}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x "$cli" ] || { echo "bench_linalg: no tetune at $cli (build first, or pass BUILD_DIR)" >&2; exit 2; }
case $mode in tune | quick) ;; *) echo "bench_linalg: MODE must be tune or quick, not '$mode'" >&2; exit 2 ;; esac
case $trials in '' | *[!0-9]*) echo "bench_linalg: TRIALS must be a number, not '$trials'" >&2; exit 2 ;; esac
for k in $kernels; do
  case $k in 3mm | lu | cholesky | gemm | syrk | trmm) ;;
  *) echo "bench_linalg: unknown kernel '$k' (3mm lu cholesky gemm syrk trmm)" >&2; exit 2 ;;
  esac
done
cc -O2 -o "$work/openblas_ref" "$root/bench/openblas_ref.c" -lopenblas -llapacke -lm

# Fixed configurations (quick mode, and tuning's second trial): the
# templates' defaults except where spelled out, at large (block sizes are
# bounded by a size's extents: at other sizes the defaults).
declare -A config
config[3mm]='{"nc":480,"mc":192,"kc":256,"mr":8,"nr":24,"pack":true,"swap":true,"par":"outer"}'
config[lu]='{"NB":128,"PW":16,"nc":768,"nr":16,"mc":24,"mr":12,"kc":128,"order":["jo","ko","io"],"pack":true,"par":"io","pmc":48,"pnc":240,"RB":16,"SW":64,"dvec":true}'
config[cholesky]='{"NB":128,"PW":16,"W":384,"DB":48,"nr":16,"mc":48,"mr":6,"packb":false,"uk":4,"par":"io","pnc":96,"SW":64,"dvec":true,"du":4}'
config[gemm]='{}'
config[syrk]='{}'
config[trmm]='{}'
if [ "$size" != large ]; then for k in "${!config[@]}"; do config[$k]='{}'; done; fi

# PolyBench 4.2's problem sizes of each kernel, for the OpenBLAS side.
declare -A dims
case $size in
mini) dims=([3mm]="16 18 20 22 24" [lu]=40 [gemm]="20 25 30" [syrk]="20 30" [trmm]="20 30") ;;
small) dims=([3mm]="40 50 60 70 80" [lu]=120 [gemm]="60 70 80" [syrk]="60 80" [trmm]="60 80") ;;
medium) dims=([3mm]="180 190 200 210 220" [lu]=400 [gemm]="200 220 240" [syrk]="200 240" [trmm]="200 240") ;;
large) dims=([3mm]="800 900 1000 1100 1200" [lu]=2000 [gemm]="1000 1100 1200" [syrk]="1000 1200" [trmm]="1000 1200") ;;
extralarge) dims=([3mm]="1600 1800 2000 2200 2400" [lu]=4000 [gemm]="2000 2300 2600" [syrk]="2000 2600" [trmm]="2000 2600") ;;
*) echo "bench_linalg: unknown size '$size'" >&2; exit 2 ;;
esac
dims[cholesky]=${dims[lu]}

blas() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$1" "$work/openblas_ref" "${@:2}"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
isa() {
  local f
  f=$(grep -m1 '^flags' /proc/cpuinfo)
  for x in avx512f avx2 fma avx; do
    case " $f " in *" $x "*) printf '%s ' "$x" ;; esac
  done
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores, vector ISA: $(isa)"
echo "compiler: $(${CC:-cc} --version | head -1)"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-<unset>} in this shell; both unset for OpenBLAS runs"
echo "OpenBLAS: $(blas 1 info)"
blas 1 check | sed 's/^/OpenBLAS self-check: /'
echo "mode: $mode, size: $size, kernels: $kernels, threads: $threads, repeats: $repeats (medians of medians)"
echo "load average at the start: $(load)"
echo

# The trials stored by the latest session at $2 threads in database $1
# (0 without one): a task's thread count is in its machine fingerprint.
stored_trials() {
  [ -f "$1" ] || { echo 0; return; }
  "$cli" history --db "$1" --json 2>/dev/null |
    python3 -c 'import json, sqlite3, sys
try:
    s = json.load(sys.stdin)
except ValueError:
    s = []
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
threads = {i: json.loads(f).get("threads") for i, f in db.execute("select id, fingerprint from tasks")}
s = [x for x in s if threads.get(x["task"]) == int(sys.argv[2])]
print(s[-1]["trials"] if s else 0)' "$1" "$2"
}

# Tunes kernel $1 at $2 threads into its database: resumes this task's
# latest session with TRIALS more trials, or starts one (also when the
# kernel file changed since that session). Prints the best
# configuration as compact JSON on stdout; progress on stderr.
tune_one() {
  local k=$1 t=$2 db="$db_dir/$1.db" n out rc=0
  mkdir -p "$db_dir"
  n=$(stored_trials "$db" "$t")
  out="$work/tune-$k-$t.json"
  if [ "$n" -gt 0 ]; then
    "$cli" tune "$k" --size "$size" --template blocked --threads "$t" --db "$db" --resume \
      --trials $((n + trials)) --strategy "$strategy" --out "$work/out" --json >"$out" 2>"$work/tune.err" || rc=$?
    if [ $rc -eq 2 ] && grep -q 'no stored task' "$work/tune.err"; then n=0; rc=0; fi
    if [ $rc -eq 2 ] && grep -q 'cannot resume session' "$work/tune.err"; then
      echo "$k: the kernel file changed since its stored session; a new session" >&2
      n=0 rc=0
    fi
  fi
  if [ "$n" -eq 0 ]; then
    "$cli" tune "$k" --size "$size" --template blocked --threads "$t" --db "$db" \
      --trials "$trials" --strategy "$strategy" --config "${config[$k]}" --out "$work/out" \
      --json >"$out" 2>"$work/tune.err" || rc=$?
  fi
  if [ $rc -ne 0 ]; then
    echo "tetune tune $k --threads $t failed (exit $rc):" >&2
    tail -5 "$work/tune.err" >&2
    return 1
  fi
  python3 - "$out" "$k" "$t" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
b = r["best"]
print(f"tuned {sys.argv[2]} at {sys.argv[3]} threads: {r['trials']} trials in the session "
      f"({r['measured']} measured now, {r['reused']} reused), best {b['time_s']:.4f} s "
      f"{b['gflops']:.2f} GFLOP/s", file=sys.stderr)
print(json.dumps(b["config"], separators=(",", ":")))
EOF
}

declare -A best
if [ "$mode" = tune ]; then
  for k in $kernels; do
    for t in $tune_threads; do
      echo "tuning $k at $size, $t threads, $trials trials ($strategy), load average $(load)"
      best[$k,$t]=$(tune_one "$k" "$t") || {
        echo "  (tuning $k failed: its fixed configuration is timed instead)"
        best[$k,$t]=${config[$k]}
      }
    done
  done
  echo "load average after tuning: $(load)"
  echo
fi

# The configuration timed for kernel $1 at $2 threads.
config_for() {
  local first
  if [ "$mode" = quick ]; then echo "${config[$1]}"; return; fi
  if [ -n "${best[$1,$2]:-}" ]; then echo "${best[$1,$2]}"; return; fi
  first=${tune_threads%% *}
  echo "${best[$1,$first]}"
}

# One OpenBLAS measurement of kernel $2 at $1 threads, as raw lines.
blas_rows() {
  local d=${dims[$2]}
  case $2 in
  3mm) blas "$1" 3mm $d 7 | sed "s/^/3mm\t$1\tblas_3mm\t/" ;;
  lu)
    blas "$1" lu_nopiv "$d" 5 | sed "s/^/lu\t$1\tblas_nopiv\t/"
    blas "$1" getrf "$d" 7 | sed "s/^/lu\t$1\tblas_getrf\t/"
    ;;
  cholesky) blas "$1" potrf "$d" 7 | sed "s/^/cholesky\t$1\tblas_potrf\t/" ;;
  gemm | syrk | trmm) blas "$1" "$2" $d 7 | sed "s/^/$2\t$1\tblas_$2\t/" ;;
  esac
}

# Each tetune measurement is followed at once by OpenBLAS's for the same
# kernel, so that both see the same machine (it may be shared). Each
# repeat uses a fresh compile cache, so that the naive reference (timed
# once per cache) is timed REPEATS times too.
raw="$work/raw.tsv"
: >"$raw"
for t in $threads; do
  echo "timing at $t threads: load average $(load) at the start"
  for r in $(seq "$repeats"); do
    export TETUNE_CACHE_DIR="$work/cache-$t-$r"
    for k in $kernels; do
      cfg=$(config_for "$k" "$t")
      "$cli" run "$k" --size "$size" --template blocked --config "$cfg" \
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
  echo "timing at $t threads: load average $(load) at the end"
done
echo

python3 - "$raw" "$kernels" <<'EOF'
import statistics, sys
rows, flops, extra = {}, {}, {}
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
names = {"tetune": "tetune (best)", "naive": "naive reference", "blas_3mm": "OpenBLAS 3 x dgemm",
         "blas_getrf": "OpenBLAS dgetrf (pivots)", "blas_nopiv": "OpenBLAS no-pivot trsm+gemm",
         "blas_potrf": "OpenBLAS dpotrf", "blas_gemm": "OpenBLAS dgemm", "blas_syrk": "OpenBLAS dsyrk",
         "blas_trmm": "OpenBLAS dtrmm"}
baseline = {"3mm": ["blas_3mm"], "lu": ["blas_nopiv", "blas_getrf"], "cholesky": ["blas_potrf"],
            "gemm": ["blas_gemm"], "syrk": ["blas_syrk"], "trmm": ["blas_trmm"]}
target = {"3mm": 1.0, "lu": 1.0, "cholesky": 0.9, "gemm": 0.9, "syrk": 0.9, "trmm": 0.9}
def sec(x):
    return f"{x:.4f}" if x >= 0.01 else f"{x:.2e}"
def spread(v):
    m = statistics.median(v)
    return f"{sec(min(v))}..{sec(max(v))} (+-{50 * (max(v) - min(v)) / m:.0f}%)"
print(f"{'kernel':9} {'thr':>3}  {'implementation':29} {'time s':>8} {'GFLOP/s':>8}  "
      f"{'x BLAS':>11} {'x naive':>7}  spread of the medians")
summary = []
for k in sys.argv[2].split():
    ts = sorted({key[1] for key in rows if key[0] == k})
    for t in ts:
        med = {impl: statistics.median(v) for (kk, tt, impl), v in rows.items() if kk == k and tt == t}
        for impl in ["tetune"] + baseline[k] + ["naive"]:
            if impl not in med:
                continue
            tm = med[impl]
            gf = flops[k] / tm * 1e-9
            vs_blas = vs_naive = ""
            if impl == "tetune":
                vs_blas = " / ".join(f"{med[b] / tm:.2f}" for b in baseline[k] if b in med)
                vs_naive = f"{med['naive'] / tm:.1f}"
                b0 = baseline[k][0]
                summary.append((k, t, med[b0] / tm, target[k]))
            print(f"{k:9} {t:>3}  {names[impl]:29} {sec(tm):>8} {gf:8.2f}  {vs_blas:>11} {vs_naive:>7}  "
                  f"{spread(rows[(k, t, impl)])}")
        print(f"{'':15}config: {extra[(k, t, 'tetune')]}")
        for b in baseline[k]:
            if (k, t, b) in extra:
                print(f"{'':15}{names[b]}: {extra[(k, t, b)]}")
    if 1 in ts and 2 in ts:
        def ratio(impl):
            return statistics.median(rows[(k, 2, impl)]) / statistics.median(rows[(k, 1, impl)])
        print(f"{'':15}2t/1t time: tetune {ratio('tetune'):.2f}, "
              f"{names[baseline[k][0]]} {ratio(baseline[k][0]):.2f} (target <= 0.55)")
print()
print("targets (quiet machine): 3mm, lu >= 1.0 x OpenBLAS (lu: the no-pivot LU); "
      "cholesky, gemm, syrk, trmm >= 0.9 x")
for k, t, r, want in summary:
    print(f"  {k:9} {t} threads: {r:.2f} x {'(met)' if r >= want else '(below)'}")
EOF
echo "load average at the end: $(load)"
