/* Transfer (kernel_tune.h): a new session starts from a related task's
 * data — its best configurations proposed first, its trials as the
 * strategy's prior (tetune/search.h). The search side decides how much
 * the prior counts; this file only finds, loads and maps the data. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_tune/serial_knobs.h"
#include "tetune/kernel_tune.h"

/* Position of size name in the kernel's size list, or -1. */
static long size_rank(const tt_job *j, const char *size) {
  for (size_t i = 0; i < j->kernel->nsizes; i++)
    if (strcmp(j->kernel->sizes[i].name, size) == 0) return (long)i;
  return -1;
}

/* How far task t is from j's own: same machine first, then same target,
 * then the nearest size, then the most ok trials (lower is nearer). */
static double distance(const tt_job *j, const tt_related_task *t, const char *target) {
  long own = size_rank(j, j->size_name), r = size_rank(j, t->size);
  long sizes = r < 0 || own < 0 ? 99 : labs(r - own);
  return (t->same_machine ? 0 : 4e6) + (strcmp(t->target, target) == 0 ? 0 : 2e6) +
         (double)sizes * 1e4 - fmin((double)t->ok_trials, 9999);
}

/* Index of the most related task of l. */
static size_t pick(const tt_job *j, const tt_related_list *l, const char *target) {
  size_t best = 0;
  for (size_t i = 1; i < l->len; i++)
    if (distance(j, &l->items[i], target) < distance(j, &l->items[best], target)) best = i;
  return best;
}

/* Related trials mapped onto j's space. */
typedef struct rows {
  tt_job *j;
  size_t n, cap, nk;
  uint32_t *cfgs;
  tt_outcome *outcomes;
  double *values;
} rows;

/* Maps one stored trial of the related task onto j's space. */
static int add_trial(void *ctx, const tt_trial *t) {
  rows *r = ctx;
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 64;
    r->cfgs = tt_xrealloc(r->cfgs, r->cap * r->nk * sizeof *r->cfgs + 1);
    r->outcomes = tt_xrealloc(r->outcomes, r->cap * sizeof *r->outcomes);
    r->values = tt_xrealloc(r->values, r->cap * sizeof *r->values);
  }
  if (tt_space_config_map_json(r->j->space, t->config, r->j->defaults, r->cfgs + r->n * r->nk) <= 0)
    return 0;
  tt_job_pin_config(r->j, r->cfgs + r->n * r->nk); /* a 2-thread trial seen from 1 thread */
  r->outcomes[r->n] = t->outcome;
  r->values[r->n++] = t->outcome == TT_OUTCOME_OK ? t->time_median_s : NAN;
  return 0;
}

/* Names the source: kernel/size, and what else differs. */
static void name_source(const tt_job *j, const tt_related_task *t, const char *target, char *buf,
                        size_t len) {
  int n = snprintf(buf, len, "%s/%s", j->kernel->name, t->size);
  if (strcmp(t->target, target) != 0 && n > 0 && (size_t)n < len)
    n += snprintf(buf + n, len - (size_t)n, " (target %s)", t->target);
  if (!t->same_machine && n > 0 && (size_t)n < len)
    snprintf(buf + n, len - (size_t)n, " (another machine or thread count)");
}

/* See kernel_tune.h. */
tt_status tt_kernel_transfer(tt_job *j, tt_store *s, tt_strategy *st, tt_transfer_info *info,
                             tt_error *err) {
  memset(info, 0, sizeof *info);
  info->st = st;
  const char *target = j->target->store_name;            /* as tt_tune_task keys the task */
  char *fp = j->fingerprint ? tt_xstrdup(j->fingerprint) /* the MPI workers' machine */
                            : tt_target_fingerprint(j->target, &j->mopt, NULL);
  tt_task_key key = {j->kernel->name, j->size_name, target, j->tmpl->name, fp};
  tt_related_list l = {0};
  tt_status status = tt_store_related_tasks(s, &key, &l, err);
  free(fp);
  if (status != TT_OK || l.len == 0) return status;
  const tt_related_task *src = &l.items[pick(j, &l, target)];
  rows r = {.j = j, .nk = tt_space_num_knobs(j->space)};
  status = tt_store_each_trial(s, src->id, add_trial, &r, err);
  if (status == TT_OK && r.n > 0) {
    info->used = 1;
    info->source_trials = src->ok_trials;
    name_source(j, src, target, info->source, sizeof info->source);
    info->seeds = tt_strategy_seed_best(st, r.cfgs, r.outcomes, r.values, r.n, TT_TRANSFER_SEEDS);
    info->prior = tt_strategy_set_prior(st, r.cfgs, r.outcomes, r.values, r.n);
  }
  free(r.cfgs);
  free(r.outcomes);
  free(r.values);
  tt_related_list_free(&l);
  return status;
}
