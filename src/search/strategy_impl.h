/* Internal to src/search: the vtable every strategy implements, and the
 * shared bookkeeping (seen/pending sets, history) the dispatcher keeps so
 * that no strategy can propose a duplicate or pending configuration. */
#ifndef TT_SEARCH_STRATEGY_IMPL_H
#define TT_SEARCH_STRATEGY_IMPL_H

#include "tetune/search.h"

/* One told observation, in told order. cfg points into storage owned by the
 * dispatcher (num_knobs entries). */
typedef struct tt_observation {
  uint32_t *cfg;
  tt_outcome outcome;
  double value; /* objective when outcome == TT_OUTCOME_OK */
} tt_observation;

/* Options as data: a strategy's options are one table of these, from
 * which its defaults, its parsing and errors, and its documentation (the
 * option list of `tetune list --strategies` and the README) all come. */
typedef enum tt_option_kind {
  TT_OPTION_COUNT,  /* a size_t field: a whole count in [lo, hi] */
  TT_OPTION_NUMBER, /* a double field: a number in [lo, hi] ((lo, hi] with lo_open) */
  TT_OPTION_CHOICE  /* an int field: the index of one of choices */
} tt_option_kind;

typedef struct tt_option {
  const char *name;
  tt_option_kind kind;
  size_t offset; /* of the field in the strategy's options struct */
  double lo, hi;
  int lo_open;
  const char *const *choices; /* NULL-terminated names */
  const char *def;            /* the default, written as a value */
  const char *doc;            /* one line: what it does */
} tt_option;

/* Sets every option of table (ended by a NULL name) to its default. */
void tt_option_defaults(const tt_option *table, void *opts);
/* Sets option key of table to v in opts; TT_ERR_USAGE "NAME: unknown
 * option 'key'" or "NAME: bad value 'v' for option 'key' (what it takes)". */
tt_status tt_option_set(const tt_option *table, const char *name, void *opts, const char *key,
                        const char *v, tt_error *err);
/* Appends the table's documentation to a heap string (*text, may be
 * NULL): one line an option, "name=TAKES (default): doc", or a Markdown
 * table row each when markdown. Returns *text. */
char *tt_option_doc(const tt_option *table, int markdown, char **text);

typedef struct tt_strategy_ops {
  const char *name;
  /* Allocates the strategy's private state; parses options (NULL = none). */
  void *(*create)(tt_strategy *st, const char *options, tt_error *err);
  void (*destroy)(void *state);
  /* Proposes up to n configurations into out. Each must pass
   * tt_strategy_is_free() at the time it is written (the dispatcher checks
   * and marks it pending as soon as ask returns). Returns how many. */
  size_t (*ask)(tt_strategy *st, void *state, size_t n, uint32_t *out);
  /* Optional: notified after the dispatcher recorded an observation. */
  void (*tell)(tt_strategy *st, void *state, const tt_observation *obs);
  /* Its options as data (NULL: none declared as a table yet). */
  const tt_option *options;
  /* Optional: related data as a prior (tt_strategy_set_prior); returns 1
   * when the strategy uses it. NULL: the strategy has no model to put it
   * in (seed configurations still apply: the dispatcher serves them). */
  int (*set_prior)(tt_strategy *st, void *state, const uint32_t *cfgs, const tt_outcome *outcomes,
                   const double *values, size_t n);
  /* Optional: the prior's weight at the last proposal (NAN: no prior). */
  double (*prior_weight)(const void *state);
} tt_strategy_ops;

/* Accessors for strategy implementations. */
const tt_space *tt_strategy_space(const tt_strategy *st);
tt_rng *tt_strategy_rng(tt_strategy *st);
/* The driver's evaluation budget (tt_strategy_set_budget), 0 if unknown. */
size_t tt_strategy_budget(const tt_strategy *st);
size_t tt_strategy_num_obs(const tt_strategy *st);
const tt_observation *tt_strategy_obs(const tt_strategy *st, size_t i);
/* 1 when cfg is valid, neither told nor pending, nor already in out-so-far
 * (callers pass the configurations written earlier in this ask). */
int tt_strategy_is_free(const tt_strategy *st, const uint32_t *cfg);
size_t tt_strategy_num_pending(const tt_strategy *st);
/* Pending configurations (asked, not told), for constant-liar models. */
const uint32_t *tt_strategy_pending(const tt_strategy *st, size_t i);
/* Marks cfg pending immediately (strategies that produce several points in
 * one ask call this for each point so that tt_strategy_is_free sees them). */
void tt_strategy_mark_pending(tt_strategy *st, const uint32_t *cfg);
/* Fills cfg with a uniformly random free configuration; -1 when none. */
int tt_strategy_random_free(tt_strategy *st, uint32_t *cfg);

/* Parses "k=v,k=v" options. For each pair calls set(state, key, value, err);
 * set returns TT_OK or TT_ERR_USAGE (unknown key / bad value). */
tt_status tt_options_parse(const char *options, void *state,
                           tt_status (*set)(void *state, const char *key, const char *value,
                                            tt_error *err),
                           tt_error *err);
/* Option values, the whole string each: a count in [lo, hi] (decimal
 * digits, no sign) and a number in [lo, hi] (strtod's syntax). 0 and *out
 * set, or -1 on anything else (out unchanged). */
int tt_options_count(const char *v, size_t lo, size_t hi, size_t *out);
int tt_options_number(const char *v, double lo, double hi, double *out);
/* Index of value in the NULL-terminated list of choices, or -1. */
int tt_options_pick(const char *value, const char *const *list);

/* The registry: strategy ops by name (src/search/registry.c); NULL when
 * no strategy has that name. */
const tt_strategy_ops *tt_strategy_ops_find(const char *name);
/* The registry: strategy ops by name (src/search/registry.c). */
extern const tt_strategy_ops tt_strategy_random_ops;
extern const tt_strategy_ops tt_strategy_grid_ops;
extern const tt_strategy_ops tt_strategy_ga_ops;
extern const tt_strategy_ops tt_strategy_xgb_ops;
extern const tt_strategy_ops tt_strategy_bo_ops;

#endif
