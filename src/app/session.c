/* A tuning session of a job through the engine (session.h): the local
 * evaluator, the progress display and tt_tune_run. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* Runs the session; see session.h. */
tt_status tt_session_run(tt_job *j, tt_store *s, int64_t task_id, int64_t session_id,
                         tt_strategy *st, const tt_tune_spec *spec, tt_tune_result *res,
                         tt_error *err) {
  char settings[256]; /* what reuse and claims are keyed on */
  tt_measure_settings(&j->mopt, settings, sizeof settings);
  j->mopt.cancel = spec->stop; /* a SIGINT kills the variant in flight */
  int64_t n = 0;
  tt_status status = tt_store_count_session_trials(s, session_id, &n, err);
  if (status != TT_OK) return status;
  tt_evaluator *ev = spec->evaluator
                         ? spec->evaluator
                         : tt_local_evaluator_new(j, spec->workers > 0 ? spec->workers : 1);
  tt_progress prog;
  tt_progress_begin(&prog, spec->progress, spec->label, n, spec->trials);
  tt_tune_opts o = {.trials = spec->trials,
                    .time_limit_s = spec->time_limit_s,
                    .remeasure = spec->remeasure,
                    .first = j->defaults,
                    .second = spec->start,
                    .stop = spec->stop,
                    .store = s,
                    .task_id = task_id,
                    .session_id = session_id,
                    .settings = settings,
                    .flops = tt_job_flops(j),
                    .on_trial = on_trial,
                    .on_submit = on_submit,
                    .ctx = &prog};
  status = tt_tune_run(j->space, st, ev, &o, res, err);
  tt_progress_end(&prog);
  if (ev != spec->evaluator) tt_evaluator_free(ev);
  return status;
}
