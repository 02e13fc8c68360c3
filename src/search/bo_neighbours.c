/* BO's moves: one-knob neighbourhoods (space's sampled ones, kept when
 * free) and random multi-knob perturbations of the best points. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/bo.h"

/* tt_strategy_is_free as a neighbourhood's filter. */
static int is_free(void *st, const uint32_t *cand) {
  return tt_strategy_is_free(st, cand);
}

/* One-knob moves from cfg (space's sampled neighbourhood); see bo.h. */
size_t tt_bo_neighbours(tt_strategy *st, const uint32_t *cfg, uint32_t *out, size_t max) {
  return tt_space_neighbours_sampled(tt_strategy_space(st), cfg, tt_strategy_rng(st), is_free, st,
                                     out, max);
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

/* Moves knob k of tmp: a normal step of an ordinal or integer knob, any
 * other value of a categorical one or a bool, a random swap of a
 * permutation. */
static void perturb_knob(tt_strategy *st, uint32_t *tmp, size_t k, double radius) {
  const tt_space *s = tt_strategy_space(st);
  tt_rng *rng = tt_strategy_rng(st);
  uint32_t card = tt_space_knob_card(s, k);
  if (card < 2) return;
  if (!(tt_space_knob_roles(s, k) & TT_ROLE_RANGED)) {
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
