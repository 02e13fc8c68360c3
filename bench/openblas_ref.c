/* OpenBLAS baselines for bench/bench_linalg.sh: PolyBench's 3mm, lu and
 * cholesky at one size, timed as medians of repeated runs on fresh copies
 * of PolyBench's inputs (the copy is not timed).
 *
 *   openblas_ref 3mm NI NJ NK NL NM [REPS]   three dgemm calls
 *   openblas_ref getrf N [REPS]              LAPACKE_dgetrf (partial pivoting)
 *   openblas_ref lu_nopiv N [REPS]           blocked LU without pivoting from
 *                                            dtrsm + dgemm (best NB of 64..256)
 *   openblas_ref potrf N [REPS]              LAPACKE_dpotrf (lower)
 *   openblas_ref gemm NI NJ NK [REPS]        dgemm, C = 1.5 A B + 1.2 C
 *   openblas_ref syrk M N [REPS]             dsyrk, lower C = 1.5 A A^T + 1.2 C
 *   openblas_ref trmm M N [REPS]             dtrmm, B = 1.5 A^T B (A unit lower)
 *   openblas_ref check                       validates lu_nopiv and potrf
 *                                            against the naive loop nests
 *   openblas_ref info                        the kernel OpenBLAS chose
 *
 * Threads: OPENBLAS_NUM_THREADS. Output: one line of key=value pairs.
 * The lu/cholesky input B = A*A^T is symmetric, so it is handed to LAPACK in
 * column-major order unchanged (LAPACKE's row-major path would add two
 * transposed copies to the time); the work is the same. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>
#include <lapacke.h>

#include "bench_time.h"

enum { MAX_REPS = 50 };

/* PolyBench 4.2's lu/cholesky input: B = L*L^T with L[i][j] = (-j % n)/n + 1
 * below the diagonal and 1 on it (positive definite). Caller frees. */
static double *spd_matrix(int n) {
  double *l = calloc((size_t)n * n, sizeof(double));
  double *b = malloc((size_t)n * n * sizeof(double));
  if (!l || !b) {
    free(l);
    free(b);
    return NULL;
  }
  for (int i = 0; i < n; i++) {
    for (int j = 0; j <= i; j++)
      l[(size_t)i * n + j] = (double)(-j % n) / n + 1;
    l[(size_t)i * n + i] = 1;
  }
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0, l, n, l, n, 0.0, b, n);
  free(l);
  return b;
}

/* Unblocked LU without pivoting of the nb x nb block at a (leading dim ld),
 * column-major. */
static void lu_block(double *a, int nb, int ld) {
  for (int k = 0; k < nb; k++) {
    double p = a[(size_t)k * ld + k];
    for (int i = k + 1; i < nb; i++)
      a[(size_t)k * ld + i] /= p;
    for (int j = k + 1; j < nb; j++) {
      double u = a[(size_t)j * ld + k];
      for (int i = k + 1; i < nb; i++)
        a[(size_t)j * ld + i] -= a[(size_t)k * ld + i] * u;
    }
  }
}

/* Right-looking blocked LU without pivoting (column-major, n x n): the
 * diagonal block unblocked, the panels by dtrsm, the trailing matrix by
 * dgemm. */
static void lu_nopiv(double *a, int n, int nb) {
  for (int k = 0; k < n; k += nb) {
    int b = n - k < nb ? n - k : nb, r = n - k - b;
    double *d = a + (size_t)k * n + k;
    lu_block(d, b, n);
    if (r == 0) break;
    /* L21 = A21 U11^-1, U12 = L11^-1 A12, A22 -= L21 U12 */
    cblas_dtrsm(CblasColMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, r, b, 1.0, d, n,
                d + b, n);
    cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasUnit, b, r, 1.0, d, n,
                d + (size_t)b * n, n);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, r, r, b, -1.0, d + b, n,
                d + (size_t)b * n, n, 1.0, d + (size_t)b * n + b, n);
  }
}

/* One timed factorisation of a copy of src; returns seconds or -1. */
static double time_factor(const char *what, const double *src, double *a, int n, int nb) {
  memcpy(a, src, (size_t)n * n * sizeof(double));
  lapack_int *ipiv = malloc(sizeof(lapack_int) * (size_t)n);
  int info = 0;
  double t0 = bench_now();
  if (strcmp(what, "getrf") == 0)
    info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, n, n, a, n, ipiv);
  else if (strcmp(what, "potrf") == 0)
    info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', n, a, n);
  else
    lu_nopiv(a, n, nb);
  double t = bench_now() - t0;
  free(ipiv);
  return info == 0 ? t : -1;
}

/* Prints OpenBLAS's kernel and build. */
static void print_info(void) {
  printf("corename=%s threads=%d config=\"%s\"\n", openblas_get_corename(),
         openblas_get_num_threads(), openblas_get_config());
}

/* Times a factorisation (getrf, potrf, lu_nopiv) of PolyBench's n x n input. */
static int run_factor(const char *what, int n, int reps) {
  static const int nbs[] = {64, 128, 192, 256};
  int rc = 1, best_nb = 0;
  double best = INFINITY, times[MAX_REPS];
  double *src = spd_matrix(n), *a = malloc((size_t)n * n * sizeof(double));
  if (!src || !a) goto done;
  int nnb = strcmp(what, "lu_nopiv") == 0 ? 4 : 1;
  for (int v = 0; v < nnb; v++) {
    time_factor(what, src, a, n, nbs[v]); /* warm-up */
    for (int r = 0; r < reps; r++)
      if ((times[r] = time_factor(what, src, a, n, nbs[v])) < 0) goto done;
    double m = bench_median(times, reps);
    if (m < best) {
      best = m;
      best_nb = nbs[v];
    }
  }
  double flops = (strcmp(what, "potrf") == 0 ? 1.0 : 2.0) * n * (double)n * n / 3.0;
  printf("kernel=%s n=%d time_s=%.6f gflops=%.2f", what, n, best, flops / best * 1e-9);
  if (nnb > 1) printf(" nb=%d", best_nb);
  printf(" corename=%s threads=%d\n", openblas_get_corename(), openblas_get_num_threads());
  rc = 0;
done:
  free(src);
  free(a);
  return rc;
}

/* PolyBench's 3mm inputs, row-major. */
static void init_3mm(int ni, int nj, int nk, int nl, int nm, double *a, double *b, double *c,
                     double *d) {
  for (int i = 0; i < ni; i++)
    for (int k = 0; k < nk; k++)
      a[(size_t)i * nk + k] = (double)((i * k + 1) % ni) / (5 * ni);
  for (int k = 0; k < nk; k++)
    for (int j = 0; j < nj; j++)
      b[(size_t)k * nj + j] = (double)((k * (j + 1) + 2) % nj) / (5 * nj);
  for (int j = 0; j < nj; j++)
    for (int m = 0; m < nm; m++)
      c[(size_t)j * nm + m] = (double)(j * (m + 3) % nl) / (5 * nl);
  for (int m = 0; m < nm; m++)
    for (int l = 0; l < nl; l++)
      d[(size_t)m * nl + l] = (double)((m * (l + 2) + 2) % nk) / (5 * nk);
}

/* Times 3mm as three dgemm calls: E = A B, F = C D, G = E F. */
static int run_3mm(int ni, int nj, int nk, int nl, int nm, int reps) {
  int rc = 1;
  double times[MAX_REPS];
  double *a = malloc(sizeof(double) * (size_t)ni * nk),
         *b = malloc(sizeof(double) * (size_t)nk * nj);
  double *c = malloc(sizeof(double) * (size_t)nj * nm),
         *d = malloc(sizeof(double) * (size_t)nm * nl);
  double *e = malloc(sizeof(double) * (size_t)ni * nj),
         *f = malloc(sizeof(double) * (size_t)nj * nl);
  double *g = malloc(sizeof(double) * (size_t)ni * nl);
  if (!a || !b || !c || !d || !e || !f || !g) goto done;
  init_3mm(ni, nj, nk, nl, nm, a, b, c, d);
  for (int r = -1; r < reps; r++) { /* r = -1: warm-up */
    double t0 = bench_now();
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, nj, nk, 1.0, a, nk, b, nj, 0.0, e,
                nj);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nj, nl, nm, 1.0, c, nm, d, nl, 0.0, f,
                nl);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, nl, nj, 1.0, e, nj, f, nl, 0.0, g,
                nl);
    if (r >= 0) times[r] = bench_now() - t0;
  }
  double t = bench_median(times, reps);
  double flops = 2.0 * ni * nj * nk + 2.0 * nj * nl * nm + 2.0 * ni * nl * nj;
  printf("kernel=3mm time_s=%.6f gflops=%.2f corename=%s threads=%d\n", t, flops / t * 1e-9,
         openblas_get_corename(), openblas_get_num_threads());
  rc = 0;
done:
  free(a), free(b), free(c), free(d), free(e), free(f), free(g);
  return rc;
}

/* Fills v[0..n) with PolyBench-like values in [0, 1). */
static void fill(double *v, size_t n, int mod) {
  for (size_t i = 0; i < n; i++)
    v[i] = (double)((i * 7 + 1) % (size_t)mod) / mod;
}

/* Times one BLAS 3 call of PolyBench's gemm (m n k = NI NJ NK), syrk (m n =
 * M N) or trmm (m n = M N), row-major as PolyBench stores the arrays, on
 * fresh copies of the output (the copy is not timed). */
static int run_blas3(const char *what, int m, int n, int k, int reps) {
  int rc = 1;
  double times[MAX_REPS], flops = 0;
  size_t na, nb, nc;
  if (strcmp(what, "gemm") == 0) {
    na = (size_t)m * k, nb = (size_t)k * n, nc = (size_t)m * n;
    flops = 2.0 * m * n * k + (double)m * n;
  } else if (strcmp(what, "syrk") == 0) { /* A is N x M, C is N x N */
    na = (size_t)n * m, nb = 1, nc = (size_t)n * n;
    flops = (double)n * (n + 1) * (m + 1);
  } else { /* trmm: A is M x M, B is M x N */
    na = (size_t)m * m, nb = 1, nc = (size_t)m * n;
    flops = (double)m * (m - 1) * n + (double)m * n;
  }
  double *a = malloc(sizeof(double) * na), *b = malloc(sizeof(double) * nb);
  double *c0 = malloc(sizeof(double) * nc), *c = malloc(sizeof(double) * nc);
  if (!a || !b || !c0 || !c) goto done;
  fill(a, na, 97), fill(b, nb, 89), fill(c0, nc, 83);
  for (int r = -1; r < reps; r++) { /* r = -1: warm-up */
    memcpy(c, c0, sizeof(double) * nc);
    double t0 = bench_now();
    if (strcmp(what, "gemm") == 0)
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.5, a, k, b, n, 1.2, c, n);
    else if (strcmp(what, "syrk") == 0)
      cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, n, m, 1.5, a, m, 1.2, c, n);
    else
      cblas_dtrmm(CblasRowMajor, CblasLeft, CblasLower, CblasTrans, CblasUnit, m, n, 1.5, a, m, c,
                  n);
    if (r >= 0) times[r] = bench_now() - t0;
  }
  double t = bench_median(times, reps);
  printf("kernel=%s time_s=%.6f gflops=%.2f corename=%s threads=%d\n", what, t, flops / t * 1e-9,
         openblas_get_corename(), openblas_get_num_threads());
  rc = 0;
done:
  free(a), free(b), free(c0), free(c);
  return rc;
}

/* Max relative error (floored at 1e-3 of the largest magnitude, as tetune
 * validates) of the lower (lower_only) or whole matrix x (read transposed
 * when trans) against r. */
static double max_err(const double *x, const double *r, int n, int lower_only, int trans) {
  double big = 0, worst = 0;
  for (long i = 0; i < (long)n * n; i++)
    big = fmax(big, fabs(r[i]));
  for (int i = 0; i < n; i++)
    for (int j = 0; j < (lower_only ? i + 1 : n); j++) {
      size_t p = (size_t)i * n + j, q = trans ? (size_t)j * n + i : p;
      worst = fmax(worst, fabs(x[q] - r[p]) / fmax(fabs(r[p]), 1e-3 * big));
    }
  return worst;
}

/* Checks lu_nopiv and potrf against PolyBench's loop nests at n = 300. */
static int run_check(void) {
  int n = 300, rc = 1;
  double *src = spd_matrix(n), *a = malloc((size_t)n * n * sizeof(double));
  double *r = malloc((size_t)n * n * sizeof(double));
  if (!src || !a || !r) goto done;
  memcpy(r, src, (size_t)n * n * sizeof(double)); /* PolyBench lu, row-major */
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < i; j++) {
      for (int k = 0; k < j; k++)
        r[i * n + j] -= r[i * n + k] * r[k * n + j];
      r[i * n + j] /= r[j * n + j];
    }
    for (int j = i; j < n; j++)
      for (int k = 0; k < i; k++)
        r[i * n + j] -= r[i * n + k] * r[k * n + j];
  }
  /* the input is symmetric: its column-major factors are PolyBench's,
   * stored transposed */
  memcpy(a, src, (size_t)n * n * sizeof(double));
  lu_nopiv(a, n, 64);
  double elu = max_err(a, r, n, 0, 1);
  memcpy(r, src, (size_t)n * n * sizeof(double)); /* PolyBench cholesky */
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < i; j++) {
      for (int k = 0; k < j; k++)
        r[i * n + j] -= r[i * n + k] * r[j * n + k];
      r[i * n + j] /= r[j * n + j];
    }
    for (int k = 0; k < i; k++)
      r[i * n + i] -= r[i * n + k] * r[i * n + k];
    r[i * n + i] = sqrt(r[i * n + i]);
  }
  memcpy(a, src, (size_t)n * n * sizeof(double));
  LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'U', n, a, n); /* col-major upper = row-major lower */
  double ech = max_err(a, r, n, 1, 0);
  printf("check n=%d lu_nopiv_err=%.3g potrf_err=%.3g\n", n, elu, ech);
  rc = elu < 1e-9 && ech < 1e-9 ? 0 : 1;
done:
  free(src), free(a), free(r);
  return rc;
}

/* Dispatches on argv[1]. */
int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: openblas_ref 3mm|getrf|lu_nopiv|potrf|gemm|syrk|trmm|check|info ...\n");
    return 2;
  }
  const char *k = argv[1];
  if (strcmp(k, "info") == 0) {
    print_info();
    return 0;
  }
  if (strcmp(k, "check") == 0) return run_check();
  if (strcmp(k, "3mm") == 0 && argc >= 7) {
    int reps = argc > 7 ? atoi(argv[7]) : 7;
    return run_3mm(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]),
                   reps < 1 || reps > MAX_REPS ? 7 : reps);
  }
  if (strcmp(k, "gemm") == 0 && argc >= 5) {
    int reps = argc > 5 ? atoi(argv[5]) : 7;
    return run_blas3(k, atoi(argv[2]), atoi(argv[3]), atoi(argv[4]),
                     reps < 1 || reps > MAX_REPS ? 7 : reps);
  }
  if ((strcmp(k, "syrk") == 0 || strcmp(k, "trmm") == 0) && argc >= 4) {
    int reps = argc > 4 ? atoi(argv[4]) : 7;
    return run_blas3(k, atoi(argv[2]), atoi(argv[3]), 0, reps < 1 || reps > MAX_REPS ? 7 : reps);
  }
  if (argc >= 3 && (!strcmp(k, "getrf") || !strcmp(k, "lu_nopiv") || !strcmp(k, "potrf"))) {
    int reps = argc > 3 ? atoi(argv[3]) : 7;
    return run_factor(k, atoi(argv[2]), reps < 1 || reps > MAX_REPS ? 7 : reps);
  }
  fprintf(stderr, "openblas_ref: bad arguments\n");
  return 2;
}
