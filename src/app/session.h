/* Internal to src/app: a tuning session of a kernel job — the engine's
 * driver (tt_tune_run, tune.h) over the local evaluator of the job, with
 * the progress display. Used by `tune` and `compare`.
 *
 * Reuse: a configuration already measured on this task (same kernel, size,
 * template, target and machine fingerprint) is not measured again unless
 * remeasure is set; the trial is stored in the session with the stored
 * measurement and the message "reused from trial ID" (ID: the trial that
 * was really measured), so it counts as one of the session's trials. */
#ifndef TT_APP_SESSION_H
#define TT_APP_SESSION_H

#include <signal.h>

#include "app/job.h"
#include "app/progress.h"
#include "tetune/search.h"
#include "tetune/store.h"
#include "tetune/tune.h"

/* How to run a session. */
typedef struct tt_tune_spec {
  int64_t trials;        /* the session's total; the loop stops there */
  int remeasure;         /* 1: measure even what the store already has */
  const uint32_t *start; /* NULL, or a configuration an empty session tries
                            right after the default one */
  tt_progress_mode progress;
  const char *label;           /* progress prefix, e.g. "gemm/bo" */
  volatile sig_atomic_t *stop; /* set by a signal handler: stop after the
                                  trial in flight, which is not stored */
  int workers;                 /* configurations in flight (0: 1) */
  double time_limit_s;         /* > 0: start no trial after this many seconds */
  tt_evaluator *evaluator;     /* NULL: the local one; else this one (borrowed) */
} tt_tune_spec;

/* The task of job j in the store: kernel, size, template, target "cpu" and
 * the machine fingerprint of j->mopt (threads included). With create, it is
 * created when absent; otherwise *task_id is 0 when absent. A job without a
 * template is TT_ERR_USAGE. */
tt_status tt_tune_task(tt_job *j, tt_store *s, int create, int64_t *task_id, tt_error *err);

/* Runs session session_id (already in the store, on task task_id) with
 * strategy st until it holds spec->trials trials, the strategy runs out of
 * configurations or spec->stop is set. The reference must have been
 * measured (tt_job_reference). A session without trials starts with the
 * template's default configuration (then spec->start, when given and
 * different), told to st like any other. The
 * session's status is set at the end (completed, interrupted or, on an
 * environment error, failed). */
tt_status tt_session_run(tt_job *j, tt_store *s, int64_t task_id, int64_t session_id,
                         tt_strategy *st, const tt_tune_spec *spec, tt_tune_result *res,
                         tt_error *err);

/* The local evaluator of job j (tune.h): builds, validates and times
 * configurations of j's space with tt_job_measure; see eval_local.c for
 * how workers compile ahead and why timings never overlap. workers: the
 * configurations in flight (>= 1). */
tt_evaluator *tt_local_evaluator_new(tt_job *j, int workers);

#endif
