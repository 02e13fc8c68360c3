/* Neighbourhoods: configurations one move away from a given one, the one
 * implementation behind both the plain list (tt_space_neighbours) and the
 * sampled one strategies climb with (tt_space_neighbours_sampled). */
#include <stdlib.h>
#include <string.h>

#include "space/space_impl.h"

/* Knobs with at most this many values contribute all of them (sampled). */
#define SMALL_CARD 32
/* Random extra values tried on a larger knob (sampled). */
#define LARGE_RANDOM 8

typedef struct moves {
  const tt_space *s;
  tt_rng *rng; /* NULL: the plain list */
  tt_space_keep_fn keep;
  void *ctx;
  uint32_t *out;
  size_t n, max;
} moves;

/* Appends cand to out when it is kept and there is room. */
static void emit(moves *m, const uint32_t *cand) {
  if (m->n >= m->max) return;
  if (m->keep ? !m->keep(m->ctx, cand) : !tt_space_is_valid(m->s, cand)) return;
  memcpy(m->out + m->n * m->s->nknobs, cand, m->s->nknobs * sizeof *cand);
  m->n++;
}

/* Every swap of two positions of permutation knob k (pairs i < j). */
static void perm_moves(moves *m, uint32_t *cand, size_t k) {
  const tt_space *s = m->s;
  int perm[TT_PERM_MAX];
  uint32_t orig = cand[k];
  for (size_t i = 0; i < s->knobs[k].perm_n; i++)
    for (size_t j = i + 1; j < s->knobs[k].perm_n; j++) {
      tt_space_perm_decode(s, k, orig, perm);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
      cand[k] = tt_space_perm_encode(s, k, perm);
      emit(m, cand);
    }
  cand[k] = orig;
}

/* Other values of value knob k in index order: all of them in the plain
 * list and for a small knob; for a large one, sampled, the values 1, 2,
 * 4, ... steps away on both sides and a few random ones. */
static void value_moves(moves *m, uint32_t *cand, size_t k) {
  uint32_t card = m->s->knobs[k].card, orig = cand[k];
  if (!m->rng || card <= SMALL_CARD) {
    for (uint32_t v = 0; v < card; v++)
      if (v != orig) {
        cand[k] = v;
        emit(m, cand);
      }
  } else {
    for (uint64_t step = 1; step < card; step *= 2) {
      if (orig >= step) {
        cand[k] = orig - (uint32_t)step;
        emit(m, cand);
      }
      if (orig + step < card) {
        cand[k] = orig + (uint32_t)step;
        emit(m, cand);
      }
    }
    for (int r = 0; r < LARGE_RANDOM; r++) {
      cand[k] = (uint32_t)tt_rng_below(m->rng, card);
      if (cand[k] != orig) emit(m, cand);
    }
  }
  cand[k] = orig;
}

/* One-knob moves from cfg, knob by knob from a random start (sampled) or
 * from the first (plain). */
static size_t walk(moves *m, const uint32_t *cfg) {
  size_t K = m->s->nknobs;
  if (!K) return 0;
  uint32_t *cand = tt_xmalloc(K * sizeof *cand);
  memcpy(cand, cfg, K * sizeof *cand);
  size_t start = m->rng ? (size_t)tt_rng_below(m->rng, K) : 0;
  for (size_t i = 0; i < K && m->n < m->max; i++) {
    size_t k = (start + i) % K;
    if (m->s->knobs[k].kind == TT_KNOB_PERMUTATION)
      perm_moves(m, cand, k);
    else
      value_moves(m, cand, k);
  }
  free(cand);
  return m->n;
}

/* See space.h. */
size_t tt_space_neighbours(const tt_space *s, const uint32_t *cfg, uint32_t *out, size_t max) {
  moves m = {.s = s, .out = out, .max = max};
  return walk(&m, cfg);
}

/* See space.h. */
size_t tt_space_neighbours_sampled(const tt_space *s, const uint32_t *cfg, tt_rng *rng,
                                   tt_space_keep_fn keep, void *ctx, uint32_t *out, size_t max) {
  moves m = {.s = s, .rng = rng, .keep = keep, .ctx = ctx, .out = out, .max = max};
  return walk(&m, cfg);
}
