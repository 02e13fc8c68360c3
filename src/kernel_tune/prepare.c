/* Preparing a session of a job (kernel_tune.h): the steps of `tetune tune`
 * between opening the store and running — resume or new, the strategy,
 * transfer, the stored history, the reference, the session's row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_tune/serial_knobs.h"
#include "kernel_tune/session_args.h"
#include "tetune/kernel_tune.h"

/* The latest session of j's task, for a resume: its strategy, seed and
 * trials unless o overrides them. TT_ERR_USAGE when the task or its
 * sessions do not exist. */
static tt_status latest_session(tt_job *j, tt_store *s, const tt_kernel_prepare_opts *o,
                                tt_kernel_session *ks, tt_error *err) {
  tt_status st = tt_tune_task(j, s, 0, &ks->task_id, err);
  if (st != TT_OK) return st;
  tt_session_list l = {0};
  if (ks->task_id && (st = tt_store_list_sessions(s, j->kernel->name, &l, err)) != TT_OK) return st;
  for (size_t i = 0; i < l.len; i++)
    if (l.items[i].task_id == ks->task_id) {
      ks->session_id = l.items[i].id;
      snprintf(ks->strategy, sizeof ks->strategy, "%s",
               o->strategy ? o->strategy : l.items[i].strategy);
      ks->seed = o->seed_given ? o->seed : l.items[i].seed;
      ks->trials = o->trials ? o->trials : l.items[i].trials_requested;
    }
  tt_session_list_free(&l);
  char threads[32] = "default threads";
  if (j->mopt.threads > 0) snprintf(threads, sizeof threads, "--threads %d", j->mopt.threads);
  if (!ks->session_id)
    return tt_error_set(err, TT_ERR_USAGE,
                        "no stored task for %s at size %s (template %s, %s) in %s", j->kernel->name,
                        j->size_name, j->tmpl->name, threads,
                        o->store_name ? o->store_name : "the store");
  return TT_OK;
}

/* What a resume checks its stored trials against: the job's settings. */
typedef struct resume_check {
  tt_job *j;
  char settings[TT_JOB_SETTINGS_LEN];
  int64_t session_id;
  int64_t stale; /* a trial of the resumed session measured another source, or 0 */
} resume_check;

/* Notes a trial of the resumed session measured under another kernel file. */
static int find_stale(void *ctx, const tt_trial *t) {
  resume_check *c = ctx;
  if (!c->stale && t->session_id == c->session_id &&
      !tt_settings_same_source(t->settings, c->settings))
    c->stale = t->id;
  return 0;
}

/* Keeps the trials measured under the job's kernel file whose pinned
 * knobs (tt_job_pin_serial_knobs) are at their defaults: a session
 * started before knobs were pinned has others, outside today's space. */
static int same_source(void *ctx, const tt_trial *t) {
  resume_check *c = ctx;
  if (!tt_settings_same_source(t->settings, c->settings)) return 0;
  if (!c->j->pinned) return 1;
  uint32_t *cfg = tt_xmalloc(sizeof *cfg * (c->j->nknobs + 1));
  int keep = tt_space_config_map_json(c->j->space, t->config, c->j->defaults, cfg) <= 0 ||
             tt_job_pins_hold(c->j, cfg);
  free(cfg);
  return keep;
}

/* Tells ks's strategy the task's stored trials of the current kernel file;
 * refuses (TT_ERR_USAGE, nothing written) when the resumed session itself
 * has trials of another version of the file: their times are of code the
 * file no longer generates, and the session's best would mix the two. */
static tt_status tell_resumed(tt_job *j, tt_store *s, tt_kernel_session *ks, tt_error *err) {
  resume_check c = {.j = j, .session_id = ks->session_id};
  tt_job_settings(j, c.settings, sizeof c.settings);
  tt_status st = tt_store_each_trial(s, ks->task_id, find_stale, &c, err);
  if (st != TT_OK) return st;
  if (c.stale)
    return tt_error_set(err, TT_ERR_USAGE,
                        "cannot resume session %lld: %s changed since its trials were measured "
                        "(trial %lld); start a new session (without --resume)",
                        (long long)ks->session_id, j->kernel->file ? j->kernel->file : "the kernel",
                        (long long)c.stale);
  return tt_tune_tell_stored_if(j->space, s, ks->task_id, ks->st, same_source, &c, NULL, err);
}

/* Adds the new session with its recorded arguments. */
static tt_status add_session(tt_job *j, tt_store *s, const tt_kernel_prepare_opts *o,
                             tt_kernel_session *ks, tt_error *err) {
  tt_status st = tt_tune_task(j, s, 1, &ks->task_id, err);
  if (st != TT_OK) return st;
  tt_session_args a = {o->command ? o->command : "library",
                       ks->strategy,
                       ks->seed,
                       ks->trials,
                       o->workers,
                       o,
                       &ks->transfer,
                       0};
  char *args = tt_session_args_json(j, &a);
  tt_session_spec spec = {ks->task_id, ks->strategy, ks->seed, args, ks->trials};
  st = tt_store_add_session(s, &spec, &ks->session_id, err);
  free(args);
  return st;
}

/* The steps in order; see tt_kernel_session_prepare. */
static tt_status prepare(tt_job *j, tt_store *s, const tt_kernel_prepare_opts *o,
                         tt_kernel_session *ks, tt_error *err) {
  tt_status st;
  if (o->resume) {
    if ((st = latest_session(j, s, o, ks, err)) != TT_OK) return st;
  } else {
    snprintf(ks->strategy, sizeof ks->strategy, "%s",
             o->strategy ? o->strategy : tt_tune_default_strategy());
    ks->seed = o->seed;
    ks->trials = o->trials ? o->trials : 50;
  }
  if ((st = tt_job_pin_serial_knobs(j, ks->pinned, sizeof ks->pinned, err)) != TT_OK) return st;
  if (!(ks->st = tt_tune_strategy_new(ks->strategy, j->space, ks->seed, err))) return err->status;
  tt_strategy_set_budget(ks->st, (size_t)ks->trials);
  if (!o->no_transfer && (st = tt_kernel_transfer(j, s, ks->st, &ks->transfer, err)) != TT_OK)
    return st;
  if (o->resume && (st = tell_resumed(j, s, ks, err)) != TT_OK) return st;
  if (!o->remote && (st = tt_job_reference(j, err)) != TT_OK) return st;
  if (o->resume) return tt_store_resume_session(s, ks->session_id, ks->trials, err);
  return add_session(j, s, o, ks, err);
}

/* See kernel_tune.h. */
tt_status tt_kernel_session_prepare(tt_job *j, tt_store *s, const tt_kernel_prepare_opts *o,
                                    tt_kernel_session *ks, tt_error *err) {
  memset(ks, 0, sizeof *ks);
  tt_status st = prepare(j, s, o, ks, err);
  if (st != TT_OK) tt_kernel_session_release(ks);
  return st;
}

/* See kernel_tune.h. */
void tt_kernel_session_release(tt_kernel_session *ks) {
  tt_strategy_free(ks->st);
  ks->st = NULL;
  ks->transfer.st = NULL;
}
