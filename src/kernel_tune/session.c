/* A session of a job through the engine (kernel_tune.h): the measurement
 * settings that key reuse, the local evaluator unless another is given,
 * and tt_tune_run. */
#include <stddef.h>

#include "tetune/kernel_tune.h"

/* Runs the session; see kernel_tune.h. */
tt_status tt_kernel_session_run(tt_job *j, tt_store *s, int64_t task_id, int64_t session_id,
                                tt_strategy *st, const tt_kernel_session_opts *o,
                                tt_tune_result *res, tt_error *err) {
  char settings[TT_JOB_SETTINGS_LEN]; /* what reuse and claims are keyed on */
  tt_job_settings(j, settings, sizeof settings);
  j->mopt.cancel = o->stop; /* a SIGINT kills the variant in flight */
  tt_evaluator *ev =
      o->evaluator ? o->evaluator : tt_local_evaluator_new(j, o->workers > 0 ? o->workers : 1);
  tt_tune_opts to = {.trials = o->trials,
                     .time_limit_s = o->time_limit_s,
                     .remeasure = o->remeasure,
                     .first = j->defaults,
                     .second = o->start,
                     .stop = o->stop,
                     .store = s,
                     .task_id = task_id,
                     .session_id = session_id,
                     .settings = settings,
                     .flops = tt_job_flops(j),
                     .on_trial = o->on_trial,
                     .on_submit = o->on_submit,
                     .ctx = o->ctx};
  tt_status status = tt_tune_run(j->space, st, ev, &to, res, err);
  if (ev != o->evaluator) tt_evaluator_free(ev);
  return status;
}
