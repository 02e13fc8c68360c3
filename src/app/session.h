/* Internal to src/app: a tuning session of a kernel job with the progress
 * display — the library's tt_kernel_session_run (tetune/kernel_tune.h:
 * the engine's driver over the job's local evaluator, reuse of stored
 * measurements) reporting to tt_progress. Used by `tune` and `compare`. */
#ifndef TT_APP_SESSION_H
#define TT_APP_SESSION_H

#include <signal.h>

#include "app/progress.h"
#include "tetune/kernel_tune.h"

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

/* tt_kernel_session_run (kernel_tune.h) with spec's settings, showing
 * progress as spec->progress says. */
tt_status tt_session_run(tt_job *j, tt_store *s, int64_t task_id, int64_t session_id,
                         tt_strategy *st, const tt_tune_spec *spec, tt_tune_result *res,
                         tt_error *err);

/* Points o's on_trial and on_submit at progress display p. */
void tt_session_progress_hooks(tt_kernel_session_opts *o, tt_progress *p);

#endif
