/* The registry of bo's policies (bo_policy.h) and how the engine asks it. */
#include <stddef.h>

#include "search/bo_policy.h"

const tt_bo_policy tt_bo_policies[] = {
    {"probe", "probe", tt_bo_probe_next, NULL},
    {"stall", "stall", NULL, tt_bo_stall_kappa},
    {NULL, NULL, NULL, NULL},
};

/* See bo_policy.h. */
int tt_bo_policy_preempt(tt_strategy *st, tt_bo *b, uint32_t *out) {
  for (const tt_bo_policy *p = tt_bo_policies; p->name; p++)
    if (p->preempt && p->preempt(st, b, out) == 0) return 0;
  return -1;
}

/* LCB's weight now (bo.h): opt.kappa through every policy's kappa. */
double tt_bo_kappa(const tt_bo *b) {
  double kappa = b->opt.kappa;
  for (const tt_bo_policy *p = tt_bo_policies; p->name; p++)
    if (p->kappa) kappa = p->kappa(b, kappa);
  return kappa;
}
