/* Internal to src/search: the observations a model-based strategy learns
 * from, kept encoded so that refitting a model never re-encodes history.
 * One row per distinct configuration; telling a configuration again
 * replaces its row (the protocol keeps the latest). */
#ifndef TT_SEARCH_OBS_TABLE_H
#define TT_SEARCH_OBS_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "tetune/outcome.h"
#include "tetune/space.h"

typedef struct tt_obs_table {
  const tt_space *space; /* borrowed */
  tt_encoding enc;
  size_t nk, d;  /* knobs per configuration, encoded features per row */
  size_t n, cap; /* rows */
  uint32_t *cfg; /* n x nk */
  double *x;     /* n x d encoded */
  double *value; /* objective as told (ok rows) */
  uint8_t *ok;   /* 1 when the outcome was TT_OUTCOME_OK */
  size_t n_ok;
  tt_keymap rows; /* tt_space_key -> row */
} tt_obs_table;

/* Initialises an empty table over space (borrowed) with encoding enc. */
void tt_obs_table_init(tt_obs_table *t, const tt_space *space, tt_encoding enc);
void tt_obs_table_free(tt_obs_table *t);
/* Adds or replaces the row of cfg. value is used only when outcome is ok. */
void tt_obs_table_put(tt_obs_table *t, const uint32_t *cfg, tt_outcome outcome, double value);
/* Writes the indices of up to max ok rows with the smallest values into
 * rows, best first; returns how many. */
size_t tt_obs_table_best(const tt_obs_table *t, size_t *rows, size_t max);

#endif
