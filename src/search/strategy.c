/* The strategy dispatcher: owns the bookkeeping every strategy shares (the
 * told history, the told and pending sets keyed by tt_space_key) and checks
 * what a strategy proposes, so that no strategy can hand out a duplicate,
 * a pending or an invalid configuration. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/strategy_impl.h"

struct tt_strategy {
  const tt_strategy_ops *ops;
  void *state;
  const tt_space *space;
  size_t K; /* knobs per configuration */
  tt_rng rng;
  tt_observation *obs; /* told order; obs[i].cfg is heap, K entries */
  size_t nobs, cap_obs;
  tt_keymap told;    /* key -> index into obs */
  uint32_t *pending; /* npending * K, in no particular order */
  size_t npending, cap_pending;
  tt_keymap pend;     /* key -> pending slot */
  uint64_t *free_idx; /* random_free fallback: candidate indices */
  size_t nfree_idx;
  int free_state;  /* 0 not built, 1 built, -1 space not enumerable */
  size_t budget;   /* tt_strategy_set_budget's hint; 0 unknown */
  uint32_t *seeds; /* tt_strategy_seed's queue: nseeds x K, served from seed_next */
  size_t nseeds, seed_next;
  uint64_t *served; /* keys of the seeds served so far (nserved) */
  size_t nserved;
};

/* Creates a strategy; see search.h. */
tt_strategy *tt_strategy_new(const char *name, const tt_space *space, uint64_t seed,
                             const char *options, tt_error *err) {
  const tt_strategy_ops *ops = tt_strategy_ops_find(name);
  if (!ops) {
    tt_error_set(err, TT_ERR_USAGE, "unknown strategy '%s'", name ? name : "");
    return NULL;
  }
  tt_strategy *st = tt_xcalloc(1, sizeof *st);
  st->ops = ops;
  st->space = space;
  st->K = tt_space_num_knobs(space);
  tt_rng_seed(&st->rng, seed);
  st->state = ops->create(st, options, err);
  if (!st->state) {
    tt_strategy_free(st);
    return NULL;
  }
  return st;
}

/* Frees the strategy and its history. NULL is allowed. */
void tt_strategy_free(tt_strategy *st) {
  if (!st) return;
  if (st->state) st->ops->destroy(st->state);
  for (size_t i = 0; i < st->nobs; i++)
    free(st->obs[i].cfg);
  free(st->obs);
  free(st->pending);
  free(st->free_idx);
  free(st->seeds);
  free(st->served);
  tt_keymap_free(&st->told);
  tt_keymap_free(&st->pend);
  free(st);
}

const char *tt_strategy_name(const tt_strategy *st) {
  return st->ops->name;
}
const tt_space *tt_strategy_space(const tt_strategy *st) {
  return st->space;
}
tt_rng *tt_strategy_rng(tt_strategy *st) {
  return &st->rng;
}
size_t tt_strategy_num_obs(const tt_strategy *st) {
  return st->nobs;
}
size_t tt_strategy_num_told(const tt_strategy *st) {
  return st->nobs;
}
size_t tt_strategy_num_pending(const tt_strategy *st) {
  return st->npending;
}

const tt_observation *tt_strategy_obs(const tt_strategy *st, size_t i) {
  assert(i < st->nobs);
  return &st->obs[i];
}

const uint32_t *tt_strategy_pending(const tt_strategy *st, size_t i) {
  assert(i < st->npending);
  return st->pending + i * st->K;
}

/* 1 when cfg is valid and neither told nor pending. */
int tt_strategy_is_free(const tt_strategy *st, const uint32_t *cfg) {
  uint64_t key = tt_space_key(st->space, cfg);
  return !tt_keymap_get(&st->told, key, NULL) && !tt_keymap_get(&st->pend, key, NULL) &&
         tt_space_is_valid(st->space, cfg);
}

/* Adds cfg to the pending set (it must not be there yet). */
void tt_strategy_mark_pending(tt_strategy *st, const uint32_t *cfg) {
  uint64_t key = tt_space_key(st->space, cfg);
  assert(!tt_keymap_get(&st->pend, key, NULL));
  if (st->npending == st->cap_pending) {
    st->cap_pending = st->cap_pending ? 2 * st->cap_pending : 16;
    st->pending = tt_xrealloc(st->pending, st->cap_pending * (st->K + 1) * sizeof *st->pending);
  }
  memcpy(st->pending + st->npending * st->K, cfg, st->K * sizeof *cfg);
  tt_keymap_put(&st->pend, key, (uint32_t)st->npending++);
}

/* Removes pending slot i by moving the last slot into it. */
static void unpend_slot(tt_strategy *st, size_t i) {
  uint32_t *slot = st->pending + i * st->K;
  tt_keymap_del(&st->pend, tt_space_key(st->space, slot));
  size_t last = --st->npending;
  if (i != last) {
    memcpy(slot, st->pending + last * st->K, st->K * sizeof *slot);
    tt_keymap_put(&st->pend, tt_space_key(st->space, slot), (uint32_t)i);
  }
}

/* Checks what ops->ask wrote: each configuration either free (then marked
 * pending now) or marked pending by the strategy during this very call,
 * and none twice. Reservations the strategy made but did not return are
 * released. A violation is a bug in the strategy. */
static void settle_ask(tt_strategy *st, size_t before, const uint32_t *out, size_t got) {
  size_t marked = st->npending - before;
  char *claimed = tt_xcalloc(marked + got + 1, 1);
  for (size_t i = 0; i < got; i++) {
    const uint32_t *cfg = out + i * st->K;
    uint32_t slot;
    if (tt_keymap_get(&st->pend, tt_space_key(st->space, cfg), &slot)) {
      assert(slot >= before && "strategy proposed a pending configuration");
      assert(!claimed[slot - before] && "strategy proposed a configuration twice");
      claimed[slot - before] = 1;
    } else {
      assert(tt_strategy_is_free(st, cfg) && "strategy proposed a told or invalid configuration");
      tt_strategy_mark_pending(st, cfg);
    }
  }
  for (size_t j = marked; j-- > 0;) /* descending: swaps keep lower slots */
    if (!claimed[j]) unpend_slot(st, before + j);
  free(claimed);
}

/* Whether the seeds served so far earn the next one: 1 yes, 0 not yet
 * (wait for the strategy's own points), -1 never (drop the queue). Yes
 * while none of them has been told (a driver that asks ahead), or when
 * the best told one is ok and at least as fast as every other ok
 * observation; not yet while there is no other ok observation to compare
 * with; never otherwise. A related task's best configurations are usually
 * among this task's best; where the first told is not, the source is
 * likely unrelated, and it has cost one evaluation (two under a driver
 * that asks for the next configuration before telling the current one, as
 * tune's compile-ahead does). */
static int seeds_earn_more(const tt_strategy *st) {
  double best = INFINITY, others = INFINITY;
  int told = 0;
  tt_keymap mine = {0};
  for (size_t i = 0; i < st->nserved; i++) {
    uint32_t idx;
    tt_keymap_put(&mine, st->served[i], 0);
    if (!tt_keymap_get(&st->told, st->served[i], &idx)) continue;
    told = 1;
    if (st->obs[idx].outcome == TT_OUTCOME_OK) best = fmin(best, st->obs[idx].value);
  }
  for (size_t i = 0; told && i < st->nobs; i++)
    if (st->obs[i].outcome == TT_OUTCOME_OK &&
        !tt_keymap_get(&mine, tt_space_key(st->space, st->obs[i].cfg), NULL))
      others = fmin(others, st->obs[i].value);
  tt_keymap_free(&mine);
  if (!told) return 1;
  if (isinf(others)) return isinf(best) ? -1 : 0;
  return best <= others ? 1 : -1;
}

/* Writes the queued seed configurations that are still free into out (up
 * to n), marking each pending, while they earn it (seeds_earn_more);
 * returns how many. */
static size_t serve_seeds(tt_strategy *st, size_t n, uint32_t *out) {
  size_t got = 0;
  int earn = st->seed_next < st->nseeds ? seeds_earn_more(st) : 0;
  if (earn < 0) st->seed_next = st->nseeds;
  for (; earn > 0 && got < n && st->seed_next < st->nseeds; st->seed_next++) {
    const uint32_t *cfg = st->seeds + st->seed_next * st->K;
    if (!tt_strategy_is_free(st, cfg)) continue;
    memcpy(out + got++ * st->K, cfg, st->K * sizeof *cfg);
    tt_strategy_mark_pending(st, cfg);
    st->served = tt_xrealloc(st->served, (st->nserved + 1) * sizeof *st->served);
    st->served[st->nserved++] = tt_space_key(st->space, cfg);
  }
  return got;
}

/* Asks the strategy for up to n configurations; see search.h. Queued
 * seeds come first; the strategy proposes the rest, seeing them pending. */
size_t tt_strategy_ask(tt_strategy *st, size_t n, uint32_t *out) {
  if (n == 0) return 0;
  size_t before = st->npending;
  size_t got = serve_seeds(st, n, out);
  if (got < n) got += st->ops->ask(st, st->state, n - got, out + got * st->K);
  assert(got <= n);
  settle_ask(st, before, out, got);
  return got;
}

/* Queues seed configurations; see search.h. */
void tt_strategy_seed(tt_strategy *st, const uint32_t *cfgs, size_t n) {
  free(st->seeds);
  st->seeds = tt_xmalloc((n * st->K + 1) * sizeof *st->seeds);
  if (n) memcpy(st->seeds, cfgs, n * st->K * sizeof *cfgs);
  st->nseeds = n;
  st->seed_next = 0;
  st->nserved = 0;
}

/* See search.h. */
size_t tt_strategy_num_seeded(const tt_strategy *st) {
  return st->nserved;
}

/* Hands related data to the strategy's model; see search.h. */
int tt_strategy_set_prior(tt_strategy *st, const uint32_t *cfgs, const tt_outcome *outcomes,
                          const double *values, size_t n) {
  if (!st->ops->set_prior) return 0;
  return st->ops->set_prior(st, st->state, cfgs, outcomes, values, n);
}

/* See search.h. */
double tt_strategy_prior_weight(const tt_strategy *st) {
  return st->ops->prior_weight ? st->ops->prior_weight(st->state) : NAN;
}

/* Records an observation (the latest wins for a repeated cfg); see search.h. */
void tt_strategy_tell(tt_strategy *st, const uint32_t *cfg, tt_outcome outcome, double value) {
  uint64_t key = tt_space_key(st->space, cfg);
  uint32_t slot, idx;
  if (tt_keymap_get(&st->pend, key, &slot)) unpend_slot(st, slot);
  if (!tt_keymap_get(&st->told, key, &idx)) {
    if (st->nobs == st->cap_obs) {
      st->cap_obs = st->cap_obs ? 2 * st->cap_obs : 64;
      st->obs = tt_xrealloc(st->obs, st->cap_obs * sizeof *st->obs);
    }
    idx = (uint32_t)st->nobs++;
    st->obs[idx].cfg = tt_xmalloc((st->K + 1) * sizeof *cfg);
    memcpy(st->obs[idx].cfg, cfg, st->K * sizeof *cfg);
    tt_keymap_put(&st->told, key, idx);
  }
  st->obs[idx].outcome = outcome;
  st->obs[idx].value = outcome == TT_OUTCOME_OK ? value : 0;
  if (st->ops->tell) st->ops->tell(st, st->state, &st->obs[idx]);
}

/* Builds st->free_idx: the indices of all valid configurations, when the
 * space is small enough to list (exactly counted, <= 2e6 valid points,
 * indexable). Sets free_state to 1 (built) or -1 (not enumerable). */
static void build_free_list(tt_strategy *st) {
  int exact;
  double valid = tt_space_valid_size(st->space, &exact);
  if (!exact || valid > 2e6 || tt_space_cartesian_size(st->space) >= 1.8e19) {
    st->free_state = -1;
    return;
  }
  st->free_idx = tt_xmalloc(((size_t)valid + 1) * sizeof *st->free_idx);
  uint32_t *cfg = tt_xcalloc(st->K + 1, sizeof *cfg);
  for (int after = 0; tt_space_next_valid(st->space, cfg, after) == 0; after = 1) {
    assert(st->nfree_idx < (size_t)valid);
    st->free_idx[st->nfree_idx++] = tt_space_index(st->space, cfg);
  }
  free(cfg);
  st->free_state = 1;
}

/* Uniform free configuration; see strategy_impl.h. Rejection from the
 * space's uniform sampler is exactly uniform over the free set; once free
 * points get rare (64 misses) an enumerable space is listed once and the
 * list compacted as points stop being free (they never become free again),
 * so the total cost stays linear in the number of valid points. Spaces too
 * large to list keep rejecting, up to 2^20 tries: reaching that would need
 * almost all of more than 2e6 valid points told. */
int tt_strategy_random_free(tt_strategy *st, uint32_t *cfg) {
  for (int t = 0; t < 64; t++) {
    if (tt_space_sample(st->space, &st->rng, cfg) < 0) return -1;
    if (tt_strategy_is_free(st, cfg)) return 0;
  }
  if (st->free_state == 0) build_free_list(st);
  if (st->free_state < 0) {
    for (int t = 0; t < (1 << 20); t++)
      if (tt_space_sample(st->space, &st->rng, cfg) == 0 && tt_strategy_is_free(st, cfg)) return 0;
    return -1;
  }
  size_t kept = 0;
  for (size_t i = 0; i < st->nfree_idx; i++) {
    tt_space_from_index(st->space, st->free_idx[i], cfg);
    if (tt_strategy_is_free(st, cfg)) st->free_idx[kept++] = st->free_idx[i];
  }
  st->nfree_idx = kept;
  if (kept == 0) return -1;
  tt_space_from_index(st->space, st->free_idx[tt_rng_below(&st->rng, kept)], cfg);
  return 0;
}

/* See search.h. */
void tt_strategy_set_budget(tt_strategy *st, size_t budget) {
  st->budget = budget;
}

/* See strategy_impl.h. */
size_t tt_strategy_budget(const tt_strategy *st) {
  return st->budget;
}
