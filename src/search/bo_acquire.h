/* Internal to src/search: bo's acquisition component. The acquisition
 * functions themselves (LCB, EI, PI) and GP-Hedge's gains are in
 * acquisition.h; this is how a proposal uses them: a schedule decides
 * which acquisition each proposal maximises (one fixed, or the GP-Hedge
 * portfolio), and the optimiser (bo_maximise.c) maximises it over the
 * pool, climbing from its best entries. */
#ifndef TT_SEARCH_BO_ACQUIRE_H
#define TT_SEARCH_BO_ACQUIRE_H

#include "search/bo.h"

typedef struct tt_bo_schedule {
  const char *name; /* the acq option's value(s) it serves */
  /* The first proposal of an ask, the pool built and scored: writes the
   * chosen configuration into out. */
  void (*propose)(tt_strategy *st, tt_bo *b, uint32_t *out);
  /* The acquisition the later proposals of a batch maximise. */
  tt_acq_kind (*pick)(tt_strategy *st, tt_bo *b);
} tt_bo_schedule;

/* The schedule of b's acq option: fixed for lcb, ei and pi, hedge for
 * hedge (bo_schedule.c). */
const tt_bo_schedule *tt_bo_schedule_of(const tt_bo *b);

/* The score of a pool entry or a climb's step under kind: the utility
 * times the probability of feasibility. fallback 1 ranks by LCB (when EI
 * or PI vanish everywhere), 2 by feasibility alone (bo_maximise.c). */
double tt_bo_score(const tt_bo *b, tt_acq_kind kind, int fallback, double mu, double sd, double pf);

/* Index of the pool's best entry under kind, avoiding skip[0..nskip) and
 * the entries taken; *fallback: the level that had a positive score.
 * SIZE_MAX when every entry is avoided. */
size_t tt_bo_pool_best(const tt_bo *b, tt_acq_kind kind, const size_t *skip, size_t nskip,
                       int *fallback);

/* The best configuration under kind: the top opt.starts pool entries,
 * each improved by opt.climb one-knob steps (inside the trust region when
 * there is one); the winner goes to out. */
void tt_bo_maximise(tt_strategy *st, tt_bo *b, tt_acq_kind kind, uint32_t *out);

#endif
