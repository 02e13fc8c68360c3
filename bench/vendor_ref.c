/* Vendor baselines for bench/polybench.sh: the PolyBench 4.2 BLAS and
 * solver kernels that bench/openblas_ref.c does not cover, each as the
 * OpenBLAS/LAPACKE calls that compute it, timed as the median of repeated
 * calls (after one warm-up) on inputs restored before each call (the
 * restore is not timed).
 *
 *   vendor_ref KERNEL P1 P2 ... [REPS]
 *
 * P1 P2 ... are the kernel's size parameters in the order its .te file
 * declares them (kernel 2mm(NI, NJ, NK, NL): vendor_ref 2mm NI NJ NK NL).
 * Kernels: 2mm atax bicg mvt gemver gesummv symm syr2k trisolv doitgen
 * ludcmp gramschmidt covariance correlation. The inputs are not
 * PolyBench's values but of the same shapes (the BLAS's time does not
 * depend on them), well conditioned where a solver needs it; ludcmp and
 * gramschmidt work column-major (LAPACKE's row-major path would add
 * transposed copies), the same work. Threads: OPENBLAS_NUM_THREADS.
 * Output: one line "kernel=K time_s=T threads=N". */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>
#include <lapacke.h>

#include "bench_time.h"

enum { MAX_REPS = 50, MAX_ARRAYS = 6 };

/* A kernel's arrays: a[i] of n[i] doubles; the first nout are written by
 * the kernel and restored from their copy a0[i] before each call. */
typedef struct job {
  const long *p; /* size parameters */
  int narr, nout;
  int failed; /* a factorisation reported an error */
  size_t n[MAX_ARRAYS];
  double *a[MAX_ARRAYS], *a0[MAX_ARRAYS];
} job;

typedef struct kernel {
  const char *name;
  int nparams;
  void (*shape)(job *); /* sets narr, nout, n[] from p */
  void (*init)(job *);  /* extra set-up after the fill (conditioning); may be NULL */
  void (*call)(job *);  /* the timed BLAS/LAPACK calls */
} kernel;

#define P(i) ((int)j->p[i])
#define ALPHA 1.5
#define BETA 1.2

/* Adds d to the diagonal of the n x n matrix m (row or column major). */
static void add_diag(double *m, int n, double d) {
  for (int i = 0; i < n; i++)
    m[(size_t)i * n + i] += d;
}

/* 2mm (NI NJ NK NL): tmp = alpha A B; D = tmp C + beta D. */
static void shape_2mm(job *j) {
  j->narr = 5, j->nout = 2;
  size_t ni = P(0), nj = P(1), nk = P(2), nl = P(3);
  j->n[0] = ni * nl, j->n[1] = ni * nj, j->n[2] = ni * nk, j->n[3] = nk * nj, j->n[4] = nj * nl;
}
static void call_2mm(job *j) {
  int ni = P(0), nj = P(1), nk = P(2), nl = P(3);
  double *d = j->a[0], *tmp = j->a[1], *a = j->a[2], *b = j->a[3], *c = j->a[4];
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, nj, nk, ALPHA, a, nk, b, nj, 0.0, tmp,
              nj);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, nl, nj, 1.0, tmp, nj, c, nl, BETA, d,
              nl);
}

/* atax (M N): tmp = A x; y = A^T tmp (A is M x N). */
static void shape_atax(job *j) {
  j->narr = 4, j->nout = 2;
  j->n[0] = P(1), j->n[1] = P(0), j->n[2] = (size_t)P(0) * P(1), j->n[3] = P(1);
}
static void call_atax(job *j) {
  int m = P(0), n = P(1);
  cblas_dgemv(CblasRowMajor, CblasNoTrans, m, n, 1.0, j->a[2], n, j->a[3], 1, 0.0, j->a[1], 1);
  cblas_dgemv(CblasRowMajor, CblasTrans, m, n, 1.0, j->a[2], n, j->a[1], 1, 0.0, j->a[0], 1);
}

/* bicg (M N): s = A^T r, q = A p (A is N x M). */
static void shape_bicg(job *j) {
  j->narr = 5, j->nout = 2;
  j->n[0] = P(0), j->n[1] = P(1), j->n[2] = (size_t)P(0) * P(1), j->n[3] = P(0), j->n[4] = P(1);
}
static void call_bicg(job *j) {
  int m = P(0), n = P(1);
  cblas_dgemv(CblasRowMajor, CblasTrans, n, m, 1.0, j->a[2], m, j->a[4], 1, 0.0, j->a[0], 1);
  cblas_dgemv(CblasRowMajor, CblasNoTrans, n, m, 1.0, j->a[2], m, j->a[3], 1, 0.0, j->a[1], 1);
}

/* mvt (N): x1 += A y1; x2 += A^T y2. */
static void shape_mvt(job *j) {
  size_t n = P(0);
  j->narr = 5, j->nout = 2;
  j->n[0] = j->n[1] = j->n[3] = j->n[4] = n, j->n[2] = n * n;
}
static void call_mvt(job *j) {
  int n = P(0);
  cblas_dgemv(CblasRowMajor, CblasNoTrans, n, n, 1.0, j->a[2], n, j->a[3], 1, 1.0, j->a[0], 1);
  cblas_dgemv(CblasRowMajor, CblasTrans, n, n, 1.0, j->a[2], n, j->a[4], 1, 1.0, j->a[1], 1);
}

/* gemver (N): A += u1 v1^T + u2 v2^T; x += beta A^T y + z; w += alpha A x.
 * Arrays: A w x, then one block of u1 v1 u2 v2 y z. */
static void shape_gemver(job *j) {
  size_t n = P(0);
  j->narr = 4, j->nout = 3;
  j->n[0] = n * n, j->n[1] = j->n[2] = n, j->n[3] = 6 * n;
}
static void call_gemver(job *j) {
  int n = P(0);
  double *A = j->a[0], *w = j->a[1], *x = j->a[2], *v = j->a[3];
  cblas_dger(CblasRowMajor, n, n, 1.0, v, 1, v + n, 1, A, n);
  cblas_dger(CblasRowMajor, n, n, 1.0, v + 2 * n, 1, v + 3 * n, 1, A, n);
  cblas_dgemv(CblasRowMajor, CblasTrans, n, n, BETA, A, n, v + 4 * n, 1, 1.0, x, 1);
  cblas_daxpy(n, 1.0, v + 5 * n, 1, x, 1);
  cblas_dgemv(CblasRowMajor, CblasNoTrans, n, n, ALPHA, A, n, x, 1, 1.0, w, 1);
}

/* gesummv (N): y = alpha A x + beta B x. */
static void shape_gesummv(job *j) {
  size_t n = P(0);
  j->narr = 4, j->nout = 1;
  j->n[0] = j->n[3] = n, j->n[1] = j->n[2] = n * n;
}
static void call_gesummv(job *j) {
  int n = P(0);
  cblas_dgemv(CblasRowMajor, CblasNoTrans, n, n, ALPHA, j->a[1], n, j->a[3], 1, 0.0, j->a[0], 1);
  cblas_dgemv(CblasRowMajor, CblasNoTrans, n, n, BETA, j->a[2], n, j->a[3], 1, 1.0, j->a[0], 1);
}

/* symm (M N): C = alpha A B + beta C, A symmetric M x M (lower half). */
static void shape_symm(job *j) {
  size_t m = P(0), n = P(1);
  j->narr = 3, j->nout = 1;
  j->n[0] = m * n, j->n[1] = m * m, j->n[2] = m * n;
}
static void call_symm(job *j) {
  int m = P(0), n = P(1);
  cblas_dsymm(CblasRowMajor, CblasLeft, CblasLower, m, n, ALPHA, j->a[1], m, j->a[2], n, BETA,
              j->a[0], n);
}

/* syr2k (M N): lower C = alpha (A B^T + B A^T) + beta C, A and B N x M. */
static void shape_syr2k(job *j) {
  size_t m = P(0), n = P(1);
  j->narr = 3, j->nout = 1;
  j->n[0] = n * n, j->n[1] = j->n[2] = n * m;
}
static void call_syr2k(job *j) {
  int m = P(0), n = P(1);
  cblas_dsyr2k(CblasRowMajor, CblasLower, CblasNoTrans, n, m, ALPHA, j->a[1], m, j->a[2], m, BETA,
               j->a[0], n);
}

/* trisolv (N): x = L^-1 b. x is restored to b before each call. */
static void shape_trisolv(job *j) {
  size_t n = P(0);
  j->narr = 2, j->nout = 1;
  j->n[0] = n, j->n[1] = n * n;
}
static void init_trisolv(job *j) {
  add_diag(j->a[1], P(0), P(0)); /* a dominant diagonal: a stable solve */
}
static void call_trisolv(job *j) {
  int n = P(0);
  cblas_dtrsv(CblasRowMajor, CblasLower, CblasNoTrans, CblasNonUnit, n, j->a[1], n, j->a[0], 1);
}

/* doitgen (NR NQ NP): A[r][q][:] = A[r][q][:] C4, as one product into sum
 * and a copy back. */
static void shape_doitgen(job *j) {
  size_t rq = (size_t)P(0) * P(1), np = P(2);
  j->narr = 3, j->nout = 2;
  j->n[0] = j->n[1] = rq * np, j->n[2] = np * np;
}
static void call_doitgen(job *j) {
  int rq = P(0) * P(1), np = P(2);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rq, np, np, 1.0, j->a[0], np, j->a[2], np,
              0.0, j->a[1], np);
  memcpy(j->a[0], j->a[1], j->n[0] * sizeof(double));
}

/* ludcmp (N): A x = b by dgetrf and dgetrs (x restored to b). */
static void shape_ludcmp(job *j) {
  size_t n = P(0);
  j->narr = 2, j->nout = 2;
  j->n[0] = n * n, j->n[1] = n;
}
static void init_ludcmp(job *j) {
  add_diag(j->a0[0], P(0), P(0));
}
static void call_ludcmp(job *j) {
  int n = P(0);
  lapack_int *ipiv = malloc(sizeof *ipiv * (size_t)n);
  if (!ipiv || LAPACKE_dgetrf(LAPACK_COL_MAJOR, n, n, j->a[0], n, ipiv) != 0 ||
      LAPACKE_dgetrs(LAPACK_COL_MAJOR, 'N', n, 1, j->a[0], n, ipiv, j->a[1], n) != 0)
    j->failed = 1;
  free(ipiv);
}

/* gramschmidt (M N): A = Q R, Q explicit (dgeqrf, dorgqr), A M x N. When
 * N > M (PolyBench's sizes), Q has M columns: the other N - M of
 * PolyBench's are in the span of the first M. */
static void shape_gramschmidt(job *j) {
  size_t m = P(0), n = P(1);
  j->narr = 2, j->nout = 2;
  j->n[0] = m * n, j->n[1] = n;
}
static void init_gramschmidt(job *j) {
  size_t m = P(0), n = P(1);
  for (size_t i = 0; i < n && i < m; i++)
    j->a0[0][i * m + i] += (double)m; /* column-major: full column rank */
}
static void call_gramschmidt(job *j) {
  int m = P(0), n = P(1), k = m < n ? m : n;
  if (LAPACKE_dgeqrf(LAPACK_COL_MAJOR, m, n, j->a[0], m, j->a[1]) != 0 ||
      LAPACKE_dorgqr(LAPACK_COL_MAJOR, m, k, k, j->a[0], m, j->a[1]) != 0)
    j->failed = 1;
}

/* covariance / correlation (M N): data N x M centred (correlation: and
 * scaled by each column's deviation), then sym = data^T data / (N - 1)
 * by dsyrk. Arrays: data, sym, then means and deviations. */
static void shape_cov(job *j) {
  size_t m = P(0), n = P(1);
  j->narr = 3, j->nout = 3;
  j->n[0] = n * m, j->n[1] = m * m, j->n[2] = 2 * m;
}
static void centre(job *j, int scale) {
  int m = P(0), n = P(1);
  double *data = j->a[0], *mean = j->a[2], *dev = j->a[2] + m;
  for (int c = 0; c < m; c++)
    mean[c] = dev[c] = 0;
  for (int i = 0; i < n; i++)
    for (int c = 0; c < m; c++)
      mean[c] += data[(size_t)i * m + c] / n;
  for (int i = 0; i < n; i++)
    for (int c = 0; c < m; c++) {
      double d = data[(size_t)i * m + c] -= mean[c];
      dev[c] += d * d / n;
    }
  if (!scale) return;
  for (int c = 0; c < m; c++)
    dev[c] = sqrt(dev[c]) <= 0.1 ? 1.0 : 1.0 / (sqrt(dev[c]) * sqrt((double)n));
  for (int i = 0; i < n; i++)
    for (int c = 0; c < m; c++)
      data[(size_t)i * m + c] *= dev[c];
}
static void call_covariance(job *j) {
  int m = P(0), n = P(1);
  centre(j, 0);
  cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, m, n, 1.0 / (n - 1), j->a[0], m, 0.0, j->a[1],
              m);
}
static void call_correlation(job *j) {
  int m = P(0), n = P(1);
  centre(j, 1);
  cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, m, n, 1.0, j->a[0], m, 0.0, j->a[1], m);
  for (int c = 0; c < m; c++)
    j->a[1][(size_t)c * m + c] = 1.0;
}

static const kernel kernels[] = {
    {"2mm", 4, shape_2mm, NULL, call_2mm},
    {"atax", 2, shape_atax, NULL, call_atax},
    {"bicg", 2, shape_bicg, NULL, call_bicg},
    {"mvt", 1, shape_mvt, NULL, call_mvt},
    {"gemver", 1, shape_gemver, NULL, call_gemver},
    {"gesummv", 1, shape_gesummv, NULL, call_gesummv},
    {"symm", 2, shape_symm, NULL, call_symm},
    {"syr2k", 2, shape_syr2k, NULL, call_syr2k},
    {"trisolv", 1, shape_trisolv, init_trisolv, call_trisolv},
    {"doitgen", 3, shape_doitgen, NULL, call_doitgen},
    {"ludcmp", 1, shape_ludcmp, init_ludcmp, call_ludcmp},
    {"gramschmidt", 2, shape_gramschmidt, init_gramschmidt, call_gramschmidt},
    {"covariance", 2, shape_cov, NULL, call_covariance},
    {"correlation", 2, shape_cov, NULL, call_correlation},
};

/* Allocates and fills j's arrays (values in [0, 1)); 0 on success. */
static int prepare(const kernel *k, job *j) {
  k->shape(j);
  for (int i = 0; i < j->narr; i++) {
    j->a[i] = malloc(j->n[i] * sizeof(double));
    j->a0[i] = i < j->nout ? malloc(j->n[i] * sizeof(double)) : NULL;
    if (!j->a[i] || (i < j->nout && !j->a0[i])) return -1;
    for (size_t e = 0; e < j->n[i]; e++)
      j->a[i][e] = (double)((e * 7 + (size_t)i * 13 + 1) % 97) / 97;
    if (j->a0[i]) memcpy(j->a0[i], j->a[i], j->n[i] * sizeof(double));
  }
  if (k->init) k->init(j);
  return 0;
}

/* Median seconds of reps timed calls after one warm-up; NAN on failure. */
static double time_kernel(const kernel *k, job *j, int reps) {
  double t[MAX_REPS];
  for (int r = -1; r < reps; r++) {
    for (int i = 0; i < j->nout; i++)
      memcpy(j->a[i], j->a0[i], j->n[i] * sizeof(double));
    double t0 = bench_now();
    k->call(j);
    double dt = bench_now() - t0;
    if (j->failed) return NAN;
    if (r >= 0) t[r] = dt;
  }
  return bench_median(t, reps);
}

/* Looks up argv[1], times it, prints one line. */
int main(int argc, char **argv) {
  const kernel *k = NULL;
  for (size_t i = 0; argc > 1 && i < sizeof kernels / sizeof *kernels; i++)
    if (strcmp(argv[1], kernels[i].name) == 0) k = &kernels[i];
  if (!k || argc < 2 + k->nparams || argc > 3 + k->nparams) {
    fprintf(stderr,
            "usage: vendor_ref KERNEL P1 P2 ... [REPS] (kernel %s: unknown or wrong "
            "number of sizes)\n",
            argc > 1 ? argv[1] : "?");
    return 2;
  }
  long p[8];
  for (int i = 0; i < k->nparams; i++)
    if ((p[i] = strtol(argv[2 + i], NULL, 10)) < 1) {
      fprintf(stderr, "vendor_ref: bad size '%s'\n", argv[2 + i]);
      return 2;
    }
  int reps = argc > 2 + k->nparams ? atoi(argv[2 + k->nparams]) : 7;
  if (reps < 1 || reps > MAX_REPS) reps = 7;
  job j = {.p = p};
  double t = prepare(k, &j) == 0 ? time_kernel(k, &j, reps) : NAN;
  for (int i = 0; i < j.narr; i++)
    free(j.a[i]), free(j.a0[i]);
  if (isnan(t)) {
    fprintf(stderr, "vendor_ref: %s failed (out of memory or a singular factorisation)\n", k->name);
    return 1;
  }
  printf("kernel=%s time_s=%.6f threads=%d\n", k->name, t, openblas_get_num_threads());
  return 0;
}
