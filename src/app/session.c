/* A tuning session of a job with the progress display (session.h): the
 * library's tt_kernel_session_run, reporting to tt_progress. */

#include "app/session.h"

/* Progress: a trial is being started. */
static void on_submit(void *ctx, int64_t n, double best) {
  tt_progress_trial_start(ctx, n, best);
}

/* Progress: a trial is stored. */
static void on_trial(void *ctx, const tt_tune_event *ev) {
  tt_progress_trial pt = {ev->n,      ev->outcome, ev->value,  ev->best,
                          ev->reused, ev->config,  ev->message};
  tt_progress_trial_done(ctx, &pt);
}

/* See session.h. */
void tt_session_progress_hooks(tt_kernel_session_opts *o, tt_progress *p) {
  o->on_trial = on_trial;
  o->on_submit = on_submit;
  o->ctx = p;
}

/* Runs the session; see session.h. */
tt_status tt_session_run(tt_job *j, tt_store *s, int64_t task_id, int64_t session_id,
                         tt_strategy *st, const tt_tune_spec *spec, tt_tune_result *res,
                         tt_error *err) {
  int64_t n = 0;
  tt_status status = tt_store_count_session_trials(s, session_id, &n, err);
  if (status != TT_OK) return status;
  tt_progress prog;
  tt_progress_begin(&prog, spec->progress, spec->label, n, spec->trials);
  tt_kernel_session_opts o = {.trials = spec->trials,
                              .remeasure = spec->remeasure,
                              .start = spec->start,
                              .stop = spec->stop,
                              .workers = spec->workers,
                              .time_limit_s = spec->time_limit_s,
                              .evaluator = spec->evaluator};
  tt_session_progress_hooks(&o, &prog);
  status = tt_kernel_session_run(j, s, task_id, session_id, st, &o, res, err);
  tt_progress_end(&prog);
  return status;
}
