/* tetune kernel_tune: tuning a kernel of the .te language through the
 * engine (tune.h), without the command line.
 *
 * A *job* is one kernel at one problem size with one schedule template,
 * for one target: its search space (one knob per template knob, same
 * order), the generated source of a configuration, and building,
 * validating against the naive reference and timing it (tt_job_measure).
 * The *local evaluator* (tt_local_evaluator_new) turns a job into a
 * tt_evaluator: N configurations in flight, compiled ahead in parallel,
 * timed one at a time so that two timings never share a core. A session
 * of a job (tt_kernel_session_run) is tt_tune_run over it, stored under
 * the job's task (tt_tune_task). tt_kernel_tune does all of it in one
 * call, for a library user; `tetune tune`, `compare` and `run` are thin
 * over the pieces (docs/engine.md). */
#ifndef TETUNE_KERNEL_TUNE_H
#define TETUNE_KERNEL_TUNE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "tetune/codegen.h"
#include "tetune/export.h"
#include "tetune/lang.h"
#include "tetune/lower.h"
#include "tetune/measure.h"
#include "tetune/schedule.h"
#include "tetune/search.h"
#include "tetune/space.h"
#include "tetune/store.h"
#include "tetune/target.h"
#include "tetune/tune.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- a job: one kernel, size, template and target ------------------- */

typedef struct tt_job {
  tt_arena *arena;
  tt_kernel_def *kernel;
  const tt_template *tmpl; /* NULL when the kernel has no template */
  const tt_target *target; /* what variants are generated for (the reference is always C) */
  const char *size_name;
  int64_t *size;
  tt_knob_values *knobs;
  size_t nknobs;
  tt_space *space;    /* one knob per template knob, same order */
  uint32_t *defaults; /* the template's default configuration */
  tt_measure_options mopt;
  char *ref_path; /* reference output file, after tt_job_reference */
  double ref_time_s;
  char *fingerprint;     /* NULL: this machine's (tt_machine_fingerprint); else the
                            machine of the workers that measure (tetune-mpi) */
  unsigned char *pinned; /* NULL, or per knob: 1 when fixed at its default for
                            this job: src/kernel_tune/serial_knobs.h) */
} tt_job;

/* Opens kernel `kernel` (name or path) at size `size` (NULL: "medium" when
 * the kernel has it, else its first size) with template `tmpl` (NULL: the
 * first). Errors are TT_ERR_USAGE one-liners. */
TT_API tt_status tt_job_open(tt_job *j, const char *kernel, const char *size, const char *tmpl,
                             tt_error *err);
/* tt_job_open for target t (NULL: C): the default template is the first
 * one t can lower; a named template t cannot lower is a one-line
 * TT_ERR_USAGE naming the step. */
TT_API tt_status tt_job_open_target(tt_job *j, const char *kernel, const char *size,
                                    const char *tmpl, const tt_target *t, tt_error *err);
/* tt_job_open_target for tuning: the kernel must have a template; applies
 * the timing threads (0: the environment decides; at most the machine's
 * CPUs) and the run timeout (seconds; <= 0 keeps the default). */
TT_API tt_status tt_tune_open_job(tt_job *j, const char *kernel, const char *size, const char *tmpl,
                                  const tt_target *t, long threads, double timeout_s,
                                  tt_error *err);
TT_API void tt_job_close(tt_job *j);

/* Checks a number of timing threads: at most the machine's online CPUs
 * (a one-line TT_ERR_USAGE otherwise). */
TT_API tt_status tt_check_threads(long threads, tt_error *err);

/* Sets the compiler (cc, or NULL to keep $CC/cc) and the flags (a blank-
 * separated list replacing the defaults -O3 -march=native -fopenmp -fPIC
 * -shared -Wall; NULL keeps them). The flags must still produce a shared
 * object with OpenMP. */
TT_API tt_status tt_job_set_compiler(tt_job *j, const char *cc, const char *cflags, tt_error *err);

TT_API size_t tt_job_nknobs(const tt_job *j);
/* Parses a JSON configuration ("default" or NULL = the defaults; knobs left
 * out take their defaults). */
TT_API tt_status tt_job_parse_config(tt_job *j, const char *json, uint32_t *cfg, tt_error *err);
/* The knob values of cfg for the lowering. */
TT_API void tt_job_sched_config(tt_job *j, const uint32_t *cfg, tt_sched_config *out);
/* Generated source for cfg (NULL: the naive reference). opts->abi etc. as
 * given; config comment filled in. Caller frees *src. */
TT_API tt_status tt_job_source(tt_job *j, const uint32_t *cfg, int abi, int standalone, char **src,
                               tt_error *err);
/* The standalone export of cfg: the translation unit (exported functions
 * tt_<kernel>_init and tt_<kernel>, no loader ABI) and its header, from one
 * lowering. Caller frees both. */
TT_API tt_status tt_job_export_sources(tt_job *j, const uint32_t *cfg, char **c_src, char **h_src,
                                       tt_error *err);
/* Compiles and runs the reference once (cached). */
TT_API tt_status tt_job_reference(tt_job *j, tt_error *err);
/* The naive reference's time, timed warm like every variant (warm-up and
 * repeats), not the one cold call that produced the reference output
 * (unless that call took a second or more); NAN when it cannot be timed.
 * Needs tt_job_reference; times the reference again on each call. */
TT_API double tt_job_reference_time(tt_job *j);
/* Builds, validates and times cfg. Configurations that break a constraint
 * or that the schedule rejects are outcome `invalid` with the reason. */
TT_API tt_status tt_job_measure(tt_job *j, const uint32_t *cfg, tt_measure_result *res,
                                tt_error *err);
/* Floating-point operations of one kernel call (0 when unknown). */
TT_API double tt_job_flops(const tt_job *j);
/* What a stored trial of j's task is reused under: tt_measure_settings
 * plus " source=HASH", a hash of the kernel file's text and tetune's
 * version, so an edited template or algorithm (or another code generator)
 * measures afresh instead of reusing times of code it no longer
 * generates. TT_JOB_SETTINGS_LEN is enough room. */
#define TT_JOB_SETTINGS_LEN 1024
TT_API void tt_job_settings(const tt_job *j, char *buf, size_t len);
/* Whether settings a and b (tt_job_settings strings, NULL meaning "") name
 * the same kernel source: 1 when their source hashes are equal or either
 * has none (a trial stored before sources were recorded), 0 otherwise. */
TT_API int tt_settings_same_source(const char *a, const char *b);

/* ---- its task, its evaluator, a session ------------------------------ */

/* The task of job j in the store: kernel, size, template, the target's
 * store name and the machine fingerprint of j->mopt (threads included; or
 * j->fingerprint when set). With create, it is created when absent;
 * otherwise *task_id is 0 when absent. A job without a template is
 * TT_ERR_USAGE. */
TT_API tt_status tt_tune_task(tt_job *j, tt_store *s, int create, int64_t *task_id, tt_error *err);

/* The local evaluator of job j (tune.h): builds, validates and times
 * configurations of j's space with tt_job_measure. `workers`
 * configurations are in flight (>= 1): they compile in parallel, on the
 * cores the timing leaves free when there are such cores (j->mopt.threads
 * below the machine's cores), else between timings; this process times
 * them one at a time, so timings never overlap. j is borrowed and must
 * outlive the evaluator; free it with tt_evaluator_free. */
TT_API tt_evaluator *tt_local_evaluator_new(tt_job *j, int workers);

/* How to run a session of a job (zero-initialise, then set what applies). */
typedef struct tt_kernel_session_opts {
  int64_t trials;              /* the session's total; the run stops there (> 0) */
  int remeasure;               /* 1: measure even what the store already has */
  const uint32_t *start;       /* NULL, or a configuration an empty session tries
                                  right after the template's default one */
  volatile sig_atomic_t *stop; /* set by a signal handler: stop submitting and
                                  kill the variant being timed (not stored) */
  int workers;                 /* configurations in flight (0: 1) */
  double time_limit_s;         /* > 0: start no trial after this many seconds */
  tt_evaluator *evaluator;     /* NULL: the local one; else this one (borrowed) */
  /* Progress (may be NULL), as tt_tune_opts. */
  void (*on_trial)(void *ctx, const tt_tune_event *ev);
  void (*on_submit)(void *ctx, int64_t n, double best);
  void *ctx;
} tt_kernel_session_opts;

/* Runs session session_id (already in the store, on task task_id of j)
 * with strategy st through tt_tune_run, until it holds o->trials trials,
 * the strategy runs out of configurations, the time limit passes or
 * o->stop is set. The reference must have been measured
 * (tt_job_reference). A session without trials starts with the template's
 * default configuration (then o->start, when given and different).
 * Reuse: a configuration the task already has, measured under the same
 * settings, is stored again as "reused from trial ID" instead of measured,
 * unless remeasure. The session's status is set at the end (completed,
 * interrupted or, on an environment error, failed). */
TT_API tt_status tt_kernel_session_run(tt_job *j, tt_store *s, int64_t task_id, int64_t session_id,
                                       tt_strategy *st, const tt_kernel_session_opts *o,
                                       tt_tune_result *res, tt_error *err);

/* ---- preparing a session: new or resumed, with transfer ------------- */

/* Best configurations of a related task proposed first by transfer. */
#define TT_TRANSFER_SEEDS 3

/* What transfer reused. */
typedef struct tt_transfer_info {
  int used;              /* a related task was found and used */
  char source[160];      /* "lu/medium", with " (target T)" or " (another machine or thread
                            count)" when they differ */
  int64_t source_trials; /* its ok trials */
  size_t seeds;          /* configurations queued */
  int prior;             /* the strategy took its trials as a prior */
  const tt_strategy *st; /* for the weight at the end (tt_strategy_prior_weight) */
} tt_transfer_info;

/* Transfer: a new session of j's task starts from what related tasks in s
 * know (the same kernel and template at another size, or on another
 * machine, thread count or target). Finds the most related one (same
 * machine, then same target, then the nearest size, then the most ok
 * trials), queues its TT_TRANSFER_SEEDS best configurations on st
 * (tt_strategy_seed_best) and hands it its trials as a prior
 * (tt_strategy_set_prior); fills info (info->used 0 when there is none). */
TT_API tt_status tt_kernel_transfer(tt_job *j, tt_store *s, tt_strategy *st, tt_transfer_info *info,
                                    tt_error *err);

/* How to prepare a session (zero-initialise, then set what applies). */
typedef struct tt_kernel_prepare_opts {
  const char *command;    /* recorded as the session's args.command ("tune", "library") */
  const char *strategy;   /* "NAME" or "NAME(OPTIONS)"; NULL: the resumed session's, else
                             tt_tune_default_strategy() */
  uint64_t seed;          /* the strategy's seed (a resumed session keeps its own unless
                             seed_given) */
  int seed_given;         /* on resume: seed replaces the stored one */
  int64_t trials;         /* the session's total (0: the resumed session's, else 50) */
  int resume;             /* continue the latest session of j's task (which must exist) */
  int no_transfer;        /* 1: start cold, without tt_kernel_transfer */
  int remote;             /* other processes measure (tetune-mpi): no reference run here */
  int remeasure, workers; /* recorded with the session */
  const char *store_name; /* the store's path, for messages (NULL: "the store") */
} tt_kernel_prepare_opts;

/* A prepared session: its strategy (told the stored trials when resumed,
 * with transfer applied) and its rows in the store. */
typedef struct tt_kernel_session {
  tt_strategy *st; /* owned: tt_kernel_session_release */
  char strategy[64];
  uint64_t seed;
  int64_t trials; /* the session's total */
  int64_t task_id, session_id;
  tt_transfer_info transfer;
  char pinned[256]; /* knobs fixed at their defaults ("par, ps"), or "" */
} tt_kernel_session;

/* Everything `tetune tune` does between opening the store and running:
 * finds the session to resume (a missing task or session is a one-line
 * TT_ERR_USAGE) or takes the new one's strategy, seed and trials; makes
 * the strategy with the budget; applies transfer unless o->no_transfer;
 * tells a resumed strategy every stored trial; measures the reference
 * (unless o->remote); and reopens the resumed session or adds the new one
 * with its recorded arguments (command, kernel, size, template, target,
 * strategy, seed, trials, threads, timeout_s, remeasure, workers, the
 * transfer's source, and the baselines default_config and
 * reference_time_s). On error *ks is released. */
TT_API tt_status tt_kernel_session_prepare(tt_job *j, tt_store *s, const tt_kernel_prepare_opts *o,
                                           tt_kernel_session *ks, tt_error *err);
TT_API void tt_kernel_session_release(tt_kernel_session *ks);

/* ---- comparing strategies on one task -------------------------------- */

/* One run of a comparison, as its hooks see it. */
typedef struct tt_kernel_compare_run {
  const char *strategy; /* its spec */
  uint64_t seed;
  size_t index, runs; /* 0-based run number, and how many there are */
  int64_t session_id;
  tt_status status; /* for on_run_end: how the session run ended */
} tt_kernel_compare_run;

/* How to compare (zero-initialise, then set what applies). */
typedef struct tt_kernel_compare_opts {
  const char *const *strategies; /* specs, "NAME" or "NAME(OPTIONS)" */
  size_t nstrategies;
  long seeds;                  /* runs per strategy (>= 1), seeds seed .. seed + seeds - 1 */
  uint64_t seed;               /* the first seed */
  int64_t trials;              /* each run's trials */
  int workers;                 /* configurations in flight in each run (0: 1) */
  double time_limit_s;         /* > 0: each run starts no trial after this many seconds */
  volatile sig_atomic_t *stop; /* as tt_kernel_session_opts; ends the comparison */
  /* Before each run (may be NULL): may set so->on_trial, on_submit, ctx. */
  void (*on_run)(void *ctx, const tt_kernel_compare_run *run, tt_kernel_session_opts *so);
  /* After each run on_run was called for (may be NULL); res is valid
   * when run->status is TT_OK. */
  void (*on_run_end)(void *ctx, const tt_kernel_compare_run *run, const tt_tune_result *res);
  void *ctx;
} tt_kernel_compare_opts;

/* Makes every strategy of o once over j's space: a bad spec or option is
 * a one-line TT_ERR_USAGE, to be found before the store is opened. */
TT_API tt_status tt_kernel_compare_check(tt_job *j, const tt_kernel_compare_opts *o, tt_error *err);

/* The comparison experiment behind `tetune compare`: measures j's
 * reference, finds or creates its task in s (*task_id) and runs, for each
 * strategy in order and each seed within it, a new session of o->trials
 * trials (recorded arguments: command "compare", kernel, size, template,
 * strategy, seed, trials, seeds, threads, workers) through the local
 * evaluator. sessions (room for nstrategies * seeds) receives the
 * sessions' ids in run order, *nsessions their count; *interrupted is 1
 * when o->stop ended a run. */
TT_API tt_status tt_kernel_compare(tt_job *j, tt_store *s, const tt_kernel_compare_opts *o,
                                   int64_t *task_id, int64_t *sessions, size_t *nsessions,
                                   int *interrupted, tt_error *err);

/* ---- one call: a new session of a kernel ----------------------------- */

/* What to tune and how (zero-initialise, then set what applies). */
typedef struct tt_kernel_tune_opts {
  const char *kernel;           /* a built-in kernel's name or a .te file */
  const char *size;             /* NULL: medium, or the kernel's first size */
  const char *tmpl;             /* NULL: the first template the target can lower */
  const char *target;           /* NULL: "c"; "opencl", "cuda" (must be usable here) */
  long threads;                 /* timing threads (0: the environment decides) */
  double timeout_s;             /* a variant's run timeout (<= 0: the default) */
  const char *cc;               /* NULL: $CC or cc */
  const char *cflags;           /* NULL: the default flags */
  const char *strategy;         /* a registered strategy (NULL: "bo") */
  const char *strategy_options; /* its options, "init=4,acq=ei" (NULL: none) */
  uint64_t seed;                /* the strategy's seed (0: 1) */
  int64_t trials;               /* the session's trials (> 0) */
  int workers;                  /* configurations in flight (0: 1) */
  double time_limit_s;          /* > 0: start no trial after this many seconds */
  const char *db;               /* the store's path (created when missing) */
  int no_transfer;              /* 1: no transfer from related tasks (tt_kernel_transfer) */
  volatile sig_atomic_t *stop;  /* may be NULL; as tt_kernel_session_opts */
  void (*on_trial)(void *ctx, const tt_tune_event *ev); /* may be NULL */
  void *ctx;
} tt_kernel_tune_opts;

/* Opens the job and the store at o->db and prepares a new session as
 * `tetune tune` does (tt_kernel_session_prepare with command "library":
 * the reference, the task, transfer from related tasks unless
 * o->no_transfer, the recorded arguments and baselines; the strategy is
 * recorded as "NAME(OPTIONS)" when it has options), then runs it with the
 * local evaluator. Fills *res and, when not NULL, *task_id and *session_id
 * (so that the caller can read the trials back: tt_store_each_trial,
 * tt_store_best_trial). Bad input (unknown kernel, size, template, target
 * or strategy, trials < 1, workers < 0) is a one-line TT_ERR_USAGE found
 * before the store is opened. */
TT_API tt_status tt_kernel_tune(const tt_kernel_tune_opts *o, tt_tune_result *res, int64_t *task_id,
                                int64_t *session_id, tt_error *err);

#ifdef __cplusplus
}
#endif
#endif
