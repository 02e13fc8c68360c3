/* Transfer in Bayesian optimisation: a related task's model (prior.c) as
 * the prior mean of the surrogate. At every refit the prior is calibrated
 * on the task's ok rows and the surrogate is fitted on the residuals from
 * the calibrated mean; every prediction adds the mean back. A prior that
 * ranks the task's rows no better than chance gets weight 0, and the mean
 * is then the observed mean: the model is the one bo fits without a
 * prior. */
#include <math.h>
#include <stdlib.h>

#include "search/bo.h"

/* Fits the prior on related data; see bo.h. */
int tt_bo_set_prior(tt_strategy *st, void *state, const uint32_t *cfgs, const tt_outcome *outcomes,
                    const double *values, size_t n) {
  tt_bo *b = state;
  tt_prior_free(b->prior);
  b->prior = tt_prior_new(tt_strategy_space(st), b->opt.enc, cfgs, outcomes, values, n);
  b->cal = (tt_prior_cal){0, 0, 0, 0};
  return b->prior != NULL;
}

/* See bo.h. */
double tt_bo_prior_weight(const void *state) {
  const tt_bo *b = state;
  return b->prior ? b->cal.w : NAN;
}

/* Predicts the observation rows told since the last call into
 * b->praw_obs: the training rows' raw predictions are then looked up,
 * not recomputed at every refit. */
static void cache_rows(tt_bo *b) {
  if (b->praw_n == b->obs.n) return;
  b->praw_obs = tt_xrealloc(b->praw_obs, (b->obs.n + 1) * sizeof *b->praw_obs);
  tt_prior_predict(b->prior, b->obs.x + b->praw_n * b->d, b->obs.n - b->praw_n,
                   b->praw_obs + b->praw_n);
  b->praw_n = b->obs.n;
}

/* Calibrates and makes the targets residuals; see bo.h. The m ok training
 * rows are the ok observation rows in order (fit_models' gather_ok); the
 * pending rows after them are predicted afresh. */
void tt_bo_prior_fit(tt_bo *b, size_t m, size_t n) {
  if (!b->prior) return;
  b->praw = tt_xrealloc(b->praw, (n + 1) * sizeof *b->praw);
  cache_rows(b);
  for (size_t i = 0, j = 0; i < b->obs.n && j < m; i++)
    if (b->obs.ok[i]) b->praw[j++] = b->praw_obs[i];
  tt_prior_predict(b->prior, b->fx + m * b->d, n - m, b->praw + m);
  tt_prior_calibrate(b->praw, b->fy, m, &b->cal);
  for (size_t i = 0; i < n; i++)
    b->fy[i] -= tt_prior_mean(&b->cal, b->praw[i]);
}

/* See bo.h. */
void tt_bo_prior_mean(const tt_bo *b, const double *X, size_t m, double *pm, double *mu) {
  if (!b->prior) {
    for (size_t i = 0; i < m; i++)
      pm[i] = 0;
    return;
  }
  tt_prior_predict(b->prior, X, m, pm);
  for (size_t i = 0; i < m; i++) {
    pm[i] = tt_prior_mean(&b->cal, pm[i]);
    if (mu) mu[i] += pm[i];
  }
}
