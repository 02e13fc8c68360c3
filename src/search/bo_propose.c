/* bo's engine, one proposal: refit the surrogate of log time (with
 * constant lies at pending points) and the feasibility classifier, bring
 * the history tracker and the trust region up to date, let the candidate
 * sources fill a pool (bo_source.h) and let the acquisition schedule
 * choose from it (bo_acquire.h). With opt.exploit set (off by default),
 * every opt.exploit-th proposal ranks by the model mean alone. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/bo_acquire.h"
#include "search/bo_source.h"

/* Makes room for n training rows. */
static void reserve_train(tt_bo *b, size_t n) {
  if (n <= b->fcap) return;
  b->fcap = n + n / 2 + 16;
  b->fx = tt_xrealloc(b->fx, b->fcap * b->d * sizeof *b->fx + 1);
  b->fy = tt_xrealloc(b->fy, b->fcap * sizeof *b->fy);
}

/* Copies the ok rows into the training buffers as log time; sets best_y
 * and worst_y and returns the mean. */
static double gather_ok(tt_bo *b) {
  const tt_obs_table *t = &b->obs;
  size_t m = 0;
  double sum = 0;
  b->best_y = INFINITY;
  b->worst_y = -INFINITY;
  for (size_t i = 0; i < t->n; i++) {
    if (!t->ok[i]) continue;
    double y = log(t->value[i]);
    memcpy(b->fx + m * b->d, t->x + i * b->d, b->d * sizeof *b->fx);
    b->fy[m++] = y;
    sum += y;
    b->best_y = fmin(b->best_y, y);
    b->worst_y = fmax(b->worst_y, y);
  }
  return sum / (double)m;
}

/* EI's and PI's incumbent under incumbent=mean: the least predicted mean
 * at the m observed rows (noisy EI's plug-in). A GP fitted with noise
 * smooths a sharp minimum, so its mean there lies above the observed best;
 * against the observed value nothing near it can improve, and EI and PI go
 * where the deviation is largest (the corners) instead. The liar above
 * still uses the observed best. */
static void plug_in_best(tt_bo *b, size_t m) {
  double *mu = tt_xmalloc(3 * (m + 1) * sizeof *mu);
  tt_surrogate_predict_many(b->model, b->fx, m, b->d, mu, mu + m + 1);
  tt_bo_prior_mean(b, b->fx, m, mu + 2 * (m + 1), mu);
  for (size_t i = 0; i < m; i++)
    b->best_y = i ? fmin(b->best_y, mu[i]) : mu[i];
  free(mu);
}

/* Refits both models; with pending=fit (or a surrogate that cannot be
 * conditioned, such as the forests, unless pending=penalise) pending
 * configurations enter the surrogate with the liar's value (the min, mean
 * or max of the observed log times); otherwise tt_bo_pending_apply brings
 * them in after the fit. */
static void fit_models(tt_strategy *st, tt_bo *b) {
  size_t np = tt_strategy_num_pending(st), m = b->obs.n_ok;
  int in_fit = b->opt.pending == TT_BO_PENDING_FIT ||
               (b->opt.pending != TT_BO_PENDING_PENALISE && !tt_surrogate_can_condition(b->model));
  if (!in_fit) np = 0;
  b->pen_n = 0;
  reserve_train(b, m + np);
  double mean = gather_ok(b);
  double lie = b->opt.liar == TT_BO_LIAR_MIN    ? b->best_y
               : b->opt.liar == TT_BO_LIAR_MEAN ? mean
                                                : b->worst_y;
  b->lie = lie;
  for (size_t i = 0; i < np; i++) {
    tt_space_encode(b->obs.space, b->opt.enc, tt_strategy_pending(st, i), b->fx + (m + i) * b->d);
    b->fy[m + i] = lie;
  }
  tt_bo_prior_fit(b, m, m + np);
  tt_bo_additive_update(b, m);
  tt_surrogate_fit(b->model, b->fx, b->fy, m + np, b->d, tt_strategy_rng(st));
  tt_bo_feas_fit(b, tt_strategy_rng(st));
  if (b->opt.plug_in) plug_in_best(b, m);
}

/* Model means, deviations and feasibilities; see bo.h. */
void tt_bo_predict(const tt_bo *b, const uint32_t *cfg, const double *X, size_t m, double *mu,
                   double *sd, double *pf) {
  tt_surrogate_predict_many(b->model, X, m, b->d, mu, sd);
  if (b->prior) {
    double *pm = tt_xmalloc((m + 1) * sizeof *pm);
    tt_bo_prior_mean(b, X, m, pm, mu);
    free(pm);
  }
  tt_bo_feas_predict(b, cfg, X, m, pf);
  tt_bo_pending_penalise(b, X, m, pf);
}

/* One proposal; see bo.h. Without any successful observation the models
 * have nothing to say about time, so the proposal is random. */
int tt_bo_propose(tt_strategy *st, tt_bo *b, uint32_t *out) {
  if (!b->obs.n_ok) return tt_strategy_random_free(st, out);
  fit_models(st, b);
  tt_history_update(&b->hist, &b->obs);
  if (b->opt.tr) tt_bo_trust_update(st, b);
  if (tt_bo_pool_build(st, b) < 0) return -1;
  tt_bo_pending_apply(st, b, NULL, 0);
  b->nprop++;
  if (tt_bo_pending_thompson(st, b, out) == 0) return 0;
  b->exploiting = b->opt.exploit && b->nprop % b->opt.exploit == 0;
  if (b->exploiting)
    tt_bo_maximise(st, b, TT_ACQ_LCB, out);
  else
    tt_bo_schedule_of(b)->propose(st, b, out);
  b->exploiting = 0;
  return 0;
}

/* The next proposal of a batch; see bo.h. The hedge's gains and its last
 * proposals stay those of the batch's first point: the next ask's refit
 * rewards them. */
int tt_bo_propose_more(tt_strategy *st, tt_bo *b, const uint32_t *prev, size_t nprev,
                       uint32_t *out) {
  if (tt_bo_pending_apply(st, b, prev, nprev) != 0)
    return tt_bo_propose(st, b, out); /* refit: no cheap update */
  size_t left = 0;
  for (size_t i = 0; i < b->pool.len; i++) {
    b->pool.taken[i] |= !tt_strategy_is_free(st, b->pool.cfg + i * b->nk);
    left += !b->pool.taken[i];
  }
  if (!left) return tt_bo_propose(st, b, out); /* a fresh pool */
  b->nprop++;
  b->exploiting = b->opt.exploit && b->nprop % b->opt.exploit == 0;
  tt_bo_maximise(st, b, b->exploiting ? TT_ACQ_LCB : tt_bo_schedule_of(b)->pick(st, b), out);
  b->exploiting = 0;
  return 0;
}
