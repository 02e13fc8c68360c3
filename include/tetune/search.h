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

/* ---- transfer: what related tasks know ---------------------------- */

/* Queues n configurations (n x num_knobs entries, copied) to be proposed
 * first, in order: the next asks return those still valid, free and not
 * pending before anything the strategy chooses, whatever the strategy.
 * A related task's best configurations go here. The queue goes on while
 * it earns it: once a served seed has been told, the next is served only
 * when the best told seed is ok and at least as fast as every other ok
 * observation (while there is none, the strategy proposes meanwhile), and
 * the rest is dropped when it is not: an unrelated source costs one
 * evaluation (two when the next is asked for before the first is told).
 * Calling it again replaces the queue. */
TT_API void tt_strategy_seed(tt_strategy *st, const uint32_t *cfgs, size_t n);

/* How many queued seeds st has proposed so far. */
TT_API size_t tt_strategy_num_seeded(const tt_strategy *st);

/* Queues (tt_strategy_seed) the k best distinct configurations among the
 * ok rows of related data (cfgs n x num_knobs, outcomes, values: lower is
 * better) that are valid in st's space; returns how many. */
TT_API size_t tt_strategy_seed_best(tt_strategy *st, const uint32_t *cfgs,
                                    const tt_outcome *outcomes, const double *values, size_t n,
                                    size_t k);

/* Related data as a prior: n configurations of st's space (a related
 * task's trials mapped onto its knobs) with their outcomes and values (>0,
 * lower is better, read when ok). A strategy with a model (bo) fits a
 * model of log value on the ok rows and uses its prediction as the prior
 * mean of its surrogate, scaled to the task's own ok observations and
 * weighted by how well it ranks them (Kendall's tau beyond what an
 * unrelated prior reaches by chance for so many rows), so an unrelated
 * prior's weight falls to 0 as observations come in. Returns 1 when st
 * uses it, 0 when not (a strategy without a model, or fewer than 3 ok
 * rows). Call before the first ask. */
TT_API int tt_strategy_set_prior(tt_strategy *st, const uint32_t *cfgs, const tt_outcome *outcomes,
                                 const double *values, size_t n);

/* The prior's weight at the strategy's last model-based proposal, in
 * [0, 1] (0 before the first one); NAN when st uses no prior. */
TT_API double tt_strategy_prior_weight(const tt_strategy *st);

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
