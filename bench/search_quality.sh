#!/usr/bin/env bash
# Search quality benchmark (issue 4): replays every strategy on the two
# recorded datasets and the synthetic functions, K seeds each, and prints
# per objective the evaluations to get within 5% of the optimum (median over
# the seeds that got there, with how many did), the methodology score, and
# how Bayesian optimisation compares with the baselines:
#   target: bo needs <= 1/2 of the best baseline's evaluations to 5%,
#           <= 1/4 of random search's, and scores higher than all of them.
#
# usage: bench/search_quality.sh [--seeds K] [--budget N] [--tetune PATH]
#                                [--strategies LIST] [--objectives LIST]
# Defaults: 25 seeds, budget 200, build/tetune, bo,random,grid,ga,xgb, the
# two datasets under ../shared/data/recorded and synthetic branin, ackley,
# rosenbrock and tiles. Needs python3 for the summary table.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
seeds=25
budget=200
tetune="$here/build/tetune"
strategies="bo,random,grid,ga,xgb"
data="$here/tests/data/recorded"
objectives="$data/pnpoly_RTX_3090.kt-cache.json.gz,$data/convolution_A4000.t4.json.gz"
objectives+=",synthetic:branin,synthetic:ackley,synthetic:rosenbrock,synthetic:tiles"

while [ $# -gt 0 ]; do
  case "$1" in
  --seeds) seeds=$2; shift 2 ;;
  --budget) budget=$2; shift 2 ;;
  --tetune) tetune=$2; shift 2 ;;
  --strategies) strategies=$2; shift 2 ;;
  --objectives) objectives=$2; shift 2 ;;
  *) echo "usage: $0 [--seeds K] [--budget N] [--tetune PATH] [--strategies LIST] [--objectives LIST]" >&2
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
  "$tetune" replay "$obj" --strategies "$strategies" --budget "$budget" --seeds "$seeds" --json \
    > "$out/$i.json"
  echo "$(basename "$obj"): $(( $(date +%s) - start )) s" >&2
  i=$((i + 1))
done

python3 - "$out" "$budget" <<'EOF'
import json, math, os, sys
out, budget = sys.argv[1], int(sys.argv[2])
files = sorted((f for f in os.listdir(out) if f.endswith(".json")), key=lambda f: int(f[:-5]))
met = {"half_best": 0, "quarter_random": 0, "top_score": 0}
total = 0
for f in files:
    d = json.load(open(os.path.join(out, f)))
    st = d["strategies"]
    print(f"\n{d['dataset']}  (optimum {d['optimum']:.6g}, budget {d['budget']}, {d['seeds']} seeds)")
    print(f"  {'strategy':<10} {'score':>7} {'to 5%':>7} {'reached':>8} {'to 1%':>7} {'best mean':>11}")
    for name, m in st.items():
        e5 = m["evals_to_5pct"]
        e1 = m["evals_to_1pct"]
        print(f"  {name:<10} {m['score']:7.3f} {('-' if e5 is None else f'{e5:.1f}'):>7} "
              f"{m['reached_5pct']:>4}/{d['seeds']:<3} {('-' if e1 is None else f'{e1:.1f}'):>7} "
              f"{m['best_mean']:11.5g}")
    if "bo" not in st:
        continue
    total += 1
    bo = st["bo"]
    base = {k: v for k, v in st.items() if k != "bo"}
    # a strategy that never got within 5% counts as needing more than the
    # budget (budget + 1), so bo meets a ratio against it only by being at or
    # under that fraction of the budget
    ev = lambda m: m["evals_to_5pct"] if m["evals_to_5pct"] is not None else budget + 1
    best_base = min((ev(m), k) for k, m in base.items()) if base else (budget + 1, "-")
    bo_e = ev(bo)
    # bo's median counts only when most of its seeds got there: 2 lucky
    # seeds out of 25 are not a median of the runs
    most = 2 * bo["reached_5pct"] > d["seeds"]
    half = most and bo_e <= best_base[0] / 2
    quarter = most and "random" in base and bo_e <= ev(base["random"]) / 4
    top = all(bo["score"] > m["score"] for m in base.values())
    met["half_best"] += half
    met["quarter_random"] += quarter
    met["top_score"] += top
    ratio = lambda a, b: "-" if a > budget else (f"{a / b:.2f}" if b <= budget else f"<{a / b:.2f}")
    print(f"  bo vs best baseline ({best_base[1]}): {ratio(bo_e, best_base[0])}x evaluations"
          f" [{'met' if half else 'missed'} <= 0.5]; vs random: "
          f"{ratio(bo_e, ev(base['random'])) if 'random' in base else '-'}x"
          f" [{'met' if quarter else 'missed'} <= 0.25]; highest score: {'yes' if top else 'no'}")
print(f"\ntargets met on {total} objectives: <= half the best baseline {met['half_best']}, "
      f"<= quarter of random {met['quarter_random']}, highest score {met['top_score']}")
print("note: 'to 5%' is the median over the seeds that got there (see 'reached'),")
print("so a baseline that rarely gets there can look faster than it is; bo meets a")
print("ratio only when more than half of its seeds got there.")
EOF
