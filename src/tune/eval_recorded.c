/* The recorded evaluator (tune.h): a dataset or synthetic function as the
 * objective, on a simulated clock. Each submitted evaluation starts at the
 * current simulated time and ends its recorded cost later; poll takes the
 * one that ends first and moves the clock to its end. With the driver
 * refilling a slot as soon as it is polled, this is an event simulation of
 * `workers` machines evaluating in parallel (the strategy's own time is
 * not on the clock: the driver reports it as ask_s). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune/tune_impl.h"

typedef struct sim_job {
  uint64_t id;
  tt_outcome outcome;
  double value, start, end;
  int worker; /* which simulated worker holds it */
} sim_job;

typedef struct recorded_ev {
  tt_evaluator ev;
  const tt_objective *o;
  double default_cost;
  double clock;
  sim_job *jobs; /* in flight: len of ev.slots */
  int len;
  int *busy; /* per worker */
} recorded_ev;

/* Starts req at the current simulated time on a free worker. */
static tt_status rec_submit(tt_evaluator *ev, const tt_trial_req *req, tt_error *err) {
  recorded_ev *r = ev->self;
  if (r->len == ev->slots)
    return tt_error_set(err, TT_ERR_INTERNAL, "recorded evaluator: more than %d in flight",
                        ev->slots);
  sim_job *j = &r->jobs[r->len++];
  j->id = req->id;
  j->outcome = tt_objective_eval(r->o, req->cfg, &j->value);
  double cost = tt_objective_cost(r->o, req->cfg);
  if (!(cost >= 0)) cost = r->default_cost;
  j->start = r->clock;
  j->end = r->clock + cost;
  j->worker = 0;
  while (r->busy[j->worker])
    j->worker++;
  r->busy[j->worker] = 1;
  return TT_OK;
}

/* Finishes the evaluation that ends first (the earliest submitted on
 * ties), advancing the clock to its end. */
static int rec_poll(tt_evaluator *ev, tt_trial_done *out, double timeout_s, tt_error *err) {
  (void)timeout_s;
  (void)err;
  recorded_ev *r = ev->self;
  if (r->len == 0) return 0;
  int first = 0;
  for (int i = 1; i < r->len; i++)
    if (r->jobs[i].end < r->jobs[first].end) first = i;
  sim_job j = r->jobs[first];
  memmove(&r->jobs[first], &r->jobs[first + 1], (size_t)(r->len - first - 1) * sizeof j);
  r->len--;
  r->busy[j.worker] = 0;
  if (j.end > r->clock) r->clock = j.end;
  memset(out, 0, sizeof *out);
  out->id = j.id;
  out->outcome = j.outcome;
  out->value = j.outcome == TT_OUTCOME_OK ? j.value : NAN;
  out->time_min_s = out->value;
  out->spread = out->max_rel_err = out->compile_s = NAN;
  out->repeats = j.outcome == TT_OUTCOME_OK;
  out->measure_start = j.start;
  out->measure_end = j.end;
  snprintf(out->worker, sizeof out->worker, "sim %d", j.worker);
  out->message = tt_xstrdup("");
  return 1;
}

/* Drops what is in flight. */
static void rec_cancel(tt_evaluator *ev) {
  recorded_ev *r = ev->self;
  r->len = 0;
  memset(r->busy, 0, (size_t)ev->slots * sizeof *r->busy);
}

/* The simulated clock. */
static double rec_now(tt_evaluator *ev) {
  return ((recorded_ev *)ev->self)->clock;
}

static void rec_free(tt_evaluator *ev) {
  recorded_ev *r = ev->self;
  free(r->jobs);
  free(r->busy);
  free(r);
}

/* See tune.h. */
tt_evaluator *tt_tune_recorded_new(const tt_objective *o, const tt_recorded_options *opt) {
  recorded_ev *r = tt_xcalloc(1, sizeof *r);
  int workers = opt && opt->workers > 0 ? opt->workers : 1;
  r->o = o;
  r->default_cost = opt && opt->default_cost > 0 ? opt->default_cost : 1.0;
  r->jobs = tt_xcalloc((size_t)workers, sizeof *r->jobs);
  r->busy = tt_xcalloc((size_t)workers, sizeof *r->busy);
  r->ev = (tt_evaluator){.name = "recorded",
                         .slots = workers,
                         .self = r,
                         .submit = rec_submit,
                         .poll = rec_poll,
                         .cancel = rec_cancel,
                         .now = rec_now,
                         .free = rec_free};
  return &r->ev;
}
