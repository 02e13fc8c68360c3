/* Loading a task's sessions as runs with a charged wall-clock axis
 * (runs.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/runs.h"
#include "app/session.h"

/* What is kept of one stored trial while the runs are built. */
typedef struct raw_trial {
  int64_t id, session_id, origin, seq;
  tt_outcome outcome;
  double time_s, gflops, duration_s;
  char *config;
} raw_trial;

typedef struct raw_list {
  raw_trial *items;
  size_t len, cap;
} raw_list;

/* Copies one trial (each_trial callback). */
static int collect(void *ctx, const tt_trial *t) {
  raw_list *l = ctx;
  if (l->len == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 256;
    l->items = tt_xrealloc(l->items, l->cap * sizeof *l->items);
  }
  raw_trial *r = &l->items[l->len++];
  r->id = t->id;
  r->session_id = t->session_id;
  r->origin = tt_trial_origin(t);
  r->seq = t->seq;
  r->outcome = t->outcome;
  r->time_s = t->outcome == TT_OUTCOME_OK ? t->time_median_s : NAN;
  r->gflops = t->outcome == TT_OUTCOME_OK ? t->gflops : NAN;
  r->duration_s = t->finished_at > t->started_at ? t->finished_at - t->started_at : 0;
  r->config = tt_xstrdup(t->config);
  return 0;
}

/* Duration of trial id (0 when it is not in l). A linear search: a task
 * holds thousands of trials at most, and few are reused. */
static double duration_of(const raw_list *l, int64_t id) {
  for (size_t i = 0; i < l->len; i++)
    if (l->items[i].id == id) return l->items[i].duration_s;
  return 0;
}

/* 1 when session id is wanted. */
static int wanted(const tt_session_info *si, int64_t task_id, const int64_t *only, size_t nonly) {
  if (si->task_id != task_id) return 0;
  if (!only) return 1;
  for (size_t i = 0; i < nonly; i++)
    if (only[i] == si->id) return 1;
  return 0;
}

/* Builds run r from the raw trials of its session. */
static void build_run(tt_run *r, const raw_list *l, const tt_session_info *si) {
  r->info = si;
  r->best_s = NAN;
  double wall = 0;
  for (size_t i = 0; i < l->len; i++) {
    const raw_trial *t = &l->items[i];
    if (t->session_id != si->id) continue;
    r->pts = tt_xrealloc(r->pts, (r->n + 1) * sizeof *r->pts);
    tt_run_point *p = &r->pts[r->n++];
    p->seq = t->seq;
    p->outcome = t->outcome;
    p->time_s = t->time_s;
    p->gflops = t->gflops;
    p->reused = t->origin != t->id;
    wall += t->duration_s + (p->reused ? duration_of(l, t->origin) : 0);
    p->wall_s = wall;
    p->config = tt_xstrdup(t->config);
    if (t->outcome == TT_OUTCOME_OK && (isnan(r->best_s) || t->time_s < r->best_s))
      r->best_s = t->time_s;
    r->failures += t->outcome != TT_OUTCOME_OK;
    p->best_s = r->best_s;
  }
}

/* See runs.h. */
tt_status tt_runs_load(tt_store *s, const tt_session_list *list, int64_t task_id,
                       const int64_t *only, size_t nonly, tt_task_runs *out, tt_error *err) {
  memset(out, 0, sizeof *out);
  out->task_id = task_id;
  raw_list raw = {0};
  tt_status st = tt_store_each_trial(s, task_id, collect, &raw, err);
  for (size_t i = 0; st == TT_OK && i < list->len; i++) {
    const tt_session_info *si = &list->items[i];
    if (!wanted(si, task_id, only, nonly)) continue;
    if (!out->first) out->first = si;
    out->runs = tt_xrealloc(out->runs, (out->nruns + 1) * sizeof *out->runs);
    tt_run *r = &out->runs[out->nruns++];
    memset(r, 0, sizeof *r);
    build_run(r, &raw, si);
  }
  for (size_t i = 0; i < raw.len; i++)
    free(raw.items[i].config);
  free(raw.items);
  if (st != TT_OK) tt_runs_free(out);
  return st;
}

/* See runs.h. */
void tt_runs_free(tt_task_runs *r) {
  for (size_t i = 0; i < r->nruns; i++) {
    for (size_t k = 0; k < r->runs[i].n; k++)
      free(r->runs[i].pts[k].config);
    free(r->runs[i].pts);
  }
  free(r->runs);
  memset(r, 0, sizeof *r);
}

/* See runs.h. */
double tt_runs_best(const tt_task_runs *r) {
  double best = NAN;
  for (size_t i = 0; i < r->nruns; i++)
    if (!isnan(r->runs[i].best_s) && (isnan(best) || r->runs[i].best_s < best))
      best = r->runs[i].best_s;
  return best;
}
