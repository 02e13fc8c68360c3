/* Per-strategy statistics over runs (runs.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/runs.h"

/* Orders doubles for qsort. */
static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* See runs.h. */
double tt_median(double *v, size_t n) {
  if (n == 0) return NAN;
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The first point of r whose best-so-far is within target; NULL if none. */
static const tt_run_point *reach(const tt_run *r, double target) {
  for (size_t i = 0; i < r->n; i++)
    if (!isnan(r->pts[i].best_s) && r->pts[i].best_s <= target) return &r->pts[i];
  return NULL;
}

/* Folds the runs of one strategy into st. */
static void fold(const tt_task_runs *r, const char *strategy, double target,
                 tt_strategy_stats *st) {
  size_t n = r->nruns;
  double *best = tt_xcalloc(n + 1, sizeof(double)), *trials = tt_xcalloc(n + 1, sizeof(double));
  double *wall = tt_xcalloc(n + 1, sizeof(double));
  size_t nbest = 0;
  memset(st, 0, sizeof *st);
  st->strategy = strategy;
  for (size_t i = 0; i < n; i++) {
    const tt_run *run = &r->runs[i];
    if (strcmp(run->info->strategy, strategy) != 0) continue;
    st->runs++;
    st->trials += (int64_t)run->n;
    st->failures += run->failures;
    if (!isnan(run->best_s)) best[nbest++] = run->best_s;
    const tt_run_point *p = reach(run, target);
    if (p) {
      trials[st->reached] = (double)(p - run->pts + 1);
      wall[st->reached++] = p->wall_s;
    }
  }
  double sum = 0, sq = 0;
  for (size_t i = 0; i < nbest; i++)
    sum += best[i];
  st->best_mean_s = nbest ? sum / (double)nbest : NAN;
  for (size_t i = 0; i < nbest; i++)
    sq += (best[i] - st->best_mean_s) * (best[i] - st->best_mean_s);
  st->best_sd_s = nbest > 1 ? sqrt(sq / (double)(nbest - 1)) : nbest ? 0 : NAN;
  st->trials_median = tt_median(trials, st->reached);
  st->wall_median_s = tt_median(wall, st->reached);
  free(best);
  free(trials);
  free(wall);
}

/* See runs.h. */
size_t tt_runs_stats(const tt_task_runs *r, double within, tt_strategy_stats *out, size_t max) {
  double target = tt_runs_best(r) * (1 + within);
  size_t k = 0;
  for (size_t i = 0; i < r->nruns && k < max; i++) {
    const char *name = r->runs[i].info->strategy;
    int seen = 0;
    for (size_t j = 0; j < k; j++)
      seen |= strcmp(out[j].strategy, name) == 0;
    if (!seen) fold(r, name, target, &out[k++]);
  }
  return k;
}
