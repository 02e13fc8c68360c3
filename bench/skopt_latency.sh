#!/usr/bin/env bash
# BO's ask latency against scikit-optimize's, measured in the same run on
# the same problem (issue 4: tetune's ask with 1,000 observations under
# 10 ms on one core; skopt's forest, which bo's rf surrogate is modelled
# on, takes far longer). Runs bench/ask_latency.sh, then
# bench/skopt_latency.py in a virtual environment that it makes (needs PyPI)
# and prints the ratios of the mean latencies. One core: BLAS and OpenMP
# threads are pinned to 1.
# usage: bench/skopt_latency.sh [BUILD_DIR] [OBSERVATIONS] [ESTIMATORS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
n=${2:-1000}
estimators=${3:-RF,ET}
venv=${TT_SKOPT_VENV:-$build/skopt-venv}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
python=$("$here/bench/skopt_venv.sh" "$venv")
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$here/bench/ask_latency.sh" "$build" "$n" | tee "$out"
"$python" "$here/bench/skopt_latency.py" "$n" 10 "$estimators" | tee -a "$out"
python3 - "$out" <<'PY'
import re, sys
mean = {}
for line in open(sys.argv[1]):
    m = re.match(r"(bo\((?:defaults|surrogate=rf)\)|skopt \w+) with \d+ observations: mean ([\d.]+) ms", line)
    if m:
        mean[m.group(1)] = float(m.group(2))
for tt in ("bo(defaults)", "bo(surrogate=rf)"):
    for sk in sorted(k for k in mean if k.startswith("skopt")):
        if tt in mean:
            print(f"{sk} / {tt}: {mean[sk] / mean[tt]:.0f}x the mean ask latency")
PY
