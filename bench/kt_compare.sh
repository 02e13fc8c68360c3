#!/usr/bin/env bash
# tetune's BO against Kernel Tuner's search strategies (its Bayesian
# optimisation, random sampling, genetic algorithm, particle swarm, dual and
# simulated annealing, greedy ILS, differential evolution; each with its
# defaults) on the two recorded datasets, replayed by both in the same run:
# evaluations to within 5% of the optimum and the median best found. Kernel
# Tuner comes from PyPI into a virtual environment under the build
# directory. Two settings: failures in the space, and restricted to the
# dataset's valid rows (tetune replay --restricted); Kernel Tuner's
# bayes_opt runs with its simulation clock and with a realistic one
# (EVAL_S seconds an evaluation, default 1), which refits as a real run
# does. See bench/kt_compare.py for why, and for how the two are made to
# see the same space and count evaluations alike.
# Time: bayes_opt alone at 50 seeds took 45 minutes on a loaded 2-core
# machine; every strategy takes longer.
# usage: bench/kt_compare.sh [BUILD_DIR] [SEEDS] [BUDGET] [STRATEGIES] [EVAL_S]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
seeds=${2:-50}
budget=${3:-200}
strategies=${4:-bayes_opt,random_sample,genetic_algorithm,pso,dual_annealing,simulated_annealing,greedy_ils,diff_evo}
eval_s=${5:-1}
[ -x "$build/tetune" ] || { echo "$0: $build/tetune not built" >&2; exit 2; }
python=$("$here/bench/py_venv.sh" "${TT_KT_VENV:-$build/kt-venv}" kernel_tuner kernel_tuner scikit-learn)
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
"$python" -c 'import kernel_tuner; print("Kernel Tuner", kernel_tuner.__version__)'
for d in pnpoly_RTX_3090.kt-cache.json.gz convolution_A4000.t4.json.gz; do
  "$python" "$here/bench/kt_compare.py" "$build/tetune" "$here/tests/data/recorded/$d" \
    "$seeds" "$budget" "$strategies" "$eval_s"
done
