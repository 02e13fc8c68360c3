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

/* Calibrates and makes the targets residuals; see bo.h. */
void tt_bo_prior_fit(tt_bo *b, size_t m, size_t n) {
  if (!b->prior) return;
  b->praw = tt_xrealloc(b->praw, (n + 1) * sizeof *b->praw);
  tt_prior_predict(b->prior, b->fx, n, b->praw);
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
