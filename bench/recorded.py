"""Recorded exhaustive datasets for the Python benchmarks that compare tetune
with other tuners (ytopt_compare.py, kt_compare.py): reading a Kernel Tuner
cache or T4 results file into a table of times, and the summary line they
print. The C reader (src/objective/) is the reference; this one reads the
same two datasets the same way: a configuration that failed (or is absent)
has no time.
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


def summary(evals, bests, budget):
    censored = sorted(e if e is not None else budget + 1 for e in evals)
    med = statistics.median(censored)
    got = sum(e is not None for e in evals)
    med_txt = f">{budget}" if med > budget else f"{med:g}"
    return f"{med_txt:>8} ({got}/{len(evals)} seeds)  median best {statistics.median(bests):.4g}"


def begin(tetune, path, seeds, budget, width):
    """Loads path, prints its line and tetune bo's (label padded to width)
    and returns (names, values, table, target: 5% above the optimum)."""
    names, values, table = load(path)
    optimum = min(t for t in table.values() if t is not None)
    print(f"{path.split('/')[-1]}: {len(table)} configurations, optimum {optimum:.6g}; "
          f"budget {budget}, {seeds} seeds; evaluations to within 5% (all-seed median)")
    out = subprocess.run([tetune, "replay", path, "--strategies", "bo", "--budget", str(budget),
                          "--seeds", str(seeds), "--json"], check=True, capture_output=True,
                         text=True).stdout
    bo = json.loads(out)["strategies"]["bo"]
    bo_all = bo["evals_to_5pct_all"]
    med_txt = f">{budget}" if bo_all is None else f"{bo_all:g}"
    print(f"  {'tetune bo':<{width}}{med_txt:>8} ({bo['reached_5pct']}/{seeds} seeds)  "
          f"median best {bo['best_median']:.4g}", flush=True)
    return names, values, table, 1.05 * optimum
