#!/usr/bin/env python3
"""Writes a related dataset for a transfer study on recorded data: the ok
records of a recorded dataset (Kernel Tuner cache or T4 results JSON,
gzipped or not) as CSV, with each time t turned into

    t' = t ** gamma * (x / median(x)) ** trend * exp(noise * z)

where x is the first knob with several numeric values and z a standard
normal draw per configuration (fixed seed). It stands for the same kernel
on another machine: a compressed scale, a drift along one knob, and
independent noise. A simulation, not a measurement: say so where it is used.

usage: transfer_data.py DATASET OUT.csv [--gamma G] [--trend T] [--noise S] [--seed N]
"""
import argparse
import gzip
import json
import math
import random
import statistics


def records(path):
    """(configuration dict, time) of every ok record."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    doc = json.loads(raw)
    if "cache" in doc:  # Kernel Tuner cache
        keys = doc["tune_params_keys"]
        for entry in doc["cache"].values():
            t = entry.get("time")
            if isinstance(t, (int, float)) and t > 0:
                yield {k: entry[k] for k in keys}, float(t)
    else:  # T4 results
        for r in doc["results"]:
            t = [m["value"] for m in r.get("measurements", []) if m.get("name") == "time"]
            if r.get("invalidity") == "correct" and t and isinstance(t[0], (int, float)):
                yield dict(r["configuration"]), float(t[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("out")
    ap.add_argument("--gamma", type=float, default=0.8)
    ap.add_argument("--trend", type=float, default=0.3)
    ap.add_argument("--noise", type=float, default=0.15)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rows = list(records(a.dataset))
    names = list(rows[0][0])
    numeric = [k for k in names if len({r[0][k] for r in rows}) > 1
               and all(isinstance(r[0][k], (int, float)) for r in rows)]
    knob = numeric[0]
    med = statistics.median(r[0][knob] for r in rows)
    rng = random.Random(a.seed)
    with open(a.out, "w") as f:
        f.write(",".join(names + ["time"]) + "\n")
        for cfg, t in rows:
            x = cfg[knob] / med if med > 0 and cfg[knob] > 0 else 1.0
            v = t ** a.gamma * x ** a.trend * math.exp(a.noise * rng.gauss(0, 1))
            f.write(",".join(str(cfg[k]) for k in names) + ",%.9g\n" % v)


if __name__ == "__main__":
    main()
