/* Grid search: every valid configuration once, skipping told and pending
 * ones, in lexicographic index order (first knob most significant), or
 * with order=autotvm in AutoTVM's (first knob least significant: its
 * ConfigSpace decodes an index with the first knob varying fastest, and
 * its grid tuner walks the indices in turn). What grid finds depends on
 * where the optimum lies in the order (pnpoly's: docs/search-decisions.md,
 * "grid"). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "search/strategy_impl.h"

typedef struct grid_state {
  uint32_t *cursor; /* the last configuration handed out (or looked at) */
  int started;
  int exhausted;
  int rev; /* order=autotvm */
} grid_state;

static const char *const orders[] = {"lex", "autotvm", NULL};

/* grid's options as data (see strategy_impl.h). */
static const tt_option grid_option_table[] = {
    {"order", TT_OPTION_CHOICE, offsetof(grid_state, rev), 0, 0, 0, orders, "lex",
     "lex: the first knob most significant; autotvm: the first knob changes fastest, as "
     "AutoTVM's ConfigSpace indices"},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL},
};

static tt_status set_option(void *state, const char *key, const char *value, tt_error *err) {
  return tt_option_set(grid_option_table, "grid", state, key, value, err);
}

static void *grid_create(tt_strategy *st, const char *options, tt_error *err) {
  grid_state *gs = tt_xcalloc(1, sizeof *gs);
  gs->cursor = tt_xcalloc(tt_space_num_knobs(tt_strategy_space(st)) + 1, sizeof *gs->cursor);
  if (tt_options_parse(options, gs, set_option, err) != TT_OK) {
    free(gs->cursor);
    free(gs);
    return NULL;
  }
  return gs;
}

static void grid_destroy(void *state) {
  grid_state *gs = state;
  free(gs->cursor);
  free(gs);
}

/* Walks the cursor forward over valid configurations; returns the free
 * ones. Configurations are distinct because the walk only moves forward. */
static size_t grid_ask(tt_strategy *st, void *state, size_t n, uint32_t *out) {
  grid_state *gs = state;
  const tt_space *s = tt_strategy_space(st);
  size_t K = tt_space_num_knobs(s), got = 0;
  while (got < n && !gs->exhausted) {
    int rc = gs->rev ? tt_space_next_valid_rev(s, gs->cursor, gs->started)
                     : tt_space_next_valid(s, gs->cursor, gs->started);
    if (rc < 0) {
      gs->exhausted = 1;
      break;
    }
    gs->started = 1;
    if (!tt_strategy_is_free(st, gs->cursor)) continue;
    for (size_t k = 0; k < K; k++)
      out[got * K + k] = gs->cursor[k];
    got++;
  }
  return got;
}

const tt_strategy_ops tt_strategy_grid_ops = {
    .name = "grid",
    .create = grid_create,
    .destroy = grid_destroy,
    .ask = grid_ask,
    .options = grid_option_table,
    .tell = NULL,
};
