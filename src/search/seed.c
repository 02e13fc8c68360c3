/* Seed configurations from related data (search.h): the best distinct
 * configurations that are valid in the strategy's space, queued to be
 * proposed first. */
#include <stdlib.h>
#include <string.h>

#include "search/strategy_impl.h"

/* A row and its value, sorted by value. */
typedef struct row_v {
  double v;
  size_t row;
} row_v;

static int cmp_row_v(const void *a, const void *b) {
  double x = ((const row_v *)a)->v, y = ((const row_v *)b)->v;
  size_t i = ((const row_v *)a)->row, j = ((const row_v *)b)->row;
  return x < y ? -1 : x > y ? 1 : (i > j) - (i < j); /* earlier rows first on ties */
}

/* See search.h. */
size_t tt_strategy_seed_best(tt_strategy *st, const uint32_t *cfgs, const tt_outcome *outcomes,
                             const double *values, size_t n, size_t k) {
  const tt_space *s = tt_strategy_space(st);
  size_t nk = tt_space_num_knobs(s), m = 0, got = 0;
  row_v *ord = tt_xmalloc((n + 1) * sizeof *ord);
  for (size_t i = 0; i < n; i++)
    if (outcomes[i] == TT_OUTCOME_OK && values[i] > 0) ord[m++] = (row_v){values[i], i};
  qsort(ord, m, sizeof *ord, cmp_row_v);
  uint32_t *pick = tt_xmalloc((k * nk + 1) * sizeof *pick);
  tt_keymap seen = {0};
  for (size_t i = 0; i < m && got < k; i++) {
    const uint32_t *cfg = cfgs + ord[i].row * nk;
    uint64_t key = tt_space_key(s, cfg);
    if (tt_keymap_get(&seen, key, NULL) || !tt_space_is_valid(s, cfg)) continue;
    tt_keymap_put(&seen, key, 0);
    memcpy(pick + got++ * nk, cfg, nk * sizeof *cfg);
  }
  tt_strategy_seed(st, pick, got);
  tt_keymap_free(&seen);
  free(pick);
  free(ord);
  return got;
}
