"""scikit-optimize's ask latency on bench/ask_latency.c's problem, for the
comparison issue 4 asks for: the same 6-knob tile space (knob values as
indices, the permutation as one of six categories, ti * tj <= 8192 as a
space constraint), the same landscape, n observations told at once, then
timed rounds of tell + ask (skopt fits its model and maximises the
acquisition in tell; tetune does both in ask), on one core.

skopt cannot learn failures, so where ask_latency.c tells every tenth
observation failed this tells it with the worst value seen, as users of
skopt do; that gives skopt no more work than tetune.

usage: python skopt_latency.py [OBSERVATIONS] [ROUNDS] [ESTIMATORS]
(see skopt_latency.sh). ESTIMATORS is a comma-separated list of skopt base
estimators, RF,ET by default; GP takes minutes a round at 1,000 points
(about 145 s measured here), so it runs one round when asked for.
"""
import itertools
import math
import random
import sys
import time
import warnings

from skopt import Optimizer
from skopt.space import Categorical, Integer

ORDERS = [list(p) for p in itertools.permutations(range(3))]


def landscape(c):
    """ask_latency.c's landscape(): c = (ti, tj, tk, unroll, vec, order)."""
    a, b, k = c[0] - 5.0, c[1] - 6.0, c[2] - 4.0
    return ((1 + 0.05 * (a * a + b * b + k * k) + 0.1 * abs(c[3] - 1.0))
            * (1 if c[4] else 1.3) * (1 + 0.1 * c[5]))


def valid(c):
    return 2 ** c[0] * 2 ** c[1] <= 8192


def space():
    return [Integer(0, 8, name="ti"), Integer(0, 8, name="tj"), Integer(0, 8, name="tk"),
            Integer(0, 3, name="unroll"), Categorical([0, 1], name="vec"),
            Categorical(list(range(6)), name="order")]


def random_valid(rng):
    while True:
        c = [rng.randrange(9), rng.randrange(9), rng.randrange(9), rng.randrange(4),
             rng.randrange(2), rng.randrange(6)]
        if valid(c):
            return c


def measure(estimator, n, rounds):
    rng = random.Random(1)
    opt = Optimizer(space(), base_estimator=estimator, acq_func="gp_hedge",
                    n_initial_points=1, random_state=1, space_constraint=valid)
    xs, ys, worst = [], [], -math.inf
    for i in range(n):
        c = random_valid(rng)
        y = landscape(c)
        worst = max(worst, y)
        xs.append(c)
        ys.append(worst if i % 10 == 3 else y)
    opt.tell(xs, ys)
    times = []
    x = opt.ask()
    for _ in range(rounds):
        t0 = time.process_time()
        opt.tell(x, landscape(x))
        x = opt.ask()
        times.append(time.process_time() - t0)
    times.sort()
    mean = sum(times) / len(times)
    print(f"skopt {estimator} with {n} observations: mean {1e3 * mean:.1f} ms, "
          f"median {1e3 * times[len(times) // 2]:.1f} ms, worst {1e3 * times[-1]:.1f} ms CPU "
          f"({rounds} tell+ask rounds)", flush=True)


def main():
    # a re-proposed point is replaced by a random one; that is skopt's business
    warnings.filterwarnings("ignore", message="The objective has been evaluated")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    estimators = sys.argv[3].split(",") if len(sys.argv) > 3 else ["RF", "ET"]
    for estimator in estimators:
        measure(estimator, n, rounds if estimator != "GP" else 1)


if __name__ == "__main__":
    main()
