/* Internal to src/app: a tuning session — the loop that asks a strategy for
 * configurations, measures them (or reuses a stored measurement of the same
 * configuration on the same task), tells the strategy and commits each
 * trial to the store the moment it is known. Used by `tune` and `compare`.
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

#define TT_REUSED_PREFIX "reused from trial "

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
} tt_tune_spec;

/* What a session run did. */
typedef struct tt_tune_result {
  int64_t trials;   /* in the session at the end */
  int64_t measured; /* measured by this run */
  int64_t reused;   /* taken from the store by this run */
  int64_t failures; /* trials of this run whose outcome is not ok */
  int interrupted;  /* stopped by spec->stop */
  int exhausted;    /* the strategy had no configuration left */
} tt_tune_result;

/* The task of job j in the store: kernel, size, template, target "cpu" and
 * the machine fingerprint of j->mopt (threads included). With create, it is
 * created when absent; otherwise *task_id is 0 when absent. A job without a
 * template is TT_ERR_USAGE. */
tt_status tt_tune_task(tt_job *j, tt_store *s, int create, int64_t *task_id, tt_error *err);

/* Tells st every stored trial of the task, in store order (the state a
 * resumed strategy needs). Trials whose configuration no longer parses in
 * j's space (the kernel file changed) are skipped and counted in *skipped
 * (may be NULL). */
tt_status tt_tune_replay(tt_job *j, tt_store *s, int64_t task_id, tt_strategy *st, size_t *skipped,
                         tt_error *err);

/* Runs session session_id (already in the store, on task task_id) with
 * strategy st until it holds spec->trials trials, the strategy runs out of
 * configurations or spec->stop is set. The reference must have been
 * measured (tt_job_reference). A session without trials starts with the
 * template's default configuration (then spec->start, when given and
 * different), told to st like any other. The
 * session's status is set at the end (completed, interrupted or, on an
 * environment error, failed). */
tt_status tt_tune_run(tt_job *j, tt_store *s, int64_t task_id, int64_t session_id, tt_strategy *st,
                      const tt_tune_spec *spec, tt_tune_result *res, tt_error *err);

/* The id of the trial whose measurement t holds: t->id, or the id named by
 * a reused trial's message. */
int64_t tt_trial_origin(const tt_trial *t);

#endif
