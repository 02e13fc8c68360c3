#!/usr/bin/env bash
# Benchmark (issue 31, not a timed test): minor page faults and time per
# call of one configuration, to see whether the generated code allocates
# its buffers (packs, cache_write tiles) once per call or again inside the
# loops that reuse them.
#
#   bench/pack_faults.sh KERNEL CONFIG_JSON [REPS]     (default REPS 21)
#
# Environment: TT_CLI (default ./build/tetune), SIZE (default large),
# TEMPLATE (default blocked), CC (default cc), OMP_NUM_THREADS (default 1).
# The variant is the C that `tetune show` prints, compiled with
# -O3 -march=native -fopenmp and called REPS times (the inputs initialised
# again before each call, untimed) by a small driver. Faults per call are
# those of the steady state: (faults of REPS calls - faults of H calls) /
# (REPS - H), H = (REPS + 1) / 2 (the first calls grow the heap), from
# `perf stat -e page-faults` (else /usr/bin/time's minor faults); the time
# is the median of calls 2..REPS. Prints `uptime` with the figures.
set -euo pipefail
kernel=${1:?usage: pack_faults.sh KERNEL CONFIG_JSON [REPS]}
config=${2:?usage: pack_faults.sh KERNEL CONFIG_JSON [REPS]}
reps=${3:-21}
cli=${TT_CLI:-./build/tetune}
cc=${CC:-cc}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
work=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "work: $work" >&2 || trap 'rm -rf "$work"' EXIT

"$cli" show "$kernel" --size "${SIZE:-large}" --template "${TEMPLATE:-blocked}" \
  --config "$config" >"$work/k.c"

# The parameter names of function $1 in the generated C, comma-separated.
params() {
  grep -m1 "^void $1(" "$work/k.c" | sed -e 's/^[^(]*(//' -e 's/) {$//' |
    tr ',' '\n' | sed -e 's/\[.*//' -e 's/.* //' | paste -sd, -
}
sym=tt_$kernel
init=$(params "${sym}_init")
kern=$(params "$sym")
decl() { echo "$1" | sed -e 's/[^,]\+/void */g'; }
{
  echo '#include <stdio.h>'
  echo '#include <stdlib.h>'
  echo '#include <time.h>'
  echo "void ${sym}_init($(decl "$init"));"
  echo "void ${sym}($(decl "$kern"));"
  echo 'static int cmp(const void *a, const void *b) {'
  echo '  double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }'
  echo 'int main(int argc, char **argv) {'
  echo '  int reps = atoi(argv[1]); double t[1000];'
  for n in $(echo "$init,$kern" | tr ',' '\n' | sort -u); do
    echo "  void *$n = calloc(1, 1L << 26);" # 64 MiB: any large tensor
  done
  echo '  for (int r = 0; r < reps && r < 1000; r++) {'
  echo "    ${sym}_init($init);"
  echo '    struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);'
  echo "    ${sym}($kern);"
  echo '    clock_gettime(CLOCK_MONOTONIC, &b);'
  echo '    t[r] = (b.tv_sec - a.tv_sec) + 1e-9 * (b.tv_nsec - a.tv_nsec); }'
  echo '  if (reps > 1) { qsort(t + 1, reps - 1, sizeof t[0], cmp); printf("%.4f\n", t[1 + (reps - 1) / 2]); }'
  echo '  return 0; }'
} >"$work/main.c"
"$cc" -O3 -march=native -fopenmp -w -o "$work/bin" "$work/k.c" "$work/main.c" -lm

# Minor page faults of one run of the binary with $1 calls.
faults() {
  if perf stat -x, -e page-faults -o "$work/perf" "$work/bin" "$1" >"$work/time" 2>/dev/null; then
    grep page-faults "$work/perf" | cut -d, -f1
  else
    /usr/bin/time -f %R -o "$work/perf" "$work/bin" "$1" >"$work/time"
    tail -1 "$work/perf"
  fi
}
f1=$(faults 1)
half=$(((reps + 1) / 2))
fh=$(faults "$half")
fn=$(faults "$reps")
echo "$kernel $config threads=$OMP_NUM_THREADS: $(((fn - fh) / (reps - half))) faults/call" \
  "(1 call: $f1, $half calls: $fh, $reps calls: $fn), median $(cat "$work/time") s/call;" \
  "load:$(uptime | sed 's/.*load average://')"
