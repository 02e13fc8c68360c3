/* tetune tune: the engine. One driver runs a tuning session — ask the
 * strategy (with the configurations still in flight pending), submit them to
 * an evaluator, poll for finished trials, tell the strategy, store each
 * trial the moment it is known, stop at the trial count, a time limit or a
 * signal, and resume from the store — over an *evaluator*: a small vtable
 * (as ggml's backends) that turns configurations into outcomes. An
 * evaluator holds up to `slots` trials in flight and answers them in any
 * order, so N workers (local processes, MPI ranks, a simulated pool) plug
 * in behind the same two calls, submit and poll. Evaluators shipped:
 * local kernels (kernel_tune.h), a user's C callback, and a
 * recorded dataset with a simulated clock (tt_tune_recorded_new). The
 * driver knows no kernels: a configuration is a point of a tt_space. */
#ifndef TETUNE_TUNE_H
#define TETUNE_TUNE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "tetune/export.h"
#include "tetune/objective.h"
#include "tetune/outcome.h"
#include "tetune/search.h"
#include "tetune/space.h"
#include "tetune/store.h"
#include "tetune/support.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the evaluator interface ---------------------------------------- */

/* One configuration handed to an evaluator. Everything is borrowed for the
 * duration of submit only: an evaluator copies what it keeps. */
typedef struct tt_trial_req {
  uint64_t id;         /* the driver's ticket, unique within a run; echoed back */
  const uint32_t *cfg; /* tt_space_num_knobs(space) value indices */
  const char *config;  /* the same configuration as JSON */
} tt_trial_req;

/* One finished trial, filled by poll. Times of day are on the evaluator's
 * clock (tt_evaluator.now: Unix seconds, or simulated seconds); 0 means
 * unknown. message is a heap string the caller frees (tt_trial_done_clear);
 * the fixed strings are NUL-terminated and may be empty. */
typedef struct tt_trial_done {
  uint64_t id; /* the request's ticket */
  tt_outcome outcome;
  int lost;     /* 1: the worker died or vanished with the trial: an environment
                   failure, stored as outcome "lost", never told to the strategy */
  double value; /* the objective when ok (median time in seconds, > 0) */
  double time_min_s, spread, max_rel_err; /* NAN when not measured */
  int repeats;
  double compile_s;                  /* NAN when not measured */
  double compile_start, compile_end; /* when the variant was built */
  double measure_start, measure_end; /* when it was timed (or evaluated) */
  char cores[64];                    /* the logical CPUs that timed it, "0-1", "" unknown */
  char worker[64];                   /* which worker: "local", "rank 2", "sim 3" */
  char *message;                     /* why it failed, or "" */
} tt_trial_done;

/* Frees d->message and sets it to NULL. */
TT_API void tt_trial_done_clear(tt_trial_done *d);

typedef struct tt_evaluator tt_evaluator;

/* An evaluator: a vtable and its state. The driver keeps at most `slots`
 * trials submitted and not yet polled. */
struct tt_evaluator {
  const char *name; /* "local", "callback", "recorded", "mpi" */
  int slots;        /* trials it can hold in flight, >= 1 */
  void *self;       /* the implementation's state */
  /* Starts evaluating req (or queues it). An error is an environment
   * failure that ends the session (TT_ERR_ENV, TT_ERR_IO). */
  tt_status (*submit)(tt_evaluator *ev, const tt_trial_req *req, tt_error *err);
  /* Waits up to timeout_s seconds (< 0: until one finishes) for a finished
   * trial. Returns 1 with *out filled, 0 when none finished in time, -1 on
   * an environment error (err set). Never called with nothing in flight. */
  int (*poll)(tt_evaluator *ev, tt_trial_done *out, double timeout_s, tt_error *err);
  /* Abandons the trials in flight (a stop was asked); may be NULL. */
  void (*cancel)(tt_evaluator *ev);
  /* The evaluator's clock in seconds (wall time, or simulated); NULL means
   * tt_wall_now. Time limits are measured on it. */
  double (*now)(tt_evaluator *ev);
  /* Frees self (and the evaluator itself when it was allocated by its
   * constructor); NULL is allowed. */
  void (*free)(tt_evaluator *ev);
};

/* Calls ev->free (NULL allowed). */
TT_API void tt_evaluator_free(tt_evaluator *ev);

/* ---- evaluators ------------------------------------------------------ */

/* A user's objective: evaluates configuration cfg of space (config is the
 * same as JSON) and returns its outcome, with *value (> 0, lower is better)
 * when TT_OUTCOME_OK. Called on the driver's thread, one at a time. */
typedef tt_outcome (*tt_objective_fn)(void *ctx, const tt_space *space, const uint32_t *cfg,
                                      const char *config, double *value);

/* An evaluator calling fn(ctx, ...) for each configuration (one slot, wall
 * clock). space is borrowed. */
TT_API tt_evaluator *tt_tune_callback_new(const tt_space *space, tt_objective_fn fn, void *ctx);

/* Options of the recorded (simulated) evaluator. */
typedef struct tt_recorded_options {
  int workers;         /* simulated workers: trials in flight (>= 1) */
  double default_cost; /* simulated seconds of an evaluation whose record has
                          no cost (compile and benchmark time); <= 0: 1 s */
} tt_recorded_options;

/* An evaluator over a recorded dataset or synthetic function o (borrowed):
 * each evaluation looks up its value and lasts, on a simulated clock that
 * starts at 0, the record's own compile and benchmark time
 * (tt_objective_cost) or opt->default_cost. `workers` evaluations run at
 * once; poll returns the one that finishes first and advances the clock
 * to its end. opt NULL: one worker, 1 s. */
TT_API tt_evaluator *tt_tune_recorded_new(const tt_objective *o, const tt_recorded_options *opt);

/* ---- the driver ------------------------------------------------------ */

/* What the driver reports as it goes (progress display). */
typedef struct tt_tune_event {
  int64_t n;          /* trials in the session after this one */
  const char *config; /* JSON */
  tt_outcome outcome;
  int lost, reused;
  double value; /* NAN unless ok */
  double best;  /* best ok value in the session so far, NAN when none */
  const char *message;
  double clock; /* the evaluator's clock at the end of the trial */
} tt_tune_event;

/* How to run a session. Zero-initialise, then set what applies. */
typedef struct tt_tune_opts {
  int64_t trials;      /* the session's total (stored trials included); > 0 */
  double time_limit_s; /* > 0: submit nothing new once this much of the
                          evaluator's clock has passed since the run began;
                          what is in flight then is finished and stored */
  int remeasure;       /* 1: evaluate even what the store already has */
  /* Configurations an empty session tries first, before asking the
   * strategy (NULL: none): the template's default, then --config. */
  const uint32_t *first, *second;
  volatile sig_atomic_t *stop; /* set by a signal handler: stop submitting,
                                  cancel what is in flight, store nothing more */
  /* The store (NULL: nothing is stored, nothing is reused). With a store:
   * task_id and session_id exist; settings keys reuse and claims
   * (tt_measure_settings of the evaluation: a trial measured under other
   * settings is not reused). The session's status is set at the end. */
  tt_store *store;
  int64_t task_id, session_id;
  const char *settings;
  double flops; /* > 0: GFLOP/s of ok trials are stored */
  /* Called after each trial is stored and told (may be NULL). */
  void (*on_trial)(void *ctx, const tt_tune_event *ev);
  /* Called before each submit (may be NULL): the progress display. */
  void (*on_submit)(void *ctx, int64_t n, double best);
  void *ctx;
} tt_tune_opts;

/* What a run did. */
typedef struct tt_tune_result {
  int64_t trials;    /* in the session at the end */
  int64_t measured;  /* evaluated by this run */
  int64_t reused;    /* taken from the store by this run */
  int64_t failures;  /* trials of this run whose outcome is not ok */
  int64_t lost;      /* trials of this run lost with their worker */
  int interrupted;   /* stopped by opts->stop */
  int exhausted;     /* the strategy had no configuration left */
  int timed_out;     /* stopped by opts->time_limit_s */
  double best;       /* best ok value in the session, NAN when none */
  double elapsed;    /* the evaluator's clock from the start to the end */
  double ask_s;      /* wall seconds spent in tt_strategy_ask */
  int64_t asks;      /* calls to tt_strategy_ask */
  int max_in_flight; /* the most trials in flight at once */
} tt_tune_result;

/* Runs a session of strategy st over space with evaluator ev until the
 * session holds opts->trials trials, the strategy has nothing left, the
 * time limit passes or opts->stop is set. Keeps min(ev->slots, trials
 * left) trials in flight: whenever a slot is free the strategy is asked
 * for one more, the configurations in flight being pending to it. With a
 * store, each trial is stored the moment it finishes; a configuration the
 * task already has (same settings) is reused unless remeasuring, and one
 * another live process is measuring is waited for (claims). Returns the
 * first environment error (the session is then marked failed). */
TT_API tt_status tt_tune_run(const tt_space *space, tt_strategy *st, tt_evaluator *ev,
                             const tt_tune_opts *opts, tt_tune_result *res, tt_error *err);

/* Tells st every stored trial of the task in store order (resume), except
 * lost ones; trials whose configuration does not parse in space (the kernel
 * file changed) are skipped and counted in *skipped (may be NULL). */
TT_API tt_status tt_tune_tell_stored(const tt_space *space, tt_store *s, int64_t task_id,
                                     tt_strategy *st, size_t *skipped, tt_error *err);
/* The same, telling only the trials for which keep(ctx, trial) is nonzero
 * (the others count in *skipped too); keep NULL tells every one. */
typedef int (*tt_trial_keep_fn)(void *ctx, const tt_trial *t);
TT_API tt_status tt_tune_tell_stored_if(const tt_space *space, tt_store *s, int64_t task_id,
                                        tt_strategy *st, tt_trial_keep_fn keep, void *keep_ctx,
                                        size_t *skipped, tt_error *err);

/* The id of the trial whose measurement t holds: t->id, or the id named by
 * a reused trial's message ("reused from trial ID: ..."). */
TT_API int64_t tt_trial_origin(const tt_trial *t);

#define TT_REUSED_PREFIX "reused from trial "

/* ---- replay: strategies against an objective (objective.h) ----------- */

/* Runs strategy `name` (options may be NULL) seeds times (seed 1..seeds),
 * through tt_tune_run with a one-worker recorded evaluator (ask one,
 * evaluate, tell), for budget
 * evaluations (fewer when the space runs out). Writes the best-so-far
 * curves (seeds x budget; failures count as the worst ok value) into
 * curves. Returns TT_ERR_USAGE for an unknown strategy or option. */
TT_API tt_status tt_replay_run(const tt_objective *o, const char *name, const char *options,
                               size_t budget, size_t seeds, double *curves, tt_error *err);
/* The same with seeds first..first+seeds-1 (a strategy's options can then
 * be checked on seeds other than those they were chosen on). */
TT_API tt_status tt_replay_run_from(const tt_objective *o, const char *name, const char *options,
                                    size_t budget, uint64_t first, size_t seeds, double *curves,
                                    tt_error *err);
/* tt_replay_run_from with transfer (tr NULL: none; objective.h). */
TT_API tt_status tt_replay_run_transfer(const tt_objective *o, const char *name,
                                        const char *options, size_t budget, uint64_t first,
                                        size_t seeds, const tt_replay_transfer *tr, double *curves,
                                        tt_error *err);

/* How a replay runs, beyond the strategy and its budget (zero-initialise). */
typedef struct tt_replay_options {
  uint64_t first;                     /* the first seed */
  size_t seeds;                       /* runs: seeds first..first+seeds-1 */
  const tt_replay_transfer *transfer; /* NULL: none (objective.h) */
  int workers;                        /* simulated workers (tt_tune_recorded_new): evaluations in
                                         flight, each lasting its recorded cost (1 s without one);
                                         <= 1: one at a time */
  double *clocks;                     /* NULL, or seeds x budget: the simulated clock when each
                                         evaluation of the curve ended (NAN past a run's end) */
} tt_replay_options;

/* tt_replay_run_transfer with ro's settings: with workers > 1, the
 * strategy is asked whenever a simulated worker is free, the evaluations
 * in flight pending to it, and the curve follows the order evaluations
 * finish in. */
TT_API tt_status tt_replay_run_opts(const tt_objective *o, const char *name, const char *options,
                                    size_t budget, const tt_replay_options *ro, double *curves,
                                    tt_error *err);

/* The median over seeds of the simulated clock (clocks, as
 * tt_replay_options) at the first evaluation whose best-so-far (curves)
 * is at most target, over the seeds that got there (*reached of them);
 * NAN when none did. */
TT_API double tt_replay_time_to(const double *curves, const double *clocks, size_t seeds,
                                size_t budget, double target, int *reached);

/* ---- strategy specs ------------------------------------------------ */

/* Checks a strategy spec, NAME or NAME(OPTIONS) as in "bo(init=4,acq=ei)":
 * NAME must be registered (a one-line TT_ERR_USAGE listing the known ones
 * otherwise) and the parentheses balanced. The options are checked when
 * the strategy is made (tt_tune_strategy_new). */
TT_API tt_status tt_tune_check_strategy(const char *spec, tt_error *err);

/* Makes the strategy a spec names, with its options, over space. */
TT_API tt_strategy *tt_tune_strategy_new(const char *spec, const tt_space *space, uint64_t seed,
                                         tt_error *err);

/* Splits spec, "NAME" or "NAME(OPTIONS)", into name (cap bytes) and its
 * options (*options points into spec, *olen bytes; NULL and 0 when none).
 * TT_ERR_USAGE, one line, unless the options are one balanced pair of
 * parentheses at the end. */
TT_API tt_status tt_tune_split_spec(const char *spec, char *name, size_t cap, const char **options,
                                    size_t *olen, tt_error *err);

/* The end of the spec starting at list: the first comma outside
 * parentheses, or the terminating NUL. */
TT_API const char *tt_tune_spec_end(const char *list);

/* The default strategy: "bo" when registered, else the registry's first. */
TT_API const char *tt_tune_default_strategy(void);

#ifdef __cplusplus
}
#endif
#endif
