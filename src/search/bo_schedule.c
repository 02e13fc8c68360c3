/* bo's acquisition schedules (bo_acquire.h): which acquisition each
 * proposal maximises. fixed: opt.acq always. hedge: GP-Hedge (Hoffman et
 * al. 2011, as scikit-optimize does it): LCB, EI and PI each propose, one
 * proposal is drawn by softmax of their gains, and the next refit rewards
 * each by its proposal's new predicted mean. */
#include <stdlib.h>
#include <string.h>

#include "search/bo_acquire.h"

static const tt_acq_kind kinds[TT_HEDGE_N] = {TT_ACQ_LCB, TT_ACQ_EI, TT_ACQ_PI};

/* The fixed schedule: opt.acq at every proposal. */
static void fixed_propose(tt_strategy *st, tt_bo *b, uint32_t *out) {
  tt_bo_maximise(st, b, b->opt.acq, out);
}

static tt_acq_kind fixed_pick(tt_strategy *st, tt_bo *b) {
  (void)st;
  return b->opt.acq;
}

/* GP-Hedge's choice for a batch's later points: one drawn by softmax of
 * the gains, which stay those of the batch's first point. */
static tt_acq_kind hedge_pick(tt_strategy *st, tt_bo *b) {
  return kinds[tt_hedge_choose(&b->hedge, tt_strategy_rng(st))];
}

/* GP-Hedge: rewards the last proposals with the refitted model, computes
 * each acquisition's proposal and draws one by softmax of the gains. */
static void hedge_propose(tt_strategy *st, tt_bo *b, uint32_t *out) {
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
      tt_bo_maximise(st, b, kinds[k], b->hedge_prop + k * b->nk);
    else
      memcpy(b->hedge_prop + k * b->nk,
             b->pool.cfg + tt_bo_pool_best(b, kinds[k], NULL, 0, &fb) * b->nk, b->nk * sizeof *out);
  }
  memcpy(out, b->hedge_prop + c * b->nk, b->nk * sizeof *out);
  b->hedge_open = 1;
  free(x);
}

static const tt_bo_schedule fixed = {"lcb, ei, pi", fixed_propose, fixed_pick};
static const tt_bo_schedule hedge = {"hedge", hedge_propose, hedge_pick};

/* See bo_acquire.h. */
const tt_bo_schedule *tt_bo_schedule_of(const tt_bo *b) {
  return b->opt.acq == TT_ACQ_HEDGE ? &hedge : &fixed;
}
