"""tetune's BO against Kernel Tuner's search strategies on recorded
exhaustive datasets, in two settings and, for Kernel Tuner, two clocks.

Kernel Tuner (PyPI: kernel_tuner) replays a tuning run from a cache file in
its simulation mode, so its own strategies (its Bayesian optimisation,
random sampling, genetic algorithm, ...) can be run, with their defaults, on
the same recorded datasets as tetune's replay. For each dataset this writes
a Kernel Tuner cache of it (the pnpoly file is one; a T4 file is converted),
runs every strategy K times with a budget of N unique evaluations, and
prints per strategy the methodology score, the evaluations to get within 5%
of the optimum (median over all seeds, a seed that never got there counting
as beyond the budget) and the median best time found, next to tetune's bo
replayed on the same seeds (tetune replay --json).

Two settings, each a block of lines:

* "failures in the space": Kernel Tuner gets every parameter's values and,
  as a restriction, every configuration in the dataset; one that failed
  when it was recorded stays in its space and fails when evaluated, as in
  tetune's replay (tetune treats absent ones as invalid too). Both spend
  evaluations on failures and must learn where they lie.
* "restricted": the space is the dataset's valid rows alone, as Kernel
  Tuner's own tune_cache() and its published restricted comparisons have
  it: the strategy is told in advance what the other setting makes it
  learn. tetune runs with replay --restricted, which makes its space the
  same rows, so the two compare like for like.

Two clocks for Kernel Tuner (its other strategies do not read the clock;
only bayes_opt is run twice):

* "sim": its simulation mode as it is. Its default bayes_opt method
  (multi-ultrafast) refits its Gaussian process only when the last model
  update took under a fifth of the time the evaluations since took, or
  after five batches (three evaluations each, one per acquisition
  function) without one. A simulated evaluation takes microseconds, so the
  model is refitted only every 18 evaluations or so.
* "realistic": the clock bayes_opt reads (its module's time.perf_counter)
  is advanced by EVAL_S seconds (default 1) at each evaluation, as a real
  kernel's compile and benchmark take; it then refits after every batch of
  three, as it would in a real run. This is the figure to compare against:
  the sim one understates it.

Failures and Kernel Tuner's bayes_opt: its cost function returns
sys.float_info.max for a failed configuration, but bayes_opt's own marker of
an invalid observation is 1e20, so a failure counts as valid: its cost is
kept as an observation and the Gaussian process is fitted on it. The
predictions then turn NaN, no acquisition function can rank the
candidates, and it takes the unvisited configurations in their order,
sweeping the space. That is why it collapses in the "failures in the
space" setting, and why the restricted setting is the fair one for it.

The methodology score (Willemsen, van Nieuwpoort and van Werkhoven, 2024)
is computed here as tetune's replay computes it: the mean best-so-far curve
over the seeds against the exact expected curve of random search without
replacement over the same population (every configuration of the setting's
space, a failure counting as the worst ok time), averaged over the budget;
0 is random search, 1 the optimum at the first evaluation. A failure before
the first success counts as the worst ok time.

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

usage: python kt_compare.py TETUNE DATASET SEEDS BUDGET STRATEGIES [EVAL_S]
(see kt_compare.sh)
"""
import json
import os
import random
import sys
import tempfile
import time
import types
import warnings

import numpy as np
from constraint import FunctionConstraint
from kernel_tuner import tune_kernel
from kernel_tuner.strategies import bayes_opt

from recorded import begin, summary, random_curve, score

WIDTH = 52


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


class Clock:
    """The clock bayes_opt reads: the real one plus eval_s seconds for every
    evaluation made so far (0: the real clock, simulation mode as it is)."""

    def __init__(self):
        self.eval_s = 0.0
        self.offset = 0.0

    def perf_counter(self):
        return time.perf_counter() + self.offset

    def perf_counter_ns(self):
        return time.perf_counter_ns() + int(self.offset * 1e9)


CLOCK = Clock()


def install_clock():
    """Points bayes_opt's time module at CLOCK and advances it by eval_s at
    each of its evaluations."""
    bayes_opt.time = types.SimpleNamespace(perf_counter=CLOCK.perf_counter,
                                           perf_counter_ns=CLOCK.perf_counter_ns)
    evaluate = bayes_opt.BayesianOptimization.evaluate_objective_function

    def timed(self, param_config):
        CLOCK.offset += CLOCK.eval_s
        return evaluate(self, param_config)

    bayes_opt.BayesianOptimization.evaluate_objective_function = timed


def run_kt(cache_path, names, values, space, strategy, seed, budget, target, worst):
    """Evaluations to reach target (None if never), the best time and the
    best-so-far curve (budget entries, worst before the first success),
    with Kernel Tuner's space restricted to the configurations in space
    (tuples of values in names' order)."""
    random.seed(seed)
    np.random.seed(seed)

    def restrict(*p):  # the values of one configuration, in names' order
        return p in space

    results, _ = tune_kernel("recorded", "/* replayed from the cache */", (1,), [],
                             dict(zip(names, values)), restrictions=[FunctionConstraint(restrict)],
                             cache=cache_path, simulation_mode=True, strategy=strategy,
                             strategy_options={"max_fevals": budget}, quiet=True,
                             verbose=False)
    seen, best, reached, curve = set(), worst, None, []
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
        curve.append(best)
        if reached is None and best <= target:
            reached = len(seen)
    curve += [best] * (budget - len(curve))  # a space that ran out keeps its best
    return reached, best, curve


def main():
    tetune, path = sys.argv[1], sys.argv[2]
    seeds, budget = int(sys.argv[3]), int(sys.argv[4])
    strategies = sys.argv[5].split(",")
    eval_s = float(sys.argv[6]) if len(sys.argv) > 6 else 1.0
    warnings.filterwarnings("ignore")
    install_clock()
    settings = (("failures in the space", False), ("restricted to the valid rows", True))
    for setting, restricted in settings:
        names, values, table, target = begin(tetune, path, seeds, budget, WIDTH, restricted,
                                             setting)
        rows = {k: t for k, t in table.items() if t is not None or not restricted}
        population = sorted(t if t is not None else float("inf") for t in rows.values())
        optimum = population[0]
        worst = max(t for t in population if t != float("inf"))
        rnd = random_curve(population, budget)
        space = {tuple(values[i][k] for i, k in enumerate(key)) for key in rows}
        with tempfile.TemporaryDirectory() as tmp:
            cache_path = os.path.join(tmp, "cache.json")
            write_cache(cache_path, names, values, table)
            for strategy in strategies:
                clocks = (("sim", 0.0), (f"realistic, {eval_s:g} s", eval_s))
                for clock, seconds in clocks if strategy == "bayes_opt" else clocks[:1]:
                    CLOCK.eval_s, evals, bests, curves = seconds, [], [], []
                    for seed in range(1, seeds + 1):
                        e, b, c = run_kt(cache_path, names, values, space, strategy, seed,
                                         budget, target, worst)
                        evals.append(e)
                        bests.append(b)
                        curves.append(c)
                    s = score(curves, rnd, optimum)
                    name = f"kernel_tuner {strategy} ({clock})"
                    print(f"  {name:<{WIDTH}}{s:7.3f}{summary(evals, bests, budget)}",
                          flush=True)


if __name__ == "__main__":
    main()
