#!/usr/bin/env bash
# Transfer benchmark (issue 32.3), two parts.
#
# tune: real kernels on this machine. Each kernel is tuned at SRC (the
# source, SRC_TRIALS trials), then at DST for each seed: cold
# (--no-transfer), with transfer from SRC, and with transfer from SRC's
# trials with their times shuffled among its configurations (the
# unrelated control, a copy of the database). All DST sessions of a kernel
# share one task, so a configuration measured once is reused with the same
# time by the others (the comparison is not blurred by re-timing noise).
# Reports per kernel and seed the trials each run needs to get within 5%
# of the cold run's best (its own best, for the cold run), "-" when it
# never does within the budget, and the medians over seeds.
#
# replay: recorded datasets (pnpoly, convolution) with a related dataset
# simulated by bench/transfer_data.py (another machine: t^0.8, a drift
# along one knob, noise) as the source: bo cold, with seeds and prior,
# seeds only, prior only, and the shuffled source as control.
#
# The binary reads the kernels from its source tree at run time: do not
# change kernels/ (a merge) while it runs.
#
# usage: bench/transfer.sh tune [KERNELS] ; bench/transfer.sh replay
# Environment: SRC (default medium), DST (large), SEEDS (5), TRIALS (30),
# SRC_TRIALS (40), THREADS (1), DB (a temporary file; set it to keep the
# databases: DB, the control copies DB.ctl.KERNEL, the transfer runs'
# summaries in DB.runs/), PHASES (which runs: "source cold transfer
# control"; the report covers what the databases hold); replay: RSEEDS (50), RBUDGET (100). Prints `uptime` before
# and after: the machine is shared, and timings on a loaded one are noisy.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tetune="${TETUNE:-$here/build/tetune}"
[ -x "$tetune" ] || { echo "$0: $tetune not built" >&2; exit 2; }
mode=${1:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TETUNE_CACHE_DIR="${TETUNE_CACHE_DIR:-$tmp/cache}"

# The control database of kernel k: a copy of DB made after k's cold runs,
# with k's source times shuffled. One file per kernel (a single shared
# copy, remade for each kernel, lost the earlier kernels' control runs and
# left copies of their transfer runs in their place). Its file .first holds
# the first session id the copy did not have: the control runs' sessions.
make_control() {
  local db=$1 ctl=$2 k=$3 src=$4
  rm -f "$ctl" "$ctl-wal" "$ctl-shm" "$ctl.first"
  python3 - "$db" "$ctl" "$k" "$src" <<'PY'
# A consistent copy (the backup API reads the WAL too; cp of the main
# file alone missed the latest trials) with the source's times shuffled.
import random, sqlite3, sys
db, ctl, kernel, size = sys.argv[1:]
c = sqlite3.connect(ctl)
sqlite3.connect(db).backup(c)
rows = c.execute("select r.id, r.time_median_s from trials r join tasks t on t.id = r.task_id"
                 " where t.kernel = ? and t.size = ? and r.outcome = 'ok'", (kernel, size)).fetchall()
times = [t for _, t in rows]
random.Random(7).shuffle(times)
c.executemany("update trials set time_median_s = ? where id = ?",
              [(t, i) for (i, _), t in zip(rows, times)])
c.commit()
first = (c.execute("select max(id) from sessions").fetchone()[0] or 0) + 1
open(ctl + ".first", "w").write("%d\n" % first)
print("control: %d times of %s/%s shuffled" % (len(rows), kernel, size))
PY
}

# PHASES picks what runs (default all: source cold transfer control), so a
# part can be run again on a kept DB; the report covers what DB holds.
run_tune() {
  local kernels=${1:-"lu cholesky 3mm"}
  local src=${SRC:-medium} dst=${DST:-large} seeds=${SEEDS:-5} trials=${TRIALS:-30}
  local src_trials=${SRC_TRIALS:-40} threads=${THREADS:-1}
  local db=${DB:-$tmp/transfer.db} phases=" ${PHASES:-source cold transfer control} "
  local common=(--threads "$threads" --out "$tmp/out" --json) runs="$db.runs"
  mkdir -p "$runs"  # the transfer runs' JSON summaries (the prior's weight), kept with DB
  echo "load before: $(uptime)"
  for k in $kernels; do
    if [[ $phases == *" source "* ]]; then
      "$tetune" tune "$k" --size "$src" --trials "$src_trials" --seed 1 --db "$db" --no-transfer \
        "${common[@]}" >/dev/null 2>"$tmp/err" || echo "source $k failed: $(tail -1 "$tmp/err")"
    fi
    for s in $(seq 1 "$seeds"); do
      [[ $phases == *" cold "* ]] || break
      "$tetune" tune "$k" --size "$dst" --trials "$trials" --seed "$s" --db "$db" --no-transfer \
        "${common[@]}" >/dev/null 2>"$tmp/err" || echo "cold $k seed $s failed: $(tail -1 "$tmp/err")"
    done
    [[ $phases != *" control "* ]] || make_control "$db" "$db.ctl.$k" "$k" "$src"
    for s in $(seq 1 "$seeds"); do
      if [[ $phases == *" transfer "* ]]; then
        "$tetune" tune "$k" --size "$dst" --trials "$trials" --seed "$s" --db "$db" \
          "${common[@]}" >"$runs/$k-$s.json" 2>"$tmp/err" ||
          echo "transfer $k seed $s failed: $(tail -1 "$tmp/err")"
      fi
      if [[ $phases == *" control "* ]]; then
        "$tetune" tune "$k" --size "$dst" --trials "$trials" --seed "$s" --db "$db.ctl.$k" \
          "${common[@]}" >/dev/null 2>"$tmp/err" ||
          echo "control $k seed $s failed: $(tail -1 "$tmp/err")"
      fi
    done
    echo "load after $k: $(uptime)"
  done
  python3 - "$db" "$src" "$dst" "$trials" $kernels <<'PY'
import json, os, sqlite3, statistics, sys
db, src, dst, budget = sys.argv[1:5]
kernels, budget = sys.argv[5:], int(budget)

def sessions(path, kernel, first=0):
    """Trial series of the DST sessions of kernel from session id first on,
    in creation order: (args, [time or None])."""
    if not os.path.exists(path):
        return []
    c = sqlite3.connect(path)
    out = []
    for sid, args in c.execute("select s.id, s.args from sessions s join tasks t on"
                               " t.id = s.task_id where t.kernel = ? and t.size = ? and s.id >= ?"
                               " order by s.id", (kernel, dst, first)):
        ts = [t if o == "ok" else None for o, t in c.execute(
            "select outcome, time_median_s from trials where session_id = ? order by seq", (sid,))]
        out.append((json.loads(args), ts))
    return out

def to_within(ts, target):
    best = float("inf")
    for i, t in enumerate(ts, 1):
        if t is not None:
            best = min(best, t)
        if best <= 1.05 * target:
            return i
    return None

def med(xs):
    vals = [budget + 1 if x is None else x for x in xs if x != "n/a"]
    if not vals:
        return "n/a"
    m = statistics.median(vals)
    return "-" if m > budget else "%g" % m

print("\n%s -> %s, %d trials a run, trials to within 5%% of the cold run's best"
      " ('-': not within the budget)" % (src, dst, budget))
print("%-9s %5s %12s %6s %9s %9s %6s" % ("kernel", "seed", "cold best", "cold", "transfer",
                                         "shuffled", "weight"))
for k in kernels:
    ctl = "%s.ctl.%s" % (db, k)
    first = int(open(ctl + ".first").read()) if os.path.exists(ctl + ".first") else 1 << 62
    main, ctl_s = sessions(db, k), sessions(ctl, k, first)
    cold = [s for s in main if "transfer" not in s[0]]
    warm = [s for s in main if "transfer" in s[0]]
    ctrl = [s for s in ctl_s if "transfer" in s[0]]
    rows = []
    for i, (args, ts) in enumerate(cold):
        best = min(t for t in ts if t is not None)
        seed = args["seed"]
        w = [x for x in warm if x[0]["seed"] == seed]
        c = [x for x in ctrl if x[0]["seed"] == seed]
        tw = to_within(w[0][1], best) if w else "n/a"  # n/a: the run is missing
        tc = to_within(c[0][1], best) if c else "n/a"
        try:
            weight = json.load(open("%s.runs/%s-%d.json" % (db, k, seed)))["transfer"]["weight"]
        except Exception:
            weight = None
        rows.append((to_within(ts, best), tw, tc))
        f = lambda x: "-" if x is None else str(x)
        print("%-9s %5d %10.4g s %6s %9s %9s %6s" % (k, seed, best, f(rows[-1][0]), f(tw), f(tc),
              "-" if weight is None else "%.2f" % weight))
    print("%-9s %5s %12s %6s %9s %9s" % (k, "median", "", med([r[0] for r in rows]),
          med([r[1] for r in rows]), med([r[2] for r in rows])))
PY
  echo "load at the end: $(uptime)"
}

run_replay() {
  local seeds=${RSEEDS:-50} budget=${RBUDGET:-100} data="$here/tests/data/recorded"
  echo "load before: $(uptime)"
  for ds in pnpoly_RTX_3090.kt-cache.json.gz convolution_A4000.t4.json.gz; do
    local d="$data/$ds" rel="$tmp/${ds%%_*}-related.csv" i=0
    python3 "$here/bench/transfer_data.py" "$d" "$rel"
    local opts=(--strategies bo --budget "$budget" --seeds "$seeds" --json)
    for v in "cold:" "seeds and prior:--prior $rel" "seeds only:--prior $rel --no-prior-model" \
             "prior only:--prior $rel --prior-seeds 0" \
             "shuffled, seeds and prior:--prior $rel --prior-shuffle 7" \
             "shuffled, seeds only:--prior $rel --prior-shuffle 7 --no-prior-model" \
             "shuffled, prior only:--prior $rel --prior-shuffle 7 --prior-seeds 0"; do
      # shellcheck disable=SC2086
      "$tetune" replay "$d" "${opts[@]}" ${v#*:} >"$tmp/r$i.json"
      echo "${v%%:*}" >"$tmp/r$i.name"
      i=$((i + 1))
    done
    python3 - "$tmp" "$i" "${ds%%_*}" "$seeds" "$budget" <<'PY'
import json, sys
tmp, n, name, seeds, budget = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
print("\n%s: %s runs, budget %s; source: a simulated related dataset (transfer_data.py)\n"
      % (name, seeds, budget))
print("| run | score | evaluations to 5% (all runs, 95% CI) | runs within 5% | prior weight |")
print("| --- | ---: | ---: | ---: | ---: |")
f = lambda x: "-" if x is None else "%g" % x
for i in range(n):
    label = open("%s/r%d.name" % (tmp, i)).read().strip()
    m = json.load(open("%s/r%d.json" % (tmp, i)))["strategies"]["bo"]
    lo, hi = m["evals_to_5pct_all_ci"]
    w = m.get("prior_weight")
    print("| %s | %.3f | %s [%s, %s] | %d | %s |" % (label, m["score"], f(m["evals_to_5pct_all"]),
          f(lo), f(hi), m["reached_5pct"], "-" if w is None else "%.2f" % w))
PY
  done
  echo "load after: $(uptime)"
}

case "$mode" in
tune) shift; run_tune "$@" ;;
replay) run_replay ;;
*) echo "usage: $0 tune [KERNELS] | replay" >&2; exit 2 ;;
esac
