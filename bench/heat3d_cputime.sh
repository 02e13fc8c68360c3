#!/usr/bin/env bash
# heat-3d's naive reference against one variant, timed in one process,
# alternating, by wall clock and by the process's CPU time (benchmark, not
# a test). On a shared, loaded machine the wall clock mostly measures how
# long the process waited for a core; the CPU time is the work (still
# disturbed by caches and hyperthreads shared with others).
#
#   bench/heat3d_cputime.sh [SIZE] [TEMPLATE] [CONFIG] [THREADS] [REPS]
#   (default: large skewed2 default 1 3)
#
# Builds both with tetune's default flags (-O3 -march=native -fopenmp),
# checks the variant's A against the reference's (largest absolute
# difference) and prints the load average.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cli=${TT_CLI:-$root/build/tetune}
size=${1:-large} tmpl=${2:-skewed2} cfg=${3:-default} thr=${4:-1} reps=${5:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cli" show heat-3d --size "$size" --config reference |
  sed 's/void tt_heat_3d(/void ref_heat_3d(/; s/void tt_heat_3d_init(/void ref_init(/' >"$work/ref.c"
"$cli" show heat-3d --size "$size" --template "$tmpl" --config "$cfg" >"$work/var.c"
n=$(sed -n 's/^enum { TSTEPS = [0-9]*, N = \([0-9]*\) };/\1/p' "$work/var.c")
cat >"$work/main.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
void ref_init(double A[restrict N][N][N], double B[restrict N][N][N]);
void ref_heat_3d(double A[restrict N][N][N], double B[restrict N][N][N]);
void tt_heat_3d(double A[restrict N][N][N], double B[restrict N][N][N]);
static double now(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}
int main(int argc, char **argv) {
  size_t n = (size_t)N * N * N;
  double(*A)[N][N] = malloc(sizeof(double) * n), (*B)[N][N] = malloc(sizeof(double) * n);
  double *R = malloc(sizeof(double) * n);
  for (int r = 0; r < atoi(argv[1]); r++)
    for (int v = 0; v < 2; v++) {
      ref_init(A, B);
      double w = now(CLOCK_MONOTONIC), c = now(CLOCK_PROCESS_CPUTIME_ID);
      if (v == 0) ref_heat_3d(A, B); else tt_heat_3d(A, B);
      w = now(CLOCK_MONOTONIC) - w;
      c = now(CLOCK_PROCESS_CPUTIME_ID) - c;
      double e = 0;
      for (size_t i = 0; i < n; i++) {
        double d = v ? ((double *)A)[i] - R[i] : 0;
        e = d > e ? d : -d > e ? -d : e;
      }
      if (v == 0) memcpy(R, A, sizeof(double) * n);
      printf("%-7s wall %8.3f s  cpu %8.3f s%s", v ? "variant" : "naive", w, c, v ? "" : "\n");
      if (v) printf("  max |diff| %.3g\n", e);
    }
  return 0;
}
C
gcc -O3 -march=native -fopenmp -DN="$n" -c "$work/main.c" -o "$work/main.o"
gcc -O3 -march=native -fopenmp "$work/main.o" "$work/ref.c" "$work/var.c" -o "$work/run"
echo "# heat-3d $size $tmpl $cfg, $thr thread(s); $(uptime)"
OMP_NUM_THREADS=$thr "$work/run" "$reps"
echo "# $(uptime)"
