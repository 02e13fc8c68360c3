#!/usr/bin/env bash
# Ablation benchmark (issue 32): bo's defaults against bo with one
# component removed at a time, and against the reference bo(profile=plain),
# on the search-quality objectives (bench/search_quality.sh's replays), each
# strategy on the same seeds. Prints per objective and variant the all-seed
# median evaluations to 5% with its 95% interval, the seeds that got there
# and the methodology score, and the change against the defaults: a
# component pays where removing it makes the median worse by more than the
# intervals' overlap allows (the verdict column), and is a candidate to
# turn off where removing it makes no objective worse.
# Components (the option that removes each):
#   additive=0   the GP's main-effects term      linear=0    its linear term
#   add_floor=0  the main-effects floor          codes_add=0 codes out of the term
#   tr=1         adds the trust region (off by default since the ablation
#                of docs/search-decisions.md)    probe=0     probing a stall
#   stall=0      the stall rule (LCB's kappa)    feas_pairs=0 pair features
#   local=0      perturbation candidates         neighbours=0 neighbour candidates
#   climb=0      hill-climbing the acquisition   acq=ei      the hedge (EI alone)
# usage: bench/ablation.sh [--seeds K] [--first-seed S] [--budget N] [--tetune PATH]
#                          [--objectives LIST] [--components LIST] [--extra LIST]
#                          [--keep DIR] [--summarise DIR...] [--markdown] [--no-plain]
# --extra adds whole strategies, ';'-separated (e.g. "bo(improve=0.001)"),
# after the components. Each strategy runs as its own replay: --keep DIR
# keeps each replay's JSON there as it finishes, and a rerun with the same
# DIR skips what is there (a run cut short keeps what it has);
# --summarise DIR prints the table from such a directory, running nothing
# (several, comma-separated, are merged); --markdown prints one table, a
# row per variant and a column per objective, for docs/. --no-plain leaves
# out the reference bo(profile=plain), which no default of bo changes.
# Defaults: 200 seeds from 101 (not the seeds the defaults were chosen on),
# budget 200, the five objectives of search_quality.sh at budget 200
# (rosenbrock needs 1000 and is left to --objectives). Slow: 14
# strategies x 200 seeds x 5 objectives of bo, about 40 CPU minutes (replay
# stops a seed once it has the optimum; convolution, which seldom finds it,
# takes over half); run it with nice.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seeds=200
first=101
budget=200
tetune="$here/build/tetune"
data="$here/tests/data/recorded"
objectives="$data/pnpoly_RTX_3090.kt-cache.json.gz,synthetic:branin,synthetic:ackley"
objectives+=",synthetic:tiles,$data/convolution_A4000.t4.json.gz"
components="additive=0,linear=0,add_floor=0,codes_add=0,tr=1,probe=0,stall=0,feas_pairs=0"
components+=",local=0,neighbours=0,climb=0,acq=ei"
extra=""
# Components that cannot change a trace on an objective (COMPONENT@FILE):
# the objective has no codes (codes_add), no knob of 4 or fewer values
# (probe) or never fails (feas_pairs: the feasibility model is never
# fitted). Those cells are reported as bo's own, not run.
same_as_bo="codes_add=0@synthetic:branin,codes_add=0@synthetic:ackley,codes_add=0@synthetic:tiles"
same_as_bo+=",codes_add=0@convolution_A4000.t4.json.gz,probe=0@synthetic:branin"
same_as_bo+=",probe=0@synthetic:ackley,feas_pairs=0@synthetic:branin,feas_pairs=0@synthetic:ackley"
keep=""
summarise=""
markdown=0
plain=1
while [ $# -gt 0 ]; do
  case "$1" in
  --seeds) seeds=$2; shift 2 ;;
  --first-seed) first=$2; shift 2 ;;
  --budget) budget=$2; shift 2 ;;
  --tetune) tetune=$2; shift 2 ;;
  --objectives) objectives=$2; shift 2 ;;
  --components) components=$2; shift 2 ;;
  --extra) extra=$2; shift 2 ;;
  --keep) keep=$2; shift 2 ;;
  --summarise) summarise=$2; shift 2 ;;
  --markdown) markdown=1; shift ;;
  --no-plain) plain=0; shift ;;
  *) echo "usage: $0 [--seeds K] [--first-seed S] [--budget N] [--tetune PATH] [--objectives LIST] [--components LIST] [--extra LIST] [--keep DIR] [--summarise DIR] [--markdown] [--no-plain]" >&2
     exit 2 ;;
  esac
done
if [ -n "$summarise" ]; then
  out=$summarise
else
  [ -x "$tetune" ] || { echo "$0: $tetune not built" >&2; exit 2; }
  strategies=("bo")
  [ "$plain" = 1 ] && strategies+=("bo(profile=plain)")
  IFS=, read -r -a comps <<< "$components"
  for c in "${comps[@]}"; do strategies+=("bo($c)"); done
  if [ -n "$extra" ]; then
    IFS=';' read -r -a more <<< "$extra"
    strategies+=("${more[@]}")
  fi
  if [ -n "$keep" ]; then
    out=$keep
    mkdir -p "$out"
  else
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
  fi
  IFS=, read -r -a objs <<< "$objectives"
  i=0
  for obj in "${objs[@]}"; do
    j=0
    for strat in "${strategies[@]}"; do
      f="$out/$i.$j.json"
      j=$((j + 1))
      [ -s "$f" ] && continue # kept from an earlier run cut short
      c=${strat#bo(}
      c=${c%)}
      if [[ ",$same_as_bo," == *",$c@$(basename "$obj")"* ]]; then
        echo "{\"dataset\": \"$(basename "$obj")\", \"same_as_bo\": \"$strat\"}" > "$f"
        continue
      fi
      start=$(date +%s)
      "$tetune" replay "$obj" --strategies "$strat" --budget "$budget" --seeds "$seeds" \
        --first-seed "$first" --json > "$f.part"
      mv "$f.part" "$f"
      echo "$(basename "$obj") $strat: $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    done
    i=$((i + 1))
  done
fi
python3 - "$out" "$markdown" <<'PY'
import json, os, sys
dirs, markdown = sys.argv[1].split(","), sys.argv[2] == "1"
# one file per replay, I.J.json (objective I, strategy J), or I.json with
# several strategies; merged per objective in order, directory by directory
groups = {}
for n, out in enumerate(dirs):
    for f in os.listdir(out) if os.path.isdir(out) else []:
        if not f.endswith(".json"):
            continue
        key = tuple(int(p) for p in f[:-5].split("."))
        groups.setdefault((n, key[0]), []).append((key, os.path.join(out, f)))
def cell(e, budget):
    return f">{budget}" if e is None else f"{e:g}"
table = {}  # markdown: variant -> {objective: cell}
objectives = []
for i in sorted(groups):
    head, st, same = None, {}, []
    for _, f in sorted(groups[i]):
        d = json.load(open(f))
        if "same_as_bo" in d:
            same.append(d["same_as_bo"])
            continue
        head = head or d
        st.update(d["strategies"])
    if head is None or "bo" not in st:
        continue
    if markdown:
        name = os.path.basename(head["dataset"]).split("_")[0].replace("synthetic:", "")
        objectives.append(name)
        b = head["budget"]
        for v in list(st) + same:
            m = st.get(v, st["bo"])
            lo, hi = m["evals_to_5pct_all_ci"]
            c = (f"{cell(m['evals_to_5pct_all'], b)} [{cell(lo, b)}, {cell(hi, b)}] "
                 f"{m['reached_5pct']}, {m['score']:.3f}")
            table.setdefault(v, {})[name] = c + (" (no-op)" if v in same else "")
        continue
    b = head["budget"]
    print(f"\n{head['dataset']} (budget {b}, {head['seeds']} seeds {head['first_seed']}..)")
    print(f"  {'variant':<24}{'to 5%':>7}{'95% interval':>15}{'reached':>9}{'score':>8}  verdict")
    ref = st["bo"]
    rlo, rhi = (x if x is not None else b + 1 for x in ref["evals_to_5pct_all_ci"])
    for name in list(st) + same:
        m = st.get(name, ref)
        lo, hi = (x if x is not None else b + 1 for x in m["evals_to_5pct_all_ci"])
        med = m["evals_to_5pct_all"]
        if name == "bo":
            verdict = "reference"
        elif name in same:
            verdict = "no-op here: bo's own figures"
        elif lo > rhi:
            verdict = "worse without it: it pays"
        elif hi < rlo:
            verdict = "better without it"
        else:
            verdict = "within the intervals"
        ci = f"{cell(m['evals_to_5pct_all_ci'][0], b)}..{cell(m['evals_to_5pct_all_ci'][1], b)}"
        print(f"  {name:<24}{cell(med, b):>7}{ci:>15}{m['reached_5pct']:>5}/{head['seeds']:<3}"
              f"{m['score']:8.3f}  {verdict}")
if markdown:
    print("| variant | " + " | ".join(objectives) + " |")
    print("| --- |" + " --- |" * len(objectives))
    for v, row in table.items():
        print(f"| {v} | " + " | ".join(row.get(o, "not run") for o in objectives) + " |")
PY
