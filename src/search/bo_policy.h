/* Internal to src/search: bo's policies, the components that react to the
 * search's progress as the history tracker (history.h) judges it. A
 * policy may pre-empt the acquisition with a configuration of its own
 * (probe: the incumbent's other values of its small knobs) and may change
 * LCB's weight (stall). The engine asks every policy of the registry
 * tt_bo_policies, in order. */
#ifndef TT_SEARCH_BO_POLICY_H
#define TT_SEARCH_BO_POLICY_H

#include "search/bo.h"

typedef struct tt_bo_policy {
  const char *name;   /* as docs/search-decisions.md's ablation names it */
  const char *option; /* the option that removes it */
  /* Writes a configuration to evaluate before the acquisition is asked
   * into out and returns 0, or returns -1 when none is due (NULL: never). */
  int (*preempt)(tt_strategy *st, tt_bo *b, uint32_t *out);
  /* LCB's weight under the policy, given the weight so far (NULL: kept). */
  double (*kappa)(const tt_bo *b, double kappa);
} tt_bo_policy;

/* The registry, ended by a NULL name (bo_policies.c). */
extern const tt_bo_policy tt_bo_policies[];

/* The first pre-emption a policy of the registry has; 0 with out written,
 * -1 when none is due. */
int tt_bo_policy_preempt(tt_strategy *st, tt_bo *b, uint32_t *out);

/* Probing a stalled incumbent (bo_probe.c). */
int tt_bo_probe_next(tt_strategy *st, tt_bo *b, uint32_t *out);
/* The stall rule's weight (bo_stall.c): opt.stall_kappa during a stall of
 * opt.stall evaluations or more, kappa otherwise. */
double tt_bo_stall_kappa(const tt_bo *b, double kappa);

#endif
