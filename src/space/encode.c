/* Model encodings of configurations: fixed-length vectors of doubles in
 * [0, 1] (see space.h for the layout). */
#include <math.h>

#include "space/space_impl.h"

/* Features one knob contributes. */
static size_t knob_dim(const tt_knob *k) {
  if (k->kind == TT_KNOB_CATEGORICAL) return k->card;
  if (k->kind == TT_KNOB_PERMUTATION) return k->perm_n * (k->perm_n - 1) / 2;
  return 1;
}

size_t tt_space_encoded_dim(const tt_space *s) {
  size_t d = 0;
  for (size_t k = 0; k < s->nknobs; k++)
    d += knob_dim(&s->knobs[k]);
  return d;
}

void tt_space_encoded_knobs(const tt_space *s, size_t *knob_of) {
  for (size_t k = 0; k < s->nknobs; k++)
    for (size_t j = knob_dim(&s->knobs[k]); j > 0; j--)
      *knob_of++ = k;
}

/* Smallest and largest value of a numeric knob. */
static void value_range(const tt_space *s, size_t k, double *lo, double *hi) {
  const tt_knob *kn = &s->knobs[k];
  if (kn->kind == TT_KNOB_INT) { /* O(1): ranges may be huge */
    *lo = tt_space_knob_value(s, k, 0);
    *hi = tt_space_knob_value(s, k, kn->card - 1);
    return;
  }
  *lo = INFINITY;
  *hi = -INFINITY;
  for (uint32_t v = 0; v < s->knobs[k].card; v++) {
    double x = tt_space_knob_value(s, k, v);
    *lo = fmin(*lo, x);
    *hi = fmax(*hi, x);
  }
}

/* A numeric knob's feature: rank, or log2 scaled to [0, 1] (positive values
 * only; otherwise the rank). Ordinal lists are ranked by value, so an
 * unsorted list still encodes monotonically. */
static double numeric_feature(const tt_space *s, size_t k, uint32_t v, tt_encoding enc) {
  const tt_knob *kn = &s->knobs[k];
  if (kn->card < 2) return 0;
  double x = tt_space_knob_value(s, k, v), lo, hi;
  value_range(s, k, &lo, &hi);
  if (enc == TT_ENCODE_LOG && lo > 0)
    return hi > lo ? (log2(x) - log2(lo)) / (log2(hi) - log2(lo)) : 0;
  if (kn->kind == TT_KNOB_INT) return (double)v / (kn->card - 1);
  uint32_t rank = 0; /* values below x */
  for (uint32_t u = 0; u < kn->card; u++)
    rank += kn->values[u] < x;
  return (double)rank / (kn->card - 1);
}

/* Tables of an ordinal knob's features (O(card^2) once, so that encoding
 * is O(1) a knob: models encode many candidates per ask). */
void tt_knob_prepare_features(tt_space *s, size_t k) {
  tt_knob *kn = &s->knobs[k];
  for (int enc = 0; enc < 2; enc++) {
    kn->feat[enc] = tt_arena_alloc(s->arena, kn->card * sizeof *kn->feat[enc]);
    for (uint32_t v = 0; v < kn->card; v++)
      kn->feat[enc][v] = numeric_feature(s, k, v, (tt_encoding)enc);
  }
}

/* The feature of value v: the table for ordinal knobs, O(1) otherwise. */
static double feature(const tt_space *s, size_t k, uint32_t v, tt_encoding enc) {
  const tt_knob *kn = &s->knobs[k];
  return kn->feat[enc] ? kn->feat[enc][v] : numeric_feature(s, k, v, enc);
}

/* Writes the features of cfg into out[tt_space_encoded_dim(s)]. */
void tt_space_encode(const tt_space *s, tt_encoding enc, const uint32_t *cfg, double *out) {
  for (size_t k = 0; k < s->nknobs; k++) {
    const tt_knob *kn = &s->knobs[k];
    switch (kn->kind) {
    case TT_KNOB_BOOL:
      *out++ = cfg[k];
      break;
    case TT_KNOB_CATEGORICAL:
      for (uint32_t v = 0; v < kn->card; v++)
        *out++ = v == cfg[k];
      break;
    case TT_KNOB_PERMUTATION: {
      int perm[TT_PERM_MAX], pos[TT_PERM_MAX];
      tt_space_perm_decode(s, k, cfg[k], perm);
      for (size_t i = 0; i < kn->perm_n; i++)
        pos[perm[i]] = (int)i;
      for (size_t a = 0; a < kn->perm_n; a++)
        for (size_t b = a + 1; b < kn->perm_n; b++)
          *out++ = pos[a] < pos[b]; /* item a precedes item b */
      break;
    }
    default:
      *out++ = feature(s, k, cfg[k], enc);
    }
  }
}
