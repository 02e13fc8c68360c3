"""tetune's BO against a ytopt-style BO on recorded exhaustive datasets.

ytopt's search (AMBS) is scikit-optimize's Optimizer with a random-forest
surrogate, the gp_hedge acquisition portfolio and 10 random initial points;
this runs exactly that (skopt's defaults otherwise) on a Kernel Tuner cache
or T4 results file, K seeds with a budget of N evaluations each, and prints
per seed set the evaluations to get within 5% of the dataset's optimum
(median over all seeds, a seed that never got there counting as beyond the
budget) and the median best time found, next to tetune's bo replayed on the
same dataset in the same run (tetune replay --json).

Each parameter is an ordinal knob over its values (skopt Integer over the
value index); configurations absent from the dataset are excluded with
skopt's space_constraint, as tetune's replay treats them as invalid. A
configuration that failed in the dataset is told with the worst time seen
so far, as skopt cannot learn failures; it counts as an evaluation for both.

usage: python ytopt_compare.py TETUNE DATASET [SEEDS] [BUDGET]
(see ytopt_compare.sh)
"""
import sys
import warnings

from skopt import Optimizer
from skopt.space import Integer

from recorded import begin, summary


def run_skopt(values, table, seed, budget, target):
    """Evaluations to reach target (None if never) and the best time."""
    free = [i for i, v in enumerate(values) if len(v) > 1]  # knobs with a choice

    def key(x):  # skopt point -> dataset key (single-valued knobs at index 0)
        k = [0] * len(values)
        for i, v in zip(free, x):
            k[i] = int(v)
        return tuple(k)

    dims = [Integer(0, len(values[i]) - 1) for i in free]
    opt = Optimizer(dims, base_estimator="RF", acq_func="gp_hedge", n_initial_points=10,
                    random_state=seed, space_constraint=lambda x: key(x) in table)
    best, worst, reached = float("inf"), None, None
    for i in range(budget):
        x = opt.ask()
        t = table.get(key(x))
        if t is not None:
            best = min(best, t)
            worst = t if worst is None else max(worst, t)
        y = t if t is not None else (worst if worst is not None else 1.0)
        opt.tell(x, y)
        if reached is None and best <= target:
            reached = i + 1
    return reached, best


def main():
    tetune, path = sys.argv[1], sys.argv[2]
    seeds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    budget = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    warnings.filterwarnings("ignore", message="The objective has been evaluated")
    names, values, table, target = begin(tetune, path, seeds, budget, 20)
    evals, bests = [], []
    for seed in range(1, seeds + 1):
        e, b = run_skopt(values, table, seed, budget, target)
        evals.append(e)
        bests.append(b)
    print(f"  ytopt-style (skopt) {summary(evals, bests, budget)}", flush=True)


if __name__ == "__main__":
    main()
