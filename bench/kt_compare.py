"""tetune's BO against Kernel Tuner's search strategies on recorded
exhaustive datasets.

Kernel Tuner (PyPI: kernel_tuner) replays a tuning run from a cache file in
its simulation mode, so its own strategies (its Bayesian optimisation,
random sampling, genetic algorithm, ...) can be run, with their defaults, on
the same recorded datasets as tetune's replay. For each dataset this writes
a Kernel Tuner cache of it (the pnpoly file is one; a T4 file is converted),
runs every strategy K times with a budget of N unique evaluations, and
prints per strategy the evaluations to get within 5% of the optimum (median
over all seeds, a seed that never got there counting as beyond the budget)
and the median best time found, next to tetune's bo replayed in the same run
(tetune replay --json).

Both see the same space. Kernel Tuner gets every parameter's values and, as
a restriction, the configurations present in the dataset (tetune's replay
treats absent ones as invalid); a configuration that failed in the dataset
stays in its space and fails when evaluated, as in tetune's replay, so both
spend evaluations on failures. A second line per strategy ("failures told")
leaves the failed configurations out of Kernel Tuner's space, as its own
tune_cache() does: it is then told in advance what tetune has to learn.
The difference matters most to Kernel Tuner's Bayesian optimisation, which
fits its model on the successful evaluations alone: it does not learn where
configurations fail and keeps proposing there (in one pnpoly run, eleven
failing configurations in a row).

An evaluation is a unique configuration in the order Kernel Tuner first
tried it: its strategies revisit configurations, which the cache serves
without measuring again.

Kernel Tuner's strategies take their random numbers from Python's and
NumPy's global generators, seeded here per run, except its Latin hypercube
samples (scipy.stats.qmc.LatinHypercube without a seed: fresh entropy each
time), which its Bayesian optimisation and several others start from. Those
strategies are therefore not reproducible under a seed, and their medians
move between runs of this script by more than tetune's do (seeded, exactly
reproducible): diff_evo's on pnpoly was 46 in one run and 72 in another,
25 seeds each.

usage: python kt_compare.py TETUNE DATASET SEEDS BUDGET STRATEGIES
(see kt_compare.sh)
"""
import json
import os
import random
import sys
import tempfile
import warnings

import numpy as np
from constraint import FunctionConstraint
from kernel_tuner import tune_kernel

from recorded import begin, summary


def write_cache(path, names, values, table):
    """A Kernel Tuner cache of table (failures as RuntimeFailedConfig)."""
    cache = {}
    for key, t in table.items():
        entry = {n: values[i][k] for i, (n, k) in enumerate(zip(names, key))}
        entry["time"] = t if t is not None else "RuntimeFailedConfig"
        cache[",".join(str(entry[n]) for n in names)] = entry
    doc = {"device_name": "recorded", "kernel_name": "recorded", "problem_size": [1],
           "tune_params_keys": names, "tune_params": dict(zip(names, values)),
           "objective": "time", "cache": cache}
    with open(path, "w") as f:
        json.dump(doc, f)


def run_kt(cache_path, names, values, space, strategy, seed, budget, target):
    """Evaluations to reach target (None if never) and the best time, with
    Kernel Tuner's space restricted to the configurations in space (tuples
    of values in names' order)."""
    random.seed(seed)
    np.random.seed(seed)

    def restrict(*p):  # the values of one configuration, in names' order
        return p in space

    results, _ = tune_kernel("recorded", "/* replayed from the cache */", (1,), [],
                             dict(zip(names, values)), restrictions=[FunctionConstraint(restrict)],
                             cache=cache_path, simulation_mode=True, strategy=strategy,
                             strategy_options={"max_fevals": budget}, quiet=True,
                             verbose=False)
    seen, best, reached = set(), float("inf"), None
    for r in results:
        key = tuple(r[n] for n in names)
        if key in seen:
            continue
        seen.add(key)
        if len(seen) > budget:
            break
        t = r.get("time")
        if "__error__" not in r and isinstance(t, (int, float)):
            best = min(best, t)
        if reached is None and best <= target:
            reached = len(seen)
    return reached, best


def main():
    tetune, path = sys.argv[1], sys.argv[2]
    seeds, budget = int(sys.argv[3]), int(sys.argv[4])
    strategies = sys.argv[5].split(",")
    warnings.filterwarnings("ignore")
    names, values, table, target = begin(tetune, path, seeds, budget, 46)
    with tempfile.TemporaryDirectory() as tmp:
        cache_path = os.path.join(tmp, "cache.json")
        write_cache(cache_path, names, values, table)
        # every configuration in the dataset, and those that did not fail
        spaces = [{tuple(values[i][k] for i, k in enumerate(key))
                   for key, t in table.items() if t is not None or not told}
                  for told in (False, True)]
        for strategy in strategies:
            for told, space in enumerate(spaces):
                evals, bests = [], []
                for seed in range(1, seeds + 1):
                    e, b = run_kt(cache_path, names, values, space, strategy, seed, budget,
                                  target)
                    evals.append(e)
                    bests.append(b)
                name = f"kernel_tuner {strategy}" + (", failures told" if told else "")
                print(f"  {name:<46}{summary(evals, bests, budget)}", flush=True)


if __name__ == "__main__":
    main()
