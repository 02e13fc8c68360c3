/* Joint draws from a GP's posterior (Thompson sampling of a batch's
 * points, bo_pending.c): the latent function at m points, its covariance
 * k(X, X) - V^T V with V = L^-1 k(rows, X), factorised (jitter added
 * until it is positive definite) and applied to standard normals. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/gp_impl.h"

/* The posterior covariance of the latent function at X (m x d) into C
 * (m x m, standardised units). */
static void posterior_cov(const tt_gp *gp, const double *X, size_t m, double *C) {
  size_t n = gp->n, d = gp->d;
  double *V = tt_xmalloc((m * n + 1) * sizeof *V); /* row j: L^-1 k(rows, x_j) */
  for (size_t j = 0; j < m; j++) {
    for (size_t i = 0; i < n; i++)
      V[j * n + i] = tt_gp_k(gp, gp->X + i * d, X + j * d);
    tt_chol_solve_lower(gp->L, n, V + j * n);
  }
  for (size_t a = 0; a < m; a++)
    for (size_t b = 0; b <= a; b++) {
      double s = tt_gp_k(gp, X + a * d, X + b * d);
      for (size_t i = 0; i < n; i++)
        s -= V[a * n + i] * V[b * n + i];
      C[a * m + b] = C[b * m + a] = s;
    }
  free(V);
}

/* See model.h. */
int tt_gp_sample(const tt_gp *gp, const double *X, size_t m, tt_rng *rng, double *out) {
  double *C = tt_xmalloc((m * m + 1) * sizeof *C), *F = tt_xmalloc((m * m + 1) * sizeof *F);
  double *z = tt_xmalloc((2 * m + 1) * sizeof *z), *var = z + m;
  posterior_cov(gp, X, m, C);
  double scale = 0;
  for (size_t j = 0; j < m; j++)
    scale = fmax(scale, C[j * m + j]);
  int rc = -1;
  for (double jit = 1e-10; jit < 1 && rc != 0; jit *= 100) {
    memcpy(F, C, m * m * sizeof *F);
    for (size_t j = 0; j < m; j++)
      F[j * m + j] += jit * (scale > 0 ? scale : 1);
    rc = tt_chol(F, m);
  }
  if (rc == 0) {
    tt_gp_predict_many(gp, X, m, out, var);
    for (size_t j = 0; j < m; j++)
      z[j] = tt_rng_normal(rng);
    for (size_t a = 0; a < m; a++) {
      double s = 0;
      for (size_t k = 0; k <= a; k++)
        s += F[a * m + k] * z[k];
      out[a] += gp->ystd * s;
    }
  }
  free(C);
  free(F);
  free(z);
  return rc;
}
