/* Neighbourhoods for BO's acquisition search: configurations one knob
 * away, sampled so that a knob with thousands of values costs a few dozen
 * candidates and no knob is starved by a cap. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/bo.h"

/* Knobs with at most this many values contribute all of them. */
#define SMALL_CARD 32
/* Random extra values tried on a larger knob. */
#define LARGE_RANDOM 8

/* Appends tmp to out when it is free and there is room. */
static size_t emit(tt_strategy *st, const uint32_t *tmp, size_t K, uint32_t *out, size_t n,
                   size_t max) {
  if (n < max && tt_strategy_is_free(st, tmp)) {
    memcpy(out + n * K, tmp, K * sizeof *tmp);
    n++;
  }
  return n;
}

/* Every swap of two positions of permutation knob k. */
static size_t perm_moves(tt_strategy *st, uint32_t *tmp, size_t k, uint32_t *out, size_t n,
                         size_t max) {
  const tt_space *s = tt_strategy_space(st);
  size_t K = tt_space_num_knobs(s), len = tt_space_perm_len(s, k);
  int perm[16];
  uint32_t orig = tmp[k];
  for (size_t i = 0; i < len; i++)
    for (size_t j = i + 1; j < len; j++) {
      tt_space_perm_decode(s, k, orig, perm);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
      tmp[k] = tt_space_perm_encode(s, k, perm);
      n = emit(st, tmp, K, out, n, max);
    }
  tmp[k] = orig;
  return n;
}

/* Other values of value knob k: all of a small knob; for a large one the
 * values 1, 2, 4, ... steps away on both sides and a few random ones. */
static size_t value_moves(tt_strategy *st, uint32_t *tmp, size_t k, uint32_t *out, size_t n,
                          size_t max) {
  const tt_space *s = tt_strategy_space(st);
  size_t K = tt_space_num_knobs(s);
  uint32_t card = tt_space_knob_card(s, k), orig = tmp[k];
  if (card <= SMALL_CARD) {
    for (uint32_t v = 0; v < card; v++)
      if (v != orig) {
        tmp[k] = v;
        n = emit(st, tmp, K, out, n, max);
      }
  } else {
    for (uint64_t step = 1; step < card; step *= 2) {
      if (orig >= step) {
        tmp[k] = orig - (uint32_t)step;
        n = emit(st, tmp, K, out, n, max);
      }
      if (orig + step < card) {
        tmp[k] = orig + (uint32_t)step;
        n = emit(st, tmp, K, out, n, max);
      }
    }
    for (int r = 0; r < LARGE_RANDOM; r++) {
      tmp[k] = (uint32_t)tt_rng_below(tt_strategy_rng(st), card);
      if (tmp[k] != orig) n = emit(st, tmp, K, out, n, max);
    }
  }
  tmp[k] = orig;
  return n;
}

/* One-knob moves from cfg; see bo.h. Knobs are visited from a random
 * start so that a cap does not always cut the same ones. */
size_t tt_bo_neighbours(tt_strategy *st, const uint32_t *cfg, uint32_t *out, size_t max) {
  const tt_space *s = tt_strategy_space(st);
  size_t K = tt_space_num_knobs(s), n = 0;
  if (!K) return 0;
  uint32_t *tmp = tt_xmalloc(K * sizeof *tmp);
  memcpy(tmp, cfg, K * sizeof *tmp);
  size_t start = (size_t)tt_rng_below(tt_strategy_rng(st), K);
  for (size_t i = 0; i < K && n < max; i++) {
    size_t k = (start + i) % K;
    if (tt_space_knob_kind(s, k) == TT_KNOB_PERMUTATION)
      n = perm_moves(st, tmp, k, out, n, max);
    else
      n = value_moves(st, tmp, k, out, n, max);
  }
  free(tmp);
  return n;
}

/* See bo.h. */
uint32_t tt_bo_random_change(tt_strategy *st, size_t k, uint32_t v) {
  const tt_space *s = tt_strategy_space(st);
  tt_rng *rng = tt_strategy_rng(st);
  if (tt_space_knob_kind(s, k) != TT_KNOB_PERMUTATION) {
    uint32_t w = (uint32_t)tt_rng_below(rng, tt_space_knob_card(s, k) - 1);
    return w + (w >= v);
  }
  size_t len = tt_space_perm_len(s, k);
  int perm[16];
  tt_space_perm_decode(s, k, v, perm);
  size_t i = (size_t)tt_rng_below(rng, len), j = (size_t)tt_rng_below(rng, len - 1);
  j += j >= i;
  int t = perm[i];
  perm[i] = perm[j];
  perm[j] = t;
  return tt_space_perm_encode(s, k, perm);
}

/* See bo.h. */
int tt_bo_ranged(const tt_space *s, size_t k) {
  tt_knob_kind kind = tt_space_knob_kind(s, k);
  return kind == TT_KNOB_ORDINAL || kind == TT_KNOB_INT;
}

/* Moves knob k of tmp: a normal step of an ordinal or integer knob, any
 * other value of a categorical one or a bool, a random swap of a
 * permutation. */
static void perturb_knob(tt_strategy *st, uint32_t *tmp, size_t k, double radius) {
  const tt_space *s = tt_strategy_space(st);
  tt_rng *rng = tt_strategy_rng(st);
  uint32_t card = tt_space_knob_card(s, k);
  if (card < 2) return;
  if (!tt_bo_ranged(s, k)) {
    tmp[k] = tt_bo_random_change(st, k, tmp[k]);
  } else {
    double sd = radius * card, z = tt_rng_normal(rng) * (sd > 1 ? sd : 1);
    long step = lround(z);
    if (!step) step = z < 0 ? -1 : 1;
    long v = (long)tmp[k] + step;
    tmp[k] = (uint32_t)(v < 0 ? 0 : v >= (long)card ? (long)card - 1 : v);
  }
}

/* A free configuration a few knobs away from cfg; see bo.h. */
int tt_bo_perturb(tt_strategy *st, const uint32_t *cfg, double radius, uint32_t *out) {
  const tt_space *s = tt_strategy_space(st);
  size_t K = tt_space_num_knobs(s);
  tt_rng *rng = tt_strategy_rng(st);
  double p = K > 2 ? 2.0 / (double)K : 1;
  for (int tries = 0; tries < 16; tries++) {
    memcpy(out, cfg, K * sizeof *out);
    size_t forced = (size_t)tt_rng_below(rng, K);
    for (size_t k = 0; k < K; k++)
      if (k == forced || tt_rng_uniform(rng) < p) perturb_knob(st, out, k, radius);
    if (tt_strategy_is_free(st, out)) return 0;
  }
  return -1;
}
