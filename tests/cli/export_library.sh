#!/usr/bin/env bash
# tetune export --format lib: lu tuned at two sizes becomes one routine,
# tt_lu(N, A, workspace), with lu's own array only (its temporaries
# live in the workspace, allocated inside when NULL). Built with the
# program below (no tetune library) it computes what a naive LU written
# here computes at both tuned sizes (their variants) and at an untuned size
# (the reference, or with --untuned nearest the mini variant compiled for
# any size), with and without a caller's workspace. gemm (three size
# parameters, no temporaries) exports and compiles warning-free.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
db="$T/e.db"
CC=${CC:-cc}
for size in mini small; do
  "$TT_CLI" tune lu --size $size --strategy random --trials 3 --db "$db" --out "$T/o" >/dev/null 2>&1 \
    || fail "tune lu $size"
done
"$TT_CLI" export lu --db "$db" --format lib --sizes mini,small --out "$T/lib" >"$T/out" || fail "export"
grep -q "^exported lu for 2 tuned sizes:" "$T/out" || fail "export said: $(cat "$T/out")"
for f in lu.h lu.c lu_mini.c lu_small.c lu_ref.c; do [ -s "$T/lib/$f" ] || fail "no $f"; done
grep -q '^int tt_lu(long N, double \*A, void \*workspace);' "$T/lib/lu.h" || fail "signature: $(grep 'int tt_lu(' "$T/lib/lu.h")"
! grep -q 'L0\|tetune/' "$T/lib/lu.h" || fail "the header shows a temporary or needs tetune"

cat >"$T/main.c" <<'C'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lu.h"
/* PolyBench's lu, written out here. */
static void naive(long n, double *A) {
  for (long i = 0; i < n; i++) {
    for (long j = 0; j < i; j++) {
      for (long k = 0; k < j; k++) A[i * n + j] -= A[i * n + k] * A[k * n + j];
      A[i * n + j] /= A[j * n + j];
    }
    for (long j = i; j < n; j++)
      for (long k = 0; k < i; k++) A[i * n + j] -= A[i * n + k] * A[k * n + j];
  }
}
int main(void) {
  long sizes[] = {40, 120, 57, 120};
  int bad = 0;
  for (int s = 0; s < 4; s++) {
    long n = sizes[s];
    double *A = malloc(sizeof(double) * n * n), *R = malloc(sizeof(double) * n * n);
    void *work = s >= 2 ? malloc(tt_lu_workspace(n)) : NULL;
    if (tt_lu_init(n, A, NULL) != 0 || tt_lu(n, A, NULL) != 0) return 2;
    if (tt_lu_init(n, R, work) != 0) return 2;
    naive(n, R);
    if (tt_lu_init(n, A, work) != 0 || tt_lu(n, A, work) != 0) return 2;
    double err = 0, scale = 0;
    for (long i = 0; i < n * n; i++) {
      err = fmax(err, fabs(A[i] - R[i]));
      scale = fmax(scale, fabs(R[i]));
    }
    printf("N=%ld tuned=%d workspace=%zu max error %g of %g\n", n, tt_lu_tuned(n),
           tt_lu_workspace(n), err, scale);
    bad |= !(scale > 0 && err <= 1e-9 * scale);
    free(A);
    free(R);
    free(work);
  }
  return bad;
}
C
$CC -std=c11 -O2 -fopenmp -Wall -Wextra -Werror -I"$T/lib" "$T/main.c" "$T/lib/"*.c -lm -o "$T/prog" \
  || fail "the export does not build"
OMP_NUM_THREADS=2 "$T/prog" >"$T/run" || fail "wrong result: $(cat "$T/run")"
grep -q '^N=40 tuned=1 workspace=38720 ' "$T/run" && grep -q '^N=120 tuned=1 workspace=346560 ' "$T/run" \
  && grep -q '^N=57 tuned=0 workspace=78656 ' "$T/run" || fail "dispatch: $(cat "$T/run")"

# --untuned nearest: N=57 runs the mini variant compiled for any size.
"$TT_CLI" export lu --db "$db" --format lib --sizes mini,small --untuned nearest --out "$T/lib2" \
  >"$T/out" || fail "export nearest"
grep -q "lib2/lu_mini_any.c" "$T/out" && grep -q "nearest tuned size" "$T/lib2/lu.h" || fail "nearest files"
$CC -std=c11 -O2 -fopenmp -Wall -Wextra -Werror -I"$T/lib2" "$T/main.c" "$T/lib2/"*.c -lm -o "$T/prog2" \
  || fail "the nearest export does not build"
OMP_NUM_THREADS=2 "$T/prog2" >"$T/run" || fail "nearest: wrong result: $(cat "$T/run")"
grep -q '^N=57 tuned=0 ' "$T/run" || fail "nearest dispatch: $(cat "$T/run")"

"$TT_CLI" tune gemm --size mini --strategy random --trials 2 --db "$db" --out "$T/o" >/dev/null 2>&1
"$TT_CLI" export gemm --db "$db" --format lib --out "$T/glib" >/dev/null || fail "export gemm"
grep -q '^int tt_gemm(long NI, long NJ, long NK, double \*C, double \*A, double \*B, void \*workspace);' \
  "$T/glib/gemm.h" || fail "gemm signature"
"$TT_CLI" export gemm --db "$db" --format lib --untuned nearest --out "$T/glib2" >/dev/null \
  || fail "export gemm nearest"
(cd "$T" && $CC -std=c11 -O2 -fopenmp -Wall -Wextra -Werror -c "$T/glib/"*.c "$T/glib2/"*_any.c "$T/glib2/gemm.c") \
  || fail "gemm export does not build"

set +e
"$TT_CLI" export lu --db "$db" --format lib --sizes mini,large --out "$T/x" 2>"$T/err"; rc=$?
set -e
[ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "no validated configuration of lu at size large" "$T/err" \
  || fail "untuned size: $rc $(cat "$T/err")"
echo ok
