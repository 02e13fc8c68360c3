/* Dense Cholesky factorisation and triangular solves for the Gaussian
 * process: small matrices (a few hundred rows), row-major, no BLAS. */
#include <math.h>

#include "search/model.h"

/* Factorises A = L L^T in place, lower triangle; the strict upper triangle
 * is left untouched. Returns -1 (A partly overwritten) when a pivot is not
 * positive, so the caller can add jitter and retry. */
int tt_chol(double *A, size_t n) {
  for (size_t j = 0; j < n; j++) {
    double *rj = A + j * n;
    double s = rj[j];
    for (size_t k = 0; k < j; k++)
      s -= rj[k] * rj[k];
    if (!(s > 0)) return -1;
    double djj = sqrt(s);
    rj[j] = djj;
    for (size_t i = j + 1; i < n; i++) {
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
