/* tt_kernel_tune (kernel_tune.h): a new session of a kernel in one call,
 * for a library user — the steps of `tetune tune` (the same session
 * preparation, transfer included) without its options for resuming, MPI
 * and exporting. */
#include <stdio.h>
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

/* The strategy spec, "NAME" or "NAME(OPTIONS)", checked (options
 * included) before the store is opened. */
static tt_status make_spec(const tt_kernel_tune_opts *o, char *spec, size_t len, tt_error *err) {
  const char *name = o->strategy ? o->strategy : "bo";
  int n = o->strategy_options && *o->strategy_options
              ? snprintf(spec, len, "%s(%s)", name, o->strategy_options)
              : snprintf(spec, len, "%s", name);
  if (n < 0 || (size_t)n >= len) return tt_error_set(err, TT_ERR_USAGE, "strategy too long");
  return tt_tune_check_strategy(spec, err);
}

/* The store, the prepared session, the run. */
static tt_status run(const tt_kernel_tune_opts *o, tt_job *j, const char *spec, tt_tune_result *res,
                     int64_t *task_id, int64_t *session_id, tt_error *err) {
  tt_store *s = tt_store_open(o->db, TT_STORE_READ_WRITE, err);
  if (!s) return err->status;
  tt_kernel_prepare_opts po = {.command = "library",
                               .strategy = spec,
                               .seed = o->seed ? o->seed : 1,
                               .trials = o->trials,
                               .no_transfer = o->no_transfer,
                               .workers = o->workers,
                               .store_name = o->db};
  tt_kernel_session ks;
  tt_status status = tt_kernel_session_prepare(j, s, &po, &ks, err);
  if (status == TT_OK) {
    *task_id = ks.task_id;
    *session_id = ks.session_id;
    tt_kernel_session_opts so = {.trials = ks.trials,
                                 .stop = o->stop,
                                 .workers = o->workers,
                                 .time_limit_s = o->time_limit_s,
                                 .on_trial = o->on_trial,
                                 .ctx = o->ctx};
    status = tt_kernel_session_run(j, s, ks.task_id, ks.session_id, ks.st, &so, res, err);
    tt_kernel_session_release(&ks);
  }
  tt_store_close(s);
  return status;
}

/* See kernel_tune.h. */
tt_status tt_kernel_tune(const tt_kernel_tune_opts *o, tt_tune_result *res, int64_t *task_id,
                         int64_t *session_id, tt_error *err) {
  int64_t tid = 0, sid = 0;
  const tt_target *t = NULL;
  char spec[256];
  tt_job j;
  memset(&j, 0, sizeof j);
  memset(res, 0, sizeof *res);
  tt_status status = check_opts(o, err);
  if (status == TT_OK) status = make_spec(o, spec, sizeof spec, err);
  if (status == TT_OK) status = pick_target(o->target, &t, err);
  if (status == TT_OK)
    status = tt_tune_open_job(&j, o->kernel, o->size, o->tmpl, t, o->threads, o->timeout_s, err);
  if (status == TT_OK) status = tt_job_set_compiler(&j, o->cc, o->cflags, err);
  if (status == TT_OK) status = run(o, &j, spec, res, &tid, &sid, err);
  if (task_id) *task_id = tid;
  if (session_id) *session_id = sid;
  if (j.arena) tt_job_close(&j);
  return status;
}
