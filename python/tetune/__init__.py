"""tetune from Python: ctypes bindings over libtetune.so (no compiled
Python extension, nothing Python in the C tool).

    import tetune
    space = tetune.Space()
    space.add_ordinal("tile", [8, 16, 32, 64])
    space.add_categorical("order", ["ij", "ji"])
    space.add_constraint("tile <= 32 || order == 'ij'")
    best = tetune.tune(lambda c: (c["tile"] - 24) ** 2 + 1, space, budget=20)

Spaces, ask/tell strategies (Strategy), tune() on a Python objective,
replay() of a strategy on a recorded dataset or a synthetic function,
tune_kernel() on a .te kernel (through the tetune command), and the
store read into dicts (sessions(), trials(); trials_frame() with pandas).
"""
import ctypes
import json
import math
import os
import shutil
import subprocess

from ._lib import (Error, ReplayMetrics, SessionList, TetuneError, TRIAL_FN, check, lib,
                   take_string)

__all__ = ["Space", "Strategy", "TetuneError", "tune", "tune_kernel", "replay", "sessions",
           "trials", "trials_frame", "strategies", "version", "OUTCOMES"]

OUTCOMES = ["ok", "compile_error", "runtime_error", "timeout", "wrong_result", "invalid", "lost"]


def version():
    """The version of the libtetune.so in use."""
    return lib.tt_version().decode()


def strategies():
    """Names of the search strategies, the default first."""
    names, out = lib.tt_strategy_names(), []
    while names[len(out)]:
        out.append(names[len(out)].decode())
    return out


class Space:
    """A search space (tt_space): knobs with values, and constraints."""

    def __init__(self):
        self._p = lib.tt_space_new()

    def __del__(self):
        if getattr(self, "_p", None):
            lib.tt_space_free(self._p)
            self._p = None

    def _add(self, rc, err):
        if rc < 0:
            check(err.status or 1, err)
        return self

    def add_int(self, name, lo, hi, step=1):
        err = Error()
        return self._add(lib.tt_space_add_int(self._p, name.encode(), lo, hi, step, err), err)

    def add_ordinal(self, name, values):
        err, arr = Error(), (ctypes.c_double * len(values))(*values)
        return self._add(lib.tt_space_add_ordinal(self._p, name.encode(), arr, len(values), err), err)

    def add_categorical(self, name, labels):
        err, arr = Error(), (ctypes.c_char_p * len(labels))(*[l.encode() for l in labels])
        return self._add(lib.tt_space_add_categorical(self._p, name.encode(), arr, len(labels), err),
                         err)

    def add_bool(self, name):
        err = Error()
        return self._add(lib.tt_space_add_bool(self._p, name.encode(), err), err)

    def add_constraint(self, expr):
        """A constraint over knob names, e.g. "ti * tj <= 4096"."""
        err = Error()
        check(lib.tt_space_add_constraint(self._p, expr.encode(), err), err)
        return self

    @property
    def knobs(self):
        return [lib.tt_space_knob_name(self._p, k).decode()
                for k in range(lib.tt_space_num_knobs(self._p))]

    def valid_size(self):
        """How many configurations satisfy the constraints (exact or estimated)."""
        exact = ctypes.c_int()
        return lib.tt_space_valid_size(self._p, ctypes.byref(exact))

    def _cfg(self):
        return (ctypes.c_uint32 * (len(self.knobs) + 1))()

    def to_dict(self, cfg):
        """A configuration (value indices) as {knob: value}."""
        return json.loads(take_string(lib.tt_space_config_to_json(self._p, cfg)))

    def from_dict(self, config):
        cfg, err = self._cfg(), Error()
        check(lib.tt_space_config_from_json(self._p, json.dumps(config).encode(), None, cfg, err),
              err)
        return cfg

    def is_valid(self, config):
        return bool(lib.tt_space_is_valid(self._p, self.from_dict(config)))


class Strategy:
    """An ask/tell search strategy (tt_strategy) over a Space."""

    def __init__(self, space, name="bo", seed=1, options=None, budget=0):
        err = Error()
        self.space = space  # the strategy borrows the space: keep it alive
        self._p = lib.tt_strategy_new(name.encode(), space._p, seed,
                                      options.encode() if options else None, err)
        if not self._p:
            check(err.status or 1, err)
        if budget:
            lib.tt_strategy_set_budget(self._p, budget)

    def __del__(self):
        if getattr(self, "_p", None):
            lib.tt_strategy_free(self._p)
            self._p = None

    def ask(self):
        """The next configuration as a dict, or None when the space is exhausted."""
        cfg = self.space._cfg()
        return self.space.to_dict(cfg) if lib.tt_strategy_ask(self._p, 1, cfg) == 1 else None

    def tell(self, config, value=None, outcome="ok"):
        """Reports a configuration's result: value (lower is better, > 0) when
        outcome is "ok", else a failure such as "runtime_error"."""
        if outcome == "ok" and not (value is not None and value > 0 and math.isfinite(value)):
            raise ValueError("an ok result needs a finite value > 0")
        lib.tt_strategy_tell(self._p, self.space.from_dict(config), OUTCOMES.index(outcome),
                             float(value) if value is not None else 0.0)


def tune(objective, space, budget=20, strategy="bo", seed=1, options=None):
    """Minimises objective(config dict) -> value > 0 over space with the
    strategy (ask, evaluate, tell). A raised exception or a value that is not
    finite and > 0 counts as a failure (runtime_error) the strategy learns
    from. Returns {"best": config, "value": v, "history": [(config, value or
    None)]}."""
    st = Strategy(space, strategy, seed, options, budget)
    best, best_v, history = None, math.inf, []
    for _ in range(budget):
        cfg = st.ask()
        if cfg is None:
            break
        try:
            v = float(objective(cfg))
            ok = v > 0 and math.isfinite(v)
        except Exception:  # the objective failed on this configuration
            v, ok = None, False
        st.tell(cfg, v if ok else None, "ok" if ok else "runtime_error")
        history.append((cfg, v if ok else None))
        if ok and v < best_v:
            best, best_v = cfg, v
    return {"best": best, "value": best_v if best else None, "history": history}


def replay(dataset, strategy="bo", budget=100, seeds=10, options=None):
    """Runs strategy seeds times on a recorded dataset (Kernel Tuner cache, T4,
    CSV; .gz allowed) or "synthetic:NAME"; returns {"optimum", "score",
    "best_mean", "best_median", "curves"} (best-so-far per seed and
    evaluation)."""
    err = Error()
    o = lib.tt_objective_open(dataset.encode(), None, err)
    if not o:
        check(err.status or 1, err)
    try:
        curves = (ctypes.c_double * (budget * seeds))()
        check(lib.tt_replay_run(o, strategy.encode(), options.encode() if options else None,
                                budget, seeds, curves, err), err)
        n = ctypes.c_size_t()
        values = lib.tt_objective_values(o, ctypes.byref(n))
        rnd = (ctypes.c_double * budget)()
        lib.tt_replay_random_curve(values, n.value, budget, rnd)
        m = ReplayMetrics()
        opt = lib.tt_objective_optimum(o)
        lib.tt_replay_compute_metrics(curves, seeds, budget, opt, rnd, ctypes.byref(m))
        return {"optimum": opt, "score": m.score, "best_mean": m.best_mean,
                "best_median": m.best_median,
                "curves": [list(curves[s * budget:(s + 1) * budget]) for s in range(seeds)]}
    finally:
        lib.tt_objective_free(o)


def _open(db):
    err = Error()
    s = lib.tt_store_open(db.encode(), 1, err)  # TT_STORE_READ_ONLY
    if not s:
        check(err.status or 1, err)
    return s


def _text(b):
    return b.decode() if b is not None else None


def _num(x):
    return None if x is None or math.isnan(x) else x


def sessions(db="tetune.db", kernel=None):
    """The stored sessions as dicts (kernel, size, strategy, best time, ...)."""
    s, lst, err = _open(db), SessionList(), Error()
    try:
        check(lib.tt_store_list_sessions(s, kernel.encode() if kernel else None, ctypes.byref(lst),
                                         err), err)
        out = []
        for i in range(lst.len):
            x = lst.items[i]
            out.append({"id": x.id, "task_id": x.task_id, "kernel": _text(x.kernel),
                        "size": _text(x.size), "target": _text(x.target),
                        "template": _text(x.template_name), "strategy": _text(x.strategy),
                        "seed": x.seed, "trials": x.trials, "ok_trials": x.ok_trials,
                        "best_time_s": _num(x.best_time_s),
                        "best_config": json.loads(x.best_config) if x.best_config else None,
                        "machine": json.loads(x.fingerprint) if x.fingerprint else None})
        lib.tt_session_list_free(ctypes.byref(lst))
        return out
    finally:
        lib.tt_store_close(s)


def trials(db="tetune.db", task_id=None, kernel=None):
    """Every stored trial of a task (task_id, or each task of kernel, or all
    tasks) as dicts: config (a dict), outcome, time_median_s, gflops, ..."""
    tasks = sorted({x["task_id"] for x in sessions(db, kernel)
                    if task_id is None or x["task_id"] == task_id})
    s, err, out = _open(db), Error(), []

    def one(ctx, t):
        t = t.contents
        out.append({"id": t.id, "task_id": t.task_id, "session_id": t.session_id, "seq": t.seq,
                    "config": json.loads(t.config), "outcome": OUTCOMES[t.outcome],
                    "message": _text(t.message), "time_median_s": _num(t.time_median_s),
                    "time_min_s": _num(t.time_min_s), "spread": _num(t.time_spread),
                    "repeats": t.repeats, "gflops": _num(t.gflops),
                    "compile_s": _num(t.compile_s), "strategy": _text(t.strategy)})
        return 0

    fn = TRIAL_FN(one)
    try:
        for t in tasks:
            check(lib.tt_store_each_trial(s, t, fn, None, err), err)
    finally:
        lib.tt_store_close(s)
    return out


def trials_frame(db="tetune.db", task_id=None, kernel=None):
    """trials() as a pandas DataFrame, one column per knob (pandas must be
    installed)."""
    import pandas as pd
    rows = trials(db, task_id, kernel)
    return pd.DataFrame([dict({k: v for k, v in r.items() if k != "config"}, **r["config"])
                         for r in rows])


def tune_kernel(kernel, size="mini", trials=10, strategy="bo", db="tetune.db", cli=None, **opts):
    """Tunes a .te kernel through the tetune command (its --json summary as a
    dict). cli: the tetune executable ($TT_CLI, else tetune on PATH)."""
    exe = cli or os.environ.get("TT_CLI") or shutil.which("tetune")
    if not exe:
        raise TetuneError("the tetune command is not found (give cli=)", 2)
    args = [exe, "tune", kernel, "--size", size, "--trials", str(trials), "--strategy", strategy,
            "--db", db, "--json"]
    for k, v in opts.items():
        args += ["--" + k.replace("_", "-"), str(v)]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode:
        raise TetuneError(p.stderr.strip(), p.returncode)
    return json.loads(p.stdout)
