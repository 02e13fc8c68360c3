/* A recorded dataset as related data for transfer (objective.h): its ok
 * records mapped by knob name onto another space. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objective/objective_impl.h"

/* Appends one row to r (room for cap rows is kept in *cap). */
static void push_row(tt_related_rows *r, size_t nk, size_t *cap, const uint32_t *cfg, double v) {
  if (r->n == *cap) {
    *cap = *cap ? 2 * *cap : 256;
    r->cfgs = tt_xrealloc(r->cfgs, *cap * nk * sizeof *r->cfgs + 1);
    r->outcomes = tt_xrealloc(r->outcomes, *cap * sizeof *r->outcomes);
    r->values = tt_xrealloc(r->values, *cap * sizeof *r->values);
  }
  memcpy(r->cfgs + r->n * nk, cfg, nk * sizeof *cfg);
  r->outcomes[r->n] = TT_OUTCOME_OK;
  r->values[r->n++] = v;
}

/* Permutes the values among the rows; see objective.h. */
void tt_related_rows_shuffle(tt_related_rows *r, uint64_t seed) {
  tt_rng rng;
  tt_rng_seed(&rng, seed);
  for (size_t i = r->n; i > 1; i--) {
    size_t j = (size_t)tt_rng_below(&rng, i);
    double t = r->values[i - 1];
    r->values[i - 1] = r->values[j];
    r->values[j] = t;
  }
}

/* See objective.h. */
tt_status tt_objective_related(const tt_objective *src, const tt_space *dst, uint64_t shuffle,
                               tt_related_rows *out, tt_error *err) {
  memset(out, 0, sizeof *out);
  size_t sk = tt_space_num_knobs(src->space), dk = tt_space_num_knobs(dst), cap = 0;
  uint32_t *cfg = tt_xcalloc(sk + 1, sizeof *cfg), *mapped = tt_xcalloc(dk + 1, sizeof *mapped);
  uint32_t *zero = tt_xcalloc(dk + 1, sizeof *zero);
  int common = 0;
  for (int after = 0; tt_space_next_valid(src->space, cfg, after) == 0; after = 1) {
    double v;
    if (tt_objective_eval(src, cfg, &v) != TT_OUTCOME_OK) continue;
    char *json = tt_space_config_to_json(src->space, cfg);
    int got = tt_space_config_map_json(dst, json, zero, mapped);
    free(json);
    if (got <= 0) continue;
    common = got > common ? got : common;
    push_row(out, dk, &cap, mapped, v);
  }
  free(cfg);
  free(mapped);
  free(zero);
  if (!out->n)
    return tt_error_set(err, TT_ERR_USAGE, "%s: no ok record has a knob of the space",
                        tt_objective_name(src));
  if (shuffle) tt_related_rows_shuffle(out, shuffle);
  return TT_OK;
}

/* See objective.h. */
void tt_related_rows_free(tt_related_rows *r) {
  free(r->cfgs);
  free(r->outcomes);
  free(r->values);
  memset(r, 0, sizeof *r);
}
