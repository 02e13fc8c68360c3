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
# cpu_s: user + system seconds of every rank and its children (compilers,
# measuring processes); repeats: timed calls per trial, on average (more
# when timings are disturbed).
#
# Environment: KERNEL (lu), SIZE (medium), TRIALS (20), SEED (1),
# STRATEGY (bo), CC (a compiler for --cc, e.g. a wrapper that adds
# latency as a remote build would), MPIRUN_OPTS (default: each rank bound
# to a core, "--map-by core --bind-to core:overload-allowed"; "" leaves
# placement to the OS), WRAP (a command each rank runs under, e.g.
# "setsid -w": each rank in a session, hence a CFS autogroup, of its own),
# RANKS ("2 3"), REPEATS (1: the rank counts alternate, so
# that a change of the machine's load hits both). The load average is
# printed with each run: on a shared machine the wall times move with it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
mpi=$build/tetune-mpi
[ -x "$mpi" ] || { echo "mpi_lu: no tetune-mpi in $build (MPI not found at build time?)" >&2; exit 2; }
kernel=${KERNEL:-lu} size=${SIZE:-medium} trials=${TRIALS:-20} seed=${SEED:-1}
mpirun_opts=${MPIRUN_OPTS---map-by core --bind-to core:overload-allowed} wrap=${WRAP:-}
strategy=${STRATEGY:-bo} ranks=${RANKS:-"2 3"} repeats=${REPEATS:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
echo "mpi_lu: $kernel $size, $trials trials, $strategy seed $seed, --threads 1${CC:+, --cc $CC}; $(nproc) CPUs"
echo "mpirun -np K --oversubscribe $mpirun_opts $wrap tetune-mpi tune ..."
printf '%-6s %-8s %-7s %-7s %-8s %-12s %-26s %s\n' ranks workers wall_s cpu_s repeats best \
  trials_per_worker load_before/after
for rep in $(seq "$repeats"); do for np in $ranks; do
  export TETUNE_CACHE_DIR=$work/cache-$rep-$np
  db=$work/t-$rep-$np.db
  before=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$work/cpu-$rep-$np" mpirun -np "$np" --oversubscribe $mpirun_opts \
    $wrap "$mpi" tune "$kernel" --size "$size" --trials "$trials" --seed "$seed" --strategy "$strategy" \
    --threads 1 ${CC:+--cc "$CC"} --db "$db" --out "$work/o" --json >"$work/out-$np" 2>"$work/err-$np" ||
    { cat "$work/err-$np" >&2; exit 1; }
  t1=$(date +%s.%N)
  after=$(cut -d' ' -f1 /proc/loadavg)
  best=$(python3 -c 'import json,sys; print("%.4g s" % json.load(open(sys.argv[1]))["best"]["time_s"])' "$work/out-$np")
  cpu=$(awk '{printf "%.1f", $1 + $2}' "$work/cpu-$rep-$np")
  reps=$(sqlite3 "$db" "select printf('%.0f', avg(repeats)) from trials")
  per=$(sqlite3 "$db" "select group_concat(worker || ':' || n, ' ') from (select worker, count(*) n from trials group by worker)")
  printf '%-6s %-8s %-7.1f %-7s %-8s %-12s %-26s %s/%s\n' "$np" $((np - 1)) "$(echo "$t1 - $t0" | bc)" \
    "$cpu" "$reps" "$best" "$per" "$before" "$after"
done; done
