/* Restricted objectives: the space cut down to the configurations that
 * evaluate ok, as in Kernel Tuner's restricted runs, where a strategy is
 * told the valid rows of a dataset in advance and never meets a failure. */
#include <math.h>
#include <stdlib.h>

#include "objective/objective_impl.h"

/* Restricts o; see objective.h. */
tt_status tt_objective_restrict(tt_objective *o, tt_error *err) {
  size_t K = tt_space_num_knobs(o->space), n = 0, cap = 1024;
  uint32_t *cfg = tt_xcalloc(K + 1, sizeof *cfg);
  uint32_t *ok = tt_xmalloc(cap * (K + 1) * sizeof *ok);
  for (int after = 0; tt_space_next_valid(o->space, cfg, after) == 0; after = 1) {
    double v;
    if (tt_objective_eval(o, cfg, &v) != TT_OUTCOME_OK) continue;
    if (n == cap) ok = tt_xrealloc(ok, (cap *= 2) * (K + 1) * sizeof *ok);
    for (size_t k = 0; k < K; k++)
      ok[n * K + k] = cfg[k];
    n++;
  }
  tt_status st = tt_space_restrict(o->space, ok, n, err);
  free(cfg);
  free(ok);
  if (st != TT_OK) return st;
  /* the population loses its failures: the +INFINITY tail */
  size_t m = 0;
  while (m < o->nvalues && isfinite(o->values[m]))
    m++;
  o->nvalues = m;
  return TT_OK;
}
