/* Building the sampler of sampler.h: components of constrained knobs, then
 * variable elimination per component (or the rejection fallback). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "space/sampler.h"

/* Union-find root of k with path halving. */
static size_t find(size_t *parent, size_t k) {
  while (parent[k] != k)
    k = parent[k] = parent[parent[k]];
  return k;
}

/* Frees the elimination tables of c. */
static void drop_steps(tt_component *c) {
  if (c->steps)
    for (size_t i = 0; i < c->nvars; i++)
      tt_factor_free(c->steps[i].prod);
  free(c->steps);
  c->steps = NULL;
}

/* Size of the product of the pool's factors that mention x, or INFINITY
 * when x is not in pool (cannot happen inside a component). */
static double union_size(const tt_space *s, const tt_vec *pool, size_t x, char *mark) {
  memset(mark, 0, s->nknobs);
  int seen = 0;
  for (size_t i = 0; i < pool->len; i++) {
    const tt_factor *f = pool->items[i];
    int has = 0;
    for (size_t j = 0; j < f->nvars; j++)
      has |= f->vars[j] == x;
    if (!has) continue;
    seen = 1;
    for (size_t j = 0; j < f->nvars; j++)
      mark[f->vars[j]] = 1;
  }
  double size = 1;
  for (size_t k = 0; k < s->nknobs; k++)
    if (mark[k]) size *= s->knobs[k].card;
  return seen ? size : INFINITY;
}

/* Eliminates x: replaces the pool's factors on x by their marginal, and
 * returns their product (kept for sampling). */
static tt_factor *eliminate(const tt_space *s, tt_vec *pool, size_t x) {
  tt_vec group = {0};
  size_t kept = 0;
  for (size_t i = 0; i < pool->len; i++) {
    tt_factor *f = pool->items[i];
    int has = 0;
    for (size_t j = 0; j < f->nvars; j++)
      has |= f->vars[j] == x;
    if (has)
      tt_vec_push(&group, f);
    else
      pool->items[kept++] = f;
  }
  pool->len = kept;
  tt_factor *p = tt_factor_product(s, (tt_factor *const *)group.items, group.len);
  for (size_t i = 0; i < group.len; i++)
    tt_factor_free(group.items[i]);
  tt_vec_free(&group);
  tt_vec_push(pool, tt_factor_sum_out(s, p, x));
  return p;
}

/* Variable elimination over c, greedy smallest-table order. Returns 0 with
 * c->steps and c->count set, or -1 when a table would be too large. */
static int build_exact(const tt_space *s, tt_component *c) {
  int rc = -1;
  tt_vec pool = {0};
  char *mark = tt_xcalloc(s->nknobs + 1, 1);
  char *done = tt_xcalloc(s->nknobs + 1, 1);
  double total = 0;
  for (size_t i = 0; i < c->ncons; i++) {
    const tt_constraint *con = &s->cons[c->cons[i]];
    double size = 1;
    for (size_t j = 0; j < con->nknobs; j++)
      size *= s->knobs[con->knobs[j]].card;
    if (size > (double)TT_FACTOR_LIMIT) goto done;
    tt_vec_push(&pool, tt_factor_from_constraint(s, con));
  }
  c->steps = tt_xcalloc(c->nvars + 1, sizeof *c->steps);
  for (size_t step = 0; step < c->nvars; step++) {
    size_t best = 0;
    double best_size = INFINITY;
    for (size_t i = 0; i < c->nvars; i++) {
      double size = done[c->vars[i]] ? INFINITY : union_size(s, &pool, c->vars[i], mark);
      if (size < best_size) {
        best_size = size;
        best = c->vars[i];
      }
    }
    total += best_size;
    if (best_size > (double)TT_FACTOR_LIMIT || total > (double)TT_FACTOR_TOTAL) goto done;
    done[best] = 1;
    c->steps[step].var = best;
    c->steps[step].prod = eliminate(s, &pool, best);
  }
  c->count = 1;
  for (size_t i = 0; i < pool.len; i++)
    c->count *= ((tt_factor *)pool.items[i])->table[0]; /* scalars now */
  c->exact = 1;
  rc = 0;
done:
  if (rc < 0) drop_steps(c);
  for (size_t i = 0; i < pool.len; i++)
    tt_factor_free(pool.items[i]);
  tt_vec_free(&pool);
  free(mark);
  free(done);
  return rc;
}

/* Rejection fallback: estimates the count from a fixed-seed trial run and
 * decides whether rejection can work at all. */
static void build_fallback(const tt_space *s, tt_component *c) {
  enum { TRIES = 1 << 16 };
  tt_rng rng;
  tt_rng_seed(&rng, 0x5eed);
  uint32_t *cfg = tt_xcalloc(s->nknobs + 1, sizeof *cfg);
  double cart = 1;
  for (size_t i = 0; i < c->nvars; i++)
    cart *= s->knobs[c->vars[i]].card;
  int hits = 0;
  for (int t = 0; t < TRIES; t++) {
    for (size_t i = 0; i < c->nvars; i++)
      cfg[c->vars[i]] = (uint32_t)tt_rng_below(&rng, s->knobs[c->vars[i]].card);
    int ok = 1;
    for (size_t i = 0; ok && i < c->ncons; i++)
      ok = tt_constraint_holds_cfg(s, &s->cons[c->cons[i]], cfg);
    hits += ok;
  }
  c->count = cart * hits / TRIES;
  if (hits == 0) {
    c->use_dfs = 1;
    c->count = tt_component_dfs(s, c, &rng, cfg) == 0 ? fmax(1, cart * 0.5 / TRIES) : 0;
  }
  free(cfg);
}

/* Collects the components: vars and constraints per union-find root. */
static void split_components(const tt_space *s, tt_sampler *sm) {
  size_t K = s->nknobs;
  size_t *parent = tt_xmalloc((K + 1) * sizeof *parent);
  size_t *comp_of = tt_xmalloc((K + 1) * sizeof *comp_of);
  for (size_t k = 0; k < K; k++)
    parent[k] = k;
  for (size_t i = 0; i < s->ncons; i++)
    for (size_t j = 0; j < s->cons[i].nknobs; j++) {
      sm->constrained[s->cons[i].knobs[j]] = 1;
      parent[find(parent, s->cons[i].knobs[j])] = find(parent, s->cons[i].knobs[0]);
    }
  sm->comps = tt_xcalloc(K + 1, sizeof *sm->comps);
  for (size_t k = 0; k < K; k++) {
    if (!sm->constrained[k]) continue;
    size_t r = find(parent, k);
    if (r == k) {
      comp_of[k] = sm->ncomps++;
      tt_component *c = &sm->comps[comp_of[k]];
      c->vars = tt_xcalloc(K + 1, sizeof *c->vars);
      c->cons = tt_xcalloc(s->ncons + 1, sizeof *c->cons);
    }
  }
  for (size_t k = 0; k < K; k++)
    if (sm->constrained[k]) {
      tt_component *c = &sm->comps[comp_of[find(parent, k)]];
      c->vars[c->nvars++] = k;
    }
  for (size_t i = 0; i < s->ncons; i++)
    if (s->cons[i].nknobs) {
      tt_component *c = &sm->comps[comp_of[find(parent, s->cons[i].knobs[0])]];
      c->cons[c->ncons++] = i;
    }
  free(parent);
  free(comp_of);
}

/* Builds the whole sampler; see sampler.h. */
tt_sampler *tt_sampler_build(const tt_space *s) {
  tt_sampler *sm = tt_xcalloc(1, sizeof *sm);
  sm->constrained = tt_xcalloc(s->nknobs + 1, 1);
  for (size_t i = 0; i < s->ncons; i++)
    if (s->cons[i].nknobs == 0 && !tt_constraint_holds(s, &s->cons[i], NULL)) sm->empty = 1;
  split_components(s, sm);
  sm->valid = sm->empty ? 0 : 1;
  sm->exact = 1;
  for (size_t k = 0; k < s->nknobs; k++)
    if (!sm->constrained[k]) sm->valid *= s->knobs[k].card;
  for (size_t i = 0; i < sm->ncomps && !sm->empty; i++) {
    tt_component *c = &sm->comps[i];
    if (build_exact(s, c) < 0) build_fallback(s, c);
    sm->exact &= c->exact;
    sm->valid *= c->count;
    if (c->count == 0) sm->empty = 1;
  }
  if (sm->empty) sm->valid = 0;
  return sm;
}

/* Frees the sampler and its tables. NULL is allowed. */
void tt_sampler_free(tt_sampler *sm) {
  if (!sm) return;
  for (size_t i = 0; i < sm->ncomps; i++) {
    drop_steps(&sm->comps[i]);
    free(sm->comps[i].vars);
    free(sm->comps[i].cons);
  }
  free(sm->comps);
  free(sm->constrained);
  free(sm);
}

/* The sampler of s, built on first use under the space's lock. */
tt_sampler *tt_sampler_get(const tt_space *s) {
  tt_space *mut = (tt_space *)s; /* a cache: logically const */
  pthread_mutex_lock(&mut->lock);
  if (!mut->sampler) mut->sampler = tt_sampler_build(s);
  tt_sampler *sm = mut->sampler;
  pthread_mutex_unlock(&mut->lock);
  return sm;
}

double tt_sampler_valid_size(const tt_sampler *sm, int *exact) {
  if (exact) *exact = sm->exact;
  return sm->valid;
}
