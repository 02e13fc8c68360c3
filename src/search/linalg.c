/* Dense Cholesky factorisation and triangular solves for the Gaussian
 * process: small matrices (a few hundred rows), row-major, no BLAS. */
#include <math.h>

#include "search/model.h"

/* Factorises A = L L^T in place, lower triangle; the strict upper triangle
 * is left untouched. Returns -1 (A partly overwritten) when a pivot is not
 * positive, so the caller can add jitter and retry. The rows below a pivot
 * go four at a time: four independent dot products, each adding its terms
 * in the order a single one would (the same numbers, four times the
 * additions in flight). */
int tt_chol(double *A, size_t n) {
  for (size_t j = 0; j < n; j++) {
    double *rj = A + j * n;
    double s = rj[j];
    for (size_t k = 0; k < j; k++)
      s -= rj[k] * rj[k];
    if (!(s > 0)) return -1;
    double djj = sqrt(s);
    rj[j] = djj;
    size_t i = j + 1;
    for (; i + 4 <= n; i += 4) {
      double *r0 = A + i * n, *r1 = r0 + n, *r2 = r1 + n, *r3 = r2 + n;
      double t0 = r0[j], t1 = r1[j], t2 = r2[j], t3 = r3[j];
      for (size_t k = 0; k < j; k++) {
        t0 -= r0[k] * rj[k];
        t1 -= r1[k] * rj[k];
        t2 -= r2[k] * rj[k];
        t3 -= r3[k] * rj[k];
      }
      r0[j] = t0 / djj;
      r1[j] = t1 / djj;
      r2[j] = t2 / djj;
      r3[j] = t3 / djj;
    }
    for (; i < n; i++) {
      double *ri = A + i * n;
      double t = ri[j];
      for (size_t k = 0; k < j; k++)
        t -= ri[k] * rj[k];
      ri[j] = t / djj;
    }
  }
  return 0;
}

/* Forward substitution: b <- L^{-1} b. */
void tt_chol_solve_lower(const double *L, size_t n, double *b) {
  for (size_t i = 0; i < n; i++) {
    const double *ri = L + i * n;
    double t = b[i];
    for (size_t k = 0; k < i; k++)
      t -= ri[k] * b[k];
    b[i] = t / ri[i];
  }
}

/* Backward substitution: b <- L^{-T} b. */
void tt_chol_solve_upper(const double *L, size_t n, double *b) {
  for (size_t i = n; i-- > 0;) {
    double t = b[i];
    for (size_t k = i + 1; k < n; k++)
      t -= L[k * n + i] * b[k];
    b[i] = t / L[i * n + i];
  }
}
