/* How bo's proposals see the points still pending (opt.pending, bo.h):
 * with W workers every ask has W - 1 of them. fit (the default) puts them
 * into the surrogate's fit at the liar's value (bo_propose.c); the other
 * ways fit the models on the told rows alone and then
 *  - condition: condition the GP on each pending point at the liar's
 *    value, its hyper-parameters fixed (the batch update of gp_batch.c);
 *  - believer: condition it at its own predicted mean (kriging believer):
 *    the mean is unchanged, the deviation shrinks around the point;
 *  - penalise: leave the model alone and multiply the acquisition by a
 *    local penaliser around each pending point x_j (Gonzalez et al.,
 *    "Batch Bayesian optimization via local penalization", 2016): the
 *    probability that x lies outside the ball around x_j that cannot hold
 *    the minimum, phi_j(x) = 1/2 erfc(-(L |x - x_j| - mu_j + M) /
 *    (sqrt(2) sd_j)), with M the best observed log time, mu_j and sd_j
 *    the model at x_j and L a Lipschitz estimate of the mean (the largest
 *    slope between candidates of the pool). The penalty multiplies the
 *    probability of feasibility, so it reaches every score (the pool's and
 *    the climb's, tt_bo_predict). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/bo.h"

/* Candidates a Thompson draw is taken over: the pool's best by LCB. */
#define THOMPSON_CANDS 256

/* Candidates of the pool the Lipschitz estimate looks at (pairs: n^2/2). */
#define LIPSCHITZ_CANDS 256

/* Euclidean distance of two encoded rows (features in [0, 1]). */
static double dist(const double *a, const double *b, size_t d) {
  double s = 0;
  for (size_t k = 0; k < d; k++)
    s += (a[k] - b[k]) * (a[k] - b[k]);
  return sqrt(s);
}

/* The largest slope of the predicted mean between two of the pool's first
 * LIPSCHITZ_CANDS candidates (the global random ones), at least 1e-6. */
static double lipschitz(const tt_bo *b) {
  size_t n = b->pool.len < LIPSCHITZ_CANDS ? b->pool.len : LIPSCHITZ_CANDS;
  double L = 1e-6;
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      double r = dist(b->pool.x + i * b->d, b->pool.x + j * b->d, b->d);
      if (r > 1e-9) L = fmax(L, fabs(b->pool.mu[i] - b->pool.mu[j]) / r);
    }
  return L;
}

/* The local penaliser of pending point j at x (the file's comment):
 * 1/2 erfc(-(L |x - x_j| - mu_j + M) / (sqrt(2) sd_j)). */
static double penalty(const tt_bo *b, size_t j, const double *x) {
  double r = dist(x, b->pen_x + j * b->d, b->d);
  return 0.5 * erfc(-(b->pen_L * r - b->pen_mu[j] + b->best_y) / b->pen_r[j]);
}

/* Adds cfg to the penalised points with the model's mean and deviation
 * there, and multiplies the pool's feasibilities by its penaliser. */
static void add_penalty(tt_bo *b, const uint32_t *cfg) {
  if (b->pen_n == b->pen_cap) {
    b->pen_cap = b->pen_cap ? 2 * b->pen_cap : 16;
    b->pen_x = tt_xrealloc(b->pen_x, (b->pen_cap * b->d + 1) * sizeof *b->pen_x);
    b->pen_mu = tt_xrealloc(b->pen_mu, b->pen_cap * sizeof *b->pen_mu);
    b->pen_r = tt_xrealloc(b->pen_r, b->pen_cap * sizeof *b->pen_r);
  }
  double *x = b->pen_x + b->pen_n * b->d, sd, pm;
  tt_space_encode(b->obs.space, b->opt.enc, cfg, x);
  tt_surrogate_predict(b->model, x, &b->pen_mu[b->pen_n], &sd);
  tt_bo_prior_mean(b, x, 1, &pm, &b->pen_mu[b->pen_n]);
  b->pen_r[b->pen_n] = sqrt(2.0) * fmax(sd, 1e-9);
  size_t j = b->pen_n++;
  for (size_t i = 0; i < b->pool.len; i++)
    b->pool.pf[i] *= penalty(b, j, b->pool.x + i * b->d);
}

/* Conditions the GP on cfg at the liar's value or (believer) its own
 * residual mean; the pool's means come back as residuals. */
static int condition(tt_bo *b, const uint32_t *cfg, double *x) {
  double pm, y, sd;
  tt_space_encode(b->obs.space, b->opt.enc, cfg, x);
  tt_bo_prior_mean(b, x, 1, &pm, NULL);
  y = b->lie - pm;
  if (b->opt.pending == TT_BO_PENDING_BELIEVER) tt_surrogate_predict(b->model, x, &y, &sd);
  return tt_surrogate_condition(b->model, x, y, b->pool.mu, b->pool.sd);
}

/* See bo.h. */
int tt_bo_pending_apply(tt_strategy *st, tt_bo *b, const uint32_t *prev, size_t nprev) {
  int fresh = prev == NULL, rc = 0;
  if (b->opt.pending == TT_BO_PENDING_THOMPSON) return fresh ? 0 : -1; /* a batch: redraw */
  if (fresh) {
    if (b->opt.pending == TT_BO_PENDING_FIT) return 0;
    nprev = tt_strategy_num_pending(st);
  }
  if (b->opt.pending == TT_BO_PENDING_PENALISE) {
    if (fresh) b->pen_L = lipschitz(b);
    for (size_t i = 0; i < nprev; i++)
      add_penalty(b, fresh ? tt_strategy_pending(st, i) : prev + i * b->nk);
    return 0;
  }
  double *x = tt_xmalloc((b->d + 1) * sizeof *x);
  for (size_t i = 0; i < b->pool.len; i++) /* the GP conditions the residuals */
    b->pool.mu[i] -= b->pool.pm[i];
  for (size_t i = 0; i < nprev && (rc == 0 || fresh); i++)
    rc = condition(b, fresh ? tt_strategy_pending(st, i) : prev + i * b->nk, x);
  for (size_t i = 0; i < b->pool.len; i++)
    b->pool.mu[i] += b->pool.pm[i];
  free(x);
  return fresh ? 0 : rc;
}

/* See bo.h. */
void tt_bo_pending_penalise(const tt_bo *b, const double *X, size_t m, double *pf) {
  if (b->opt.pending != TT_BO_PENDING_PENALISE) return;
  for (size_t j = 0; j < b->pen_n; j++)
    for (size_t i = 0; i < m; i++)
      pf[i] *= penalty(b, j, X + i * b->d);
}

/* See bo.h. */
void tt_bo_pending_free(tt_bo *b) {
  free(b->pen_x);
  free(b->pen_mu);
  free(b->pen_r);
}

/* A pool entry and its LCB score, for the Thompson candidates. */
typedef struct scored {
  double v;
  size_t i;
} scored;

static int cmp_scored(const void *a, const void *b) {
  double x = ((const scored *)a)->v, y = ((const scored *)b)->v;
  return (x > y) - (x < y);
}

/* See bo.h. The draw is over the THOMPSON_CANDS free candidates of least
 * mu - 2 sd that are likely feasible (pf >= 1/2; all when none is): a
 * joint draw over the whole pool would cost its size cubed. */
int tt_bo_pending_thompson(tt_strategy *st, tt_bo *b, uint32_t *out) {
  if (b->opt.pending != TT_BO_PENDING_THOMPSON || !tt_strategy_num_pending(st)) return -1;
  scored *c = tt_xmalloc((b->pool.len + 1) * sizeof *c);
  size_t n = 0;
  for (int all = 0; all <= 1 && n == 0; all++)
    for (size_t i = 0; i < b->pool.len; i++)
      if (!b->pool.taken[i] && (all || b->pool.pf[i] >= 0.5))
        c[n++] = (scored){b->pool.mu[i] - 2 * b->pool.sd[i], i};
  qsort(c, n, sizeof *c, cmp_scored);
  if (n > THOMPSON_CANDS) n = THOMPSON_CANDS;
  double *X = tt_xmalloc((n * b->d + 1) * sizeof *X), *f = tt_xmalloc((n + 1) * sizeof *f);
  for (size_t j = 0; j < n; j++)
    memcpy(X + j * b->d, b->pool.x + c[j].i * b->d, b->d * sizeof *X);
  int rc = n ? tt_surrogate_sample(b->model, X, n, b->d, tt_strategy_rng(st), f) : -1;
  if (rc == 0) {
    size_t best = 0;
    for (size_t j = 0; j < n; j++) /* the draw is of the residual: add the prior mean */
      if (f[j] + b->pool.pm[c[j].i] < f[best] + b->pool.pm[c[best].i]) best = j;
    memcpy(out, b->pool.cfg + c[best].i * b->nk, b->nk * sizeof *out);
  }
  free(X);
  free(f);
  free(c);
  return rc;
}
