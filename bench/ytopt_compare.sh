#!/usr/bin/env bash
# tetune's BO against a ytopt-style BO (scikit-optimize's Optimizer with a
# random forest, gp_hedge and 10 initial points, as ytopt's AMBS runs it) on
# the two recorded datasets, in the same run: evaluations to within 5% of the
# optimum and the median best found. skopt comes from PyPI into a virtual
# environment under the build directory. One core for skopt (BLAS threads
# pinned to 1); about 0.4 s a skopt evaluation, so the defaults (10 seeds,
# budget 100) take some 15 minutes.
# usage: bench/ytopt_compare.sh [BUILD_DIR] [SEEDS] [BUDGET]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
seeds=${2:-10}
budget=${3:-100}
[ -x "$build/tetune" ] || { echo "$0: $build/tetune not built" >&2; exit 2; }
python=$("$here/bench/skopt_venv.sh" "${TT_SKOPT_VENV:-$build/skopt-venv}")
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
for d in pnpoly_RTX_3090.kt-cache.json.gz convolution_A4000.t4.json.gz; do
  "$python" "$here/bench/ytopt_compare.py" "$build/tetune" "$here/tests/data/recorded/$d" \
    "$seeds" "$budget"
done
