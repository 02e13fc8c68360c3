/* One Bayesian-optimisation proposal: refit the surrogate of log time (with
 * constant lies at pending points) and the feasibility classifier, score a
 * pool of random free configurations, the neighbours of the best observed
 * ones and random multi-knob perturbations of them (a trust region around
 * the best: one-knob moves cannot follow a valley that needs several knobs
 * to change together), then climb from the best few by one-knob moves
 * (inside the trust region, when there is one).
 * With opt.exploit set (off by default), every opt.exploit-th proposal
 * ranks by the model mean alone. The score
 * is the acquisition's utility times the probability of feasibility, so
 * regions that keep failing are avoided without inventing times for them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/bo.h"

/* Best observed configurations whose neighbourhoods join the pool. */
#define POOL_SEEDS 5
/* Neighbours considered per configuration (pool seeds and local search). */
#define MAX_NEIGHBOURS 256

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

/* Refits both models; pending configurations enter the surrogate with the
 * liar's value (the min, mean or max of the observed log times). */
static void fit_models(tt_strategy *st, tt_bo *b) {
  size_t np = tt_strategy_num_pending(st), m = b->obs.n_ok;
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
}

/* Appends cfg (encoded) to the pool; scored later by score_pool. */
static void pool_add(tt_bo *b, const uint32_t *cfg) {
  tt_bo_pool *p = &b->pool;
  if (p->len == p->cap) {
    p->cap = p->cap ? 2 * p->cap : 1024;
    p->cfg = tt_xrealloc(p->cfg, p->cap * b->nk * sizeof *p->cfg + 1);
    p->x = tt_xrealloc(p->x, p->cap * b->d * sizeof *p->x + 1);
    p->mu = tt_xrealloc(p->mu, p->cap * sizeof *p->mu);
    p->sd = tt_xrealloc(p->sd, p->cap * sizeof *p->sd);
    p->pf = tt_xrealloc(p->pf, p->cap * sizeof *p->pf);
    p->pm = tt_xrealloc(p->pm, p->cap * sizeof *p->pm);
    p->taken = tt_xrealloc(p->taken, p->cap);
  }
  size_t i = p->len++;
  p->taken[i] = 0;
  memcpy(p->cfg + i * b->nk, cfg, b->nk * sizeof *cfg);
  tt_space_encode(b->obs.space, b->opt.enc, cfg, p->x + i * b->d);
}

/* Random free configurations plus the free neighbours of the best
 * observed ones. Returns 0, or -1 when nothing is free. */
static int build_pool(tt_strategy *st, tt_bo *b, uint32_t *nb) {
  b->pool.len = 0;
  uint32_t *cfg = nb; /* scratch: the neighbour buffer is free here */
  size_t in_region = b->opt.tr == 1 ? tt_bo_trust_fill(st, b, b->opt.cands, cfg, pool_add) : 0;
  for (size_t i = in_region; i < b->opt.cands && tt_strategy_random_free(st, cfg) == 0; i++)
    pool_add(b, cfg);
  if (!b->pool.len) return -1;
  size_t seeds[POOL_SEEDS];
  size_t ns = tt_obs_table_best(&b->obs, seeds, POOL_SEEDS);
  for (size_t s = 0; s < ns && s < b->opt.neighbours; s++) {
    size_t n = tt_bo_neighbours(st, b->obs.cfg + seeds[s] * b->nk, nb, MAX_NEIGHBOURS);
    for (size_t j = 0; j < n; j++)
      pool_add(b, nb + j * b->nk);
  }
  tt_rng *rng = tt_strategy_rng(st);
  size_t local = b->opt.tr == 2 ? tt_bo_trust_fill(st, b, b->opt.local, cfg, pool_add) : 0;
  for (size_t i = local; i < b->opt.local && ns; i++) {
    size_t s = 0; /* the best seed half the time, the next a quarter, ... */
    while (s + 1 < ns && tt_rng_uniform(rng) < 0.5)
      s++;
    if (tt_bo_perturb(st, b->obs.cfg + seeds[s] * b->nk, b->opt.radius, cfg) == 0) pool_add(b, cfg);
  }
  /* tt_bo_predict's numbers, with the GP's candidates tracked for a batch */
  tt_surrogate_predict_track(b->model, b->pool.x, b->pool.len, b->d, b->pool.mu, b->pool.sd);
  tt_bo_prior_mean(b, b->pool.x, b->pool.len, b->pool.pm, b->pool.mu);
  tt_bo_feas_predict(b, b->pool.cfg, b->pool.x, b->pool.len, b->pool.pf);
  return 0;
}

/* The score to maximise under acquisition kind. fallback 1 ranks by LCB
 * (used when EI or PI vanish everywhere), 2 by feasibility alone. */
static double score(const tt_bo *b, tt_acq_kind kind, int fallback, double mu, double sd,
                    double pf) {
  if (fallback == 2) return pf;
  if (fallback == 1 || b->exploiting) kind = TT_ACQ_LCB;
  double kappa = b->exploiting ? 0 : tt_bo_kappa(b);
  return pf * tt_acq_utility(kind, mu, sd, b->best_y, b->worst_y, kappa, b->opt.xi);
}

/* Index of the pool's best entry under kind, avoiding the entries in
 * skip[0..nskip) and those taken; sets *fallback to the level that had a
 * positive score. SIZE_MAX when every entry is avoided. */
static size_t pool_best(const tt_bo *b, tt_acq_kind kind, const size_t *skip, size_t nskip,
                        int *fallback) {
  const tt_bo_pool *p = &b->pool;
  size_t best = SIZE_MAX;
  for (int fb = 0; fb <= 2; fb++) {
    double bv = -1;
    for (size_t i = 0; i < p->len; i++) {
      int skipped = 0;
      for (size_t k = 0; k < nskip; k++)
        skipped |= skip[k] == i;
      double v = skipped || p->taken[i] ? -1 : score(b, kind, fb, p->mu[i], p->sd[i], p->pf[i]);
      if (v > bv) {
        bv = v;
        best = i;
      }
    }
    *fallback = fb;
    if (bv > 0) break;
  }
  return best;
}

/* Scratch for scoring a neighbourhood: MAX_NEIGHBOURS rows. */
typedef struct climb_buf {
  uint32_t *nb;
  double *x, *mu, *sd, *pf;
} climb_buf;

/* Hill-climbs cfg (score *val) by one-knob moves while the score improves.
 * With a trust region the moves stay inside it, as TuRBO optimises its
 * acquisition only there: unrestricted, LCB climbs ran to the corners of
 * the space, where the GP's variance is largest (on ackley a third of the
 * evaluations before the optimum were corners). */
static void climb(tt_strategy *st, tt_bo *b, tt_acq_kind kind, int fb, uint32_t *cfg, double *val,
                  climb_buf *cb) {
  for (size_t step = 0; step < b->opt.climb; step++) {
    size_t n = tt_bo_neighbours(st, cfg, cb->nb, MAX_NEIGHBOURS), bi = n;
    for (size_t j = 0; j < n; j++)
      tt_space_encode(b->obs.space, b->opt.enc, cb->nb + j * b->nk, cb->x + j * b->d);
    tt_bo_predict(b, cb->nb, cb->x, n, cb->mu, cb->sd, cb->pf);
    double bv = *val;
    for (size_t j = 0; j < n; j++) {
      if (!tt_bo_trust_contains(st, b, cb->nb + j * b->nk)) continue;
      double v = score(b, kind, fb, cb->mu[j], cb->sd[j], cb->pf[j]);
      if (v > bv) {
        bv = v;
        bi = j;
      }
    }
    if (bi == n) return;
    memcpy(cfg, cb->nb + bi * b->nk, b->nk * sizeof *cfg);
    *val = bv;
  }
}

/* The best configuration under kind: the top opt.starts pool entries,
 * each improved by local search; the winner goes to out. */
static void maximise(tt_strategy *st, tt_bo *b, tt_acq_kind kind, uint32_t *out) {
  size_t *top = tt_xmalloc(b->opt.starts * sizeof *top), nt = 0;
  int fb = 0;
  double best = -1;
  climb_buf cb;
  cb.nb = tt_xmalloc((MAX_NEIGHBOURS + 1) * b->nk * sizeof *cb.nb);
  cb.x = tt_xmalloc((MAX_NEIGHBOURS + 1) * b->d * sizeof *cb.x);
  cb.mu = tt_xmalloc(3 * (MAX_NEIGHBOURS + 1) * sizeof *cb.mu);
  cb.sd = cb.mu + MAX_NEIGHBOURS + 1;
  cb.pf = cb.sd + MAX_NEIGHBOURS + 1;
  uint32_t *cfg = tt_xmalloc((b->nk + 1) * sizeof *cfg);
  for (; nt < b->opt.starts && nt < b->pool.len; nt++) {
    int f;
    top[nt] = pool_best(b, kind, top, nt, &f);
    if (top[nt] == SIZE_MAX) break; /* a batch took the rest */
    if (nt == 0) fb = f;
  }
  for (size_t s = 0; s < nt; s++) {
    size_t i = top[s];
    memcpy(cfg, b->pool.cfg + i * b->nk, b->nk * sizeof *cfg);
    double v = score(b, kind, fb, b->pool.mu[i], b->pool.sd[i], b->pool.pf[i]);
    climb(st, b, kind, fb, cfg, &v, &cb);
    if (v > best || s == 0) {
      best = v;
      memcpy(out, cfg, b->nk * sizeof *cfg);
    }
  }
  free(cb.nb);
  free(cb.x);
  free(cb.mu);
  free(cfg);
  free(top);
}

/* The acquisition a proposal maximises: LCB when exploiting, else a
 * fixed one or, under GP-Hedge, one drawn by softmax of the gains. */
static tt_acq_kind pick_kind(tt_strategy *st, tt_bo *b) {
  static const tt_acq_kind kinds[TT_HEDGE_N] = {TT_ACQ_LCB, TT_ACQ_EI, TT_ACQ_PI};
  if (b->exploiting) return TT_ACQ_LCB;
  if (b->opt.acq != TT_ACQ_HEDGE) return b->opt.acq;
  return kinds[tt_hedge_choose(&b->hedge, tt_strategy_rng(st))];
}

/* GP-Hedge: rewards the last proposals with the refitted model, computes
 * each acquisition's proposal and draws one by softmax of the gains. */
static void propose_hedge(tt_strategy *st, tt_bo *b, uint32_t *out) {
  static const tt_acq_kind kinds[TT_HEDGE_N] = {TT_ACQ_LCB, TT_ACQ_EI, TT_ACQ_PI};
  double *x = tt_xmalloc((TT_HEDGE_N * b->d + 1) * sizeof *x);
  double mus[TT_HEDGE_N], sd[TT_HEDGE_N], pf[TT_HEDGE_N];
  if (b->hedge_open) {
    for (int k = 0; k < TT_HEDGE_N; k++)
      tt_space_encode(b->obs.space, b->opt.enc, b->hedge_prop + k * b->nk, x + k * b->d);
    tt_bo_predict(b, b->hedge_prop, x, TT_HEDGE_N, mus, sd, pf);
    tt_hedge_update(&b->hedge, mus);
  }
  int c = tt_hedge_choose(&b->hedge, tt_strategy_rng(st));
  for (int k = 0; k < TT_HEDGE_N; k++) {
    int fb;
    if (k == c)
      maximise(st, b, kinds[k], b->hedge_prop + k * b->nk);
    else
      memcpy(b->hedge_prop + k * b->nk, b->pool.cfg + pool_best(b, kinds[k], NULL, 0, &fb) * b->nk,
             b->nk * sizeof *out);
  }
  memcpy(out, b->hedge_prop + c * b->nk, b->nk * sizeof *out);
  b->hedge_open = 1;
  free(x);
}

/* One proposal; see bo.h. Without any successful observation the models
 * have nothing to say about time, so the proposal is random. */
int tt_bo_propose(tt_strategy *st, tt_bo *b, uint32_t *out) {
  if (!b->obs.n_ok) return tt_strategy_random_free(st, out);
  fit_models(st, b);
  tt_history_update(&b->hist, &b->obs);
  if (b->opt.tr) tt_bo_trust_update(st, b);
  uint32_t *nb = tt_xmalloc((MAX_NEIGHBOURS + 1) * b->nk * sizeof *nb);
  int rc = build_pool(st, b, nb);
  free(nb);
  if (rc < 0) return -1;
  b->nprop++;
  b->exploiting = b->opt.exploit && b->nprop % b->opt.exploit == 0;
  if (b->exploiting)
    maximise(st, b, TT_ACQ_LCB, out);
  else if (b->opt.acq == TT_ACQ_HEDGE)
    propose_hedge(st, b, out);
  else
    maximise(st, b, b->opt.acq, out);
  b->exploiting = 0;
  return 0;
}

/* The next proposal of a batch; see bo.h. The hedge's gains and its last
 * proposals stay those of the batch's first point: the next ask's refit
 * rewards them. */
int tt_bo_propose_more(tt_strategy *st, tt_bo *b, const uint32_t *prev, size_t nprev,
                       uint32_t *out) {
  double *x = tt_xmalloc((b->d + 1) * sizeof *x), pm;
  int rc = 0;
  for (size_t i = 0; i < b->pool.len; i++) /* the GP conditions the residuals */
    b->pool.mu[i] -= b->pool.pm[i];
  for (size_t i = 0; i < nprev && rc == 0; i++) {
    tt_space_encode(b->obs.space, b->opt.enc, prev + i * b->nk, x);
    tt_bo_prior_mean(b, x, 1, &pm, NULL);
    rc = tt_surrogate_condition(b->model, x, b->lie - pm, b->pool.mu, b->pool.sd);
  }
  for (size_t i = 0; i < b->pool.len; i++)
    b->pool.mu[i] += b->pool.pm[i];
  free(x);
  if (rc != 0) return tt_bo_propose(st, b, out); /* refit: no cheap update */
  size_t left = 0;
  for (size_t i = 0; i < b->pool.len; i++) {
    b->pool.taken[i] |= !tt_strategy_is_free(st, b->pool.cfg + i * b->nk);
    left += !b->pool.taken[i];
  }
  if (!left) return tt_bo_propose(st, b, out); /* a fresh pool */
  b->nprop++;
  b->exploiting = b->opt.exploit && b->nprop % b->opt.exploit == 0;
  maximise(st, b, pick_kind(st, b), out);
  b->exploiting = 0;
  return 0;
}
