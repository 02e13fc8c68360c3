/* A trust region for Bayesian optimisation (TuRBO-style, option tr=1):
 * after the initial design the random candidates of a proposal are drawn
 * around the incumbent (the best observed configuration) instead of over
 * the whole space, and the acquisition's hill climbs stay inside it. In
 * value-index space an ordinal or integer knob stays within
 * +-max(1, round(L * its number of values)) of the incumbent's value; a
 * categorical knob or a bool moves to another value, and a permutation by
 * one swap, with probability min(1, L). L starts at
 * tr_len, doubles (up to 1) after tr_succ consecutive improvements of the
 * incumbent and halves after tr_fail consecutive observations that did not
 * improve it (failed ones included), as the history tracker (history.h)
 * judges them. Halving stops where every ordinal
 * knob moves by one value; another tr_fail misses there, or no free
 * configuration left in the region, restart the region at tr_len.
 * A fraction tr_global of the candidates stays uniform over the space, so
 * the global model can still pull the search elsewhere. With tr=2 the
 * random candidates stay global and the region's draws replace the
 * fixed-radius perturbations of the best points (option local) instead. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/bo.h"

/* Draws per region candidate before it counts as not found. */
#define TRUST_TRIES 8

struct tt_bo_trust {
  double len;        /* L */
  double floor;      /* the L at which every ordinal knob moves by one value */
  size_t succ, fail; /* consecutive improvements and misses */
  int at_floor;      /* L reached the floor: the next fail streak restarts */
  size_t seen;       /* observation rows already judged */
  size_t restarts;
  uint32_t *center; /* nk: the incumbent */
};

void tt_bo_trust_free(tt_bo_trust *t) {
  if (!t) return;
  free(t->center);
  free(t);
}

/* Half-width of ordinal or integer knob k at length len. */
static uint32_t half_width(const tt_space *s, size_t k, double len) {
  double w = floor(len * tt_space_knob_card(s, k) + 0.5);
  return w < 1 ? 1 : w > 4e9 ? 4000000000u : (uint32_t)w;
}

/* Resets the region to the initial length around the incumbent. */
static void restart(tt_bo *b) {
  tt_bo_trust *t = b->trust;
  t->len = b->opt.tr_len;
  t->succ = t->fail = 0;
  t->at_floor = 0;
  t->restarts++;
}

/* Index of the best ok row, or obs.n when none. */
static size_t best_row(const tt_bo *b) {
  size_t r;
  return tt_obs_table_best(&b->obs, &r, 1) ? r : b->obs.n;
}

/* Judges the rows told since the last call and resizes the region. */
void tt_bo_trust_update(tt_strategy *st, tt_bo *b) {
  const tt_space *s = tt_strategy_space(st);
  tt_bo_trust *t = b->trust;
  if (!t) {
    t = b->trust = tt_xcalloc(1, sizeof *t);
    t->center = tt_xmalloc((b->nk + 1) * sizeof *t->center);
    t->len = b->opt.tr_len;
    uint32_t maxcard = 1;
    for (size_t k = 0; k < b->nk; k++)
      if ((tt_space_knob_roles(s, k) & TT_ROLE_RANGED) && tt_space_knob_card(s, k) > maxcard)
        maxcard = tt_space_knob_card(s, k);
    t->floor = 1.0 / maxcard;
    /* the initial design is the region's history: nothing to judge */
    t->seen = b->obs.n;
  }
  tt_history_update(&b->hist, &b->obs);
  size_t fail_tol = b->opt.tr_fail ? b->opt.tr_fail : b->nk > 4 ? b->nk : 4;
  for (; t->seen < b->obs.n; t->seen++) {
    size_t i = t->seen;
    if (tt_history_improved(&b->hist, i)) {
      t->fail = 0;
      if (++t->succ >= b->opt.tr_succ) {
        t->len = fmin(2 * t->len, 1);
        t->succ = 0;
        t->at_floor = 0;
      }
    } else {
      t->succ = 0;
      if (++t->fail >= fail_tol) {
        t->fail = 0;
        if (t->at_floor)
          restart(b);
        else if (t->len / 2 < t->floor)
          t->len = t->floor, t->at_floor = 1;
        else
          t->len /= 2;
      }
    }
  }
  size_t r = best_row(b);
  if (r < b->obs.n) memcpy(t->center, b->obs.cfg + r * b->nk, b->nk * sizeof *t->center);
}

/* One configuration of the region around the centre: each knob moves with
 * probability p (at least one does). */
static void draw(tt_strategy *st, const tt_bo *b, double p, uint32_t *out) {
  const tt_space *s = tt_strategy_space(st);
  const tt_bo_trust *t = b->trust;
  tt_rng *rng = tt_strategy_rng(st);
  size_t K = b->nk, forced = (size_t)tt_rng_below(rng, K);
  memcpy(out, t->center, K * sizeof *out);
  double pc = fmin(1, t->len);
  for (size_t k = 0; k < K; k++) {
    if (k != forced && !(tt_rng_uniform(rng) < p)) continue;
    uint32_t card = tt_space_knob_card(s, k), c = t->center[k];
    if (card < 2) continue;
    if ((tt_space_knob_roles(s, k) & TT_ROLE_RANGED)) {
      uint32_t hw = half_width(s, k, t->len);
      uint32_t lo = c > hw ? c - hw : 0, hi = card - 1 - c > hw ? c + hw : card - 1;
      out[k] = lo + (uint32_t)tt_rng_below(rng, (uint64_t)hi - lo + 1);
    } else if (k == forced || tt_rng_uniform(rng) < pc) {
      out[k] = tt_bo_random_change(st, k, c);
    }
  }
}

int tt_bo_trust_contains(const tt_strategy *st, const tt_bo *b, const uint32_t *cfg) {
  const tt_space *s = tt_strategy_space(st);
  const tt_bo_trust *t = b->trust;
  if (!t) return 1;
  for (size_t k = 0; k < b->nk; k++) {
    if (!(tt_space_knob_roles(s, k) & TT_ROLE_RANGED)) continue;
    uint32_t hw = half_width(s, k, t->len), c = t->center[k];
    if (cfg[k] + hw < c || cfg[k] > c + (uint64_t)hw) return 0;
  }
  return 1;
}

size_t tt_bo_trust_fill(tt_strategy *st, tt_bo *b, size_t n, uint32_t *scratch,
                        void (*add)(tt_bo *, const uint32_t *)) {
  if (!b->trust) return 0;
  size_t K = b->nk, got = 0, misses = 0;
  double global = b->opt.tr == 1 ? b->opt.tr_global : 0;
  size_t want = (size_t)floor((double)n * (1 - global) + 0.5);
  /* half the candidates move every knob (TuRBO's box), half a few */
  double sparse = K > 2 ? 2.0 / (double)K : 1;
  for (size_t i = 0; i < want && misses < 4 * TRUST_TRIES; i++) {
    int found = 0;
    for (int tries = 0; tries < TRUST_TRIES && !found; tries++) {
      draw(st, b, i % 2 ? sparse : 1, scratch);
      found = tt_strategy_is_free(st, scratch);
    }
    if (found) {
      add(b, scratch);
      got++;
      misses = 0;
    } else {
      misses++;
    }
  }
  if (!got && b->trust->at_floor) /* the neighbourhood is exhausted */
    restart(b);
  else if (!got)
    b->trust->len = fmin(2 * b->trust->len, 1);
  return got;
}

double tt_bo_trust_len(const tt_bo *b) {
  return b->trust ? b->trust->len : 0;
}

size_t tt_bo_trust_restarts(const tt_bo *b) {
  return b->trust ? b->trust->restarts : 0;
}
