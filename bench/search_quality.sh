#!/usr/bin/env bash
# Search quality benchmark (issue 4): replays every strategy on the two
# recorded datasets and the synthetic functions, K seeds each, and prints
# per objective the evaluations to get within 5% of the optimum (median over
# all seeds, a seed that never got there counting as beyond the budget; and
# over the seeds that did), the methodology score, and how Bayesian
# optimisation compares with the baselines (random search by its exact
# median, computed from the dataset):
#   target: bo needs <= 1/2 of the best baseline's evaluations to 5%,
#           <= 1/4 of random search's, and scores higher than all of them.
#
# usage: bench/search_quality.sh [--seeds K] [--first-seed S] [--budget N]
#                                [--tetune PATH] [--strategies LIST]
#                                [--objectives LIST]
# Defaults: 25 seeds, budget 200, build/tetune, bo,random,grid,
# grid(order=autotvm),ga,xgb, the
# two datasets under tests/data/recorded and synthetic branin, ackley,
# rosenbrock and tiles. An objective written OBJ@N runs with budget N
# instead. Rosenbrock runs with 1000 by default: on its 17^4 grid only the
# optimum is within 5% (random search needs 41761 evaluations in median)
# and no strategy gets there within 200 evaluations in most seeds, so at
# 200 every median is censored and the targets cannot be judged; at 1000
# the baselines' medians are measured. Grid runs in both index orders:
# lexicographic (the issue's) and AutoTVM's (first knob fastest); the
# targets count both, and a line after each objective tells how bo fares
# when AutoTVM's order is the only grid (on pnpoly, grid's lexicographic 28
# evaluations are the knob order's luck: AutoTVM's order takes 1117).
# --first-seed S runs seeds S..S+K-1
# instead of 1..K: BO's defaults were chosen on seeds within 1..800, and a
# median moves by several evaluations from one seed set to another (bo,
# seeds 1..25 against 401..500: pnpoly 14 against 17, convolution 50
# against 66, branin 34 against 37, tiles 30 against 33.5). Needs python3
# for the summary table.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
seeds=25
first=1
budget=200
tetune="$here/build/tetune"
strategies="bo,random,grid,grid(order=autotvm),ga,xgb"
data="$here/tests/data/recorded"
objectives="$data/pnpoly_RTX_3090.kt-cache.json.gz,$data/convolution_A4000.t4.json.gz"
objectives+=",synthetic:branin,synthetic:ackley,synthetic:rosenbrock@1000,synthetic:tiles"

while [ $# -gt 0 ]; do
  case "$1" in
  --seeds) seeds=$2; shift 2 ;;
  --first-seed) first=$2; shift 2 ;;
  --budget) budget=$2; shift 2 ;;
  --tetune) tetune=$2; shift 2 ;;
  --strategies) strategies=$2; shift 2 ;;
  --objectives) objectives=$2; shift 2 ;;
  *) echo "usage: $0 [--seeds K] [--first-seed S] [--budget N] [--tetune PATH] [--strategies LIST] [--objectives LIST]" >&2
     exit 2 ;;
  esac
done
[ -x "$tetune" ] || { echo "$0: $tetune not built (cmake --build build)" >&2; exit 2; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
i=0
IFS=, read -r -a objs <<< "$objectives"
for obj in "${objs[@]}"; do
  start=$(date +%s)
  n=$budget
  if [[ "$obj" == *@* ]]; then
    n=${obj##*@}
    obj=${obj%@*}
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "$0: bad budget '$n' in '$obj@$n'" >&2; exit 2; }
  fi
  "$tetune" replay "$obj" --strategies "$strategies" --budget "$n" --seeds "$seeds" \
    --first-seed "$first" --json \
    > "$out/$i.json"
  echo "$(basename "$obj") (budget $n): $(( $(date +%s) - start )) s" >&2
  i=$((i + 1))
done

python3 - "$out" <<'EOF'
import json, os, sys
out = sys.argv[1]
files = sorted((f for f in os.listdir(out) if f.endswith(".json")), key=lambda f: int(f[:-5]))
met = {"half_best": 0, "quarter_random": 0, "top_score": 0, "half_best_autotvm": 0}
LEX, AUTOTVM = "grid", "grid(order=autotvm)"
total = 0
cell = lambda e: f">{budget}" if e is None else f"{e:g}"
# the all-seed median's 95% confidence interval (order statistics)
ci = lambda m: m.get("evals_to_5pct_all_ci") or [None, None]
def interval(m):
    lo, hi = ci(m)
    return "-" if lo is None and hi is None else f"{cell(lo)}..{cell(hi)}"
def verdict(m, limit, seeds):
    # met or missed whatever the seeds' luck: the interval lies on one side
    # (a bound beyond the budget is only known to exceed it)
    lo, hi = ci(m)
    if seeds < 6 or "evals_to_5pct_all_ci" not in m:
        return "no 95% interval"
    if hi is not None and hi <= limit:
        return "the whole 95% interval meets it"
    if (budget + 1 if lo is None else lo) > limit:
        return "the whole 95% interval misses it"
    return "undecided: inside the 95% interval"
for f in files:
    d = json.load(open(os.path.join(out, f)))
    budget = d["budget"]  # cell, verdict and ev below read this objective's budget
    st = d["strategies"]
    rnd = d["random_exact"]["evals_to_5pct"]
    seeds = f"{d['seeds']} seeds {d['first_seed']}..{d['first_seed'] + d['seeds'] - 1}"
    print(f"\n{d['dataset']}  (optimum {d['optimum']:.6g}, budget {d['budget']}, {seeds};"
          f" random search: {cell(rnd)} evaluations to 5%, exact median)")
    print(f"  {'strategy':<19} {'score':>7} {'to 5%':>7} {'95% interval':>13} {'reached':>8} "
          f"{'got there':>10} {'to 1%':>7} {'best mean':>11}")
    for name, m in st.items():
        e5, e1 = m["evals_to_5pct"], m["evals_to_1pct_all"]
        print(f"  {name:<19} {m['score']:7.3f} {cell(m['evals_to_5pct_all']):>7} "
              f"{interval(m):>13} {m['reached_5pct']:>4}/{d['seeds']:<3} "
              f"{('-' if e5 is None else f'{e5:g}'):>10} {cell(e1):>7} {m['best_mean']:11.5g}")
    if "bo" not in st:
        continue
    total += 1
    bo = st["bo"]["evals_to_5pct_all"]
    base = {k: v for k, v in st.items() if k != "bo"}
    # a median beyond the budget is known only to exceed it: bo meets a
    # ratio against it only when the ratio holds against budget + 1
    ev = lambda m: m["evals_to_5pct_all"] if m["evals_to_5pct_all"] is not None else budget + 1
    best_base = min((ev(m), k) for k, m in base.items()) if base else (budget + 1, "-")
    # the same with AutoTVM's grid order as the only grid
    alt = {k: m for k, m in base.items() if k != LEX}
    best_alt = min((ev(m), k) for k, m in alt.items()) if alt else (budget + 1, "-")
    half_alt = bo is not None and bo <= best_alt[0] / 2
    met["half_best_autotvm"] += half_alt
    half = bo is not None and bo <= best_base[0] / 2
    quarter = bo is not None and rnd is not None and bo <= rnd / 4
    top = all(st["bo"]["score"] > m["score"] for m in base.values())
    met["half_best"] += half
    met["quarter_random"] += quarter
    met["top_score"] += top
    ratio = lambda a, b: "-" if a is None else (f"{a / b:.2f}" if b <= budget else f"<{a / b:.2f}")
    who = best_base[1] if best_base[0] <= budget else f"none within {budget} in most seeds"
    q = "-" if bo is None or rnd is None else f"{bo / rnd:.3f}"
    print(f"  bo vs best baseline ({who}): {ratio(bo, best_base[0])}x evaluations"
          f" [{'met' if half else 'missed'} <= 0.5; {verdict(st['bo'], best_base[0] / 2, d['seeds'])}];"
          f" vs random search (exact): {q}x [{'met' if quarter else 'missed'} <= 0.25;"
          f" {verdict(st['bo'], rnd / 4 if rnd else 0, d['seeds'])}]; highest score: {'yes' if top else 'no'}")
    if LEX in st and AUTOTVM in st and best_alt != best_base:
        who = best_alt[1] if best_alt[0] <= budget else f"none within {budget} in most seeds"
        print(f"  with AutoTVM's grid order only: best baseline ({who}) {ratio(bo, best_alt[0])}x"
              f" [{'met' if half_alt else 'missed'} <= 0.5; {verdict(st['bo'], best_alt[0] / 2, d['seeds'])}]")
print(f"\ntargets met on {total} objectives: <= half the best baseline {met['half_best']}, "
      f"<= quarter of random {met['quarter_random']}, highest score {met['top_score']}")
if total:
    print(f"(<= half the best baseline with AutoTVM's grid order as the only grid: {met['half_best_autotvm']})")
print("note: 'to 5%' is the median over all seeds of the evaluations to get within 5%,")
print("a seed that never got there counting as more than the budget ('>N' when")
print("half or more never did); 'got there' is the median over the seeds that did.")
print("Random search's figure is computed exactly from the dataset, not sampled.")
print("'95% interval': a distribution-free confidence interval of 'to 5%' from the seeds'")
print("order statistics (none under 6 seeds). After each target: whether bo's whole interval")
print("meets or misses it, or the target lies inside the interval and more seeds are needed")
print("to tell (the baseline's median is taken as exact).")
EOF
