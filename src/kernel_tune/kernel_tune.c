/* tt_kernel_tune (kernel_tune.h): a new session of a kernel in one call,
 * for a library user — the steps of `tetune tune` without its options for
 * resuming, transfer, MPI and exporting. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tetune/kernel_tune.h"

/* Checks what needs no file and no compiler; a one-line TT_ERR_USAGE. */
static tt_status check_opts(const tt_kernel_tune_opts *o, tt_error *err) {
  if (!o->kernel || !*o->kernel) return tt_error_set(err, TT_ERR_USAGE, "no kernel to tune");
  if (!o->db || !*o->db) return tt_error_set(err, TT_ERR_USAGE, "no database path");
  if (o->trials < 1) return tt_error_set(err, TT_ERR_USAGE, "trials must be at least 1");
  if (o->workers < 0 || o->workers > 256)
    return tt_error_set(err, TT_ERR_USAGE, "workers must be from 1 to 256 (0: 1)");
  if (o->threads < 0) return tt_error_set(err, TT_ERR_USAGE, "threads must not be negative");
  return TT_OK;
}

/* The target named (NULL: c), usable here. */
static tt_status pick_target(const char *name, const tt_target **out, tt_error *err) {
  char why[300];
  *out = tt_target_find(name ? name : "c");
  if (!*out) return tt_error_set(err, TT_ERR_USAGE, "unknown target '%s'", name);
  if (!tt_target_usable(*out, why, sizeof why))
    return tt_error_set(err, TT_ERR_USAGE, "target %s cannot run here: %s", (*out)->name, why);
  return TT_OK;
}

/* The session's recorded arguments. Caller frees. */
static char *args_json(const tt_kernel_tune_opts *o, tt_job *j, const char *strategy,
                       uint64_t seed) {
  cJSON *a = cJSON_CreateObject();
  cJSON_AddStringToObject(a, "command", "library");
  cJSON_AddStringToObject(a, "kernel", j->kernel->name);
  cJSON_AddStringToObject(a, "size", j->size_name);
  cJSON_AddStringToObject(a, "template", j->tmpl->name);
  cJSON_AddStringToObject(a, "target", j->target->name);
  cJSON_AddStringToObject(a, "strategy", strategy);
  if (o->strategy_options) cJSON_AddStringToObject(a, "options", o->strategy_options);
  cJSON_AddNumberToObject(a, "seed", (double)seed);
  cJSON_AddNumberToObject(a, "trials", (double)o->trials);
  cJSON_AddNumberToObject(a, "threads", j->mopt.threads);
  cJSON_AddNumberToObject(a, "workers", o->workers > 0 ? o->workers : 1);
  /* The baselines the report compares with, as `tetune tune` records them. */
  char *def = tt_space_config_to_json(j->space, j->defaults);
  cJSON *d = def ? cJSON_Parse(def) : NULL;
  if (d) cJSON_AddItemToObject(a, "default_config", d);
  free(def);
  double t = tt_job_reference_time(j);
  if (isfinite(t)) cJSON_AddNumberToObject(a, "reference_time_s", t);
  char *s = cJSON_PrintUnformatted(a);
  cJSON_Delete(a);
  return s;
}

/* The store, the reference, the task and the new session, then the run. */
static tt_status run(const tt_kernel_tune_opts *o, tt_job *j, tt_strategy *st, const char *strategy,
                     uint64_t seed, tt_tune_result *res, int64_t *task_id, int64_t *session_id,
                     tt_error *err) {
  tt_store *s = tt_store_open(o->db, TT_STORE_READ_WRITE, err);
  if (!s) return err->status;
  tt_status status = tt_job_reference(j, err);
  if (status == TT_OK) status = tt_tune_task(j, s, 1, task_id, err);
  if (status == TT_OK) {
    char *args = args_json(o, j, strategy, seed);
    tt_session_spec spec = {*task_id, strategy, seed, args, o->trials};
    status = tt_store_add_session(s, &spec, session_id, err);
    free(args);
  }
  if (status == TT_OK) {
    tt_kernel_session_opts so = {.trials = o->trials,
                                 .stop = o->stop,
                                 .workers = o->workers,
                                 .time_limit_s = o->time_limit_s,
                                 .on_trial = o->on_trial,
                                 .ctx = o->ctx};
    status = tt_kernel_session_run(j, s, *task_id, *session_id, st, &so, res, err);
  }
  tt_store_close(s);
  return status;
}

/* See kernel_tune.h. */
tt_status tt_kernel_tune(const tt_kernel_tune_opts *o, tt_tune_result *res, int64_t *task_id,
                         int64_t *session_id, tt_error *err) {
  int64_t tid = 0, sid = 0;
  const tt_target *t = NULL;
  const char *strategy = o->strategy ? o->strategy : "bo";
  uint64_t seed = o->seed ? o->seed : 1;
  tt_job j;
  memset(&j, 0, sizeof j);
  memset(res, 0, sizeof *res);
  tt_strategy *st = NULL;
  tt_status status = check_opts(o, err);
  if (status == TT_OK) status = pick_target(o->target, &t, err);
  if (status == TT_OK)
    status = tt_tune_open_job(&j, o->kernel, o->size, o->tmpl, t, o->threads, o->timeout_s, err);
  if (status == TT_OK) status = tt_job_set_compiler(&j, o->cc, o->cflags, err);
  if (status == TT_OK && !(st = tt_strategy_new(strategy, j.space, seed, o->strategy_options, err)))
    status = err->status;
  if (status == TT_OK) {
    tt_strategy_set_budget(st, (size_t)o->trials);
    status = run(o, &j, st, strategy, seed, res, &tid, &sid, err);
  }
  if (task_id) *task_id = tid;
  if (session_id) *session_id = sid;
  tt_strategy_free(st);
  if (j.arena) tt_job_close(&j);
  return status;
}
