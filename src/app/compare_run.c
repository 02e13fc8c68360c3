/* Running the comparison experiment (compare.h). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/compare.h"
#include "app/session.h"
#include "app/tune_args.h"
#include "tetune/kernel_tune.h"

/* The session's recorded arguments. Caller frees. */
static char *args_json(const tt_compare *c, const char *strategy, uint64_t seed) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "command", "compare");
  cJSON_AddStringToObject(o, "kernel", c->job.kernel->name);
  cJSON_AddStringToObject(o, "size", c->job.size_name);
  cJSON_AddStringToObject(o, "template", c->job.tmpl->name);
  cJSON_AddStringToObject(o, "strategy", strategy);
  cJSON_AddNumberToObject(o, "seed", (double)seed);
  cJSON_AddNumberToObject(o, "trials", (double)c->trials);
  cJSON_AddNumberToObject(o, "seeds", (double)c->seeds);
  cJSON_AddNumberToObject(o, "threads", c->job.mopt.threads);
  cJSON_AddNumberToObject(o, "workers", (double)c->workers);
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  return s;
}

/* One run: a new session of strategy with seed, up to c->trials. */
static tt_status one_run(tt_compare *c, const char *strategy, uint64_t seed, size_t index,
                         volatile sig_atomic_t *stop, tt_error *err) {
  tt_strategy *st = tt_tune_strategy_new(strategy, c->job.space, seed, err);
  if (!st) return err->status;
  tt_strategy_set_budget(st, (size_t)c->trials);
  char *args = args_json(c, strategy, seed);
  tt_session_spec spec = {c->task_id, strategy, seed, args, c->trials};
  int64_t sid = 0;
  tt_status status = tt_store_add_session(c->store, &spec, &sid, err);
  free(args);
  if (status == TT_OK) {
    c->sessions[c->nsessions++] = sid;
    char label[200];
    snprintf(label, sizeof label, "%s/%s seed %llu (run %zu of %zu)", c->job.kernel->name, strategy,
             (unsigned long long)seed, index + 1, c->nnames * (size_t)c->seeds);
    tt_progress_mode mode =
        tt_progress_auto() == TT_PROGRESS_TTY ? TT_PROGRESS_TTY : TT_PROGRESS_OFF;
    tt_tune_spec ts = {c->trials,       0,   NULL, mode, label, stop, (int)c->workers,
                       c->time_limit_s, NULL};
    tt_tune_result r;
    status = tt_session_run(&c->job, c->store, c->task_id, sid, st, &ts, &r, err);
    if (status == TT_OK)
      fprintf(stderr, "%s: %lld trials, %lld measured, %lld from the database, %lld failed\n",
              label, (long long)r.trials, (long long)r.measured, (long long)r.reused,
              (long long)r.failures);
    c->interrupted = r.interrupted;
  }
  tt_strategy_free(st);
  return status;
}

/* See compare.h. */
tt_status tt_compare_run(tt_compare *c, volatile sig_atomic_t *stop, tt_error *err) {
  tt_status st = tt_tune_open_job(&c->job, c->kernel, c->size, c->tmpl, c->target, c->threads,
                                  c->timeout_s, err);
  if (st == TT_OK) st = tt_job_set_compiler(&c->job, c->cc, c->cflags, err);
  if (st != TT_OK) return st;
  for (size_t i = 0; i < c->nnames; i++) {
    tt_strategy *probe = tt_tune_strategy_new(c->names[i], c->job.space, 1, err);
    if (!probe) return err->status;
    tt_strategy_free(probe);
  }
  if (!(c->store = tt_tune_open_store(c->db, 0, err))) return err->status;
  if ((st = tt_job_reference(&c->job, err)) != TT_OK) return st;
  if ((st = tt_tune_task(&c->job, c->store, 1, &c->task_id, err)) != TT_OK) return st;
  c->sessions = tt_xcalloc(c->nnames * (size_t)c->seeds + 1, sizeof(int64_t));
  double t0 = tt_now();
  size_t index = 0;
  for (size_t i = 0; i < c->nnames && st == TT_OK && !c->interrupted; i++)
    for (long k = 0; k < c->seeds && st == TT_OK && !c->interrupted; k++)
      st = one_run(c, c->names[i], (uint64_t)(c->seed + k), index++, stop, err);
  c->elapsed_s = tt_now() - t0;
  return st;
}

/* See compare.h. */
void tt_compare_free(tt_compare *c) {
  for (size_t i = 0; i < c->nnames; i++)
    free(c->names[i]);
  free(c->sessions);
  tt_store_close(c->store);
  tt_job_close(&c->job);
  memset(c, 0, sizeof *c);
}
