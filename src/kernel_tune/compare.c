/* Comparing strategies on one task (kernel_tune.h): one new session per
 * strategy and seed, all over the same job, store and task. */
#include <stdlib.h>

#include "kernel_tune/session_args.h"
#include "tetune/kernel_tune.h"

/* See kernel_tune.h. */
tt_status tt_kernel_compare_check(tt_job *j, const tt_kernel_compare_opts *o, tt_error *err) {
  if (o->nstrategies == 0) return tt_error_set(err, TT_ERR_USAGE, "no strategy to compare");
  if (o->seeds < 1) return tt_error_set(err, TT_ERR_USAGE, "seeds must be at least 1");
  if (o->trials < 1) return tt_error_set(err, TT_ERR_USAGE, "trials must be at least 1");
  for (size_t i = 0; i < o->nstrategies; i++) {
    tt_strategy *probe = tt_tune_strategy_new(o->strategies[i], j->space, 1, err);
    if (!probe) return err->status;
    tt_strategy_free(probe);
  }
  return TT_OK;
}

/* One run: a new session of run->strategy with run->seed, up to
 * o->trials, through the local evaluator. */
static tt_status one_run(tt_job *j, tt_store *s, int64_t task_id, const tt_kernel_compare_opts *o,
                         tt_kernel_compare_run *run, tt_tune_result *res, tt_error *err) {
  tt_strategy *st = tt_tune_strategy_new(run->strategy, j->space, run->seed, err);
  if (!st) return err->status;
  tt_strategy_set_budget(st, (size_t)o->trials);
  tt_session_args a = {"compare",  run->strategy, run->seed, o->trials,
                       o->workers, NULL,          NULL,      o->seeds};
  char *args = tt_session_args_json(j, &a);
  tt_session_spec spec = {task_id, run->strategy, run->seed, args, o->trials};
  tt_status status = tt_store_add_session(s, &spec, &run->session_id, err);
  free(args);
  if (status == TT_OK) {
    tt_kernel_session_opts so = {.trials = o->trials,
                                 .stop = o->stop,
                                 .workers = o->workers,
                                 .time_limit_s = o->time_limit_s};
    if (o->on_run) o->on_run(o->ctx, run, &so);
    status = tt_kernel_session_run(j, s, task_id, run->session_id, st, &so, res, err);
    run->status = status;
    if (o->on_run_end) o->on_run_end(o->ctx, run, res);
  }
  tt_strategy_free(st);
  return status;
}

/* See kernel_tune.h. */
tt_status tt_kernel_compare(tt_job *j, tt_store *s, const tt_kernel_compare_opts *o,
                            int64_t *task_id, int64_t *sessions, size_t *nsessions,
                            int *interrupted, tt_error *err) {
  *nsessions = 0;
  *interrupted = 0;
  tt_status st = tt_kernel_compare_check(j, o, err);
  if (st == TT_OK) st = tt_job_reference(j, err);
  if (st == TT_OK) st = tt_tune_task(j, s, 1, task_id, err);
  tt_kernel_compare_run run = {0};
  run.runs = o->nstrategies * (size_t)o->seeds;
  for (size_t i = 0; i < o->nstrategies && st == TT_OK && !*interrupted; i++)
    for (long k = 0; k < o->seeds && st == TT_OK && !*interrupted; k++) {
      run.strategy = o->strategies[i];
      run.seed = o->seed + (uint64_t)k;
      run.session_id = 0;
      tt_tune_result r = {0};
      st = one_run(j, s, *task_id, o, &run, &r, err);
      if (run.session_id) sessions[(*nsessions)++] = run.session_id;
      *interrupted = r.interrupted;
      run.index++;
    }
  return st;
}
