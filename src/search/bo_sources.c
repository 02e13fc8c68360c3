/* bo's candidate sources (bo_source.h) and the pool they fill. The order
 * of the registry is the order of the draws from the strategy's random
 * stream: changing it changes every trace. */
#include <stdlib.h>
#include <string.h>

#include "search/bo_source.h"

/* Best observed configurations the local sources start from. */
#define POOL_SEEDS 5

/* The trust region's draws for the global candidates (tr=1). */
static size_t trust_global(tt_strategy *st, tt_bo *b, size_t want, uint32_t *scratch) {
  return b->opt.tr == 1 ? tt_bo_trust_fill(st, b, want, scratch, tt_bo_pool_add) : 0;
}

/* Uniform random free configurations. */
static size_t random_cands(tt_strategy *st, tt_bo *b, size_t want, uint32_t *scratch) {
  size_t i = 0;
  for (; i < want && tt_strategy_random_free(st, scratch) == 0; i++)
    tt_bo_pool_add(b, scratch);
  return i;
}

/* The free one-knob neighbours of the opt.neighbours best points. */
static size_t neighbours(tt_strategy *st, tt_bo *b, size_t want, uint32_t *scratch) {
  size_t seeds[POOL_SEEDS], got = 0;
  size_t ns = tt_obs_table_best(&b->obs, seeds, POOL_SEEDS);
  for (size_t s = 0; s < ns && s < b->opt.neighbours && got < want; s++) {
    size_t n = tt_bo_neighbours(st, b->obs.cfg + seeds[s] * b->nk, scratch, TT_BO_MAX_NEIGHBOURS);
    for (size_t j = 0; j < n; j++)
      tt_bo_pool_add(b, scratch + j * b->nk);
    got += n;
  }
  return got;
}

/* The trust region's draws in place of the perturbations (tr=2). */
static size_t trust_local(tt_strategy *st, tt_bo *b, size_t want, uint32_t *scratch) {
  return b->opt.tr == 2 ? tt_bo_trust_fill(st, b, want, scratch, tt_bo_pool_add) : 0;
}

/* Random multi-knob perturbations of the best points at opt.radius: the
 * best point half the time, the next a quarter, ... */
static size_t perturbations(tt_strategy *st, tt_bo *b, size_t want, uint32_t *scratch) {
  size_t seeds[POOL_SEEDS];
  size_t ns = tt_obs_table_best(&b->obs, seeds, POOL_SEEDS);
  tt_rng *rng = tt_strategy_rng(st);
  for (size_t i = 0; i < want && ns; i++) {
    size_t s = 0;
    while (s + 1 < ns && tt_rng_uniform(rng) < 0.5)
      s++;
    if (tt_bo_perturb(st, b->obs.cfg + seeds[s] * b->nk, b->opt.radius, scratch) == 0)
      tt_bo_pool_add(b, scratch);
  }
  return want;
}

const tt_bo_source tt_bo_sources[] = {
    {"trust region", "tr=1", TT_BO_QUOTA_CANDS, trust_global},
    {"random", "cands", TT_BO_QUOTA_CANDS, random_cands},
    {"neighbours", "neighbours", TT_BO_QUOTA_OWN, neighbours},
    {"trust region (local)", "tr=2", TT_BO_QUOTA_LOCAL, trust_local},
    {"perturbations", "local", TT_BO_QUOTA_LOCAL, perturbations},
    {NULL, NULL, TT_BO_QUOTA_OWN, NULL},
};

/* See bo_source.h. */
void tt_bo_pool_add(tt_bo *b, const uint32_t *cfg) {
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

/* The size of quota q. */
static size_t quota_size(const tt_bo *b, tt_bo_quota q) {
  return q == TT_BO_QUOTA_CANDS ? b->opt.cands : q == TT_BO_QUOTA_LOCAL ? b->opt.local : SIZE_MAX;
}

/* See bo_source.h. Once the global candidates are in, an empty pool means
 * nothing is free. */
int tt_bo_pool_build(tt_strategy *st, tt_bo *b) {
  uint32_t *scratch = tt_xmalloc((TT_BO_MAX_NEIGHBOURS + 1) * b->nk * sizeof *scratch);
  size_t used[3] = {0, 0, 0};
  int rc = 0;
  b->pool.len = 0;
  for (const tt_bo_source *s = tt_bo_sources; s->name && rc == 0; s++) {
    size_t q = quota_size(b, s->quota);
    used[s->quota] += s->fill(st, b, q > used[s->quota] ? q - used[s->quota] : 0, scratch);
    if (s->quota == TT_BO_QUOTA_CANDS && s[1].quota != TT_BO_QUOTA_CANDS && !b->pool.len) rc = -1;
  }
  free(scratch);
  if (rc < 0) return -1;
  /* tt_bo_predict's numbers, with the GP's candidates tracked for a batch */
  tt_surrogate_predict_track(b->model, b->pool.x, b->pool.len, b->d, b->pool.mu, b->pool.sd);
  tt_bo_prior_mean(b, b->pool.x, b->pool.len, b->pool.pm, b->pool.mu);
  tt_bo_feas_predict(b, b->pool.cfg, b->pool.x, b->pool.len, b->pool.pf);
  return 0;
}
