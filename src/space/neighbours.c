/* Neighbourhoods: configurations one move away from a given one. */
#include <stdlib.h>
#include <string.h>

#include "space/space_impl.h"

/* Appends cand to out when valid and room is left; returns the new count. */
static size_t emit(const tt_space *s, const uint32_t *cand, uint32_t *out, size_t n, size_t max) {
  if (n < max && tt_space_is_valid(s, cand)) {
    memcpy(out + n * s->nknobs, cand, s->nknobs * sizeof *cand);
    n++;
  }
  return n;
}

/* Valid neighbours of cfg in a fixed order (knob by knob; values in index
 * order, or position pairs (i, j), i < j, for permutations); see space.h. */
size_t tt_space_neighbours(const tt_space *s, const uint32_t *cfg, uint32_t *out, size_t max) {
  size_t K = s->nknobs, n = 0;
  uint32_t *cand = tt_xmalloc((K + 1) * sizeof *cand);
  memcpy(cand, cfg, K * sizeof *cand);
  for (size_t k = 0; k < K && n < max; k++) {
    const tt_knob *kn = &s->knobs[k];
    if (kn->kind == TT_KNOB_PERMUTATION) {
      int perm[TT_PERM_MAX];
      for (size_t i = 0; i < kn->perm_n; i++)
        for (size_t j = i + 1; j < kn->perm_n; j++) {
          tt_space_perm_decode(s, k, cfg[k], perm);
          int t = perm[i];
          perm[i] = perm[j];
          perm[j] = t;
          cand[k] = tt_space_perm_encode(s, k, perm);
          n = emit(s, cand, out, n, max);
        }
    } else {
      for (uint32_t v = 0; v < kn->card && n < max; v++)
        if (v != cfg[k]) {
          cand[k] = v;
          n = emit(s, cand, out, n, max);
        }
    }
    cand[k] = cfg[k];
  }
  free(cand);
  return n;
}
