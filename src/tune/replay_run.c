/* Replay (tune.h): strategies against a recorded or synthetic objective,
 * each seed one session of the engine over the recorded evaluator with
 * one worker and no store; the curve is the best-so-far after each trial. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tune/tune_impl.h"

typedef struct curve_ctx {
  double *curve;
  size_t budget;
  double worst;
  double optimum;              /* the objective's best value */
  int stop_at_optimum;         /* 1: stop the session once it is found */
  volatile sig_atomic_t *stop; /* the session's stop flag */
} curve_ctx;

/* Writes the best-so-far after trial ev->n. Once the optimum is found the
 * curve cannot move, so the rest of the budget would change no metric:
 * the session stops there (not with transfer, whose final prior weight
 * would). */
static void on_trial(void *ctx, const tt_tune_event *ev) {
  curve_ctx *c = ctx;
  if (ev->n >= 1 && (size_t)ev->n <= c->budget)
    c->curve[ev->n - 1] = isnan(ev->best) ? c->worst : ev->best;
  if (c->stop_at_optimum && !isnan(ev->best) && ev->best <= c->optimum) *c->stop = 1;
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

/* Runs one seed for budget evaluations; an exhausted space keeps its best.
 * *weight: the strategy's prior weight at the end. */
static tt_status run_seed(const tt_objective *o, const char *name, const char *options,
                          uint64_t seed, size_t budget, double worst, const tt_replay_transfer *tr,
                          double *weight, double *curve, tt_error *err) {
  tt_strategy *st = tt_strategy_new(name, tt_objective_space(o), seed, options, err);
  if (!st) return err ? err->status : TT_ERR_USAGE;
  tt_strategy_set_budget(st, budget);
  if (tr) transfer(st, tr, seed);
  tt_evaluator *ev = tt_tune_recorded_new(o, NULL);
  volatile sig_atomic_t stop = 0;
  curve_ctx c = {curve, budget, worst, tt_objective_optimum(o), !tr, &stop};
  tt_tune_opts opts = {.trials = (int64_t)budget, .stop = &stop, .on_trial = on_trial, .ctx = &c};
  tt_tune_result res;
  tt_status status = tt_tune_run(tt_objective_space(o), st, ev, &opts, &res, err);
  for (size_t n = (size_t)res.trials; n < budget; n++)
    curve[n] = n ? curve[n - 1] : worst;
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
  size_t nv;
  const double *values = tt_objective_values(o, &nv);
  double worst = tt_objective_optimum(o);
  for (size_t i = 0; i < nv; i++)
    if (isfinite(values[i])) worst = values[i];
  for (size_t s = 0; s < seeds; s++) {
    double w = NAN;
    tt_status st =
        run_seed(o, name, options, first + s, budget, worst, tr, &w, curves + s * budget, err);
    if (tr && tr->weights) tr->weights[s] = w;
    if (st != TT_OK) return st;
  }
  return TT_OK;
}
