/* The data the report draws for one task (report.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/importance.h"
#include "app/report.h"

enum { WALL_POINTS = 60, BEST_ROWS = 10 };

/* A number, or null when it is not finite. */
static cJSON *num(double v) {
  return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

/* Appends {x, median, lo, hi} of vals[0..n) to the series arrays. */
static void add_band(cJSON *s, double x, double *vals, size_t n) {
  double lo = NAN, hi = NAN;
  for (size_t i = 0; i < n; i++) {
    if (isnan(lo) || vals[i] < lo) lo = vals[i];
    if (isnan(hi) || vals[i] > hi) hi = vals[i];
  }
  cJSON_AddItemToArray(cJSON_GetObjectItem(s, "x"), cJSON_CreateNumber(x));
  cJSON_AddItemToArray(cJSON_GetObjectItem(s, "median"), num(tt_median(vals, n)));
  cJSON_AddItemToArray(cJSON_GetObjectItem(s, "lo"), num(lo));
  cJSON_AddItemToArray(cJSON_GetObjectItem(s, "hi"), num(hi));
}

/* An empty series: parallel arrays x, median, lo, hi. */
static cJSON *new_series(void) {
  cJSON *s = cJSON_CreateObject();
  cJSON_AddArrayToObject(s, "x");
  cJSON_AddArrayToObject(s, "median");
  cJSON_AddArrayToObject(s, "lo");
  cJSON_AddArrayToObject(s, "hi");
  return s;
}

/* Best-so-far of run at charged time t; NAN before its first ok trial. */
static double best_at(const tt_run *run, double t) {
  double b = NAN;
  for (size_t i = 0; i < run->n && run->pts[i].wall_s <= t; i++)
    b = run->pts[i].best_s;
  return b;
}

/* Best-so-far against trials and against charged time, over the runs of
 * one strategy: the median and the min-max band at each x. */
static void strategy_series(const tt_task_runs *r, const char *name, cJSON *entry) {
  size_t len = 0;
  double tmax = 0, *vals = tt_xcalloc(r->nruns + 1, sizeof(double));
  for (size_t k = 0; k < r->nruns; k++) {
    const tt_run *run = &r->runs[k];
    if (run->n > len) len = run->n;
    if (run->n && run->pts[run->n - 1].wall_s > tmax) tmax = run->pts[run->n - 1].wall_s;
  }
  cJSON *trials = new_series(), *wall = new_series();
  for (size_t i = 0; i < len; i++) {
    size_t n = 0;
    for (size_t k = 0; k < r->nruns; k++)
      if (!strcmp(r->runs[k].info->strategy, name) && r->runs[k].n > i &&
          !isnan(r->runs[k].pts[i].best_s))
        vals[n++] = r->runs[k].pts[i].best_s;
    add_band(trials, (double)(i + 1), vals, n);
  }
  for (int g = 1; g <= WALL_POINTS && tmax > 0; g++) {
    double t = tmax * g / WALL_POINTS;
    size_t n = 0;
    for (size_t k = 0; k < r->nruns; k++)
      if (!strcmp(r->runs[k].info->strategy, name) && !isnan(best_at(&r->runs[k], t)))
        vals[n++] = best_at(&r->runs[k], t);
    add_band(wall, t, vals, n);
  }
  cJSON_AddItemToObject(entry, "by_trial", trials);
  cJSON_AddItemToObject(entry, "by_wall", wall);
  free(vals);
}

/* Every trial of the strategy's runs: ok ones as {x: seq, y: time, seed},
 * failures as {x: seq, outcome, seed}. */
static void strategy_points(const tt_task_runs *r, const char *name, cJSON *entry) {
  cJSON *ok = cJSON_AddArrayToObject(entry, "points");
  cJSON *bad = cJSON_AddArrayToObject(entry, "failures");
  for (size_t k = 0; k < r->nruns; k++) {
    const tt_run *run = &r->runs[k];
    if (strcmp(run->info->strategy, name) != 0) continue;
    for (size_t i = 0; i < run->n; i++) {
      const tt_run_point *p = &run->pts[i];
      cJSON *o = cJSON_CreateObject();
      cJSON_AddNumberToObject(o, "x", (double)p->seq);
      cJSON_AddNumberToObject(o, "seed", (double)run->info->seed);
      if (p->outcome == TT_OUTCOME_OK)
        cJSON_AddNumberToObject(o, "y", p->time_s);
      else
        cJSON_AddStringToObject(o, "outcome", tt_outcome_name(p->outcome));
      cJSON_AddItemToArray(p->outcome == TT_OUTCOME_OK ? ok : bad, o);
    }
  }
}

/* One validated configuration with where it was found. */
typedef struct found {
  const char *config, *strategy;
  double time_s, gflops;
} found;

/* Orders found configurations by time, then by text (a stable order). */
static int cmp_found(const void *a, const void *b) {
  const found *x = a, *y = b;
  int c = (x->time_s > y->time_s) - (x->time_s < y->time_s);
  return c ? c : strcmp(x->config, y->config);
}

/* The distinct validated configurations of every run, fastest first (a
 * configuration's fastest measurement). Returns how many; *out is
 * malloc'ed. */
static size_t distinct_ok(const tt_task_runs *r, found **out) {
  size_t n = 0, total = 0;
  for (size_t k = 0; k < r->nruns; k++)
    total += r->runs[k].n;
  found *f = tt_xcalloc(total + 1, sizeof *f);
  for (size_t k = 0; k < r->nruns; k++)
    for (size_t i = 0; i < r->runs[k].n; i++) {
      const tt_run_point *p = &r->runs[k].pts[i];
      if (p->outcome != TT_OUTCOME_OK) continue;
      f[n++] = (found){p->config, r->runs[k].info->strategy, p->time_s, p->gflops};
    }
  qsort(f, n, sizeof *f, cmp_found);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    int dup = 0;
    for (size_t j = 0; j < m && !dup; j++)
      dup = strcmp(f[j].config, f[i].config) == 0;
    if (!dup) f[m++] = f[i];
  }
  *out = f;
  return m;
}

/* The fastest distinct configurations as rows. */
static cJSON *best_rows(const found *f, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; i < n && i < BEST_ROWS; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "time_s", f[i].time_s);
    cJSON_AddItemToObject(o, "gflops", num(f[i].gflops));
    cJSON_AddStringToObject(o, "strategy", f[i].strategy);
    cJSON_AddStringToObject(o, "config", f[i].config);
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

/* Knob importance, or {"note": why not}. */
static cJSON *importance(const found *f, size_t n) {
  const char **configs = tt_xcalloc(n + 1, sizeof(char *));
  double *times = tt_xcalloc(n + 1, sizeof(double));
  for (size_t i = 0; i < n; i++) {
    configs[i] = f[i].config;
    times[i] = f[i].time_s;
  }
  tt_importance imp;
  tt_error err = {0};
  cJSON *o = cJSON_CreateObject();
  if (tt_importance_compute(configs, times, n, 1, &imp, &err) != TT_OK) {
    cJSON_AddStringToObject(o, "note", err.msg);
  } else {
    cJSON *k = cJSON_AddArrayToObject(o, "knobs"), *v = cJSON_AddArrayToObject(o, "share");
    for (size_t j = 0; j < imp.nknobs; j++) {
      cJSON_AddItemToArray(k, cJSON_CreateString(imp.knobs[j]));
      cJSON_AddItemToArray(v, cJSON_CreateNumber(imp.share[j]));
    }
    cJSON_AddNumberToObject(o, "r2", imp.r2);
    cJSON_AddNumberToObject(o, "samples", (double)imp.samples);
    tt_importance_free(&imp);
  }
  free(configs);
  free(times);
  return o;
}

/* See report.h. */
cJSON *tt_report_task_data(const tt_task_runs *r) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "task", (double)r->task_id);
  cJSON *strategies = cJSON_AddArrayToObject(o, "strategies");
  for (size_t k = 0; k < r->nruns; k++) {
    const char *name = r->runs[k].info->strategy;
    int seen = 0;
    for (size_t j = 0; j < k; j++)
      seen |= !strcmp(r->runs[j].info->strategy, name);
    if (seen) continue;
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "name", name);
    strategy_series(r, name, e);
    strategy_points(r, name, e);
    cJSON_AddItemToArray(strategies, e);
  }
  found *f = NULL;
  size_t n = distinct_ok(r, &f);
  cJSON_AddItemToObject(o, "best", best_rows(f, n));
  cJSON_AddItemToObject(o, "importance", importance(f, n));
  free(f);
  return o;
}
