/* Uniform sampling of valid configurations and their count, on top of the
 * sampler of sampler.h (see there for the method and its guarantees). */
#include <assert.h>
#include <stdlib.h>

#include "space/sampler.h"

/* Draws an index in [0, n) with probability w[i] / sum(w). */
static uint32_t draw_weighted(tt_rng *rng, const double *w, uint32_t n) {
  double total = 0;
  for (uint32_t i = 0; i < n; i++)
    total += w[i];
  assert(total > 0);
  double u = tt_rng_uniform(rng) * total;
  uint32_t last = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (w[i] <= 0) continue;
    last = i;
    if (u < w[i]) return i;
    u -= w[i];
  }
  return last; /* rounding: the last value with weight */
}

/* Backward sampling through the elimination tables (exact components). */
static void sample_exact(const tt_space *s, const tt_component *c, tt_rng *rng, uint32_t *cfg) {
  for (size_t st = c->nvars; st-- > 0;) {
    const tt_factor *p = c->steps[st].prod;
    size_t x = c->steps[st].var;
    uint64_t base = 0, xstride = 0;
    for (size_t j = 0; j < p->nvars; j++) {
      if (p->vars[j] == x)
        xstride = p->stride[j];
      else
        base += cfg[p->vars[j]] * p->stride[j]; /* drawn in a later step */
    }
    uint32_t card = s->knobs[x].card;
    double local[256];
    double *w = card <= 256 ? local : tt_xmalloc(card * sizeof *w);
    for (uint32_t v = 0; v < card; v++)
      w[v] = p->table[base + v * xstride];
    cfg[x] = draw_weighted(rng, w, card);
    if (w != local) free(w);
  }
}

/* 1 when all of c's constraints hold on cfg. */
static int component_ok(const tt_space *s, const tt_component *c, const uint32_t *cfg) {
  for (size_t i = 0; i < c->ncons; i++)
    if (!tt_constraint_holds_cfg(s, &s->cons[c->cons[i]], cfg)) return 0;
  return 1;
}

/* Assigns c->vars[depth..] depth-first from random start values, checking
 * each constraint once its last knob is assigned. */
static int dfs(const tt_space *s, const tt_component *c, tt_rng *rng, uint32_t *cfg, size_t depth) {
  if (depth == c->nvars) return 0;
  size_t x = c->vars[depth];
  uint32_t card = s->knobs[x].card;
  uint32_t start = (uint32_t)tt_rng_below(rng, card);
  for (uint32_t i = 0; i < card; i++) {
    cfg[x] = (start + i) % card;
    int ok = 1;
    for (size_t j = 0; ok && j < c->ncons; j++) {
      const tt_constraint *con = &s->cons[c->cons[j]];
      if (con->knobs[con->nknobs - 1] == x) ok = tt_constraint_holds_cfg(s, con, cfg);
    }
    if (ok && dfs(s, c, rng, cfg, depth + 1) == 0) return 0;
  }
  return -1;
}

int tt_component_dfs(const tt_space *s, const tt_component *c, tt_rng *rng, uint32_t *cfg) {
  return dfs(s, c, rng, cfg, 0);
}

/* Draws c's knobs: exact tables, else rejection, else DFS. */
int tt_component_sample(const tt_space *s, const tt_component *c, tt_rng *rng, uint32_t *cfg) {
  if (c->exact) {
    sample_exact(s, c, rng, cfg);
    return 0;
  }
  for (uint64_t t = 0; !c->use_dfs && t < TT_REJECT_TRIES; t++) {
    for (size_t i = 0; i < c->nvars; i++)
      cfg[c->vars[i]] = (uint32_t)tt_rng_below(rng, s->knobs[c->vars[i]].card);
    if (component_ok(s, c, cfg)) return 0;
  }
  return tt_component_dfs(s, c, rng, cfg);
}

/* Uniform valid configuration; see space.h and sampler.h. */
int tt_space_sample(const tt_space *s, tt_rng *rng, uint32_t *cfg) {
  if (s->nmembers) {
    tt_space_sample_member(s, rng, cfg);
    return 0;
  }
  tt_sampler *sm = tt_sampler_get(s);
  if (sm->empty) return -1;
  for (size_t k = 0; k < s->nknobs; k++)
    if (!sm->constrained[k]) cfg[k] = (uint32_t)tt_rng_below(rng, s->knobs[k].card);
  for (size_t i = 0; i < sm->ncomps; i++)
    if (tt_component_sample(s, &sm->comps[i], rng, cfg) < 0) return -1;
  return 0;
}

/* Number of valid configurations; exact unless a component fell back to
 * rejection sampling (see sampler.h). */
double tt_space_valid_size(const tt_space *s, int *exact) {
  if (s->nmembers) {
    *exact = 1;
    return (double)s->nmembers;
  }
  return tt_sampler_valid_size(tt_sampler_get(s), exact);
}
