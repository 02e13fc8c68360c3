#!/usr/bin/env bash
# tetune export: the best stored gemm variant as standalone C compiles into
# a small program (no tetune library), computes what a naive gemm written
# here computes, and its header's prototypes match the definitions.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETUNE_CACHE_DIR="$T/cache"
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
db="$T/e.db"
CC=${CC:-cc}

# Nothing stored yet: a one-line error.
set +e; "$TT_CLI" export gemm --db "$db" --out "$T/x" 2>"$T/err"; rc=$?; set -e
[ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && [ ! -e "$db" ] || fail "export without db: $rc $(cat "$T/err")"

"$TT_CLI" tune gemm --size mini --strategy random --trials 6 --db "$db" --out "$T/tuned" >/dev/null 2>&1
"$TT_CLI" export gemm --db "$db" --out "$T/exp" >"$T/out" || fail "export"
grep -q 'exported gemm (size mini' "$T/out" || fail "export output: $(cat "$T/out")"
[ -s "$T/exp/gemm.c" ] && [ -s "$T/exp/gemm.h" ] || fail "files"
cmp -s "$T/exp/gemm.c" "$T/tuned/gemm.c" || fail "tune and export wrote different variants"
grep -q 'TT_GEMM_NI = 20' "$T/exp/gemm.h" || fail "header enum"
! grep -q 'tt_abi_version\|tetune/' "$T/exp/gemm.c" || fail "the export depends on tetune"

# Prototypes and definitions in one translation unit: the compiler checks
# that they agree.
printf '#include "gemm.h"\n#include "gemm.c"\n' >"$T/exp/both.c"
$CC -std=c11 -Wall -Werror -fsyntax-only -fopenmp -I"$T/exp" "$T/exp/both.c" || fail "header and source disagree"

cat >"$T/main.c" <<'C'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "gemm.h"
enum { NI = TT_GEMM_NI, NJ = TT_GEMM_NJ, NK = TT_GEMM_NK };
/* PolyBench's gemm, written out here, on the same initial data. */
static void naive(double C[NI][NJ], double A[NI][NK], double B[NK][NJ]) {
  for (int i = 0; i < NI; i++)
    for (int j = 0; j < NJ; j++) {
      C[i][j] *= 1.2;
      for (int k = 0; k < NK; k++) C[i][j] += 1.5 * A[i][k] * B[k][j];
    }
}
int main(void) {
  double (*C)[NJ] = malloc(sizeof(double[NI][NJ])), (*R)[NJ] = malloc(sizeof(double[NI][NJ]));
  double (*A)[NK] = malloc(sizeof(double[NI][NK])), (*B)[NJ] = malloc(sizeof(double[NK][NJ]));
  tt_gemm_init(R, A, B);
  tt_gemm_init(C, A, B);
  naive(R, A, B);
  tt_gemm(C, (const double (*)[NK])A, (const double (*)[NJ])B);
  double err = 0, scale = 0;
  for (int i = 0; i < NI; i++)
    for (int j = 0; j < NJ; j++) {
      err = fmax(err, fabs(C[i][j] - R[i][j]));
      scale = fmax(scale, fabs(R[i][j]));
    }
  printf("max error %g of %g\n", err, scale);
  free(A); free(B); free(C); free(R);
  return scale > 0 && err <= 1e-9 * scale ? 0 : 1;
}
C
$CC -std=c11 -O2 -fopenmp -Wall -Werror -I"$T/exp" "$T/main.c" "$T/exp/gemm.c" -lm -o "$T/prog" \
  || fail "the export does not build"
OMP_NUM_THREADS=2 "$T/prog" >"$T/out" || fail "wrong result: $(cat "$T/out")"
grep -q '^max error' "$T/out" || fail "output"

# A database from another machine: export refuses unless --any-machine.
cp "$db" "$T/other.db"
sqlite3 "$T/other.db" "update tasks set fingerprint = json_set(fingerprint, '$.cpu_model', 'Other CPU 9000')"
set +e; "$TT_CLI" export gemm --db "$T/other.db" --out "$T/o2" 2>"$T/err"; rc=$?; set -e
[ "$rc" = 2 ] && grep -q "gemm in .* was tuned on other machines only (--any-machine" "$T/err" \
  && [ ! -e "$T/o2" ] || fail "export from another machine: $rc $(cat "$T/err")"
"$TT_CLI" export gemm --db "$T/other.db" --any-machine --out "$T/o2" >/dev/null || fail "--any-machine"
cmp -s "$T/o2/gemm.c" "$T/exp/gemm.c" || fail "--any-machine exported another variant"
echo ok
