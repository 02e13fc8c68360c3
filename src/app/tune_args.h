/* Internal to src/app: the options `tune` and `compare` share, checked
 * before anything touches the database, so bad input changes nothing. */
#ifndef TT_APP_TUNE_ARGS_H
#define TT_APP_TUNE_ARGS_H

#include <stdint.h>

#include "tetune/kernel_tune.h"
#include "tetune/search.h"
#include "tetune/store.h"

/* Checks a strategy spec, NAME or NAME(OPTIONS) as in "bo(init=4,acq=ei)":
 * NAME must be registered (a one-line TT_ERR_USAGE listing the known ones
 * otherwise) and the parentheses balanced. The options are checked when
 * the strategy is made (tt_tune_strategy_new). */
tt_status tt_tune_check_strategy(const char *spec, tt_error *err);

/* Makes the strategy a spec names, with its options, over space. */
tt_strategy *tt_tune_strategy_new(const char *spec, const tt_space *space, uint64_t seed,
                                  tt_error *err);

/* Splits spec, "NAME" or "NAME(OPTIONS)", into name (cap bytes) and its
 * options (*options points into spec, *olen bytes; NULL and 0 when none).
 * TT_ERR_USAGE, one line, unless the options are one balanced pair of
 * parentheses at the end. */
tt_status tt_tune_split_spec(const char *spec, char *name, size_t cap, const char **options,
                             size_t *olen, tt_error *err);

/* The end of the spec starting at list: the first comma outside
 * parentheses, or the terminating NUL. */
const char *tt_tune_spec_end(const char *list);

/* The default strategy: "bo" when registered, else the registry's first. */
const char *tt_tune_default_strategy(void);

/* Parses a --timeout value: a positive number of seconds. -1 when bad. */
double tt_tune_parse_seconds(const char *v);

/* Opens the database read-write for tuning. A corrupted or foreign file or
 * a path that cannot be created is TT_ERR_USAGE (exit 2) with the file
 * named; a write that fails (a full disk) keeps its status (TT_ERR_IO,
 * exit 1); when must_exist and the file is missing, TT_ERR_USAGE too and
 * nothing is created. */
tt_store *tt_tune_open_store(const char *path, int must_exist, tt_error *err);

#endif
