/* Permutation knobs: value index <-> permutation through the Lehmer code,
 * so rank 0 is the identity and ranks follow lexicographic order. */
#include <assert.h>

#include "space/space_impl.h"

/* n! for n <= 12. */
static uint32_t factorial(size_t n) {
  uint32_t f = 1;
  for (size_t i = 2; i <= n; i++)
    f *= (uint32_t)i;
  return f;
}

/* Writes permutation number v of knob into out[perm_len] (item indices). */
void tt_space_perm_decode(const tt_space *s, size_t knob, uint32_t v, int *out) {
  const tt_knob *k = &s->knobs[knob];
  assert(k->kind == TT_KNOB_PERMUTATION && v < k->card);
  size_t n = k->perm_n;
  int left[TT_PERM_MAX];
  for (size_t i = 0; i < n; i++)
    left[i] = (int)i;
  for (size_t i = 0; i < n; i++) {
    uint32_t f = factorial(n - 1 - i);
    size_t d = v / f;
    v %= f;
    out[i] = left[d];
    for (size_t j = d; j + 1 < n - i; j++) /* remove the chosen item */
      left[j] = left[j + 1];
  }
}

/* Rank of perm (a permutation of 0..perm_len-1) among knob's values. */
uint32_t tt_space_perm_encode(const tt_space *s, size_t knob, const int *perm) {
  const tt_knob *k = &s->knobs[knob];
  assert(k->kind == TT_KNOB_PERMUTATION);
  size_t n = k->perm_n;
  uint32_t rank = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t smaller = 0; /* later items smaller than perm[i] */
    for (size_t j = i + 1; j < n; j++)
      smaller += perm[j] < perm[i];
    rank += smaller * factorial(n - 1 - i);
  }
  return rank;
}
