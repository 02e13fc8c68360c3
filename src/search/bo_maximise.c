/* bo's acquisition optimiser (bo_acquire.h): the pool's best entries
 * under an acquisition times the probability of feasibility, each climbed
 * by one-knob moves while the score improves. Scoring by the utility
 * times feasibility avoids regions that keep failing without inventing
 * times for them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/bo_acquire.h"
#include "search/bo_source.h"

/* See bo_acquire.h; an exploiting proposal ranks by the mean alone. */
double tt_bo_score(const tt_bo *b, tt_acq_kind kind, int fallback, double mu, double sd,
                   double pf) {
  if (fallback == 2) return pf;
  if (fallback == 1 || b->exploiting) kind = TT_ACQ_LCB;
  double kappa = b->exploiting ? 0 : tt_bo_kappa(b);
  return pf * tt_acq_utility(kind, mu, sd, b->best_y, b->worst_y, kappa, b->opt.xi);
}

/* See bo_acquire.h. */
size_t tt_bo_pool_best(const tt_bo *b, tt_acq_kind kind, const size_t *skip, size_t nskip,
                       int *fallback) {
  const tt_bo_pool *p = &b->pool;
  size_t best = SIZE_MAX;
  for (int fb = 0; fb <= 2; fb++) {
    double bv = -1;
    for (size_t i = 0; i < p->len; i++) {
      int skipped = 0;
      for (size_t k = 0; k < nskip; k++)
        skipped |= skip[k] == i;
      double v =
          skipped || p->taken[i] ? -1 : tt_bo_score(b, kind, fb, p->mu[i], p->sd[i], p->pf[i]);
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

/* Scratch for scoring a neighbourhood: TT_BO_MAX_NEIGHBOURS rows. */
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
    size_t n = tt_bo_neighbours(st, cfg, cb->nb, TT_BO_MAX_NEIGHBOURS), bi = n;
    for (size_t j = 0; j < n; j++)
      tt_space_encode(b->obs.space, b->opt.enc, cb->nb + j * b->nk, cb->x + j * b->d);
    tt_bo_predict(b, cb->nb, cb->x, n, cb->mu, cb->sd, cb->pf);
    double bv = *val;
    for (size_t j = 0; j < n; j++) {
      if (!tt_bo_trust_contains(st, b, cb->nb + j * b->nk)) continue;
      double v = tt_bo_score(b, kind, fb, cb->mu[j], cb->sd[j], cb->pf[j]);
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

/* See bo_acquire.h. */
void tt_bo_maximise(tt_strategy *st, tt_bo *b, tt_acq_kind kind, uint32_t *out) {
  size_t *top = tt_xmalloc(b->opt.starts * sizeof *top), nt = 0;
  int fb = 0;
  double best = -1;
  climb_buf cb;
  cb.nb = tt_xmalloc((TT_BO_MAX_NEIGHBOURS + 1) * b->nk * sizeof *cb.nb);
  cb.x = tt_xmalloc((TT_BO_MAX_NEIGHBOURS + 1) * b->d * sizeof *cb.x);
  cb.mu = tt_xmalloc(3 * (TT_BO_MAX_NEIGHBOURS + 1) * sizeof *cb.mu);
  cb.sd = cb.mu + TT_BO_MAX_NEIGHBOURS + 1;
  cb.pf = cb.sd + TT_BO_MAX_NEIGHBOURS + 1;
  uint32_t *cfg = tt_xmalloc((b->nk + 1) * sizeof *cfg);
  for (; nt < b->opt.starts && nt < b->pool.len; nt++) {
    int f;
    top[nt] = tt_bo_pool_best(b, kind, top, nt, &f);
    if (top[nt] == SIZE_MAX) break; /* a batch took the rest */
    if (nt == 0) fb = f;
  }
  for (size_t s = 0; s < nt; s++) {
    size_t i = top[s];
    memcpy(cfg, b->pool.cfg + i * b->nk, b->nk * sizeof *cfg);
    double v = tt_bo_score(b, kind, fb, b->pool.mu[i], b->pool.sd[i], b->pool.pf[i]);
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
