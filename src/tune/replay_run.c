/* Replay (tune.h): strategies against a recorded or synthetic objective,
 * each seed one session of the engine over the recorded evaluator (one
 * simulated worker unless asked for more) and no store; the curve is the
 * best-so-far after each trial, in the order trials finish. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tune/tune_impl.h"

typedef struct curve_ctx {
  double *curve, *clock; /* clock may be NULL */
  size_t budget;
  double worst;
} curve_ctx;

/* Writes the best-so-far after trial ev->n, and when it ended. */
static void on_trial(void *ctx, const tt_tune_event *ev) {
  curve_ctx *c = ctx;
  if (ev->n < 1 || (size_t)ev->n > c->budget) return;
  c->curve[ev->n - 1] = isnan(ev->best) ? c->worst : ev->best;
  if (c->clock) c->clock[ev->n - 1] = ev->clock;
}

/* Gives st the related rows of tr (their values shuffled for seed when
 * tr->shuffle): the best first, and as a prior when tr->prior. */
static void transfer(tt_strategy *st, const tt_replay_transfer *tr, uint64_t seed) {
  tt_related_rows r = *tr->rows;
  if (tr->shuffle) {
    r.values = tt_xmalloc((r.n + 1) * sizeof *r.values);
    memcpy(r.values, tr->rows->values, r.n * sizeof *r.values);
    tt_related_rows_shuffle(&r, tr->shuffle + seed);
  }
  tt_strategy_seed_best(st, r.cfgs, r.outcomes, r.values, r.n, tr->seeds);
  if (tr->prior) tt_strategy_set_prior(st, r.cfgs, r.outcomes, r.values, r.n);
  if (tr->shuffle) free(r.values);
}

/* Runs one seed for budget evaluations with `workers` simulated workers;
 * an exhausted space keeps its best. *weight: the strategy's prior weight
 * at the end. clock (may be NULL): when each evaluation ended. */
static tt_status run_seed(const tt_objective *o, const char *name, const char *options,
                          uint64_t seed, size_t budget, double worst, const tt_replay_transfer *tr,
                          int workers, double *weight, double *curve, double *clock,
                          tt_error *err) {
  tt_strategy *st = tt_strategy_new(name, tt_objective_space(o), seed, options, err);
  if (!st) return err ? err->status : TT_ERR_USAGE;
  tt_strategy_set_budget(st, budget);
  if (tr) transfer(st, tr, seed);
  tt_recorded_options ropt = {workers > 1 ? workers : 1, 0};
  tt_evaluator *ev = tt_tune_recorded_new(o, &ropt);
  curve_ctx c = {curve, clock, budget, worst};
  tt_tune_opts opts = {.trials = (int64_t)budget, .on_trial = on_trial, .ctx = &c};
  tt_tune_result res;
  tt_status status = tt_tune_run(tt_objective_space(o), st, ev, &opts, &res, err);
  for (size_t n = (size_t)res.trials; n < budget; n++) {
    curve[n] = n ? curve[n - 1] : worst;
    if (clock) clock[n] = NAN;
  }
  *weight = tt_strategy_prior_weight(st);
  tt_evaluator_free(ev);
  tt_strategy_free(st);
  return status;
}

/* Runs a strategy for seeds 1..seeds; see tune.h. */
tt_status tt_replay_run(const tt_objective *o, const char *name, const char *options, size_t budget,
                        size_t seeds, double *curves, tt_error *err) {
  return tt_replay_run_from(o, name, options, budget, 1, seeds, curves, err);
}

/* Runs a strategy for every seed from first on; see tune.h. */
tt_status tt_replay_run_from(const tt_objective *o, const char *name, const char *options,
                             size_t budget, uint64_t first, size_t seeds, double *curves,
                             tt_error *err) {
  return tt_replay_run_transfer(o, name, options, budget, first, seeds, NULL, curves, err);
}

/* Runs a strategy for every seed from first on, with transfer; see tune.h. */
tt_status tt_replay_run_transfer(const tt_objective *o, const char *name, const char *options,
                                 size_t budget, uint64_t first, size_t seeds,
                                 const tt_replay_transfer *tr, double *curves, tt_error *err) {
  tt_replay_options ro = {.first = first, .seeds = seeds, .transfer = tr};
  return tt_replay_run_opts(o, name, options, budget, &ro, curves, err);
}

/* Runs a strategy for every seed of ro; see tune.h. */
tt_status tt_replay_run_opts(const tt_objective *o, const char *name, const char *options,
                             size_t budget, const tt_replay_options *ro, double *curves,
                             tt_error *err) {
  size_t nv;
  const double *values = tt_objective_values(o, &nv);
  double worst = tt_objective_optimum(o);
  const tt_replay_transfer *tr = ro->transfer;
  uint64_t first = ro->first;
  for (size_t i = 0; i < nv; i++)
    if (isfinite(values[i])) worst = values[i];
  for (size_t s = 0; s < ro->seeds; s++) {
    double w = NAN;
    double *clock = ro->clocks ? ro->clocks + s * budget : NULL;
    tt_status st = run_seed(o, name, options, first + s, budget, worst, tr, ro->workers, &w,
                            curves + s * budget, clock, err);
    if (tr && tr->weights) tr->weights[s] = w;
    if (st != TT_OK) return st;
  }
  return TT_OK;
}

/* qsort's order of doubles, ascending. */
static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The median simulated time to target; see tune.h. */
double tt_replay_time_to(const double *curves, const double *clocks, size_t seeds, size_t budget,
                         double target, int *reached) {
  double *t = tt_xmalloc((seeds + 1) * sizeof *t);
  size_t k = 0;
  for (size_t s = 0; s < seeds; s++)
    for (size_t n = 0; n < budget; n++)
      if (curves[s * budget + n] <= target && isfinite(clocks[s * budget + n])) {
        t[k++] = clocks[s * budget + n];
        break;
      }
  qsort(t, k, sizeof *t, cmp_double);
  double med = k == 0 ? NAN : k % 2 ? t[k / 2] : 0.5 * (t[k / 2 - 1] + t[k / 2]);
  free(t);
  if (reached) *reached = (int)k;
  return med;
}
