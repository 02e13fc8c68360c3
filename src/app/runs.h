/* Internal to src/app: the stored sessions of one task as runs — series of
 * trials with best-so-far and a wall-clock axis — and the statistics that
 * `compare` prints and `report` draws.
 *
 * The wall-clock axis charges every trial what it cost when it was really
 * done: its own duration (asking the strategy, compiling, validating,
 * timing, storing), plus, for a trial reused from the store, the duration
 * of the trial that measured it. Runs that reuse each other's measurements
 * (compare) are then judged as if each had measured everything itself. */
#ifndef TT_APP_RUNS_H
#define TT_APP_RUNS_H

#include "tetune/store.h"

typedef struct tt_run_point {
  int64_t seq;
  tt_outcome outcome;
  double time_s; /* median time; NAN unless ok */
  double gflops; /* NAN unless ok */
  double best_s; /* best ok time so far in the run; NAN before the first */
  double wall_s; /* charged time from the run's start to this trial's end */
  int reused;    /* taken from the store */
  char *config;  /* JSON */
} tt_run_point;

typedef struct tt_run {
  const tt_session_info *info; /* borrowed from the session list */
  tt_run_point *pts;
  size_t n;
  double best_s;    /* NAN when no ok trial */
  int64_t failures; /* trials not ok */
} tt_run;

typedef struct tt_task_runs {
  int64_t task_id;
  const tt_session_info *first; /* the task's first listed session */
  tt_run *runs;
  size_t nruns;
} tt_task_runs;

/* Loads the sessions of list that belong to task_id (only those whose ids
 * are in only[0..nonly) when only is not NULL), in list order. */
tt_status tt_runs_load(tt_store *s, const tt_session_list *list, int64_t task_id,
                       const int64_t *only, size_t nonly, tt_task_runs *out, tt_error *err);
void tt_runs_free(tt_task_runs *r);

/* The smallest ok time over every run; NAN when there is none. */
double tt_runs_best(const tt_task_runs *r);

/* One strategy's results over its runs (seeds). "Reached" means the run's
 * best-so-far came within 5% of the best time any run found. */
typedef struct tt_strategy_stats {
  const char *strategy; /* borrowed */
  size_t runs;
  double best_mean_s, best_sd_s; /* over runs with an ok trial */
  size_t reached;                /* runs that reached */
  double trials_median;          /* trials to reach, median over those */
  double wall_median_s;          /* charged time to reach, median over those */
  int64_t trials, failures;      /* summed over runs */
} tt_strategy_stats;

/* Fills out[] with one entry per strategy, in order of first appearance;
 * returns how many (at most max). within is the tolerance (0.05). */
size_t tt_runs_stats(const tt_task_runs *r, double within, tt_strategy_stats *out, size_t max);

/* Median of v[0..n) (reorders v); NAN when n == 0. */
double tt_median(double *v, size_t n);

#endif
