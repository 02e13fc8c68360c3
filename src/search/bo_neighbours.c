/* Neighbourhoods for BO's acquisition search: configurations one knob
 * away, sampled so that a knob with thousands of values costs a few dozen
 * candidates and no knob is starved by a cap. */
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
