/* Batch proposals with a Gaussian process (kriging believer / constant
 * liar): after one fit, the GP is conditioned on each proposed point with
 * a lie for its value and its hyper-parameters fixed, so the next proposal
 * of the batch sees it. Adding a row extends the Cholesky factor by one
 * row (O(n^2)); the predictions of a tracked candidate pool are updated by
 * one more entry of L^-1 k each (O(n) a candidate) instead of predicting
 * the pool afresh (O(n^2) a candidate): with the new row's entry w_c of
 * candidate c, the standardised mean gains w_c z_new and the variance
 * loses w_c^2. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/gp_impl.h"

struct tt_gp_track {
  size_t m, d, n0;    /* candidates, features, GP rows when tracking began */
  size_t nb, cap;     /* rows added since, and room for them in W */
  double *X;          /* m x d candidates */
  double *V;          /* per block of GP_BLOCK candidates: n0 x GP_BLOCK */
  double *W;          /* cap x m: the added rows' entries of L^-1 k */
  double *mean, *var; /* current predictions, units of y */
};

/* Predicts the m candidates X (m x d) into mean and var as
 * tt_gp_predict_many does, keeping what conditioning updates them with. */
tt_gp_track *tt_gp_track_new(const tt_gp *gp, const double *X, size_t m, double *mean,
                             double *var) {
  tt_gp_track *t = tt_xcalloc(1, sizeof *t);
  size_t nblocks = (m + GP_BLOCK - 1) / GP_BLOCK;
  t->m = m;
  t->d = gp->d;
  t->n0 = gp->n;
  t->X = tt_xmalloc((m * gp->d + 1) * sizeof *t->X);
  memcpy(t->X, X, m * gp->d * sizeof *X);
  t->V = tt_xmalloc((nblocks * gp->n * GP_BLOCK + 1) * sizeof *t->V);
  t->mean = tt_xmalloc((m + 1) * sizeof *t->mean);
  t->var = tt_xmalloc((m + 1) * sizeof *t->var);
  for (size_t b = 0; b < nblocks; b++) {
    size_t c0 = b * GP_BLOCK, bm = m - c0 < GP_BLOCK ? m - c0 : GP_BLOCK;
    tt_gp_predict_block(gp, X + c0 * gp->d, bm, t->V + b * gp->n * GP_BLOCK, t->mean + c0,
                        t->var + c0);
  }
  memcpy(mean, t->mean, m * sizeof *mean);
  memcpy(var, t->var, m * sizeof *var);
  return t;
}

void tt_gp_track_free(tt_gp_track *t) {
  if (!t) return;
  free(t->X);
  free(t->V);
  free(t->W);
  free(t->mean);
  free(t->var);
  free(t);
}

/* Appends row x (scaled copy too) and the factor's new last row [l, dl]
 * to gp; alpha becomes L^-T z for the extended z. */
static void extend(tt_gp *gp, const double *x, const double *l, double dl, double *z) {
  size_t n = gp->n, d = gp->d;
  gp->X = tt_xrealloc(gp->X, ((n + 1) * d + 1) * sizeof *gp->X);
  gp->Xs = tt_xrealloc(gp->Xs, ((n + 1) * d + 1) * sizeof *gp->Xs);
  memcpy(gp->X + n * d, x, d * sizeof *x);
  for (size_t k = 0; k < d; k++)
    gp->Xs[n * d + k] = x[k] * exp(-gp->theta[1 + (gp->ard ? k : 0)]);
  double *L = tt_xcalloc((n + 1) * (n + 1) + 1, sizeof *L);
  for (size_t i = 0; i < n; i++)
    memcpy(L + i * (n + 1), gp->L + i * n, (i + 1) * sizeof *L);
  memcpy(L + n * (n + 1), l, n * sizeof *l);
  L[n * (n + 1) + n] = dl;
  free(gp->L);
  gp->L = L;
  gp->n = n + 1;
  gp->alpha = tt_xrealloc(gp->alpha, (n + 2) * sizeof *gp->alpha);
  memcpy(gp->alpha, z, (n + 1) * sizeof *z);
  tt_chol_solve_upper(gp->L, n + 1, gp->alpha);
}

/* Conditions gp on (x, y) and updates the tracked predictions; see
 * model.h. */
int tt_gp_track_add(tt_gp_track *t, tt_gp *gp, const double *x, double y, double *mean, double *var,
                    size_t *m) {
  *m = t->m;
  size_t n = gp->n, d = gp->d;
  double *l = tt_xmalloc((2 * n + 2) * sizeof *l), *z = l + n + 1;
  for (size_t i = 0; i < n; i++)
    l[i] = tt_gp_k(gp, gp->X + i * d, x);
  tt_chol_solve_lower(gp->L, n, l);
  double ll = 0, lz = 0;
  for (size_t i = 0; i < n; i++) { /* z = L^-1 ys = L^T alpha */
    double s = 0;
    for (size_t k = i; k < n; k++)
      s += gp->L[k * n + i] * gp->alpha[k];
    z[i] = s;
    ll += l[i] * l[i];
    lz += l[i] * s;
  }
  double d2 = tt_gp_k_self(gp, x) - ll;
  if (!(d2 > 1e-12 * tt_gp_k_self(gp, x))) { /* x (nearly) repeats a row */
    free(l);
    return -1;
  }
  double dl = sqrt(d2), znew = ((y - gp->ymean) / gp->ystd - lz) / dl;
  if (t->nb == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 16;
    t->W = tt_xrealloc(t->W, (t->cap * t->m + 1) * sizeof *t->W);
  }
  double *w = t->W + t->nb * t->m, s2 = gp->ystd * gp->ystd;
  for (size_t c = 0; c < t->m; c++) {
    const double *V = t->V + (c / GP_BLOCK) * t->n0 * GP_BLOCK + c % GP_BLOCK;
    double s = 0;
    for (size_t i = 0; i < t->n0; i++)
      s += l[i] * V[i * GP_BLOCK];
    for (size_t r = 0; r < t->nb; r++)
      s += l[t->n0 + r] * t->W[r * t->m + c];
    w[c] = (tt_gp_k(gp, t->X + c * d, x) - s) / dl;
    t->mean[c] += gp->ystd * w[c] * znew;
    t->var[c] = fmax(0, t->var[c] - s2 * w[c] * w[c]);
  }
  t->nb++;
  z[n] = znew;
  extend(gp, x, l, dl, z);
  memcpy(mean, t->mean, t->m * sizeof *mean);
  memcpy(var, t->var, t->m * sizeof *var);
  free(l);
  return 0;
}
