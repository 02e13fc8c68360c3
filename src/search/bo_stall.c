/* The stall rule, a bo policy (bo_policy.h): once opt.stall evaluations
 * after the initial design brought no improvement (the history tracker's
 * judgement, history.h), LCB's weight is opt.stall_kappa until one does.
 *
 * Why a smaller weight once stalled: the variance term then sends LCB to
 * the unexplored corners of the space, which in four or more dimensions
 * are many and mostly bad; with a small weight the stalled search tries
 * the places the model rates good instead (measurements:
 * docs/search-decisions.md, stall). */
#include "search/bo_policy.h"

/* See bo_policy.h. */
double tt_bo_stall_kappa(const tt_bo *b, double kappa) {
  return b->opt.stall && tt_history_stall(&b->hist) >= b->opt.stall ? b->opt.stall_kappa : kappa;
}
