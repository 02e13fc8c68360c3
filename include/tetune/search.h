/* tetune search strategies behind one asynchronous ask/tell protocol.
 * Knows nothing about kernels: a strategy sees a tt_space and outcomes. */
#ifndef TETUNE_SEARCH_H
#define TETUNE_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "tetune/export.h"
#include "tetune/outcome.h"
#include "tetune/space.h"
#include "tetune/support.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tt_strategy tt_strategy;

/* Creates strategy `name` ("random", "grid", "ga", "xgb", "bo") over space
 * (borrowed: must outlive the strategy). options is NULL or a comma-
 * separated list of key=value pairs specific to the strategy (e.g. for bo:
 * "surrogate=rf,acq=hedge,init=10,liar=min"); an unknown name, key or value
 * is TT_ERR_USAGE with a message. Same seed, same tells => same asks. */
TT_API tt_strategy *tt_strategy_new(const char *name, const tt_space *space, uint64_t seed,
                                    const char *options, tt_error *err);
TT_API void tt_strategy_free(tt_strategy *st);
TT_API const char *tt_strategy_name(const tt_strategy *st);

/* The options of strategy `name`, generated from its option table: a line
 * each ("  name  what it takes (default D): what it does"), or with
 * markdown a Markdown table (the README's). A heap string the caller
 * frees; NULL for an unknown strategy. */
TT_API char *tt_strategy_options_doc(const char *name, int markdown);

/* Names of all strategies, NULL-terminated; the default is first. */
TT_API const char *const *tt_strategy_names(void);

/* Writes up to n configurations into out (n * num_knobs entries), each valid,
 * never evaluated (told) and never pending (asked but not yet told). They
 * become pending. Returns how many were written: fewer than n only when the
 * space has no more unseen valid configurations. */
TT_API size_t tt_strategy_ask(tt_strategy *st, size_t n, uint32_t *out);

/* Reports the result of cfg. value is the objective (a time, lower is
 * better, > 0) when outcome is TT_OUTCOME_OK and ignored otherwise. cfg need
 * not have been asked: telling stored history to a fresh strategy rebuilds
 * its state (resume). Telling the same configuration twice keeps the
 * latest. */
TT_API void tt_strategy_tell(tt_strategy *st, const uint32_t *cfg, tt_outcome outcome,
                             double value);

/* Tells st how many evaluations the driver means to make in all, told
 * history included (0, the default: unknown). A hint, for strategies whose
 * defaults assume more: ga shrinks its population when fewer than two
 * generations would fit (see ga.c). Call before the first ask; the same
 * seed, budget and tells give the same asks. */
TT_API void tt_strategy_set_budget(tt_strategy *st, size_t budget);

/* Number of configurations told so far. */
TT_API size_t tt_strategy_num_told(const tt_strategy *st);

/* Permutation importance of the d features of X (n x d, row-major) for y:
 * a random forest is fitted on (X, y) and feature j's importance is how
 * much its mean squared error grows when column j is shuffled, averaged
 * over a few shuffles; written into share[d], normalised to sum 1 (all 0
 * when nothing matters). Returns the forest's in-sample mean squared
 * error. The same seed gives the same numbers. */
TT_API double tt_search_importance(const double *X, const double *y, size_t n, size_t d,
                                   uint64_t seed, double *share);

#ifdef __cplusplus
}
#endif
#endif
