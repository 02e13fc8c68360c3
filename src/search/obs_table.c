/* The encoded observation table of the model-based strategies. */
#include <stdlib.h>
#include <string.h>

#include "search/obs_table.h"

/* Sets up an empty table; rows are allocated on the first put. */
void tt_obs_table_init(tt_obs_table *t, const tt_space *space, tt_encoding enc) {
  memset(t, 0, sizeof *t);
  t->space = space;
  t->enc = enc;
  t->nk = tt_space_num_knobs(space);
  t->d = tt_space_encoded_dim(space);
}

/* Frees the rows (not the table struct, which callers embed). */
void tt_obs_table_free(tt_obs_table *t) {
  free(t->cfg);
  free(t->x);
  free(t->value);
  free(t->ok);
  tt_keymap_free(&t->rows);
  memset(t, 0, sizeof *t);
}

/* Doubles the row capacity. */
static void grow(tt_obs_table *t) {
  t->cap = t->cap ? 2 * t->cap : 64;
  t->cfg = tt_xrealloc(t->cfg, t->cap * t->nk * sizeof *t->cfg + 1);
  t->x = tt_xrealloc(t->x, t->cap * t->d * sizeof *t->x + 1);
  t->value = tt_xrealloc(t->value, t->cap * sizeof *t->value);
  t->ok = tt_xrealloc(t->ok, t->cap * sizeof *t->ok);
}

/* Appends or overwrites cfg's row, keeping n_ok in step. */
void tt_obs_table_put(tt_obs_table *t, const uint32_t *cfg, tt_outcome outcome, double value) {
  uint64_t key = tt_space_key(t->space, cfg);
  uint32_t row;
  if (tt_keymap_get(&t->rows, key, &row)) {
    t->n_ok -= t->ok[row];
  } else {
    if (t->n == t->cap) grow(t);
    row = (uint32_t)t->n++;
    tt_keymap_put(&t->rows, key, row);
    memcpy(t->cfg + (size_t)row * t->nk, cfg, t->nk * sizeof *cfg);
    tt_space_encode(t->space, t->enc, cfg, t->x + (size_t)row * t->d);
  }
  t->ok[row] = outcome == TT_OUTCOME_OK;
  t->value[row] = t->ok[row] ? value : 0;
  t->n_ok += t->ok[row];
}

/* Selects the max best ok rows by insertion into a sorted prefix: max is
 * small (a handful of seeds for neighbourhoods), n may be thousands. */
size_t tt_obs_table_best(const tt_obs_table *t, size_t *rows, size_t max) {
  size_t k = 0;
  for (size_t i = 0; max && i < t->n; i++) {
    if (!t->ok[i]) continue;
    size_t j = k < max ? k++ : max;
    if (j == max && t->value[i] >= t->value[rows[max - 1]]) continue;
    if (j == max) j = max - 1;
    while (j > 0 && t->value[rows[j - 1]] > t->value[i]) {
      rows[j] = rows[j - 1];
      j--;
    }
    rows[j] = i;
  }
  return k;
}
