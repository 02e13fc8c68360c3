/* The end of `tetune tune`: the best variant, its speed-ups, its export
 * (tune.h). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/args.h"
#include "app/export.h"
#include "app/tune.h"

/* What the summary reports. */
typedef struct summary {
  double best_s, best_gflops, default_s;
  char *best_config; /* JSON, NULL when no ok trial */
  char *c_path, *h_path;
} summary;

/* The session's best and the default configuration's time. */
static tt_status gather(tt_tune_ctx *t, summary *m, tt_error *err) {
  tt_session_list l = {0};
  m->best_s = m->best_gflops = m->default_s = NAN;
  tt_status st = tt_store_list_sessions(t->store, t->job.kernel->name, &l, err);
  for (size_t i = 0; st == TT_OK && i < l.len; i++)
    if (l.items[i].id == t->sess.session_id && l.items[i].best_config) {
      m->best_s = l.items[i].best_time_s;
      m->best_gflops = l.items[i].best_gflops;
      m->best_config = tt_xstrdup(l.items[i].best_config);
    }
  tt_session_list_free(&l);
  if (st != TT_OK) return st;
  char *json = tt_space_config_to_json(t->job.space, t->job.defaults);
  char *key = tt_store_canonical_json(json, err);
  tt_trial *d = NULL;
  st = key ? tt_store_find_trial(t->store, t->sess.task_id, key, &d, err) : TT_ERR_INTERNAL;
  if (d && d->outcome == TT_OUTCOME_OK) m->default_s = d->time_median_s;
  tt_trial_free(d);
  free(key);
  free(json);
  return st;
}

/* Writes the best variant to args.out. */
static tt_status export_best(tt_tune_ctx *t, summary *m, tt_error *err) {
  if (!m->best_config) return TT_OK;
  uint32_t *cfg = tt_xcalloc(tt_job_nknobs(&t->job) + 1, sizeof(uint32_t));
  tt_status st = tt_job_parse_config(&t->job, m->best_config, cfg, err);
  if (st == TT_OK) st = tt_export_write(&t->job, cfg, t->args.out, &m->c_path, &m->h_path, err);
  free(cfg);
  return st;
}

/* A number, or null when it is not finite. */
static void add_num(cJSON *o, const char *name, double v) {
  if (isfinite(v))
    cJSON_AddNumberToObject(o, name, v);
  else
    cJSON_AddNullToObject(o, name);
}

/* The --json document. */
static void print_json(const tt_tune_ctx *t, const summary *m) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "kernel", t->job.kernel->name);
  cJSON_AddStringToObject(o, "size", t->job.size_name);
  cJSON_AddStringToObject(o, "template", t->job.tmpl->name);
  cJSON_AddStringToObject(o, "strategy", t->sess.strategy);
  cJSON_AddNumberToObject(o, "seed", (double)t->sess.seed);
  cJSON_AddNumberToObject(o, "session", (double)t->sess.session_id);
  cJSON_AddNumberToObject(o, "trials", (double)t->res.trials);
  cJSON_AddNumberToObject(o, "measured", (double)t->res.measured);
  cJSON_AddNumberToObject(o, "reused", (double)t->res.reused);
  cJSON_AddNumberToObject(o, "failures", (double)t->res.failures);
  cJSON_AddStringToObject(o, "status", t->res.interrupted ? "interrupted" : "completed");
  if (m->best_config) {
    cJSON *b = cJSON_AddObjectToObject(o, "best");
    cJSON_AddItemToObject(b, "config", cJSON_Parse(m->best_config));
    add_num(b, "time_s", m->best_s);
    add_num(b, "gflops", m->best_gflops);
  } else {
    cJSON_AddNullToObject(o, "best");
  }
  add_num(o, "default_time_s", m->default_s);
  add_num(o, "reference_time_s", t->job.ref_time_s);
  add_num(o, "speedup_over_default", m->default_s / m->best_s);
  add_num(o, "speedup_over_reference", t->job.ref_time_s / m->best_s);
  tt_transfer_json(&t->sess.transfer, o);
  if (*t->sess.pinned) cJSON_AddStringToObject(o, "fixed_at_one_thread", t->sess.pinned);
  if (m->c_path) cJSON_AddStringToObject(o, "export_c", m->c_path);
  if (m->h_path) cJSON_AddStringToObject(o, "export_h", m->h_path);
  char *s = cJSON_Print(o);
  puts(s);
  free(s);
  cJSON_Delete(o);
}

/* The human-readable end. */
static void print_text(const tt_tune_ctx *t, const summary *m) {
  char b[32], d[32], r[32];
  tt_fmt_seconds(m->best_s, b, sizeof b);
  tt_fmt_seconds(m->default_s, d, sizeof d);
  tt_fmt_seconds(t->job.ref_time_s, r, sizeof r);
  printf("%s %s (size %s, template %s) with %s, seed %llu: %lld trials (this run: %lld "
         "measured, %lld from the database, %lld failed)%s\n",
         t->res.interrupted ? "interrupted tuning" : "tuned", t->job.kernel->name, t->job.size_name,
         t->job.tmpl->name, t->sess.strategy, (unsigned long long)t->sess.seed,
         (long long)t->res.trials, (long long)t->res.measured, (long long)t->res.reused,
         (long long)t->res.failures,
         t->res.exhausted   ? "; the space is exhausted"
         : t->res.timed_out ? "; stopped at the time limit"
                            : "");
  char line[320];
  tt_transfer_describe(&t->sess.transfer, line, sizeof line);
  if (*line) printf("%s\n", line);
  if (*t->sess.pinned)
    printf(
        "fixed at their defaults at 1 thread (they only change how threads share the work): %s\n",
        t->sess.pinned);
  if (!m->best_config) {
    printf("no configuration validated\n");
    return;
  }
  printf("best: %s per call", b);
  if (isfinite(m->best_gflops)) printf(", %.2f GFLOP/s", m->best_gflops);
  printf("\n  config %s\n", m->best_config);
  if (isfinite(m->default_s))
    printf("speed-up: %.2fx over the default configuration (%s)", m->default_s / m->best_s, d);
  else
    printf("speed-up: the default configuration failed");
  if (t->job.ref_time_s > 0)
    printf(", %.2fx over the naive reference (%s)", t->job.ref_time_s / m->best_s, r);
  printf("\n");
  /* both times warm, with repeats (issue 28): a speed-up below 1 is real */
  if (t->job.ref_time_s > 0 && m->best_s > t->job.ref_time_s)
    printf("note: the best variant is %.2fx slower than the naive reference\n",
           m->best_s / t->job.ref_time_s);
  if (m->c_path) printf("exported: %s, %s\n", m->c_path, m->h_path);
}

/* See tune.h. */
int tt_tune_summary(tt_tune_ctx *t, tt_error *err) {
  summary m;
  memset(&m, 0, sizeof m);
  int rc = 0;
  if (gather(t, &m, err) != TT_OK || export_best(t, &m, err) != TT_OK) {
    rc = tt_app_fail(0, err->msg);
    goto done;
  }
  if (t->args.json)
    print_json(t, &m);
  else
    print_text(t, &m);
  rc = t->res.interrupted ? 130 : m.best_config ? 0 : 1;
done:
  free(m.best_config);
  free(m.c_path);
  free(m.h_path);
  return rc;
}
