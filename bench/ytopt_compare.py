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
import gzip
import json
import statistics
import subprocess
import sys
import warnings

from skopt import Optimizer
from skopt.space import Integer


def load(path):
    """(names, values per name, {config tuple: time or None})."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        doc = json.load(f)
    table = {}
    if "cache" in doc:  # Kernel Tuner cache
        names = doc.get("tune_params_keys") or list(doc["tune_params"])
        values = [list(doc["tune_params"][n]) for n in names]
        for entry in doc["cache"].values():
            t = entry.get(doc.get("objective", "time"))
            key = tuple(values[i].index(entry[n]) for i, n in enumerate(names))
            table[key] = t if isinstance(t, (int, float)) else None
    else:  # T4 results
        results = doc["results"]
        names = list(results[0]["configuration"])
        values = [sorted({r["configuration"][n] for r in results}) for n in names]
        for r in results:
            t = next((m["value"] for m in r.get("measurements", []) if m["name"] == "time"), None)
            ok = r.get("invalidity", "correct") == "correct" and isinstance(t, (int, float))
            key = tuple(values[i].index(r["configuration"][n]) for i, n in enumerate(names))
            table[key] = t if ok else None
    return names, values, table


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


def summary(evals, bests, budget):
    censored = sorted(e if e is not None else budget + 1 for e in evals)
    med = statistics.median(censored)
    got = sum(e is not None for e in evals)
    med_txt = f">{budget}" if med > budget else f"{med:g}"
    return f"{med_txt:>8} ({got}/{len(evals)} seeds)  median best {statistics.median(bests):.4g}"


def main():
    tetune, path = sys.argv[1], sys.argv[2]
    seeds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    budget = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    warnings.filterwarnings("ignore", message="The objective has been evaluated")
    names, values, table = load(path)
    optimum = min(t for t in table.values() if t is not None)
    target = 1.05 * optimum
    print(f"{path.split('/')[-1]}: {len(table)} configurations, optimum {optimum:.6g}; "
          f"budget {budget}, {seeds} seeds; evaluations to within 5% (all-seed median)")
    out = subprocess.run([tetune, "replay", path, "--strategies", "bo", "--budget", str(budget),
                          "--seeds", str(seeds), "--json"], check=True, capture_output=True,
                         text=True).stdout
    bo = json.loads(out)["strategies"]["bo"]
    bo_all = bo["evals_to_5pct_all"]
    print(f"  tetune bo           {('>' + str(budget)) if bo_all is None else f'{bo_all:g}':>8} "
          f"({bo['reached_5pct']}/{seeds} seeds)  median best {bo['best_median']:.4g}")
    evals, bests = [], []
    for seed in range(1, seeds + 1):
        e, b = run_skopt(values, table, seed, budget, target)
        evals.append(e)
        bests.append(b)
    print(f"  ytopt-style (skopt) {summary(evals, bests, budget)}", flush=True)


if __name__ == "__main__":
    main()
