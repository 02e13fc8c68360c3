/* Genetic search with AutoTVM's GATuner defaults: population 100, 3
 * elites, mutation probability 0.1 per knob, parents chosen in proportion
 * to fitness (1/time; failures 0), single-point crossover over knobs.
 *
 * Made asynchronous: every observation told since the last breeding (plus
 * the elites) forms the parent pool, so results arriving late, or history
 * told on resume, are never lost. The first generation is random (drawn
 * lazily, one free configuration per ask; history told before the first
 * ask takes its places); a new generation is bred when
 * the current one is used up and told results exist. A child that is not
 * free (told, pending, duplicate, invalid) is mutated one knob at a time,
 * then replaced by a random free configuration.
 *
 * With a budget of fewer than two generations AutoTVM's population makes
 * the search random search (docs/search-decisions.md, "ga"). Unless pop is
 * given, a budget B < 2 * pop (the driver's
 * tt_strategy_set_budget) sets the population to max(MIN_POP, B / 4), so
 * that about four generations evolve; a budget of 2 * pop or more keeps
 * AutoTVM's defaults. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "search/strategy_impl.h"

/* The smallest population a budget scales ga to: room for the 3 elites
 * and as many new children. */
#define MIN_POP 8

typedef struct ga_member {
  uint32_t *cfg;
  double fitness;
} ga_member;

typedef struct ga_state {
  size_t K;
  size_t pop, elites;
  double mutation;
  ga_member *pool; /* told since the last breeding */
  size_t npool, cap_pool;
  ga_member *elite; /* the best ever seen, up to `elites` */
  size_t nelite;
  uint32_t *queue; /* children of the current generation, pop * K */
  size_t nqueue, next;
  size_t random_left; /* random members of the first generation still due */
  int pop_given;      /* the pop option was set: no scaling to the budget */
} ga_state;

/* ga's options as data (see strategy_impl.h); AutoTVM's defaults. */
static const tt_option ga_option_table[] = {
    {"pop", TT_OPTION_COUNT, offsetof(ga_state, pop), 2, 1000000, 0, NULL, "100",
     "population size (without it, a budget under two generations scales it down)"},
    {"elites", TT_OPTION_COUNT, offsetof(ga_state, elites), 0, 1000000, 0, NULL, "3",
     "best members carried into each generation"},
    {"mutation", TT_OPTION_NUMBER, offsetof(ga_state, mutation), 0, 1, 0, NULL, "0.1",
     "probability that a child's knob takes a random value"},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL},
};

/* One key=value option; pop given turns the budget's scaling off. */
static tt_status set_option(void *state, const char *key, const char *value, tt_error *err) {
  ga_state *gs = state;
  tt_status st = tt_option_set(ga_option_table, "ga", state, key, value, err);
  if (st == TT_OK && strcmp(key, "pop") == 0) gs->pop_given = 1;
  return st;
}

static void ga_destroy(void *state) {
  ga_state *gs = state;
  if (!gs) return;
  for (size_t i = 0; i < gs->npool; i++)
    free(gs->pool[i].cfg);
  for (size_t i = 0; i < gs->nelite; i++)
    free(gs->elite[i].cfg);
  free(gs->pool);
  free(gs->elite);
  free(gs->queue);
  free(gs);
}

static void *ga_create(tt_strategy *st, const char *options, tt_error *err) {
  ga_state *gs = tt_xcalloc(1, sizeof *gs);
  gs->K = tt_space_num_knobs(tt_strategy_space(st));
  tt_option_defaults(ga_option_table, gs);
  if (tt_options_parse(options, gs, set_option, err) != TT_OK) {
    ga_destroy(gs);
    return NULL;
  }
  return gs;
}

/* Fixes the population at the first ask (the budget is set after create):
 * scaled to a small budget, see the top of the file. History told before
 * it (resume) counts towards the random first generation, so a resumed
 * search breeds from it instead of starting over at random. */
static void size_population(tt_strategy *st, ga_state *gs) {
  size_t budget = tt_strategy_budget(st), told = tt_strategy_num_obs(st);
  if (!gs->pop_given && budget && budget < 2 * gs->pop)
    gs->pop = budget / 4 > MIN_POP ? budget / 4 : MIN_POP;
  if (gs->elites > gs->pop) gs->elites = gs->pop;
  gs->random_left = told < gs->pop ? gs->pop - told : 0;
  gs->elite = tt_xcalloc(gs->elites + 1, sizeof *gs->elite);
  gs->queue = tt_xcalloc(gs->pop * gs->K + 1, sizeof *gs->queue);
}

/* Adds a told observation to the parent pool. */
static void ga_tell(tt_strategy *st, void *state, const tt_observation *obs) {
  ga_state *gs = state;
  if (gs->npool == gs->cap_pool) {
    gs->cap_pool = gs->cap_pool ? 2 * gs->cap_pool : 128;
    gs->pool = tt_xrealloc(gs->pool, gs->cap_pool * sizeof *gs->pool);
  }
  ga_member *m = &gs->pool[gs->npool++];
  m->cfg = tt_xmalloc((gs->K + 1) * sizeof *m->cfg);
  memcpy(m->cfg, obs->cfg, gs->K * sizeof *m->cfg);
  m->fitness = obs->outcome == TT_OUTCOME_OK && obs->value > 0 ? 1.0 / obs->value : 0.0;
}

typedef struct ranked {
  double fitness;
  size_t index;
} ranked;

/* Best fitness first, ties by index: a deterministic order. */
static int by_fitness(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  if (x->fitness != y->fitness) return x->fitness > y->fitness ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* An index in [0, n) other than skip (SIZE_MAX: none), drawn in
 * proportion to w. */
static size_t pick(tt_rng *rng, const double *w, size_t n, size_t skip) {
  double total = 0;
  for (size_t i = 0; i < n; i++)
    total += i == skip ? 0 : w[i];
  double u = tt_rng_uniform(rng) * total;
  size_t last = 0;
  for (size_t i = 0; i < n; i++) {
    if (i == skip) continue;
    last = i;
    if (u < w[i]) return i;
    u -= w[i];
  }
  return last;
}

/* Keeps the best `elites` of par[0..np) as the new elites (copies). */
static void keep_elites(ga_state *gs, const ga_member *par, size_t np) {
  ranked *order = tt_xmalloc((np + 1) * sizeof *order);
  for (size_t i = 0; i < np; i++)
    order[i] = (ranked){par[i].fitness, i};
  qsort(order, np, sizeof *order, by_fitness);
  ga_member *elite = tt_xcalloc(gs->elites + 1, sizeof *elite);
  size_t ne = np < gs->elites ? np : gs->elites;
  for (size_t i = 0; i < ne; i++) {
    elite[i].cfg = tt_xmalloc((gs->K + 1) * sizeof *elite[i].cfg);
    memcpy(elite[i].cfg, par[order[i].index].cfg, gs->K * sizeof *elite[i].cfg);
    elite[i].fitness = par[order[i].index].fitness;
  }
  for (size_t i = 0; i < gs->nelite; i++)
    free(gs->elite[i].cfg);
  free(gs->elite);
  gs->elite = elite;
  gs->nelite = ne;
  free(order);
}

/* Breeds a generation of pop children from the pool and the elites (the
 * parents), then empties the pool: crossover at a random knob of two
 * distinct parents drawn by normalised fitness, then mutation. */
static void breed(tt_strategy *st, ga_state *gs) {
  const tt_space *s = tt_strategy_space(st);
  tt_rng *rng = tt_strategy_rng(st);
  size_t np = gs->npool + gs->nelite;
  ga_member *par = tt_xmalloc((np + 1) * sizeof *par);
  memcpy(par, gs->pool, gs->npool * sizeof *par);
  memcpy(par + gs->npool, gs->elite, gs->nelite * sizeof *par);
  double *w = tt_xmalloc((np + 1) * sizeof *w), max = 0;
  for (size_t i = 0; i < np; i++)
    max = par[i].fitness + 1e-8 > max ? par[i].fitness + 1e-8 : max;
  for (size_t i = 0; i < np; i++)
    w[i] = (par[i].fitness + 1e-8) / max;
  for (size_t c = 0; c < gs->pop; c++) {
    uint32_t *child = gs->queue + c * gs->K;
    size_t p1 = pick(rng, w, np, SIZE_MAX);
    size_t p2 = np > 1 ? pick(rng, w, np, p1) : p1;
    size_t point = gs->K ? (size_t)tt_rng_below(rng, gs->K) : 0;
    for (size_t k = 0; k < gs->K; k++) {
      child[k] = (k < point ? par[p1] : par[p2]).cfg[k];
      if (tt_rng_uniform(rng) < gs->mutation)
        child[k] = (uint32_t)tt_rng_below(rng, tt_space_knob_card(s, k));
    }
  }
  gs->nqueue = gs->pop;
  gs->next = 0;
  keep_elites(gs, par, np); /* copies before the pool's cfgs are freed */
  for (size_t i = 0; i < gs->npool; i++)
    free(gs->pool[i].cfg);
  gs->npool = 0;
  free(par);
  free(w);
}

/* Turns a child that is not free into a free configuration: up to 64
 * single-knob resamplings, then a random free one. -1: space exhausted. */
static int repair(tt_strategy *st, ga_state *gs, uint32_t *cfg) {
  const tt_space *s = tt_strategy_space(st);
  tt_rng *rng = tt_strategy_rng(st);
  for (int t = 0; t < 64 && gs->K > 0; t++) {
    if (tt_strategy_is_free(st, cfg)) return 0;
    size_t j = (size_t)tt_rng_below(rng, gs->K);
    cfg[j] = (uint32_t)tt_rng_below(rng, tt_space_knob_card(s, j));
  }
  if (tt_strategy_is_free(st, cfg)) return 0;
  return tt_strategy_random_free(st, cfg);
}

/* One configuration: a queued child, a random first-generation member, or
 * a child of a freshly bred generation. */
static int next_config(tt_strategy *st, ga_state *gs, uint32_t *cfg) {
  if (gs->next == gs->nqueue && gs->random_left == 0 && gs->npool + gs->nelite > 0) breed(st, gs);
  if (gs->next < gs->nqueue) {
    memcpy(cfg, gs->queue + gs->next++ * gs->K, gs->K * sizeof *cfg);
    return repair(st, gs, cfg);
  }
  if (gs->random_left > 0) gs->random_left--;
  return tt_strategy_random_free(st, cfg); /* nothing to breed from yet */
}

static size_t ga_ask(tt_strategy *st, void *state, size_t n, uint32_t *out) {
  ga_state *gs = state;
  size_t got = 0;
  if (!gs->queue) size_population(st, gs); /* the first ask */
  while (got < n && next_config(st, gs, out + got * gs->K) == 0)
    tt_strategy_mark_pending(st, out + gs->K * got++);
  return got;
}

const tt_strategy_ops tt_strategy_ga_ops = {
    .name = "ga",
    .create = ga_create,
    .destroy = ga_destroy,
    .ask = ga_ask,
    .tell = ga_tell,
    .options = ga_option_table,
};
