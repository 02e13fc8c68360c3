/* Internal to src/search: bo's candidate sources. A proposal scores a pool
 * of free configurations that several sources fill, in the order of the
 * registry tt_bo_sources: random configurations, the trust region's draws,
 * the one-knob neighbourhoods of the best points, random multi-knob
 * perturbations of them. Each source is a component: an entry with a
 * name, the option that sizes or removes it, the quota it shares with the
 * sources before it, and a fill function. The engine (bo_propose.c) only
 * calls tt_bo_pool_build. */
#ifndef TT_SEARCH_BO_SOURCE_H
#define TT_SEARCH_BO_SOURCE_H

#include "search/bo.h"

/* Whose quota a source draws from: sources of one quota share it in
 * registry order, each getting what those before it left. */
typedef enum tt_bo_quota {
  TT_BO_QUOTA_CANDS, /* opt.cands: the global candidates */
  TT_BO_QUOTA_LOCAL, /* opt.local: candidates near the best points */
  TT_BO_QUOTA_OWN    /* the source sizes itself */
} tt_bo_quota;

typedef struct tt_bo_source {
  const char *name;   /* as docs/search-decisions.md's ablation names it */
  const char *option; /* the option that sizes or removes it */
  tt_bo_quota quota;
  /* Adds up to want candidates to b's pool with tt_bo_pool_add (scratch:
   * room for MAX_NEIGHBOURS + 1 configurations); returns how much of
   * want it used. Adds nothing when b's options turn it off. */
  size_t (*fill)(tt_strategy *st, tt_bo *b, size_t want, uint32_t *scratch);
} tt_bo_source;

/* Configurations of a source's scratch, and neighbours considered per
 * configuration (pool seeds and the acquisition's climbs). */
#define TT_BO_MAX_NEIGHBOURS 256

/* The registry, in fill order, ended by a NULL name. */
extern const tt_bo_source tt_bo_sources[];

/* Appends cfg (encoded) to b's pool; scored by tt_bo_pool_build. */
void tt_bo_pool_add(tt_bo *b, const uint32_t *cfg);

/* Empties b's pool, lets every source fill it and scores it (mean and
 * deviation under the surrogate, the GP's candidates tracked for a batch,
 * the prior mean, feasibility). Returns 0, or -1 when the global
 * candidates found nothing free. */
int tt_bo_pool_build(tt_strategy *st, tt_bo *b);

#endif
