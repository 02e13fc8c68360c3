/* tetune objectives without kernels: synthetic functions on discretised
 * spaces and replays of recorded exhaustive tuning datasets, plus the
 * replay driver that scores search strategies against them. Lower values
 * are better; every value of an ok configuration is > 0. */
#ifndef TETUNE_OBJECTIVE_H
#define TETUNE_OBJECTIVE_H

#include <stddef.h>
#include <stdint.h>

#include "tetune/export.h"
#include "tetune/outcome.h"
#include "tetune/space.h"
#include "tetune/support.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tt_objective tt_objective;

/* Synthetic functions, each on its own space of ordinal knobs:
 *   "branin"     2-D, 61 x 61 grid over [-5,10] x [0,15];
 *   "ackley"     4-D, 21 values a dimension over [-4,4], value + 1;
 *   "rosenbrock" 4-D, 17 values a dimension over [-2,2], value + 1;
 *   "tiles"      a tile-size landscape (ti, tj, tk, unroll, loop order,
 *                vectorise) with a cache model, deterministic noise, a
 *                constraint and compile/runtime failure regions.
 * Unknown name: NULL and TT_ERR_USAGE. */
TT_API tt_objective *tt_objective_synthetic(const char *name, tt_error *err);
TT_API const char *const *tt_objective_synthetic_names(void); /* NULL-terminated */

/* The most data a dataset or T1 file may hold once decompressed: the
 * recorded datasets hold a few MiB, and a gzip bomb must not fill memory. */
#define TT_DATASET_MAX_BYTES ((size_t)256 << 20)

typedef struct tt_dataset_options {
  const char *space_file; /* T1 space file; NULL: <kernel>.t1.json next to the dataset */
  const char *objective;  /* objective column / measurement; NULL: "time" */
} tt_dataset_options;

/* Loads a recorded dataset (format from the content; gzip data, whatever
 * the file's name, is decompressed through zlib; more than TT_DATASET_MAX_BYTES of it
 * is TT_ERR_USAGE, and so is a path that is not a regular file):
 *   Kernel Tuner cache JSON (tune_params, cache): failed entries carry a
 *     string ("InvalidConfig", "CompilationFailedConfig", ...);
 *   T4 results JSON (results[].configuration, invalidity, measurements);
 *   CSV: a header of one column per parameter plus the objective column.
 * The space comes from the T1 file when there is one (value lists and
 * Conditions as constraints), else from the dataset's value lists (numbers:
 * ordinal knobs, anything else: categorical). A valid configuration that is
 * absent from the dataset evaluates as TT_OUTCOME_INVALID; failed records
 * as their failure. opt may be NULL. */
TT_API tt_objective *tt_objective_load(const char *path, const tt_dataset_options *opt,
                                       tt_error *err);
/* The search space of a T1 file (ConfigurationSpace: TuningParameters'
 * value lists as knobs, Conditions as constraints). Caller frees
 * (tt_space_free); NULL with a one-line TT_ERR_USAGE naming the file. */
TT_API tt_space *tt_t1_space(const char *path, tt_error *err);

/* "synthetic:NAME" or a dataset path. */
TT_API tt_objective *tt_objective_open(const char *spec, const tt_dataset_options *opt,
                                       tt_error *err);
TT_API void tt_objective_free(tt_objective *o);
/* Restricts o's space to the configurations that evaluate ok (see
 * tt_space_restrict): failed and absent ones leave the space and the
 * population, as in Kernel Tuner's restricted runs. TT_ERR_USAGE when
 * none is ok. */
TT_API tt_status tt_objective_restrict(tt_objective *o, tt_error *err);

TT_API const char *tt_objective_name(const tt_objective *o);
TT_API const tt_space *tt_objective_space(const tt_objective *o); /* owned by o */
/* Evaluates cfg (a configuration of the objective's space): the outcome,
 * and *value when it is TT_OUTCOME_OK. */
TT_API tt_outcome tt_objective_eval(const tt_objective *o, const uint32_t *cfg, double *value);
/* Seconds the dataset's record of cfg took to compile and benchmark (Kernel
 * Tuner's compile_time + verification_time + benchmark_time; T4's
 * compilation + validation + the runtimes), NAN when the record has none
 * (synthetic functions, CSV, an absent configuration). */
TT_API double tt_objective_cost(const tt_objective *o, const uint32_t *cfg);
/* Smallest value of an ok configuration. */
TT_API double tt_objective_optimum(const tt_objective *o);
/* The values of every valid configuration of the space, ascending, with
 * failures (and configurations absent from a dataset) as +INFINITY at the
 * end: the population random search draws from. Borrowed; *n set. */
TT_API const double *tt_objective_values(const tt_objective *o, size_t *n);
/* Records read from a dataset (0 for synthetic functions), and how many of
 * them could not be placed in the space (value not in a list, or violating
 * a constraint). */
TT_API size_t tt_objective_num_records(const tt_objective *o);
TT_API size_t tt_objective_num_skipped(const tt_objective *o);

/* ---- transfer: a related dataset as a prior -------------------------- */

/* Rows of related data in another space: configurations (n x that space's
 * knobs), outcomes, values. */
typedef struct tt_related_rows {
  size_t n;
  uint32_t *cfgs;
  tt_outcome *outcomes;
  double *values;
} tt_related_rows;

/* The ok records of src mapped by knob name onto dst
 * (tt_space_config_map_json: values snapped to dst's nearest, knobs src
 * lacks at dst's first value). shuffle != 0 permutes the values among the
 * rows with that seed: a related dataset made unrelated, the control of a
 * transfer study. TT_ERR_USAGE when no ok record shares a knob with dst. */
TT_API tt_status tt_objective_related(const tt_objective *src, const tt_space *dst,
                                      uint64_t shuffle, tt_related_rows *out, tt_error *err);
TT_API void tt_related_rows_free(tt_related_rows *r);
/* Permutes r's values among its rows with seed (the unrelated control). */
TT_API void tt_related_rows_shuffle(tt_related_rows *r, uint64_t seed);

/* ---- replay: strategies against an objective ------------------------ */

/* Expected best-so-far of random search without replacement after n = 1..
 * budget draws from values[0..nv) (ascending, failures +INFINITY). A
 * failure counts as no improvement: best-so-far before the first success
 * is the worst ok value. Writes budget entries into out. */
TT_API void tt_replay_random_curve(const double *values, size_t nv, size_t budget, double *out);

/* Metrics of one strategy from its best-so-far curves. */
typedef struct tt_replay_metrics {
  double score;                  /* methodology score: 0 random, 1 optimum at once */
  double best_mean, best_median; /* best found within the budget */
  double evals_to[3];            /* to within 1%, 5%, 10%: median over the seeds that
                                    got there, NAN when none did */
  int reached[3];                /* seeds that got within 1%, 5%, 10% */
  double evals_all[3];           /* the same, median over all seeds with a seed that
                                    never got there counted as beyond the budget:
                                    NAN when that median lies beyond it */
  double evals_all_lo[3];        /* a distribution-free 95% confidence interval of */
  double evals_all_hi[3];        /* evals_all (order statistics of the seeds): NAN
                                    under 6 seeds, and a bound beyond the budget */
} tt_replay_metrics;

/* 1-based ranks [*lo, *hi] of the order statistics that bound a 95%
 * confidence interval of the median of n samples (binomial, at least 95%
 * coverage); returns -1 when n < 6, where no such pair exists. */
TT_API int tt_replay_median_ci_ranks(size_t n, size_t *lo, size_t *hi);

/* Median number of draws random search without replacement needs to get
 * within tol (0.05: 5%) of optimum, computed exactly from values[0..nv)
 * (ascending, failures +INFINITY): the least n with P(no hit in n draws)
 * <= 1/2, where with m hits among nv, P = prod_{i<n} (nv - m - i) / (nv - i).
 * Also writes the mean, (nv + 1) / (m + 1), into *mean when not NULL. */
TT_API double tt_replay_random_evals(const double *values, size_t nv, double optimum, double tol,
                                     double *mean);

/* curves: seeds x budget best-so-far values (row per seed; +INFINITY or
 * the worst value before the first success). random: the expected random
 * curve. The score averages (random[n] - mean[n]) / (random[n] - optimum)
 * over the n where random[n] > optimum. */
TT_API void tt_replay_compute_metrics(const double *curves, size_t seeds, size_t budget,
                                      double optimum, const double *random, tt_replay_metrics *m);

/* Transfer in a replay (tt_replay_run_transfer, tune.h): each run's strategy gets the related rows'
 * best `seeds` configurations to propose first (tt_strategy_seed_best) and, with prior, the rows as
 * its prior (tt_strategy_set_prior). shuffle != 0: each run gets the rows with their values
 * shuffled anew (seed shuffle + the run's seed), the unrelated control averaged over shuffles.
 * weights, when not NULL, gets each run's prior weight at its end (NAN: no prior used). */
typedef struct tt_replay_transfer {
  const tt_related_rows *rows;
  size_t seeds;
  int prior;
  uint64_t shuffle;
  double *weights;
} tt_replay_transfer;

#ifdef __cplusplus
}
#endif
#endif
