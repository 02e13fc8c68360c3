"""Recorded exhaustive datasets for the Python benchmarks that compare tetune
with other tuners (ytopt_compare.py, kt_compare.py): reading a Kernel Tuner
cache or T4 results file into a table of times, the methodology score, and
the summary line they print. The C reader and replay (src/objective/) are
the reference; this one reads the same two datasets the same way: a
configuration that failed (or is absent) has no time.
"""
import gzip
import json
import statistics
import subprocess


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


def random_curve(population, budget):
    """Expected best-so-far of random search without replacement after
    1..budget draws from population (ascending, failures +inf, counted as
    the worst ok value); tt_replay_random_curve's recurrence."""
    worst = max(v for v in population if v != float("inf"))
    w = [v if v != float("inf") else worst for v in population]
    N, out = len(w), []
    for n in range(1, budget + 1):
        e, s = 0.0, 1.0  # s = P(min rank > i)
        for i in range(N):
            if s <= 0:
                break
            nxt = 0.0 if n + i >= N else s * (N - i - n) / (N - i)
            e += w[i] * (s - nxt)
            s = nxt
        out.append(e)
    return out


def score(curves, rnd, optimum):
    """The methodology score of best-so-far curves (one per seed) against
    random search's expected curve rnd; tt_replay_compute_metrics's."""
    total, terms = 0.0, 0
    for n, r in enumerate(rnd):
        gap = r - optimum
        if gap > 1e-12 * abs(optimum):
            mean = sum(c[n] for c in curves) / len(curves)
            total += (r - mean) / gap
            terms += 1
    return total / terms if terms else float("nan")


def summary(evals, bests, budget):
    censored = sorted(e if e is not None else budget + 1 for e in evals)
    med = statistics.median(censored)
    got = sum(e is not None for e in evals)
    med_txt = f">{budget}" if med > budget else f"{med:g}"
    return f"{med_txt:>8} ({got}/{len(evals)} seeds)  median best {statistics.median(bests):.4g}"


def begin(tetune, path, seeds, budget, width, restricted=False, setting=None):
    """Loads path, prints its line and tetune bo's (label padded to width;
    with its score after it when setting is given, in that setting's
    space: replay --restricted when restricted) and returns (names,
    values, table, target: 5% above the optimum)."""
    names, values, table = load(path)
    optimum = min(t for t in table.values() if t is not None)
    where = f" ({setting})" if setting else ""
    rows = sum(t is not None or not restricted for t in table.values())
    print(f"{path.split('/')[-1]}{where}: {rows} configurations, optimum {optimum:.6g}; "
          f"budget {budget}, {seeds} seeds; "
          f"{'score, ' if setting else ''}evaluations to within 5% (all-seed median)")
    cmd = [tetune, "replay", path, "--strategies", "bo", "--budget", str(budget),
           "--seeds", str(seeds), "--json"] + (["--restricted"] if restricted else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    bo = json.loads(out)["strategies"]["bo"]
    bo_all = bo["evals_to_5pct_all"]
    med_txt = f">{budget}" if bo_all is None else f"{bo_all:g}"
    sc = f"{bo['score']:7.3f}" if setting else ""
    print(f"  {'tetune bo':<{width}}{sc}{med_txt:>8} ({bo['reached_5pct']}/{seeds} seeds)  "
          f"median best {bo['best_median']:.4g}", flush=True)
    return names, values, table, 1.05 * optimum
