#!/usr/bin/env bash
# Benchmark (issue 25, not a timed test): one tuning session of KERNEL at
# SIZE distributed over MPI ranks, with one worker (mpirun -np 2) and with
# two (-np 3), each from a cold compile cache and a fresh database: wall
# time, trials, best time found, and which worker measured what. Each rank
# is bound to one core (rank 0, which only asks and stores, shares core 0
# with rank 2), variants run with --threads 1, so two workers on this
# 2-core machine time at once but never on the same core.
#
#   bench/mpi_lu.sh [BUILD_DIR]       (default: ./build)
#
# Environment: KERNEL (lu), SIZE (medium), TRIALS (20), SEED (1),
# STRATEGY (bo), RANKS ("2 3"), REPEATS (1: the rank counts alternate, so
# that a change of the machine's load hits both). The load average is
# printed with each run: on a shared machine the wall times move with it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
mpi=$build/tetune-mpi
[ -x "$mpi" ] || { echo "mpi_lu: no tetune-mpi in $build (MPI not found at build time?)" >&2; exit 2; }
kernel=${KERNEL:-lu} size=${SIZE:-medium} trials=${TRIALS:-20} seed=${SEED:-1}
strategy=${STRATEGY:-bo} ranks=${RANKS:-"2 3"} repeats=${REPEATS:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
echo "mpi_lu: $kernel $size, $trials trials, $strategy seed $seed, --threads 1; $(nproc) CPUs"
printf '%-6s %-8s %-7s %-12s %-22s %s\n' ranks workers wall_s best trials_per_worker load_before/after
for rep in $(seq "$repeats"); do for np in $ranks; do
  export TETUNE_CACHE_DIR=$work/cache-$rep-$np
  db=$work/t-$rep-$np.db
  before=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s.%N)
  mpirun -np "$np" --oversubscribe --map-by core --bind-to core:overload-allowed \
    "$mpi" tune "$kernel" --size "$size" --trials "$trials" --seed "$seed" --strategy "$strategy" \
    --threads 1 --db "$db" --out "$work/o" --json >"$work/out-$np" 2>"$work/err-$np" ||
    { cat "$work/err-$np" >&2; exit 1; }
  t1=$(date +%s.%N)
  after=$(cut -d' ' -f1 /proc/loadavg)
  best=$(python3 -c 'import json,sys; print("%.4g s" % json.load(open(sys.argv[1]))["best"]["time_s"])' "$work/out-$np")
  per=$(sqlite3 "$db" "select group_concat(worker || ':' || n, ' ') from (select worker, count(*) n from trials group by worker)")
  printf '%-6s %-8s %-7.1f %-12s %-22s %s/%s\n' "$np" $((np - 1)) "$(echo "$t1 - $t0" | bc)" "$best" "$per" "$before" "$after"
done; done
