/* The comparison's table, JSON and report (compare.h). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/args.h"
#include "app/compare.h"
#include "app/progress.h"
#include "app/report.h"

static const char reuse_note[] =
    "A configuration already measured on this task is taken from the database instead of "
    "measured again; a run still counts it as one of its trials and is charged the original "
    "measurement's time on the wall-time axis.";

/* A number, or null when it is not finite. */
static cJSON *num(double v) {
  return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

/* The --json document. */
static void print_json(const tt_compare *c, const tt_strategy_stats *st, size_t n, double best,
                       const char *report) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "kernel", c->job.kernel->name);
  cJSON_AddStringToObject(o, "size", c->job.size_name);
  cJSON_AddStringToObject(o, "template", c->job.tmpl->name);
  cJSON_AddNumberToObject(o, "trials", (double)c->trials);
  cJSON_AddNumberToObject(o, "seeds", (double)c->seeds);
  cJSON_AddItemToObject(o, "best_time_s", num(best));
  cJSON_AddNumberToObject(o, "within", 0.05);
  cJSON_AddBoolToObject(o, "interrupted", c->interrupted);
  cJSON *a = cJSON_AddArrayToObject(o, "strategies");
  for (size_t i = 0; i < n; i++) {
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "strategy", st[i].strategy);
    cJSON_AddNumberToObject(e, "runs", (double)st[i].runs);
    cJSON_AddItemToObject(e, "best_mean_s", num(st[i].best_mean_s));
    cJSON_AddItemToObject(e, "best_sd_s", num(st[i].best_sd_s));
    cJSON_AddNumberToObject(e, "reached", (double)st[i].reached);
    cJSON_AddItemToObject(e, "trials_to_reach_median", num(st[i].trials_median));
    cJSON_AddItemToObject(e, "wall_to_reach_median_s", num(st[i].wall_median_s));
    cJSON_AddNumberToObject(e, "trials", (double)st[i].trials);
    cJSON_AddNumberToObject(e, "failures", (double)st[i].failures);
    cJSON_AddItemToArray(a, e);
  }
  cJSON_AddStringToObject(o, "note", reuse_note);
  if (report) cJSON_AddStringToObject(o, "report", report);
  char *s = cJSON_Print(o);
  puts(s);
  free(s);
  cJSON_Delete(o);
}

/* The table. */
static void print_table(const tt_compare *c, const tt_strategy_stats *st, size_t n, double best,
                        const char *report) {
  char b[32], m[32], sd[32], w[32];
  tt_fmt_seconds(best, b, sizeof b);
  printf("compare %s (size %s, template %s): %zu strategies x %ld seeds, %ld trials each%s\n",
         c->job.kernel->name, c->job.size_name, c->job.tmpl->name, c->nnames, c->seeds, c->trials,
         c->interrupted ? " (interrupted)" : "");
  printf("best time any run found: %s; a run reaches when its best is within 5%% of it\n\n", b);
  printf("%-10s %5s %12s %10s %8s %15s %14s %9s\n", "strategy", "runs", "best mean", "sd",
         "reached", "trials to reach", "time to reach", "failures");
  for (size_t i = 0; i < n; i++) {
    tt_fmt_seconds(st[i].best_mean_s, m, sizeof m);
    tt_fmt_seconds(st[i].best_sd_s, sd, sizeof sd);
    tt_fmt_seconds(st[i].reached ? st[i].wall_median_s : NAN, w, sizeof w);
    char reached[32], trials[32];
    snprintf(reached, sizeof reached, "%zu/%zu", st[i].reached, st[i].runs);
    if (st[i].reached)
      snprintf(trials, sizeof trials, "%.1f", st[i].trials_median);
    else
      snprintf(trials, sizeof trials, "-");
    printf("%-10s %5zu %12s %10s %8s %15s %14s %9lld\n", st[i].strategy, st[i].runs, m, sd, reached,
           trials, w, (long long)st[i].failures);
  }
  printf("\n(trials and time to reach: medians over the runs that reached; failures: summed)\n");
  printf("note: %s\n", reuse_note);
  if (report) printf("report: %s\n", report);
}

/* The default report path: tetune-out/compare-KERNEL-SIZE.html. */
static char *report_path(const tt_compare *c) {
  tt_str p = {0};
  if (c->out)
    tt_str_append(&p, c->out);
  else
    tt_str_printf(&p, "tetune-out/compare-%s-%s.html", c->job.kernel->name, c->job.size_name);
  return tt_str_take(&p);
}

/* Writes the report of the runs. */
static tt_status write_report(const tt_compare *c, const char *path, tt_error *err) {
  if (!c->out) {
    tt_status st = tt_mkdirs("tetune-out", err);
    if (st != TT_OK) return st;
  }
  char title[256];
  snprintf(title, sizeof title, "tetune compare: %s at size %s", c->job.kernel->name,
           c->job.size_name);
  tt_report_opts o = {.sessions = c->sessions,
                      .nsessions = c->nsessions,
                      .title = title,
                      .note = reuse_note,
                      .db_path = c->db};
  return tt_report_write(c->store, &o, path, err);
}

/* See compare.h. */
int tt_compare_print(tt_compare *c, tt_error *err) {
  tt_session_list l = {0};
  tt_task_runs r = {0};
  char *path = report_path(c);
  int rc = 0;
  tt_strategy_stats st[TT_COMPARE_MAX];
  if (tt_store_list_sessions(c->store, c->job.kernel->name, &l, err) != TT_OK ||
      tt_runs_load(c->store, &l, c->task_id, c->sessions, c->nsessions, &r, err) != TT_OK) {
    rc = tt_app_fail(0, err->msg);
    goto done;
  }
  size_t n = tt_runs_stats(&r, 0.05, st, TT_COMPARE_MAX);
  tt_error rerr = {0};
  int wrote = c->nsessions > 0 && write_report(c, path, &rerr) == TT_OK;
  if (c->json)
    print_json(c, st, n, tt_runs_best(&r), wrote ? path : NULL);
  else
    print_table(c, st, n, tt_runs_best(&r), wrote ? path : NULL);
  if (!wrote && c->nsessions) fprintf(stderr, "tetune: no report: %s\n", rerr.msg);
  rc = c->interrupted ? 130 : 0;
done:
  tt_runs_free(&r);
  tt_session_list_free(&l);
  free(path);
  return rc;
}
