/* Random search: uniform sampling of valid configurations without
 * replacement (tt_strategy_random_free does the work). */
#include <stdlib.h>

#include "search/strategy_impl.h"

typedef struct random_state {
  int unused;
} random_state;

/* Random search has no options: an empty table, so any key is an error. */
static const tt_option random_option_table[] = {{NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL}};

static tt_status set_option(void *state, const char *key, const char *value, tt_error *err) {
  return tt_option_set(random_option_table, "random", state, key, value, err);
}

static void *random_create(tt_strategy *st, const char *options, tt_error *err) {
  random_state *rs = tt_xcalloc(1, sizeof *rs);
  if (tt_options_parse(options, rs, set_option, err) != TT_OK) {
    free(rs);
    return NULL;
  }
  return rs;
}

static void random_destroy(void *state) {
  free(state);
}

/* Each draw is marked pending at once so that later draws skip it. */
static size_t random_ask(tt_strategy *st, void *state, size_t n, uint32_t *out) {
  size_t K = tt_space_num_knobs(tt_strategy_space(st)), got = 0;
  while (got < n && tt_strategy_random_free(st, out + got * K) == 0)
    tt_strategy_mark_pending(st, out + K * got++);
  return got;
}

const tt_strategy_ops tt_strategy_random_ops = {
    .name = "random",
    .create = random_create,
    .destroy = random_destroy,
    .ask = random_ask,
    .tell = NULL,
    .options = random_option_table,
};
